import type { Locale } from '../kernel/context.ts';
import type { Sql } from '../kernel/sql.ts';
import type { EvidenceResult } from './scoring.ts';

/**
 * The store of the account recovery form (tables `recovery_requests`, `past_contacts`,
 * `recovery_pow_spent`). Only this file reads or writes them. A request is found by the SHA-256 of its
 * flow token (`flow_hash`) while it is a draft, and by the SHA-256 of its one-time link once approved.
 */

/** A recovery request as stored. */
export interface RequestRow {
  id: string;
  flow_hash: string;
  account_id: string | null;
  account_key: string;
  contact_email: string;
  contact_key: string;
  locale: Locale;
  challenge_id: string | null;
  contact_verified_at: Date | null;
  status: 'draft' | 'review' | 'approved' | 'denied';
  score: number | null;
  evidence: EvidenceResult | Record<string, never>;
  decided_by: string | null;
  decision_reason: string | null;
  decided_at: Date | null;
  created_at: Date;
  expires_at: Date;
  submitted_at: Date | null;
  due_at: Date | null;
  reset_expires_at: Date | null;
  reset_used_at: Date | null;
  country: string;
}

/** The request of a flow (whatever its status), or null; `forUpdate` locks its row. */
export async function findRequestByFlow(
  sql: Sql,
  flowHash: string,
  forUpdate = false,
): Promise<RequestRow | null> {
  const rows = await sql.query<RequestRow>(
    `SELECT * FROM recovery_requests WHERE flow_hash = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [flowHash],
  );
  return rows[0] ?? null;
}

/**
 * How many requests were submitted after `since` for one account (`account_key`) or from one contact
 * mailbox (`contact_mailbox`).
 */
export async function countSubmittedSince(
  sql: Sql,
  column: 'account_key' | 'contact_mailbox',
  key: string,
  since: Date,
): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM recovery_requests WHERE ${column} = $1 AND submitted_at > $2`,
    [key, since],
  );
  return rows[0]?.n ?? 0;
}

/** A new draft request (step 1). `stamp`: the account's security stamp (text), null without an account. */
export async function insertDraftRequest(
  tx: Sql,
  r: {
    id: string;
    flowHash: string;
    accountId: string | null;
    accountKey: string;
    contactEmail: string;
    contactKey: string;
    locale: Locale;
    challengeId: string;
    createdAt: Date;
    expiresAt: Date;
    ip: string;
    userAgent: string;
    country: string;
    stamp: string | null;
    contactMailbox: string;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO recovery_requests (id, flow_hash, account_id, account_key, contact_email, contact_key, locale,
         challenge_id, status, created_at, expires_at, ip, user_agent, country, stamp, contact_mailbox)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', $9, $10, $11, $12, $13, $14::bigint, $15)`,
    [
      r.id,
      r.flowHash,
      r.accountId,
      r.accountKey,
      r.contactEmail,
      r.contactKey,
      r.locale,
      r.challengeId,
      r.createdAt,
      r.expiresAt,
      r.ip,
      r.userAgent,
      r.country,
      r.stamp,
      r.contactMailbox,
    ],
  );
}

/** The contact email of the request was proved with its code. */
export async function markContactVerified(tx: Sql, id: string, at: Date): Promise<void> {
  await tx.query('UPDATE recovery_requests SET contact_verified_at = $2 WHERE id = $1', [id, at]);
}

/** The evidence is in: the request goes to review, with its score, evidence and where it was sent from. */
export async function submitRequest(
  tx: Sql,
  id: string,
  s: {
    score: number;
    evidence: EvidenceResult;
    submittedAt: Date;
    dueAt: Date;
    country: string;
    ip: string;
    userAgent: string;
  },
): Promise<void> {
  await tx.query(
    `UPDATE recovery_requests SET status = 'review', score = $2, evidence = $3, submitted_at = $4, due_at = $5,
         country = $6, ip = $7, user_agent = $8 WHERE id = $1`,
    [id, s.score, JSON.stringify(s.evidence), s.submittedAt, s.dueAt, s.country, s.ip, s.userAgent],
  );
}

/** The security stamp (text) the request stands for; null without an account or request. */
export async function requestStamp(tx: Sql, id: string): Promise<string | null> {
  const rows = await tx.query<{ stamp: string | null }>(
    'SELECT stamp::text AS stamp FROM recovery_requests WHERE id = $1',
    [id],
  );
  return rows[0]?.stamp ?? null;
}

/**
 * Decides a request still under review (one conditional `UPDATE … RETURNING`: one decision wins). An
 * approval stores the SHA-256 of its one-time link and when the link expires. False when the request was
 * no longer under review.
 */
export async function decideRequest(
  tx: Sql,
  id: string,
  d: {
    status: 'approved' | 'denied';
    decidedBy: string;
    reason: string;
    at: Date;
    linkHash: string | null;
    linkExpiresAt: Date | null;
  },
): Promise<boolean> {
  const updated = await tx.query(
    `UPDATE recovery_requests SET status = $2, decided_by = $3, decision_reason = $4, decided_at = $5,
       reset_token_hash = $6, reset_expires_at = $7
     WHERE id = $1 AND status = 'review' RETURNING id`,
    [id, d.status, d.decidedBy, d.reason, d.at, d.linkHash, d.linkExpiresAt],
  );
  return updated.length > 0;
}

/** An approved request as its one-time link finds it. */
export interface ApprovedRow {
  id: string;
  account_id: string | null;
  contact_email: string;
  reset_expires_at: Date | null;
  reset_used_at: Date | null;
  stamp: string | null;
}

/** The approved request of a one-time link (by the SHA-256 of the link token), or null; may lock it. */
export async function findApprovedByLink(
  sql: Sql,
  linkHash: string,
  forUpdate = false,
): Promise<ApprovedRow | null> {
  const rows = await sql.query<ApprovedRow>(
    `SELECT id, account_id, contact_email, reset_expires_at, reset_used_at, stamp::text AS stamp FROM recovery_requests
       WHERE reset_token_hash = $1 AND status = 'approved'${forUpdate ? ' FOR UPDATE' : ''}`,
    [linkHash],
  );
  return rows[0] ?? null;
}

/** The one-time link was used: it never works again. */
export async function markLinkUsed(tx: Sql, id: string, at: Date): Promise<void> {
  await tx.query('UPDATE recovery_requests SET reset_used_at = $2 WHERE id = $1', [id, at]);
}

/** Records a past contact (keyed hash). Idempotent: a second call only moves `last_seen_at`. */
export async function upsertPastContact(
  tx: Sql,
  accountId: string,
  kind: 'email' | 'phone',
  valueHmac: string,
  now: Date,
): Promise<void> {
  await tx.query(
    `INSERT INTO past_contacts (account_id, kind, value_hmac, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)
     ON CONFLICT (account_id, kind, value_hmac) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at`,
    [accountId, kind, valueHmac, now],
  );
}

/** Whether the account has (or had) a contact with this keyed hash. */
export async function hasPastContact(
  sql: Sql,
  accountId: string,
  kind: 'email' | 'phone',
  valueHmac: string,
): Promise<boolean> {
  const rows = await sql.query(
    'SELECT 1 FROM past_contacts WHERE account_id = $1 AND kind = $2 AND value_hmac = $3',
    [accountId, kind, valueHmac],
  );
  return rows.length > 0;
}

/**
 * Spends a proof-of-work salt, kept until `expiresAt`: true the first time, false if it was already spent
 * (one atomic `INSERT … ON CONFLICT DO NOTHING RETURNING`: of concurrent spends exactly one wins).
 */
export async function spendPowSalt(sql: Sql, salt: string, expiresAt: Date): Promise<boolean> {
  const spent = await sql.query(
    'INSERT INTO recovery_pow_spent (salt, expires_at) VALUES ($1, $2) ON CONFLICT (salt) DO NOTHING RETURNING salt',
    [salt, expiresAt],
  );
  return spent.length > 0;
}

// --- used by operator (console-service.ts: the review queue)

/** Requests waiting for a reviewer, the closest deadline first (at most 200). */
export async function listRequestsInReview(sql: Sql): Promise<RequestRow[]> {
  return sql.query<RequestRow>(
    `SELECT * FROM recovery_requests WHERE status = 'review' ORDER BY due_at, id LIMIT 200`,
  );
}

/** The latest decided (approved or denied) requests, newest decision first (at most 50). */
export async function listDecidedRequests(sql: Sql): Promise<RequestRow[]> {
  return sql.query<RequestRow>(
    `SELECT * FROM recovery_requests WHERE status IN ('approved', 'denied') ORDER BY decided_at DESC, id LIMIT 50`,
  );
}

/** A submitted (not draft) request by id. */
export async function findSubmittedRequest(sql: Sql, id: string): Promise<RequestRow | undefined> {
  return (
    await sql.query<RequestRow>(`SELECT * FROM recovery_requests WHERE id = $1 AND status <> 'draft'`, [id])
  )[0];
}

/** A request waiting for review, locked until the transaction ends. */
export async function lockRequestInReview(sql: Sql, id: string): Promise<RequestRow | undefined> {
  return (
    await sql.query<RequestRow>(
      `SELECT * FROM recovery_requests WHERE id = $1 AND status = 'review' FOR UPDATE`,
      [id],
    )
  )[0];
}

// --- used by storage (housekeeping.ts: expired rows)

/** Forgets the spent proof-of-work puzzles that expired before `now`; returns how many. */
export async function deleteExpiredPowSpent(sql: Sql, now: Date): Promise<number> {
  return (await sql.query('DELETE FROM recovery_pow_spent WHERE expires_at < $1 RETURNING 1', [now])).length;
}

/** Deletes the draft requests that expired before `before`; returns how many. */
export async function deleteExpiredDraftRequests(sql: Sql, before: Date): Promise<number> {
  return (
    await sql.query("DELETE FROM recovery_requests WHERE status = 'draft' AND expires_at < $1 RETURNING 1", [
      before,
    ])
  ).length;
}
