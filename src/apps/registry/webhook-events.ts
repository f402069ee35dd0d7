/**
 * The event types a webhook endpoint may subscribe to (Standard Webhooks `type`, dotted `noun.verb`). The
 * delivery part (src/apps/delivery/) emits them; an endpoint receives only the types it subscribed to.
 */
export const WEBHOOK_EVENT_TYPES = [
  'signin.unusual',
  'password.changed',
  'password.reset',
  'method.added',
  'method.removed',
  'method.verified',
  'two_step.on',
  'two_step.off',
  'account.secured',
  'replacement.started',
  'replacement.cancelled',
  'replacement.completed',
  'recovery_request.submitted',
  'recovery_request.decided',
  'policy.changed',
  'admin.action',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Whether `v` is one of WEBHOOK_EVENT_TYPES. */
export function isWebhookEventType(v: unknown): v is WebhookEventType {
  return typeof v === 'string' && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(v);
}
