import type { Sql } from '../kernel/sql.ts';

// --- used by checkup

/** A verified method with the last time its owner confirmed it (null: never). */
export interface ConfirmableMethodRow {
  id: string;
  kind: 'email' | 'phone' | 'totp' | 'passkey';
  value: string;
  label: string;
  verified_at: Date;
  confirmed_at: Date | null;
}

/** The account's verified methods, by kind then age. */
export async function listVerifiedMethodsWithConfirmation(
  sql: Sql,
  accountId: string,
): Promise<ConfirmableMethodRow[]> {
  return sql.query<ConfirmableMethodRow>(
    `SELECT id, kind, value, label, verified_at, confirmed_at FROM security_methods
     WHERE account_id = $1 AND verified_at IS NOT NULL ORDER BY kind, created_at, id`,
    [accountId],
  );
}

/** Marks every verified method of the account confirmed at `at`; returns how many. */
export async function confirmVerifiedMethods(sql: Sql, accountId: string, at: Date): Promise<number> {
  const methods = await sql.query<{ id: string }>(
    `UPDATE security_methods SET confirmed_at = $2
       WHERE account_id = $1 AND verified_at IS NOT NULL RETURNING id`,
    [accountId, at],
  );
  return methods.length;
}

/** Kind, value and verification time of every method of the account (verified or not). */
export async function listMethodFacts(
  sql: Sql,
  accountId: string,
): Promise<{ kind: 'email' | 'phone' | 'totp' | 'passkey'; value: string; verified_at: Date | null }[]> {
  return sql.query('SELECT kind, value, verified_at FROM security_methods WHERE account_id = $1', [
    accountId,
  ]);
}

// --- used by storage

/**
 * Re-encrypts every authenticator-app secret with `reencrypt`, rows locked, inside the caller's
 * transaction. Returns how many.
 */
export async function reencryptTotpSecrets(sql: Sql, reencrypt: (sealed: string) => string): Promise<number> {
  const methods = await sql.query<{ id: string; secret_enc: string }>(
    `SELECT id, secret_enc FROM security_methods WHERE kind = 'totp' AND secret_enc IS NOT NULL FOR UPDATE`,
  );
  for (const m of methods) {
    await sql.query('UPDATE security_methods SET secret_enc = $2 WHERE id = $1', [
      m.id,
      reencrypt(m.secret_enc),
    ]);
  }
  return methods.length;
}

// --- used by housekeeping

/** Deletes passkey ceremonies that expired before `before`; returns how many. */
export async function deleteExpiredWebauthnChallenges(sql: Sql, before: Date): Promise<number> {
  return (await sql.query('DELETE FROM webauthn_challenges WHERE expires_at < $1 RETURNING 1', [before]))
    .length;
}
