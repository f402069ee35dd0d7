import { retrySeconds } from '../../abuse/limiter.ts';
import type { Deps } from '../../deps.ts';
import { HOUR } from '../../kernel/clock.ts';
import { fail } from '../../kernel/errors.ts';
import { newId } from '../../kernel/random.ts';
import { signalAfterCommit } from '../../kernel/unit-of-work.ts';
import { type DeliveryLogRow, findResendSource, listDeliveryLog } from '../store/delivery-log.ts';
import { insertAppDelivery } from '../store/delivery-outbox.ts';

/** "Send again" budget: resends per endpoint per window (race-safe: the shared limiter takes atomically). */
export const RESENDS_PER_ENDPOINT = 20;
export const RESEND_WINDOW_MS = HOUR;

/** Lines shown per page of the delivery log. */
export const LOG_PAGE_SIZE = 100;

/** Who reads the log: the operator (every endpoint) or an organisation's admin (its endpoints only). */
export type LogReader = { kind: 'operator' } | { kind: 'org'; orgId: string };

const ID = /^dlv_[\w-]{1,200}$/;
const RECIPIENT = /^[\w-]{1,200}$/;

/**
 * The newest deliveries the reader may see (at most {@link LOG_PAGE_SIZE}), newest first; `recipient` narrows
 * to one endpoint (ignored when malformed). No body, no secret: kind, endpoint, event, status, attempts,
 * next attempt, last error (a status line or network error, never a response body).
 */
export async function readDeliveryLog(
  deps: Pick<Deps, 'db'>,
  reader: LogReader,
  recipient?: string,
): Promise<DeliveryLogRow[]> {
  return listDeliveryLog(deps.db, {
    orgId: reader.kind === 'org' ? reader.orgId : undefined,
    recipient: recipient && RECIPIENT.test(recipient) ? recipient : undefined,
    limit: LOG_PAGE_SIZE,
  });
}

/**
 * "Send again": a new delivery with the same payload and the same `webhook-id` (a webhook) or `jti` (a SET,
 * a logout token) as delivery `id`, due now, behind the endpoint's other deliveries. At most
 * {@link RESENDS_PER_ENDPOINT} per endpoint per hour, counted atomically across instances.
 *
 * Errors: `request.not_found` (no such delivery, or not the reader's organisation's), `request.rate_limited`
 * (the endpoint's budget is spent; `seconds` to wait).
 */
export async function resendDelivery(
  deps: Pick<Deps, 'db' | 'clock' | 'random' | 'limiter'>,
  reader: LogReader,
  id: unknown,
): Promise<{ id: string }> {
  if (typeof id !== 'string' || !ID.test(id)) fail('request.not_found');
  const orgId = reader.kind === 'org' ? reader.orgId : undefined;
  const source = await findResendSource(deps.db, id, orgId);
  if (!source) fail('request.not_found');
  const now = deps.clock.now();
  const taken = await deps.limiter.take(
    `apps:resend:${source.recipient}`,
    RESENDS_PER_ENDPOINT,
    RESEND_WINDOW_MS,
    now,
  );
  if (!taken.allowed) fail('request.rate_limited', { seconds: retrySeconds(taken.retryAfterMs) });
  const headers: Record<string, string> =
    typeof source.headers === 'string' ? JSON.parse(source.headers) : source.headers;
  const copy = newId(deps.random, 'dlv');
  await deps.db.tx(async (tx) => {
    await insertAppDelivery(tx, {
      id: copy,
      reference: newId(deps.random, 'msg'),
      accountId: source.account_id,
      orgId: source.org_id,
      kind: source.kind,
      recipient: source.recipient,
      eventType: source.event_type,
      bodyText: source.body_text,
      headers: { ...headers, 'resend-of': source.id },
      now,
    });
    await signalAfterCommit(tx, 'app_deliveries');
  });
  return { id: copy };
}
