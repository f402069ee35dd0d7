import type { MessageKind } from '../message-kinds.ts';
import type { TemplateEntry } from './types.ts';

/**
 * The emails capabilities send with `{ kind: 'custom', name, subject, lines, … }`. Their words are keys of
 * the capability's own i18n area, chosen where they are sent (`sentBy`, checked by
 * test/notifications/templates-dir.test.ts); the catalogue records what a templates-directory override of
 * each may use and must keep.
 */
type CustomKind = Exclude<
  MessageKind,
  | 'code'
  | 'notice'
  | 'signup_exists'
  | 'method_added'
  | 'method_removed'
  | 'password_changed'
  | 'password_reset'
  | 'two_step_on'
  | 'two_step_off'
  | 'recovery_code_created'
  | 'recovery_code_used'
  | 'unusual_signin'
  | 'account_secured'
>;

const entry = (
  kind: CustomKind,
  sentBy: string,
  placeholders: string[],
  o: { required?: string[]; anonymous?: boolean; action?: boolean } = {},
): TemplateEntry => ({
  kind,
  sentBy,
  placeholders,
  required: o.required ?? [],
  anonymous: o.anonymous ?? false,
  action: o.action ?? true,
});

const replacement = ['account', 'newInfo', 'date', 'days', 'notMeUrl'];

// The files that send these kinds (words: the i18n area of the same capability).
const REPLACEMENT = 'src/replacement/replacement-mail.ts';
const CHECKUP = 'src/checkup/periodic.ts';
const RECOVERY_FORM = 'src/recovery-form/form-service.ts';
const ALERTS = 'src/abuse/owner-alerts.ts';
const PHRASE = 'src/accounts/personal-phrase.ts';
const ORG_ACTIONS = 'src/organisations/admin-actions.ts';

export const customTemplates: Record<CustomKind, TemplateEntry> = {
  // words: src/i18n/areas/replacement.ts. The cancel link is the point.
  replacement_started: entry('replacement_started', REPLACEMENT, replacement, {
    required: ['actionUrl'],
  }),
  replacement_reminder: entry('replacement_reminder', REPLACEMENT, replacement, {
    required: ['actionUrl'],
  }),
  replacement_cancelled: entry('replacement_cancelled', REPLACEMENT, ['account', 'time']),
  replacement_completed: entry('replacement_completed', REPLACEMENT, ['account', 'time', 'newInfo']),
  // words: src/i18n/areas/checkup.ts
  periodic_reminder: entry('periodic_reminder', CHECKUP, ['date']),
  // words: src/i18n/areas/recovery-form.ts. The first three go to the requester's contact address, not
  // the account: no name. The approval carries the one-time link.
  recovery_form_received: entry('recovery_form_received', RECOVERY_FORM, ['due', 'account'], {
    anonymous: true,
    action: false,
  }),
  recovery_form_approved: entry('recovery_form_approved', RECOVERY_FORM, ['account', 'hours'], {
    anonymous: true,
    required: ['actionUrl'],
  }),
  recovery_form_denied: entry('recovery_form_denied', RECOVERY_FORM, ['account', 'per_day'], {
    anonymous: true,
    action: false,
  }),
  recovery_form_alert: entry('recovery_form_alert', RECOVERY_FORM, ['contact']),
  recovery_form_two_step: entry('recovery_form_two_step', RECOVERY_FORM, ['contact']),
  // words: src/i18n/areas/limits.ts
  reset_guesses: entry('reset_guesses', ALERTS, ['count', 'until'], { action: false }),
  code_guesses: entry('code_guesses', ALERTS, ['count', 'until']),
  // words: src/i18n/areas/security.ts
  phrase_changed: entry('phrase_changed', PHRASE, ['time', 'ip']),
  // words: src/i18n/areas/org-actions.ts. What an organisation admin did to the member's account.
  org_reregister_required: entry('org_reregister_required', ORG_ACTIONS, ['org', 'time', 'contact']),
  org_sessions_revoked: entry('org_sessions_revoked', ORG_ACTIONS, ['org', 'time', 'contact']),
  org_password_reset: entry('org_password_reset', ORG_ACTIONS, ['org', 'time', 'contact']),
  org_contact_added: entry('org_contact_added', ORG_ACTIONS, ['org', 'time', 'contact', 'method']),
  org_tap_created: entry('org_tap_created', ORG_ACTIONS, ['org', 'time', 'contact', 'until']),
  // To an address that may have no account yet: no name. The join link is the point.
  org_invitation: entry(
    'org_invitation',
    'src/organisations/invitations.ts',
    ['org', 'role', 'email', 'days'],
    {
      anonymous: true,
      required: ['actionUrl'],
    },
  ),
};
