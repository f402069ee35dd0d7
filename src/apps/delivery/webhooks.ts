import type { Deps } from '../../deps.ts';
import type { EventOf, MamoriEvent } from '../../events/catalog.ts';
import { newId } from '../../kernel/random.ts';
import type { Sql } from '../../kernel/sql.ts';
import { signalAfterCommit } from '../../kernel/unit-of-work.ts';
import { WEBHOOK_EVENT_TYPES } from '../registry/webhook-events.ts';
import { insertWebhookDeliveries, memberOrg } from '../store/delivery-outbox.ts';
import type { WebhookPayload, WebhookType } from './webhook-types.ts';

/**
 * The domain events that become webhooks (the rest are not told to applications): each webhook type an
 * endpoint may subscribe to is the domain event of the same name.
 */
export const WEBHOOK_SOURCE_EVENTS = WEBHOOK_EVENT_TYPES satisfies readonly MamoriEvent['type'][];

export type WebhookSourceEvent = EventOf<(typeof WEBHOOK_SOURCE_EVENTS)[number]>;

/** What a method event tells: its kind and the masked label the owner reads (never the full value). */
function methodFacts(detail: Record<string, string> | undefined): { kind: string; label: string } {
  return { kind: detail?.kind ?? 'unknown', label: (detail?.method ?? '').slice(0, 200) };
}

/**
 * The webhook of a domain event: its type and `data` (account id as `sub`, facts without secrets). The
 * organisation id is added by {@link enqueueWebhooks}. Pure: no I/O.
 */
export function webhookData(e: WebhookSourceEvent): { type: WebhookType; data: Record<string, unknown> } {
  switch (e.type) {
    case 'signin.unusual':
      return {
        type: e.type,
        data: { sub: e.accountId, country: e.ctx.country, device: e.origin.device.slice(0, 200) },
      };
    case 'method.added':
    case 'method.removed':
    case 'method.verified':
      return { type: e.type, data: { sub: e.accountId, method: methodFacts(e.detail) } };
    case 'password.changed':
    case 'password.reset':
    case 'two_step.on':
    case 'two_step.off':
    case 'account.secured':
      return { type: e.type, data: { sub: e.accountId, country: e.ctx.country } };
    case 'replacement.started':
      return {
        type: e.type,
        data: { sub: e.accountId, effective_at: e.detail?.effectiveAt ?? null, country: e.ctx.country },
      };
    case 'replacement.cancelled':
      return { type: e.type, data: { sub: e.accountId, how: e.detail?.how ?? null } };
    case 'replacement.completed':
      return { type: e.type, data: { sub: e.accountId } };
    case 'recovery_request.submitted':
      return { type: e.type, data: { sub: e.accountId, request_id: e.requestId, country: e.country } };
    case 'recovery_request.decided':
      return { type: e.type, data: { sub: e.accountId, request_id: e.requestId, decision: e.decision } };
    case 'policy.changed':
      return { type: e.type, data: { version: e.version } };
    case 'admin.action':
      return {
        type: e.type,
        data: { action: e.action, sub: e.targetAccountId, actor_kind: e.actorKind },
      };
  }
}

/** The payload sent for `e` (Standard Webhooks `{ type, timestamp, data }`), `orgId` added to `data`. Pure. */
export function webhookPayload(e: WebhookSourceEvent, orgId: string | null): WebhookPayload {
  const { type, data } = webhookData(e);
  return { type, timestamp: e.at.toISOString(), data: { ...data, organisation_id: orgId } };
}

/**
 * Enqueues the webhook of `e` (in the change's transaction `tx`): one delivery per enabled endpoint subscribed
 * to its type: the deployment's endpoints, and the endpoints of the organisation the account is a member of
 * (or, for `policy.changed` / `admin.action`, of the organisation concerned). The payload is encrypted at rest;
 * each delivery's `webhook-id` is stable across retries and resends. Account-blind events
 * (`recovery_request.*` with no account) run the same statements and write nothing.
 */
export async function enqueueWebhooks(
  deps: Pick<Deps, 'clock' | 'random' | 'cipher'>,
  tx: Sql,
  e: WebhookSourceEvent,
): Promise<number> {
  const accountId = 'orgId' in e ? null : e.accountId;
  // Read with the id '' when there is no account: the same statement either way.
  const orgId = 'orgId' in e ? e.orgId : await memberOrg(tx, accountId ?? '');
  const write = 'orgId' in e || accountId !== null;
  const payload = webhookPayload(e, orgId);
  const n = await insertWebhookDeliveries(
    tx,
    {
      idPrefix: newId(deps.random, 'dlv'),
      referencePrefix: newId(deps.random, 'msg'),
      accountId,
      orgId,
      eventType: payload.type,
      bodyText: deps.cipher.encrypt(JSON.stringify(payload)),
      now: deps.clock.now(),
    },
    write,
  );
  // The dispatcher wakes once the change has committed (app.ts); a no-op when nothing was written.
  if (n > 0) await signalAfterCommit(tx, 'app_deliveries');
  return n;
}
