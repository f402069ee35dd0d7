import type { Deps } from '../deps.ts';
import type { Locale } from '../kernel/context.ts';
import type { Sql } from '../kernel/sql.ts';
import { keepStepUpAcrossStamp } from '../sessions/store.ts';

/*
 * The accounts store: the only code that reads or writes the `accounts` and `password_history` tables.
 * Plain functions over the SQL port; other capabilities call these (or the accounts services).
 */

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

// --- the account, its password and its stamps: accounts' own services, and every capability that reads an
// account or checks its stamp (sessions, security-info, recovery, recovery-form, replacement, verification,
// checkup, abuse/owner-alerts.ts, notifications/http/routes.tsx; app.ts reads sessionsGen)

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
  return counterOf(tx, accountId, 'security_stamp', true);
}

/**
 * One of the account's counters (the security stamp or the session revocation marker) as a decimal string,
 * null when there is no such account; with `lock` the row stays locked until the transaction ends.
 */
async function counterOf(
  sql: Sql,
  accountId: string,
  counter: 'security_stamp' | 'sessions_gen',
  lock: boolean,
): Promise<string | null> {
  const rows = await sql.query<{ value: string }>(
    `SELECT ${counter}::text AS value FROM accounts WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [accountId],
  );
  return rows[0]?.value ?? null;
}

/**
 * A change of password or security info: the security stamp moves on, so every flow, code and step-up
 * issued against the old one is refused from now on (docs/security.md, "Stale flows"). The session that
 * made the change (`bySession`) keeps its step-up if it was current, so the next step of the same action
 * works; every other session's step-up ends. Clears the session cache after commit. Returns the new stamp.
 * The stores that write passwords and methods call it; a service never needs to.
 */
export async function bumpSecurityStamp(
  deps: Pick<Deps, 'emit'>,
  tx: Sql,
  accountId: string,
  bySession?: string | null,
): Promise<string> {
  const rows = await tx.query<{ stamp: string }>(
    'UPDATE accounts SET security_stamp = security_stamp + 1 WHERE id = $1 RETURNING security_stamp::text AS stamp',
    [accountId],
  );
  const stamp = rows[0]?.stamp ?? '0';
  if (bySession) await keepStepUpAcrossStamp(tx, bySession, accountId, stamp);
  // As sessions/sessions.ts sessionsChanged: the revocation marker moves and the session caches clear.
  await bumpSessionsGen(tx, accountId);
  await deps.emit(tx, { type: 'sessions.revoked', accountId });
  return stamp;
}

/** Sets a new password (kept in the history) and moves the security stamp on. */
export async function setPassword(
  deps: Pick<Deps, 'emit'>,
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
  await addPasswordHistory(tx, accountId, passwordHash, now);
  await bumpSecurityStamp(deps, tx, accountId, bySession);
}

/** Turns two-step verification on or off; returns false when it already was. Moves the stamp on. */
export async function setTwoStepEnabled(
  deps: Pick<Deps, 'emit'>,
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
  deps: Pick<Deps, 'emit'>,
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

/** What a sign-up stores: the address as typed and its comparison key, the profile and the password hash. */
export type NewAccount = Pick<
  Account,
  'email' | 'emailKey' | 'displayName' | 'locale' | 'timeZone' | 'passwordHash'
>;

/** Creates an account whose address is not confirmed yet (created, updated and password times: `now`). */
export async function insertAccount(sql: Sql, id: string, a: NewAccount, now: Date): Promise<void> {
  await sql.query(
    `INSERT INTO accounts (id, email, email_key, display_name, locale, time_zone, password_hash,
           password_changed_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8)`,
    [id, a.email, a.emailKey, a.displayName, a.locale, a.timeZone, a.passwordHash, now],
  );
}

/**
 * A new sign-up of an address whose account was never confirmed: the address as typed, the profile and the
 * password replace the earlier sign-up's. The caller clears the history and moves the stamp on.
 */
export async function replaceUnconfirmedSignUp(
  sql: Sql,
  accountId: string,
  a: Omit<NewAccount, 'emailKey'>,
  now: Date,
): Promise<void> {
  await sql.query(
    `UPDATE accounts SET email = $2, display_name = $3, locale = $4, time_zone = $5, password_hash = $6,
           password_changed_at = $7, updated_at = $7 WHERE id = $1`,
    [accountId, a.email, a.displayName, a.locale, a.timeZone, a.passwordHash, now],
  );
}

/** Forgets every earlier password of the account. */
export async function clearPasswordHistory(sql: Sql, accountId: string): Promise<void> {
  await sql.query('DELETE FROM password_history WHERE account_id = $1', [accountId]);
}

/** Adds a password hash to the account's history (`now`: when it was set). */
export async function addPasswordHistory(
  sql: Sql,
  accountId: string,
  passwordHash: string,
  now: Date,
): Promise<void> {
  await sql.query(
    'INSERT INTO password_history (account_id, password_hash, created_at) VALUES ($1, $2, $3)',
    [accountId, passwordHash, now],
  );
}

/** The account's last `limit` password hashes, newest first. */
export async function recentPasswordHashes(sql: Sql, accountId: string, limit = 6): Promise<string[]> {
  const rows = await sql.query<{ password_hash: string }>(
    `SELECT password_hash FROM password_history WHERE account_id = $1 ORDER BY created_at DESC LIMIT ${Math.trunc(limit)}`,
    [accountId],
  );
  return rows.map((r) => r.password_hash);
}

/**
 * Locks the account row until `tx` ends (nothing when there is no such account, e.g. `''` for a decoy:
 * the same statement runs either way).
 */
export async function lockAccount(tx: Sql, accountId: string): Promise<void> {
  await tx.query('SELECT id FROM accounts WHERE id = $1 FOR UPDATE', [accountId]);
}

/**
 * Marks the primary address confirmed, only if it was not yet and is still `emailKey`. Returns whether it
 * was confirmed by this call.
 */
export async function confirmPrimaryEmail(
  sql: Sql,
  accountId: string,
  emailKey: string,
  now: Date,
): Promise<boolean> {
  const updated = await sql.query<{ id: string }>(
    `UPDATE accounts SET email_confirmed_at = $2, updated_at = $2
       WHERE id = $1 AND email_confirmed_at IS NULL AND email_key = $3 RETURNING id`,
    [accountId, now, emailKey],
  );
  return updated.length > 0;
}

/** Sets the display name, language and IANA time zone. */
export async function setProfile(
  sql: Sql,
  accountId: string,
  p: { displayName: string; locale: Locale; timeZone: string },
  now: Date,
): Promise<void> {
  await sql.query(
    'UPDATE accounts SET display_name = $2, locale = $3, time_zone = $4, updated_at = $5 WHERE id = $1',
    [accountId, p.displayName, p.locale, p.timeZone, now],
  );
}

/** Sets the personal phrase shown in every email ('' : none). */
export async function storePersonalPhrase(
  sql: Sql,
  accountId: string,
  phrase: string,
  now: Date,
): Promise<void> {
  await sql.query('UPDATE accounts SET personal_phrase = $2, updated_at = $3 WHERE id = $1', [
    accountId,
    phrase,
    now,
  ]);
}

/**
 * Moves the account's session revocation marker on (see sessions/session-cache.ts): every cached session of
 * the account is checked again. Called by sessions/sessions.ts sessionsChanged and bumpSecurityStamp.
 */
export async function bumpSessionsGen(sql: Sql, accountId: string): Promise<void> {
  await sql.query('UPDATE accounts SET sessions_gen = sessions_gen + 1 WHERE id = $1', [accountId]);
}

/** The account's session revocation marker (decimal string), null when there is no such account. */
export async function sessionsGen(sql: Sql, accountId: string): Promise<string | null> {
  return counterOf(sql, accountId, 'sessions_gen', false);
}

/**
 * The password hash and two-step setting, with the row locked until `tx` ends (a sign-in compares them with
 * what it checked). Null when there is no such account.
 */
export async function lockSignInState(
  tx: Sql,
  accountId: string,
): Promise<{ passwordHash: string; twoStepEnabled: boolean } | null> {
  const rows = await tx.query<{ password_hash: string; two_step_enabled: boolean }>(
    'SELECT password_hash, two_step_enabled FROM accounts WHERE id = $1 FOR UPDATE',
    [accountId],
  );
  const r = rows[0];
  return r ? { passwordHash: r.password_hash, twoStepEnabled: r.two_step_enabled } : null;
}

/**
 * The account's security stamp (decimal string) without a lock, null when there is no such account (`''`
 * finds nothing: a decoy does the same work).
 */
export async function readStamp(sql: Sql, accountId: string): Promise<string | null> {
  return counterOf(sql, accountId, 'security_stamp', false);
}

// --- the recovery code: security-info/recovery-code-service.ts reads it, replacement/replacement-service.ts
// its date, storage/rotate-secret.ts counts them

/**
 * The stored recovery-code hash (null: none or spent) and when the code was made (null: never); with
 * `forUpdate` the account row stays locked until `tx` ends. Null when there is no such account.
 */
export async function recoveryCodeState(
  sql: Sql,
  accountId: string,
  forUpdate = false,
): Promise<{ hash: string | null; createdAt: Date | null } | null> {
  const rows = await sql.query<{ recovery_code_hash: string | null; recovery_code_created_at: Date | null }>(
    `SELECT recovery_code_hash, recovery_code_created_at FROM accounts WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [accountId],
  );
  const r = rows[0];
  return r ? { hash: r.recovery_code_hash, createdAt: r.recovery_code_created_at } : null;
}

/** When the account's current recovery code was made (null: never, or no such account). */
export async function recoveryCodeCreatedAt(sql: Sql, accountId: string): Promise<Date | null> {
  const rows = await sql.query<{ recovery_code_created_at: Date | null }>(
    'SELECT recovery_code_created_at FROM accounts WHERE id = $1',
    [accountId],
  );
  return rows[0]?.recovery_code_created_at ?? null;
}

/** How many accounts hold a recovery-code hash (the secret-rotation report). */
export async function countRecoveryCodes(sql: Sql): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM accounts WHERE recovery_code_hash IS NOT NULL',
  );
  return rows[0]?.n ?? 0;
}

// --- service notices: notices/notices.ts (recipients), notices/preferences.ts (language)

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

// --- the periodic "is this still yours?" check: checkup/periodic.ts

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

/**
 * An account due for the periodic reminder; `base` is its last confirmation (or creation), `reminded_at` the
 * last reminder (null: never).
 */
export interface ReminderRow extends NoticeRecipientRow {
  base: Date;
  reminded_at: Date | null;
}

/**
 * Up to `batch` accounts (id order, ids after `afterId`) with a confirmed email whose last confirmation is at
 * or before `dueBefore` and that were not reminded since then (or not since `dueBefore`); rows locked, SKIP
 * LOCKED so several instances share the work. `afterId` lets the round pass over accounts it leaves out (an
 * organisation's member under a longer period).
 */
export async function lockAccountsDueForReminder(
  sql: Sql,
  dueBefore: Date,
  batch: number,
  afterId = '',
): Promise<ReminderRow[]> {
  return sql.query<ReminderRow>(
    `SELECT id, email, display_name, locale, time_zone, personal_phrase,
                COALESCE(info_confirmed_at, created_at) AS base, periodic_reminded_at AS reminded_at
         FROM accounts
         WHERE email_confirmed_at IS NOT NULL
           AND COALESCE(info_confirmed_at, created_at) <= $1
           AND (periodic_reminded_at IS NULL OR periodic_reminded_at <= COALESCE(info_confirmed_at, created_at)
                OR periodic_reminded_at <= $1)
           AND id > $3
         ORDER BY id
         LIMIT $2
         FOR UPDATE SKIP LOCKED`,
    [dueBefore, batch, afterId],
  );
}

/** Records that the owner confirmed the security info at `now`. Returns false when there is no such account. */
export async function markInfoConfirmed(sql: Sql, accountId: string, now: Date): Promise<boolean> {
  const rows = await sql.query('UPDATE accounts SET info_confirmed_at = $2 WHERE id = $1 RETURNING id', [
    accountId,
    now,
  ]);
  return rows.length > 0;
}

/** Records that the periodic reminder was sent at `now`. */
export async function markReminded(sql: Sql, accountId: string, now: Date): Promise<void> {
  await sql.query('UPDATE accounts SET periodic_reminded_at = $2 WHERE id = $1', [accountId, now]);
}

// --- organisations (org-admin.ts): joining by domain, finding the account an operator names

/** Ids of the confirmed accounts whose sign-in address is in `domain` (lower-case), oldest first. */
export async function confirmedAccountIdsInDomain(sql: Sql, domain: string): Promise<string[]> {
  const rows = await sql.query<{ id: string }>(
    `SELECT id FROM accounts WHERE email_confirmed_at IS NOT NULL AND split_part(email_key, '@', 2) = $1
     ORDER BY created_at, id`,
    [domain],
  );
  return rows.map((r) => r.id);
}

/** Address, name and language of these accounts, for the organisation's member lists (unknown ids left out). */
export async function accountSummaries(
  sql: Sql,
  ids: string[],
): Promise<Map<string, { email: string; displayName: string; locale: string; createdAt: Date }>> {
  if (ids.length === 0) return new Map();
  const rows = await sql.query<{
    id: string;
    email: string;
    display_name: string;
    locale: string;
    created_at: Date;
  }>('SELECT id, email, display_name, locale, created_at FROM accounts WHERE id = ANY($1::text[])', [ids]);
  return new Map(
    rows.map((r) => [
      r.id,
      { email: r.email, displayName: r.display_name, locale: r.locale, createdAt: r.created_at },
    ]),
  );
}

/**
 * When each of these accounts last confirmed its security info (the periodic check), for the organisation's
 * members report (console slice). Accounts that never did, or unknown ids, are left out.
 */
export async function infoConfirmedAtOf(sql: Sql, ids: string[]): Promise<Map<string, Date>> {
  if (ids.length === 0) return new Map();
  const rows = await sql.query<{ id: string; info_confirmed_at: Date }>(
    'SELECT id, info_confirmed_at FROM accounts WHERE id = ANY($1::text[]) AND info_confirmed_at IS NOT NULL',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.info_confirmed_at]));
}
