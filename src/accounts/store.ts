import type { Locale } from '../kernel/context.ts';
import type { Sql } from '../kernel/sql.ts';

// --- used by notices

/** The language of an account, or undefined when it does not exist. */
export async function findAccountLocale(sql: Sql, id: string): Promise<{ locale: string } | undefined> {
  return (await sql.query<{ locale: string }>('SELECT locale FROM accounts WHERE id = $1', [id]))[0];
}

/** An account a notice goes to: its primary address, name, language and phrase. */
export interface NoticeRecipientRow {
  id: string;
  email: string;
  display_name: string;
  locale: Locale;
  time_zone: string;
  personal_phrase: string;
}

/**
 * Accounts with a confirmed email that existed at `createdBefore`, after `after` in id order (all when
 * null), at most `limit`.
 */
export async function listNoticeRecipients(
  sql: Sql,
  createdBefore: Date | null,
  after: string | null,
  limit: number,
): Promise<NoticeRecipientRow[]> {
  return sql.query<NoticeRecipientRow>(
    `SELECT a.id, a.email, a.display_name, a.locale, a.time_zone, a.personal_phrase FROM accounts a
     WHERE a.email_confirmed_at IS NOT NULL AND a.created_at <= $1 AND ($2::text IS NULL OR a.id > $2::text)
     ORDER BY a.id LIMIT $3`,
    [createdBefore, after, limit],
  );
}

// --- used by checkup

/** When the account was created and last confirmed its security info (null: never), or undefined. */
export async function findInfoConfirmation(
  sql: Sql,
  accountId: string,
): Promise<{ created_at: Date; info_confirmed_at: Date | null } | undefined> {
  return (
    await sql.query<{ created_at: Date; info_confirmed_at: Date | null }>(
      'SELECT created_at, info_confirmed_at FROM accounts WHERE id = $1',
      [accountId],
    )
  )[0];
}

/** Records that the owner confirmed their security info at `at`; false when the account does not exist. */
export async function markInfoConfirmed(sql: Sql, accountId: string, at: Date): Promise<boolean> {
  const acc = await sql.query('UPDATE accounts SET info_confirmed_at = $2 WHERE id = $1 RETURNING id', [
    accountId,
    at,
  ]);
  return acc.length > 0;
}

/** An account due for the periodic reminder; `base` is its last confirmation (or creation). */
export interface ReminderRow {
  id: string;
  email: string;
  display_name: string;
  locale: Locale;
  time_zone: string;
  personal_phrase: string;
  base: Date;
}

/**
 * Up to `batch` accounts (id order) with a confirmed email whose last confirmation is at or before
 * `dueBefore` and that were not reminded since then (or not since `dueBefore`); rows locked, SKIP LOCKED so
 * several instances share the work.
 */
export async function lockAccountsDueForReminder(
  sql: Sql,
  dueBefore: Date,
  batch: number,
): Promise<ReminderRow[]> {
  return sql.query<ReminderRow>(
    `SELECT id, email, display_name, locale, time_zone, personal_phrase,
                COALESCE(info_confirmed_at, created_at) AS base
         FROM accounts
         WHERE email_confirmed_at IS NOT NULL
           AND COALESCE(info_confirmed_at, created_at) <= $1
           AND (periodic_reminded_at IS NULL OR periodic_reminded_at <= COALESCE(info_confirmed_at, created_at)
                OR periodic_reminded_at <= $1)
         ORDER BY id
         LIMIT $2
         FOR UPDATE SKIP LOCKED`,
    [dueBefore, batch],
  );
}

/** Records that the periodic reminder was sent to the account at `at`. */
export async function markReminded(sql: Sql, accountId: string, at: Date): Promise<void> {
  await sql.query('UPDATE accounts SET periodic_reminded_at = $2 WHERE id = $1', [accountId, at]);
}

// --- used by storage

/** How many accounts hold a recovery code. */
export async function countRecoveryCodes(sql: Sql): Promise<number> {
  const codes = await sql.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM accounts WHERE recovery_code_hash IS NOT NULL',
  );
  return codes[0]?.n ?? 0;
}
