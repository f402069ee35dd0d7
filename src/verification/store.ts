import type { Sql } from '../kernel/sql.ts';

// --- used by abuse

/** Entries of the send ledger (`code_sends`) under `key` after `since`: how many, the latest and the oldest. */
export async function sendLedgerWindow(
  sql: Sql,
  key: string,
  since: Date,
): Promise<{ n: number; last: Date | null; oldest: Date | null } | undefined> {
  return (
    await sql.query<{ n: number; last: Date | null; oldest: Date | null }>(
      `SELECT count(*)::int AS n, max(sent_at) AS last, min(sent_at) AS oldest FROM code_sends
         WHERE destination_key = $1 AND sent_at > $2`,
      [key, since],
    )
  )[0];
}

/** Records one send-ledger entry at `at` under each of `keys` (one statement). */
export async function recordSends(sql: Sql, keys: string[], at: Date): Promise<void> {
  const values = keys.map((_, i) => `($1, $${i + 2})`).join(', ');
  await sql.query(`INSERT INTO code_sends (sent_at, destination_key) VALUES ${values}`, [at, ...keys]);
}

/** When the latest send-ledger entry under `key` was made, or undefined. */
export async function lastSendAt(sql: Sql, key: string): Promise<Date | undefined> {
  return (
    await sql.query<{ sent_at: Date }>(
      'SELECT sent_at FROM code_sends WHERE destination_key = $1 ORDER BY sent_at DESC LIMIT 1',
      [key],
    )
  )[0]?.sent_at;
}

// --- used by housekeeping

/** Deletes the challenges whose code expired, and lock ended, before `before`; returns how many. */
export async function deleteExpiredChallenges(sql: Sql, before: Date): Promise<number> {
  return (
    await sql.query(
      'DELETE FROM challenges WHERE code_expires_at < $1 AND (locked_until IS NULL OR locked_until < $1) RETURNING 1',
      [before],
    )
  ).length;
}

/** Deletes the send-ledger entries made before `before`; returns how many. */
export async function deleteExpiredCodeSends(sql: Sql, before: Date): Promise<number> {
  return (await sql.query('DELETE FROM code_sends WHERE sent_at < $1 RETURNING 1', [before])).length;
}
