import type { Sql } from '../kernel/sql.ts';

// --- used by recovery, replacement, recovery-form

/**
 * Locks the account row until the end of the transaction (`SELECT … FOR UPDATE`); nothing is read. The lock
 * every change of security info takes first, so transactions that also lock a replacement queue instead of
 * deadlocking. A missing account locks nothing.
 */
export async function lockAccount(tx: Sql, accountId: string): Promise<void> {
  await tx.query('SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE', [accountId]);
}

/** The account's security stamp as text (it is a bigint), or null when there is no such account. */
export async function securityStampOf(sql: Sql, accountId: string): Promise<string | null> {
  const rows = await sql.query<{ stamp: string }>(
    'SELECT security_stamp::text AS stamp FROM accounts WHERE id = $1',
    [accountId],
  );
  return rows[0]?.stamp ?? null;
}

/** When the account's current recovery code was made (null: never, or no such account). */
export async function recoveryCodeCreatedAt(sql: Sql, accountId: string): Promise<Date | null> {
  const rows = await sql.query<{ recovery_code_created_at: Date | null }>(
    'SELECT recovery_code_created_at FROM accounts WHERE id = $1',
    [accountId],
  );
  return rows[0]?.recovery_code_created_at ?? null;
}

/** The password hashes of the account's history, newest first, at most 6 (the current one included). */
export async function recentPasswordHashes(sql: Sql, accountId: string): Promise<string[]> {
  const rows = await sql.query<{ password_hash: string }>(
    'SELECT password_hash FROM password_history WHERE account_id = $1 ORDER BY created_at DESC LIMIT 6',
    [accountId],
  );
  return rows.map((r) => r.password_hash);
}
