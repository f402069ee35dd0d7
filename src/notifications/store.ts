import type { Sql } from '../kernel/sql.ts';

/**
 * The tables the dispatcher delivers from: `outbox` (emails and SMS) and `app_deliveries` (webhooks, security
 * event tokens and back-channel logouts to applications, src/apps/), which share one shape (migration 0022).
 */
export type DeliveryTable = 'outbox' | 'app_deliveries';

/** The table name as SQL (only the two names above ever reach a statement). */
function tableName(t: DeliveryTable): string {
  return t === 'app_deliveries' ? 'app_deliveries' : 'outbox';
}

/**
 * The store of the notifications capability: every statement on `outbox` (the messages waiting to be sent,
 * sent, or parked). Timestamps are `Date`s; bodies are stored as given (the callers encrypt them).
 */

/** A message as written by {@link insertOutboxMessage}; `body_text`/`body_html` already encrypted. */
export interface OutboxInsert {
  id: string;
  reference: string;
  accountId: string | null;
  channel: 'email' | 'sms';
  kind: string;
  recipient: string;
  subject: string;
  bodyText: string;
  bodyHtml: string;
  /** Due time and creation time. */
  now: Date;
  headers: Record<string, string>;
  priority: number;
}

/** Writes one pending message (due at `now`). */
export async function insertOutboxMessage(sql: Sql, m: OutboxInsert, write = true): Promise<void> {
  // One statement whether or not it writes (`write` false: a rehearsal that stores nothing, for answers that
  // must cost the same for an address with no account).
  await sql.query(
    `INSERT INTO outbox (id, reference, account_id, channel, kind, recipient, subject, body_text, body_html, next_attempt_at,
       created_at, headers, priority)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10::timestamptz, $10::timestamptz, $11::jsonb, $12::smallint
     WHERE $13::boolean`,
    [
      m.id,
      m.reference,
      m.accountId,
      m.channel,
      m.kind,
      m.recipient,
      m.subject,
      m.bodyText,
      m.bodyHtml,
      m.now,
      JSON.stringify(m.headers),
      m.priority,
      write,
    ],
  );
}

/** Raises to `priority` every pending message to the same recipient (case-insensitive) that waits behind it. */
export async function raisePendingPriority(sql: Sql, recipient: string, priority: number): Promise<void> {
  await sql.query(
    `UPDATE outbox SET priority = $2
     WHERE lower(recipient) = lower($1) AND status = 'pending' AND priority > $2`,
    [recipient, priority],
  );
}

/** A message taken by {@link claimOutboxMessages}. */
export interface ClaimedRow {
  id: string;
  reference: string;
  /** `http`: a delivery to an application (table `app_deliveries`). */
  channel: 'email' | 'sms' | 'http';
  kind: string;
  recipient: string;
  subject: string;
  body_text: string;
  body_html: string;
  attempts: number;
  headers: Record<string, string> | string | null;
  lease_token: string;
  /** The previous attempt handed the message over and never recorded what happened. */
  outcome_unknown: boolean;
}

/**
 * Takes up to `n` due messages (pending and due, or sending with an expired lease and no attempt in flight),
 * each the oldest open one of its recipient, by priority then due time; marks them `sending` under
 * `leaseToken` until `leaseUntil` and counts an attempt. SKIP LOCKED: concurrent claims never share a row.
 */
export async function claimOutboxMessages(
  sql: Sql,
  now: Date,
  leaseUntil: Date,
  n: number,
  leaseToken: string,
  table: DeliveryTable = 'outbox',
): Promise<ClaimedRow[]> {
  const t = tableName(table);
  return sql.query<ClaimedRow>(
    `WITH picked AS (
         SELECT c.id, (c.status = 'sending' AND c.in_flight_until IS NOT NULL) AS outcome_unknown
         FROM ${t} c
         WHERE ((c.status = 'pending' AND c.next_attempt_at <= $1)
             OR (c.status = 'sending' AND c.lease_until <= $1
                 AND (c.in_flight_until IS NULL OR c.in_flight_until <= $1)))
           AND NOT EXISTS (
             SELECT 1 FROM ${t} e
             WHERE lower(e.recipient) = lower(c.recipient) AND e.seq < c.seq AND e.status IN ('pending', 'sending'))
         ORDER BY c.priority, c.next_attempt_at, c.seq
         LIMIT $3
         FOR UPDATE OF c SKIP LOCKED)
       UPDATE ${t} o SET status = 'sending', lease_until = $2, lease_token = $4, attempts = o.attempts + 1,
         in_flight_until = NULL,
         unknown_outcomes = o.unknown_outcomes + CASE WHEN picked.outcome_unknown THEN 1 ELSE 0 END
       FROM picked WHERE o.id = picked.id
       RETURNING o.id, o.reference, o.channel, o.kind, o.recipient, o.subject, o.body_text, o.body_html,
         o.attempts, o.headers, o.lease_token, picked.outcome_unknown`,
    [now, leaseUntil, n, leaseToken],
  );
}

/** Extends to `leaseUntil` the lease of every sending message held under one of `tokens`; returns their ids. */
export async function renewOutboxLeases(
  sql: Sql,
  leaseUntil: Date,
  tokens: string[],
  table: DeliveryTable = 'outbox',
): Promise<string[]> {
  const kept = await sql.query<{ id: string }>(
    `UPDATE ${tableName(table)} SET lease_until = $1
       WHERE status = 'sending' AND lease_token IN (${tokens.map((_, i) => `$${i + 2}`).join(', ')})
       RETURNING id`,
    [leaseUntil, ...tokens],
  );
  return kept.map((r) => r.id);
}

/** Records that the message is being handed over until `until`; false when the lease was lost. */
export async function markInFlight(
  sql: Sql,
  id: string,
  leaseToken: string,
  until: Date,
  table: DeliveryTable = 'outbox',
): Promise<boolean> {
  const marked = await sql.query(
    `UPDATE ${tableName(table)} SET in_flight_until = $3 WHERE id = $1 AND lease_token = $2 AND status = 'sending'
               RETURNING id`,
    [id, leaseToken, until],
  );
  return marked.length > 0;
}

/**
 * Marks the message sent at `now` while it still carries `leaseToken` (fencing); `scrub` empties the bodies
 * (one-time codes). False when another attempt holds it.
 */
export async function markSent(
  sql: Sql,
  id: string,
  leaseToken: string,
  now: Date,
  scrub: boolean,
  table: DeliveryTable = 'outbox',
): Promise<boolean> {
  const done = await sql.query(
    `UPDATE ${tableName(table)} SET status = 'sent', sent_at = $3, lease_until = NULL, lease_token = NULL,
           in_flight_until = NULL, last_error = NULL ${scrub ? ", body_text = '', body_html = ''" : ''}
         WHERE id = $1 AND lease_token = $2 RETURNING id`,
    [id, leaseToken, now],
  );
  return done.length > 0;
}

/** Counts one more attempt whose outcome is unknown. */
export async function countUnknownOutcome(
  sql: Sql,
  id: string,
  table: DeliveryTable = 'outbox',
): Promise<void> {
  await sql.query(`UPDATE ${tableName(table)} SET unknown_outcomes = unknown_outcomes + 1 WHERE id = $1`, [
    id,
  ]);
}

/**
 * Records a failed attempt while the message still carries `leaseToken`: back to `pending` (due at `next`)
 * or `parked`, with the error and `unknown` (0 or 1) added to unknown_outcomes. False when another attempt
 * holds it.
 */
export async function markFailed(
  sql: Sql,
  id: string,
  leaseToken: string,
  status: 'pending' | 'parked',
  next: Date,
  error: string,
  unknown: 0 | 1,
  table: DeliveryTable = 'outbox',
): Promise<boolean> {
  const recorded = await sql.query(
    `UPDATE ${tableName(table)} SET status = $3, next_attempt_at = $4, lease_until = NULL, lease_token = NULL,
           in_flight_until = NULL, last_error = $5, unknown_outcomes = unknown_outcomes + $6
         WHERE id = $1 AND lease_token = $2 RETURNING id`,
    [id, leaseToken, status, next, error, unknown],
  );
  return recorded.length > 0;
}

/** A message as listed on "messages we sent" (recipient in clear: the caller masks it). */
export interface SentMessageRow {
  reference: string;
  channel: 'email' | 'sms';
  kind: string;
  recipient: string;
  created_at: Date;
  status: 'pending' | 'sending' | 'sent' | 'parked';
}

/** The account's messages, newest first, at most `limit`. */
export async function listAccountMessages(
  sql: Sql,
  accountId: string,
  limit: number,
): Promise<SentMessageRow[]> {
  return sql.query<SentMessageRow>(
    `SELECT reference, channel, kind, recipient, created_at, status FROM outbox
     WHERE account_id = $1 ORDER BY created_at DESC, reference LIMIT $2`,
    [accountId, limit],
  );
}

/** Creation times of the messages with this reference (one row when it is ours). */
export async function findMessagesByReference(sql: Sql, reference: string): Promise<{ created_at: Date }[]> {
  return sql.query<{ created_at: Date }>('SELECT created_at FROM outbox WHERE reference = $1', [reference]);
}

// --- used by the composition root (app.ts: the outbox gauges of /metrics)

/** Messages waiting (pending or being sent), the age in seconds of the oldest of them at `now`, and parked ones. */
export async function outboxStats(
  sql: Sql,
  now: Date,
  table: DeliveryTable = 'outbox',
): Promise<{ pending: number; oldestPendingSeconds: number; parked: number }> {
  const r = (
    await sql.query<{ pending: number; oldest: Date | null; parked: number }>(
      `SELECT count(*) FILTER (WHERE status IN ('pending', 'sending'))::int AS pending,
              min(created_at) FILTER (WHERE status IN ('pending', 'sending')) AS oldest,
              count(*) FILTER (WHERE status = 'parked')::int AS parked
       FROM ${tableName(table)} WHERE status IN ('pending', 'sending', 'parked')`,
    )
  )[0];
  const oldest = r?.oldest ? Math.max(0, (now.getTime() - new Date(r.oldest).getTime()) / 1000) : 0;
  return { pending: r?.pending ?? 0, oldestPendingSeconds: oldest, parked: r?.parked ?? 0 };
}

// --- used by operator (console-service.ts: the parked messages)

/** A message the dispatcher gave up on (recipient in clear: the caller masks it). */
export interface ParkedRow {
  id: string;
  kind: string;
  channel: 'email' | 'sms';
  recipient: string;
  attempts: number;
  last_error: string | null;
  created_at: Date;
}

/** Parked messages, newest first, at most 200. */
export async function listParkedMessages(sql: Sql): Promise<ParkedRow[]> {
  return sql.query<ParkedRow>(
    `SELECT id, kind, channel, recipient, attempts, last_error, created_at FROM outbox WHERE status = 'parked'
     ORDER BY created_at DESC, id LIMIT 200`,
  );
}

/** Puts a parked message back in the queue, due at `now`; its id and kind, or undefined when not parked. */
export async function requeueParked(
  sql: Sql,
  id: string,
  now: Date,
): Promise<{ id: string; kind: string } | undefined> {
  const rows = await sql.query<{ id: string; kind: string }>(
    `UPDATE outbox SET status = 'pending', next_attempt_at = $2, lease_until = NULL
       WHERE id = $1 AND status = 'parked' RETURNING id, kind`,
    [id, now],
  );
  return rows[0];
}

// --- used by storage (rotate-secret.ts)

/**
 * Re-encrypts every stored body (messages not yet scrubbed) with `reencrypt`, rows locked, inside the
 * caller's transaction. Returns how many messages were rewritten.
 */
export async function reencryptOutboxBodies(
  sql: Sql,
  reencrypt: (sealed: string) => string,
): Promise<number> {
  const messages = await sql.query<{ id: string; body_text: string; body_html: string }>(
    `SELECT id, body_text, body_html FROM outbox WHERE body_text <> '' FOR UPDATE`,
  );
  for (const m of messages) {
    await sql.query('UPDATE outbox SET body_text = $2, body_html = $3 WHERE id = $1', [
      m.id,
      reencrypt(m.body_text),
      m.body_html ? reencrypt(m.body_html) : '',
    ]);
  }
  return messages.length;
}
