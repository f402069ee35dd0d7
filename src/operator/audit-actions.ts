/**
 * Every action recorded in the operator audit log. The code that writes an entry (`auditOperator`) and the
 * audit page that names it both use this list; each needs `operator.audit.action.<action>` in both
 * dictionaries (checked by the type system: src/exhaustive-labels.ts).
 */
export const AUDIT_ACTIONS = [
  'sign_in',
  'sign_in.failed',
  'sign_out',
  'totp.enrol',
  'totp.reset',
  'request.approve',
  'request.deny',
  'outbox.retry',
  'notice.create',
  'notice.send',
  // Organisations (the operator's organisation pages).
  'org.create',
  'org.update',
  'org.domain_attach',
  'org.domain_detach',
  'org.role_assign',
  // Applications (src/apps/registry): clients, webhook endpoints, signal receivers.
  'apps.client_register',
  'apps.client_update',
  'apps.client_secret_rotate',
  'apps.client_disable',
  'apps.webhook_register',
  'apps.webhook_secret_rotate',
  'apps.webhook_disable',
  'apps.receiver_register',
  'apps.receiver_disable',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(v: unknown): v is AuditAction {
  return typeof v === 'string' && (AUDIT_ACTIONS as readonly string[]).includes(v);
}
