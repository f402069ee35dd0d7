import { DAY } from '../kernel/clock.ts';
import type { Sql } from '../kernel/sql.ts';

/**
 * The store of replacements of security info (tables `replacements`, `replacement_items`,
 * `replacement_reminders`, `replacement_tokens`). Only this file reads or writes them. Lock order: a
 * transaction that locks a replacement row has locked its account row first.
 */

/**
 * How long new security info waits before it replaces the old info. 30 days; an operator may change it
 * with REPLACEMENT_WAIT_DAYS (read once, at start). The owner can never shorten it, except with a
 * valid recovery code.
 */
export const REPLACEMENT_DAYS = (() => {
  const raw = process.env.REPLACEMENT_WAIT_DAYS;
  const n = raw ? Number(raw) : 30;
  return Number.isInteger(n) && n >= 1 && n <= 365 ? n : 30;
})();
export const REPLACEMENT_WAIT_MS = REPLACEMENT_DAYS * DAY;

/** Days of the wait on which the old contacts are reminded (day 0 is the notice sent at once). */
export const REMINDER_DAYS: readonly number[] = [1, 7, 21, 28].filter((d) => d < REPLACEMENT_DAYS);

export type ReplacementStatus = 'draft' | 'pending' | 'cancelled' | 'completed';
export type ReplacementSource = 'self' | 'recovery_form';

export interface ReplacementItem {
  id: string;
  kind: 'email' | 'phone';
  value: string;
  valueKey: string;
  verifiedAt: Date | null;
  createdAt: Date;
}

export interface Replacement {
  id: string;
  accountId: string;
  status: ReplacementStatus;
  source: ReplacementSource;
  createdAt: Date;
  startedAt: Date | null;
  effectiveAt: Date | null;
  items: ReplacementItem[];
}

export interface ReplacementRow {
  id: string;
  account_id: string;
  status: ReplacementStatus;
  source: ReplacementSource;
  created_at: Date;
  started_at: Date | null;
  effective_at: Date | null;
}

interface ItemRow {
  id: string;
  kind: 'email' | 'phone';
  value: string;
  value_key: string;
  verified_at: Date | null;
  created_at: Date;
}

/** The items of a replacement, by kind, then oldest first. */
export async function itemsOf(sql: Sql, replacementId: string): Promise<ReplacementItem[]> {
  const rows = await sql.query<ItemRow>(
    'SELECT * FROM replacement_items WHERE replacement_id = $1 ORDER BY kind, created_at, id',
    [replacementId],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    value: r.value,
    valueKey: r.value_key,
    verifiedAt: r.verified_at,
    createdAt: r.created_at,
  }));
}

/** A stored replacement row with its items. */
export async function toReplacement(sql: Sql, r: ReplacementRow): Promise<Replacement> {
  return {
    id: r.id,
    accountId: r.account_id,
    status: r.status,
    source: r.source,
    createdAt: r.created_at,
    startedAt: r.started_at,
    effectiveAt: r.effective_at,
    items: await itemsOf(sql, r.id),
  };
}

/** The account's draft or pending replacement, with its items (null when there is none). */
export async function findReplacement(
  sql: Sql,
  accountId: string,
  status: 'draft' | 'pending',
  forUpdate = false,
): Promise<Replacement | null> {
  const rows = await sql.query<ReplacementRow>(
    `SELECT * FROM replacements WHERE account_id = $1 AND status = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [accountId, status],
  );
  return rows[0] ? toReplacement(sql, rows[0]) : null;
}

/** Creates the owner's draft (source `self`, no items yet). */
export async function insertDraft(tx: Sql, id: string, accountId: string, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO replacements (id, account_id, status, source, created_at) VALUES ($1, $2, 'draft', 'self', $3)`,
    [id, accountId, now],
  );
}

/** Adds an unverified item to a draft. `valueKey`: the lower-cased address or the E.164 number. */
export async function insertItem(
  tx: Sql,
  item: { id: string; replacementId: string; kind: 'email' | 'phone'; value: string; valueKey: string },
  now: Date,
): Promise<void> {
  await tx.query(
    `INSERT INTO replacement_items (id, replacement_id, kind, value, value_key, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
    [item.id, item.replacementId, item.kind, item.value, item.valueKey, now],
  );
}

/** Adds an item already verified at `now` (new info proved elsewhere, e.g. by the recovery form). */
export async function insertVerifiedItem(
  tx: Sql,
  item: { id: string; replacementId: string; kind: 'email' | 'phone'; value: string; valueKey: string },
  now: Date,
): Promise<void> {
  await tx.query(
    `INSERT INTO replacement_items (id, replacement_id, kind, value, value_key, verified_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)`,
    [item.id, item.replacementId, item.kind, item.value, item.valueKey, now],
  );
}

/** The item's code was entered: it is verified new info. */
export async function markItemVerified(tx: Sql, itemId: string, at: Date): Promise<void> {
  await tx.query('UPDATE replacement_items SET verified_at = $2 WHERE id = $1', [itemId, at]);
}

/** Removes one item. */
export async function deleteItem(tx: Sql, itemId: string): Promise<void> {
  await tx.query('DELETE FROM replacement_items WHERE id = $1', [itemId]);
}

/** Removes the account's draft (its items go with it, ON DELETE CASCADE). */
export async function deleteDraft(tx: Sql, accountId: string): Promise<void> {
  await tx.query(`DELETE FROM replacements WHERE account_id = $1 AND status = 'draft'`, [accountId]);
}

/** Drops the items of a replacement that were never verified. */
export async function deleteUnverifiedItems(tx: Sql, replacementId: string): Promise<void> {
  await tx.query('DELETE FROM replacement_items WHERE replacement_id = $1 AND verified_at IS NULL', [
    replacementId,
  ]);
}

/**
 * Inserts a replacement that is pending at once (`started_at` and `effective_at` are `now` until
 * `markPending` sets the wait); an own draft of the owner, if any, stays apart.
 */
export async function insertPending(
  tx: Sql,
  id: string,
  accountId: string,
  source: ReplacementSource,
  now: Date,
): Promise<void> {
  await tx.query(
    `INSERT INTO replacements (id, account_id, status, source, created_at, started_at, effective_at)
     VALUES ($1, $2, 'pending', $3, $4, $4, $4)`,
    [id, accountId, source, now],
  );
}

/**
 * Starts the wait: status pending, started now, effective at `effectiveAt`, issued against the account's
 * security stamp `stamp` (bigint as text; it takes effect only if the account is still in that state).
 */
export async function markPending(
  tx: Sql,
  id: string,
  w: { source: ReplacementSource; startedAt: Date; effectiveAt: Date; stamp: string | null },
): Promise<void> {
  await tx.query(
    `UPDATE replacements SET status = 'pending', source = $2, started_at = $3, effective_at = $4, stamp = $5::bigint
     WHERE id = $1`,
    [id, w.source, w.startedAt, w.effectiveAt, w.stamp],
  );
}

/** Records reminder day 0 (the notice sent when the wait starts). */
export async function recordStartNotice(tx: Sql, replacementId: string, now: Date): Promise<void> {
  await tx.query('INSERT INTO replacement_reminders (replacement_id, day, sent_at) VALUES ($1, 0, $2)', [
    replacementId,
    now,
  ]);
}

/**
 * Records the reminder `days` of a replacement as sent at `now`; days already recorded are skipped (ON
 * CONFLICT DO NOTHING, so two instances never both record a day). Returns the days this call recorded.
 */
export async function recordReminders(
  tx: Sql,
  replacementId: string,
  days: readonly number[],
  now: Date,
): Promise<number[]> {
  const inserted = await tx.query<{ day: number }>(
    `INSERT INTO replacement_reminders (replacement_id, day, sent_at)
         SELECT $1, d, $3 FROM unnest($2::int[]) AS d ON CONFLICT DO NOTHING RETURNING day`,
    [replacementId, [...days], now],
  );
  return inserted.map((i) => i.day);
}

/**
 * Cancels the replacement if it is still pending (one conditional `UPDATE … RETURNING`: at most one caller
 * wins). Returns its account id, or null when it was not pending.
 */
export async function cancelIfPending(tx: Sql, id: string, now: Date, how: string): Promise<string | null> {
  const rows = await tx.query<{ account_id: string }>(
    `UPDATE replacements SET status = 'cancelled', ended_at = $2, ended_how = $3
     WHERE id = $1 AND status = 'pending' RETURNING account_id`,
    [id, now, how],
  );
  return rows[0]?.account_id ?? null;
}

/**
 * Completes the replacement if it is still pending (one conditional `UPDATE … RETURNING`: it takes effect
 * at most once). Returns the completed row, or null.
 */
export async function completeIfPending(
  tx: Sql,
  id: string,
  now: Date,
  how: string,
): Promise<ReplacementRow | null> {
  const rows = await tx.query<ReplacementRow>(
    `UPDATE replacements SET status = 'completed', ended_at = $2, ended_how = $3
     WHERE id = $1 AND status = 'pending' RETURNING *`,
    [id, now, how],
  );
  return rows[0] ?? null;
}

/** The account of a replacement and the security stamp it was started against (text), or null. */
export async function replacementTarget(
  tx: Sql,
  id: string,
): Promise<{ account_id: string; stamp: string | null } | null> {
  const rows = await tx.query<{ account_id: string; stamp: string | null }>(
    'SELECT account_id, stamp::text AS stamp FROM replacements WHERE id = $1',
    [id],
  );
  return rows[0] ?? null;
}

/** When the account's pending replacement takes effect, or null when none is pending. */
export async function pendingEffectiveAt(sql: Sql, accountId: string): Promise<Date | null> {
  const rows = await sql.query<{ effective_at: Date }>(
    `SELECT effective_at FROM replacements WHERE account_id = $1 AND status = 'pending'`,
    [accountId],
  );
  return rows[0]?.effective_at ?? null;
}

/** Stores a cancel link: `tokenHash` is the SHA-256 of the token mailed (the token is not stored). */
export async function insertCancelToken(
  tx: Sql,
  tokenHash: string,
  replacementId: string,
  now: Date,
): Promise<void> {
  await tx.query('INSERT INTO replacement_tokens (id, replacement_id, created_at) VALUES ($1, $2, $3)', [
    tokenHash,
    replacementId,
    now,
  ]);
}

/** Voids every cancel link of the replacement. */
export async function deleteCancelTokens(tx: Sql, replacementId: string): Promise<void> {
  await tx.query('DELETE FROM replacement_tokens WHERE replacement_id = $1', [replacementId]);
}

/** A cancel link's replacement, as found by the SHA-256 of its token. */
export interface TokenRow {
  replacement_id: string;
  account_id: string;
  status: string;
  effective_at: Date | null;
}

/** The replacement a cancel link belongs to, or null; `forUpdate` locks the replacement row. */
export async function findByCancelToken(
  tx: Sql,
  tokenHash: string,
  forUpdate = false,
): Promise<TokenRow | null> {
  const rows = await tx.query<TokenRow>(
    `SELECT t.replacement_id, r.account_id, r.status, r.effective_at
     FROM replacement_tokens t JOIN replacements r ON r.id = t.replacement_id
     WHERE t.id = $1${forUpdate ? ' FOR UPDATE OF r' : ''}`,
    [tokenHash],
  );
  return rows[0] ?? null;
}

/** The pending replacement due first at `now` (effective_at reached), not locked; null when none is due. */
export async function nextDue(tx: Sql, now: Date): Promise<{ id: string; account_id: string } | null> {
  const rows = await tx.query<{ id: string; account_id: string }>(
    `SELECT id, account_id FROM replacements WHERE status = 'pending' AND effective_at <= $1
           ORDER BY effective_at, id LIMIT 1`,
    [now],
  );
  return rows[0] ?? null;
}

/** Locks the replacement if it is still pending and due at `now`; false when it ended meanwhile. */
export async function lockDue(tx: Sql, id: string, now: Date): Promise<boolean> {
  const rows = await tx.query<{ id: string }>(
    `SELECT id FROM replacements WHERE id = $1 AND status = 'pending' AND effective_at <= $2 FOR UPDATE`,
    [id, now],
  );
  return rows.length > 0;
}

/** A pending replacement with a reminder day due and not yet recorded. */
export interface ReminderDueRow {
  id: string;
  account_id: string;
  source: string;
  started_at: Date;
  effective_at: Date;
}

/**
 * One pending replacement (oldest first) that has a reminder day among `days` due at `now` and not yet
 * recorded; locked, skipping rows another instance holds (`FOR UPDATE SKIP LOCKED`). Null when none.
 */
export async function nextReminderDue(
  tx: Sql,
  now: Date,
  days: readonly number[],
): Promise<ReminderDueRow | null> {
  const rows = await tx.query<ReminderDueRow>(
    `SELECT r.id, r.account_id, r.source, r.started_at, r.effective_at FROM replacements r
           WHERE r.status = 'pending' AND r.effective_at > $1
             AND EXISTS (SELECT 1 FROM unnest($2::int[]) AS d(day)
                         WHERE r.started_at + d.day * interval '24 hours' <= $1
                           AND NOT EXISTS (SELECT 1 FROM replacement_reminders x
                                           WHERE x.replacement_id = r.id AND x.day = d.day))
           ORDER BY r.started_at, r.id LIMIT 1 FOR UPDATE SKIP LOCKED`,
    [now, [...days]],
  );
  return rows[0] ?? null;
}
