/**
 * The webhook event types Mamori sends (docs/flows/apps-delivery.md, one JSON Schema each under
 * docs/events/). An endpoint subscribes to some of them (`webhook_endpoints.events`).
 */
export const DELIVERED_WEBHOOK_TYPES = [
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

export type WebhookType = (typeof DELIVERED_WEBHOOK_TYPES)[number];

/**
 * A webhook's payload (Standard Webhooks: `{ type, timestamp, data }`). `data` carries ids and facts, never a
 * secret, a code, a password, a token or a full contact value.
 */
export interface WebhookPayload {
  type: WebhookType;
  /** When the change happened (ISO 8601, UTC). */
  timestamp: string;
  data: Record<string, unknown>;
}
