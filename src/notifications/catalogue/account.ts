import type { EmailKind, MessageParts, TemplateEntry } from './types.ts';

/**
 * The security emails about an account: what changed, when and from where, and what to do if it was not
 * the owner (words: `src/i18n/areas/mail-account.ts`, `mail.<kind>.*`, and the shared lines in
 * `src/i18n/areas/mail.ts`). Sent by `announce` (and `signup_exists` by sign-up).
 */
export type AccountMail = Exclude<EmailKind, { kind: 'code' } | { kind: 'custom' }>;

/** The words of a security email about the account. */
export function accountParts(m: AccountMail): MessageParts {
  switch (m.kind) {
    case 'signup_exists':
      return {
        subject: 'mail.signup_exists.subject',
        lines: ['mail.signup_exists.body', 'mail.signup_exists.ignore'],
        action: { label: 'mail.signup_exists.action', path: '/forgot' },
      };
    case 'method_added':
    case 'method_removed':
    case 'two_step_on':
    case 'two_step_off':
      return {
        subject: `mail.${m.kind}.subject`,
        lines: [`mail.${m.kind}.body`, 'mail.when_where'],
        action: { label: 'mail.review_action', path: '/security' },
        warn: 'mail.not_you',
      };
    case 'password_changed':
    case 'account_secured':
      // Whoever did this chose a new password: the owner's old one no longer signs in, so the way back
      // is a reset.
      return {
        subject: `mail.${m.kind}.subject`,
        lines: [`mail.${m.kind}.body`, 'mail.when_where'],
        action: { label: 'mail.reset_action', path: '/forgot' },
        warn: 'mail.not_you_changed',
      };
    case 'password_reset':
    case 'recovery_code_used':
      // Whoever did this got a code at the security info, or had the recovery code.
      return {
        subject: `mail.${m.kind}.subject`,
        lines: [`mail.${m.kind}.body`, 'mail.when_where'],
        action: { label: 'mail.reset_action', path: '/forgot' },
        warn: m.kind === 'password_reset' ? 'mail.not_you_reset' : 'mail.not_you_recovery_used',
      };
    case 'recovery_code_created':
      return {
        subject: 'mail.recovery_code_created.subject',
        lines: [
          m.first ? 'mail.recovery_code_created.body_first' : 'mail.recovery_code_created.body',
          'mail.when_where',
        ],
        action: { label: 'mail.review_action', path: '/security' },
        warn: 'mail.not_you',
      };
    case 'unusual_signin':
      return {
        subject: 'mail.unusual_signin.subject',
        lines: ['mail.unusual_signin.body', 'mail.unusual_signin.details'],
        action: { label: 'mail.unusual_signin.action', path: '/security/activity' },
        warn: 'mail.unusual_signin.not_you',
      };
  }
}

const change = (kind: AccountMail['kind'], extra: string[] = []): TemplateEntry => ({
  kind,
  placeholders: ['time', 'ip', ...extra],
  required: [],
  anonymous: false,
  action: true,
});

/** Template ids of these emails (the outbox kind). */
export const accountTemplates: Record<AccountMail['kind'], TemplateEntry> = {
  signup_exists: { kind: 'signup_exists', placeholders: [], required: [], anonymous: false, action: true },
  method_added: change('method_added', ['method']),
  method_removed: change('method_removed', ['method']),
  password_changed: change('password_changed'),
  password_reset: change('password_reset'),
  two_step_on: change('two_step_on'),
  two_step_off: change('two_step_off'),
  recovery_code_created: change('recovery_code_created'),
  recovery_code_used: change('recovery_code_used'),
  unusual_signin: change('unusual_signin', ['country', 'device']),
  account_secured: change('account_secured'),
};
