/**
 * Every kind of message Mamori sends, as recorded in the outbox and listed on "Messages we sent". The one
 * list the code that writes a message (`sendEmail`, `sendCode`, notices) and the pages that name it both use:
 * each kind needs `messages.kind.<kind>` in both dictionaries, which the type system checks
 * (`MESSAGE_KIND_LABEL` below).
 */
export const MESSAGE_KINDS = [
  'code',
  'signup_exists',
  'method_added',
  'method_removed',
  'password_changed',
  'password_reset',
  'two_step_on',
  'two_step_off',
  'recovery_code_created',
  'recovery_code_used',
  'unusual_signin',
  'account_secured',
  'replacement_started',
  'replacement_reminder',
  'replacement_cancelled',
  'replacement_completed',
  'periodic_reminder',
  'recovery_form_received',
  'recovery_form_approved',
  'recovery_form_alert',
  'recovery_form_denied',
  'recovery_form_two_step',
  'reset_guesses',
  'code_guesses',
  'phrase_changed',
  // organisations (src/organisations/admin-actions.ts, tap.ts, invitations.ts)
  'org_reregister_required',
  'org_sessions_revoked',
  'org_password_reset',
  'org_contact_added',
  'org_tap_created',
  'org_invitation',
  'notice',
] as const;

export type MessageKind = (typeof MESSAGE_KINDS)[number];

export function isMessageKind(v: unknown): v is MessageKind {
  return typeof v === 'string' && (MESSAGE_KINDS as readonly string[]).includes(v);
}
