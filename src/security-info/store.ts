import type { Sql } from '../kernel/sql.ts';

// --- used by recovery, recovery-form

/** Whether `methodId` is an authenticator app (TOTP) method, of whatever account. */
export async function isTotpMethod(sql: Sql, methodId: string): Promise<boolean> {
  const rows = await sql.query(`SELECT 1 FROM security_methods WHERE id = $1 AND kind = 'totp'`, [methodId]);
  return rows.length > 0;
}

/** Records that a method was just used to prove the account (`last_used_at`); no row, no change. */
export async function markMethodUsed(tx: Sql, methodId: string, at: Date): Promise<void> {
  await tx.query('UPDATE security_methods SET last_used_at = $2 WHERE id = $1', [methodId, at]);
}

/** Whether the account has a verified email or phone method with this value key (lower-cased address, E.164). */
export async function hasVerifiedContact(
  sql: Sql,
  accountId: string,
  kind: 'email' | 'phone',
  valueKey: string,
): Promise<boolean> {
  const rows = await sql.query(
    `SELECT 1 FROM security_methods WHERE account_id = $1 AND kind = $2 AND value_key = $3 AND verified_at IS NOT NULL`,
    [accountId, kind, valueKey],
  );
  return rows.length > 0;
}

/** The account's verified contact emails and phones, as stored (address or E.164), in no particular order. */
export async function verifiedContactValues(
  sql: Sql,
  accountId: string,
): Promise<{ kind: 'email' | 'phone'; value: string }[]> {
  return sql.query<{ kind: 'email' | 'phone'; value: string }>(
    `SELECT kind, value FROM security_methods WHERE account_id = $1 AND kind IN ('email', 'phone') AND verified_at IS NOT NULL`,
    [accountId],
  );
}
