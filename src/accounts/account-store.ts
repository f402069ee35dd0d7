import type { Deps } from '../deps.ts';
import type { Locale } from '../kernel/context.ts';
import { sessionsChanged } from '../sessions/sessions.ts';
import type { Sql } from '../storage/db.ts';

export interface Account {
  id: string;
  email: string;
  emailKey: string;
  displayName: string;
  locale: Locale;
  timeZone: string;
  passwordHash: string;
  passwordChangedAt: Date;
  emailConfirmedAt: Date | null;
  createdAt: Date;
  twoStepEnabled: boolean;
  personalPhrase: string;
  recoveryCodeCreatedAt: Date | null;
  /** The security stamp (decimal string): the version of the password and security info. */
  securityStamp: string;
}

interface Row {
  id: string;
  email: string;
  email_key: string;
  display_name: string;
  locale: Locale;
  time_zone: string;
  password_hash: string;
  password_changed_at: Date;
  email_confirmed_at: Date | null;
  created_at: Date;
  two_step_enabled: boolean;
  personal_phrase: string;
  recovery_code_created_at: Date | null;
  security_stamp: string | number | bigint;
}

const toAccount = (r: Row): Account => ({
  id: r.id,
  email: r.email,
  emailKey: r.email_key,
  displayName: r.display_name,
  locale: r.locale,
  timeZone: r.time_zone,
  passwordHash: r.password_hash,
  passwordChangedAt: r.password_changed_at,
  emailConfirmedAt: r.email_confirmed_at,
  createdAt: r.created_at,
  twoStepEnabled: r.two_step_enabled,
  personalPhrase: r.personal_phrase,
  recoveryCodeCreatedAt: r.recovery_code_created_at,
  securityStamp: String(r.security_stamp),
});

export async function findAccountByKey(
  sql: Sql,
  emailKey: string,
  forUpdate = false,
): Promise<Account | null> {
  const rows = await sql.query<Row>(
    `SELECT * FROM accounts WHERE email_key = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [emailKey],
  );
  return rows[0] ? toAccount(rows[0]) : null;
}

export async function findAccountById(sql: Sql, id: string, forUpdate = false): Promise<Account | null> {
  const rows = await sql.query<Row>(`SELECT * FROM accounts WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [
    id,
  ]);
  return rows[0] ? toAccount(rows[0]) : null;
}

/**
 * The account's security stamp, with the row locked until `tx` ends: call it at the moment a pending
 * flow or code completes, compare it with the stamp the flow was issued against, and act in the same
 * transaction, so no change of password or security info can slip between the check and the act.
 * Null when the account does not exist.
 */
export async function lockStamp(tx: Sql, accountId: string): Promise<string | null> {
  const rows = await tx.query<{ stamp: string }>(
    'SELECT security_stamp::text AS stamp FROM accounts WHERE id = $1 FOR UPDATE',
    [accountId],
  );
  return rows[0]?.stamp ?? null;
}

/**
 * A change of password or security info: the security stamp moves on, so every flow, code and step-up
 * issued against the old one is refused from now on (docs/security.md, "Stale flows"). The session that
 * made the change (`bySession`) keeps its step-up if it was current, so the next step of the same action
 * works; every other session's step-up ends. Clears the session cache after commit. Returns the new stamp.
 * The stores that write passwords and methods call it; a service never needs to.
 */
export async function bumpSecurityStamp(
  deps: Deps,
  tx: Sql,
  accountId: string,
  bySession?: string | null,
): Promise<string> {
  const rows = await tx.query<{ stamp: string }>(
    'UPDATE accounts SET security_stamp = security_stamp + 1 WHERE id = $1 RETURNING security_stamp::text AS stamp',
    [accountId],
  );
  const stamp = rows[0]?.stamp ?? '0';
  if (bySession)
    await tx.query(
      `UPDATE sessions SET reauth_stamp = $3::bigint
       WHERE id = $1 AND account_id = $2 AND reauth_stamp = $3::bigint - 1`,
      [bySession, accountId, stamp],
    );
  await sessionsChanged(deps, tx, accountId);
  return stamp;
}

/** Sets a new password (kept in the history) and moves the security stamp on. */
export async function setPassword(
  deps: Deps,
  tx: Sql,
  accountId: string,
  passwordHash: string,
  now: Date,
  bySession?: string | null,
): Promise<void> {
  await tx.query(
    'UPDATE accounts SET password_hash = $2, password_changed_at = $3, updated_at = $3 WHERE id = $1',
    [accountId, passwordHash, now],
  );
  await tx.query('INSERT INTO password_history (account_id, password_hash, created_at) VALUES ($1, $2, $3)', [
    accountId,
    passwordHash,
    now,
  ]);
  await bumpSecurityStamp(deps, tx, accountId, bySession);
}

/** Turns two-step verification on or off; returns false when it already was. Moves the stamp on. */
export async function setTwoStepEnabled(
  deps: Deps,
  tx: Sql,
  accountId: string,
  on: boolean,
  now: Date,
  bySession?: string | null,
): Promise<boolean> {
  const changed = await tx.query(
    'UPDATE accounts SET two_step_enabled = $2, updated_at = $3 WHERE id = $1 AND two_step_enabled <> $2 RETURNING id',
    [accountId, on, now],
  );
  if (changed.length === 0) return false;
  await bumpSecurityStamp(deps, tx, accountId, bySession);
  return true;
}

/**
 * Stores the hash of a new recovery code (`hash` null: the code is spent and none replaces it yet).
 * Moves the stamp on.
 */
export async function setRecoveryCodeHash(
  deps: Deps,
  tx: Sql,
  accountId: string,
  hash: string | null,
  now: Date,
  bySession?: string | null,
): Promise<void> {
  if (hash === null)
    await tx.query('UPDATE accounts SET recovery_code_hash = NULL WHERE id = $1', [accountId]);
  else
    await tx.query(
      'UPDATE accounts SET recovery_code_hash = $2, recovery_code_created_at = $3 WHERE id = $1',
      [accountId, hash, now],
    );
  await bumpSecurityStamp(deps, tx, accountId, bySession);
}

// --- used by verification

/** The account's security stamp (decimal string) without locking the row; null when there is no such account. */
export async function currentStamp(sql: Sql, accountId: string): Promise<string | null> {
  const rows = await sql.query<{ stamp: string }>(
    'SELECT security_stamp::text AS stamp FROM accounts WHERE id = $1',
    [accountId],
  );
  return rows[0]?.stamp ?? null;
}

// --- used by security-info

/** The account's recovery code hash (null: none, or used) and when it was made (null: never). */
export async function findRecoveryCode(
  sql: Sql,
  accountId: string,
): Promise<{ hash: string | null; createdAt: Date | null }> {
  const row = (
    await sql.query<{ recovery_code_hash: string | null; recovery_code_created_at: Date | null }>(
      'SELECT recovery_code_hash, recovery_code_created_at FROM accounts WHERE id = $1',
      [accountId],
    )
  )[0];
  return { hash: row?.recovery_code_hash ?? null, createdAt: row?.recovery_code_created_at ?? null };
}

/** The account's recovery code hash (null: none, or used), with the account row locked until `tx` ends. */
export async function lockRecoveryCodeHash(tx: Sql, accountId: string): Promise<string | null> {
  const rows = await tx.query<{ recovery_code_hash: string | null }>(
    'SELECT recovery_code_hash FROM accounts WHERE id = $1 FOR UPDATE',
    [accountId],
  );
  return rows[0]?.recovery_code_hash ?? null;
}
