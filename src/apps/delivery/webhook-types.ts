import { WEBHOOK_EVENT_TYPES } from '../registry/webhook-events.ts';

/**
 * The webhook event types Mamori sends (docs/flows/apps-delivery.md, one JSON Schema each under
 * docs/events/): exactly those an endpoint may subscribe to (`WEBHOOK_EVENT_TYPES`, registry/).
 */
export const DELIVERED_WEBHOOK_TYPES = WEBHOOK_EVENT_TYPES;

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
