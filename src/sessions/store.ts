import type { Sql } from '../kernel/sql.ts';
import type { SessionView } from './session-cache.ts';

/*
 * The sessions store: the only code that reads or writes `sessions`, `pending_signins`, `trusted_devices`
 * and `known_devices`. Plain functions over the SQL port.
 *
 * A few statements here also read the account's security stamp, revocation marker or comparison key in the
 * same statement (a subselect or join on `accounts`): sessions are bound to the account's stamp at the
 * moment they are written, and the sign-in and session checks must run one statement whether or not the
 * account exists (test/attack/probe-enum.test.ts counts them). Accounts is the capability sessions builds on;
 * nothing here writes it.
 */

// --- sessions: sessions/sessions.ts, sign-in.ts, step-up-guard.ts; accounts/store.ts keeps a step-up across a
// stamp (keepStepUpAcrossStamp); storage/housekeeping.ts deletes the expired ones

/**
 * A new row held by a token (a session, a trusted device): `id` is the SHA-256 of the token the client
 * holds, `publicId` what pages show, `now` its creation, `ip` and `userAgent` where it was made.
 */
export interface NewTokenRow {
  id: string;
  publicId: string;
  accountId: string;
  now: Date;
  expiresAt: Date;
  ip: string;
  userAgent: string;
}

/** A new session row. */
export interface NewSession extends NewTokenRow {
  country: string;
  /** The sign-in included a second factor: second_factor_at is `now`. */
  secondFactor: boolean;
  /** How the sign-in was proven (RFC 8176 values, sessions/amr.ts); none known when absent. */
  amr?: string[];
}

/**
 * Stores a session that starts with a fresh proof (reauth at `now`) against the account's current security
 * stamp.
 */
export async function insertSession(sql: Sql, s: NewSession): Promise<void> {
  await sql.query(
    `INSERT INTO sessions (id, public_id, account_id, created_at, last_seen_at, expires_at, reauth_at, ip, user_agent,
       country, second_factor_at, reauth_stamp, amr)
     VALUES ($1, $2, $3, $4, $4, $5, $4, $6, $7, $8, CASE WHEN $9 THEN $4::timestamptz END,
       (SELECT security_stamp FROM accounts WHERE id = $3), $10::text[])`,
    [
      s.id,
      s.publicId,
      s.accountId,
      s.now,
      s.expiresAt,
      s.ip,
      s.userAgent,
      s.country,
      s.secondFactor,
      s.amr ?? [],
    ],
  );
}

/**
 * The session with this id and its account's view (name, language, time zone, two-step, stamp), with the
 * account's revocation marker `gen` (decimal string). Null when there is no such session.
 */
export async function findSessionView(
  sql: Sql,
  id: string,
): Promise<{ view: SessionView; gen: string } | null> {
  const rows = await sql.query<{
    id: string;
    public_id: string;
    account_id: string;
    created_at: Date;
    last_seen_at: Date;
    expires_at: Date;
    reauth_at: Date | null;
    second_factor_at: Date | null;
    amr: string[] | null;
    two_step_enabled: boolean;
    email: string;
    display_name: string;
    locale: SessionView['locale'];
    time_zone: string;
    stamp: string;
    reauth_stamp: string | null;
    gen: string;
    must_change_password: boolean | null;
    registration_held: boolean | null;
  }>(
    `SELECT s.id, s.public_id, s.account_id, s.created_at, s.last_seen_at, s.expires_at, s.reauth_at,
              s.second_factor_at, s.amr, a.two_step_enabled, a.email, a.display_name, a.locale, a.time_zone,
              a.security_stamp::text AS stamp, s.reauth_stamp::text AS reauth_stamp, a.sessions_gen::text AS gen,
              m.must_change_password, m.registration_held
       FROM sessions s JOIN accounts a ON a.id = s.account_id
       LEFT JOIN org_members m ON m.account_id = s.account_id
       WHERE s.id = $1`,
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    gen: r.gen,
    view: {
      id: r.id,
      publicId: r.public_id,
      accountId: r.account_id,
      email: r.email,
      displayName: r.display_name,
      locale: r.locale,
      timeZone: r.time_zone,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      expiresAt: r.expires_at,
      reauthAt: r.reauth_at,
      secondFactorAt: r.second_factor_at,
      amr: r.amr ?? [],
      twoStep: r.two_step_enabled,
      stamp: r.stamp,
      reauthStamp: r.reauth_stamp,
      mustChangePassword: r.must_change_password === true,
      registrationHeld: r.registration_held === true,
    },
  };
}

/** Deletes the session with this id (an expired one, a sign-out). */
export async function deleteSession(sql: Sql, id: string): Promise<void> {
  await sql.query('DELETE FROM sessions WHERE id = $1', [id]);
}

/** Deletes the session with this id; returns whether there was one. */
export async function deleteSessionReturning(sql: Sql, id: string): Promise<boolean> {
  const rows = await sql.query('DELETE FROM sessions WHERE id = $1 RETURNING id', [id]);
  return rows.length > 0;
}

/** Slides the idle window: last seen at `now`. Returns false when the session is gone. */
export async function touchSession(sql: Sql, id: string, now: Date): Promise<boolean> {
  const touched = await sql.query('UPDATE sessions SET last_seen_at = $2 WHERE id = $1 RETURNING id', [
    id,
    now,
  ]);
  return touched.length > 0;
}

/**
 * Records a step-up at `now` against `stamp` and gives the session the new id `newId` (the token rotates).
 * With `secondFactor` the second factor is `now`; otherwise a second factor given against another stamp is
 * forgotten. Returns false when the session (of that account) is gone.
 */
export async function rotateForStepUp(
  sql: Sql,
  s: {
    id: string;
    accountId: string;
    newId: string;
    now: Date;
    secondFactor: boolean;
    stamp: string;
    /** The session's methods after this step-up (sessions/amr.ts `mergeAmr`); unchanged when absent. */
    amr?: string[];
    /** The step-up's methods alone: the session's methods when an older second factor is forgotten. */
    freshAmr?: string[];
  },
): Promise<boolean> {
  const rotated = await sql.query(
    `UPDATE sessions SET id = $4, reauth_at = $2, reauth_stamp = $5::bigint,
       amr = CASE WHEN NOT $3 AND reauth_stamp IS DISTINCT FROM $5::bigint THEN COALESCE($8::text[], '{}')
         ELSE COALESCE($7::text[], amr) END,
       second_factor_at = CASE WHEN $3 THEN $2::timestamptz
         WHEN reauth_stamp IS DISTINCT FROM $5::bigint THEN NULL ELSE second_factor_at END
     WHERE id = $1 AND account_id = $6 RETURNING id`,
    [s.id, s.now, s.secondFactor, s.newId, s.stamp, s.accountId, s.amr ?? null, s.freshAmr ?? null],
  );
  return rotated.length > 0;
}

/**
 * After the account's stamp moved to `stamp` by a change made in session `sessionId`: that session keeps its
 * step-up if it was current (made against `stamp - 1`).
 */
export async function keepStepUpAcrossStamp(
  sql: Sql,
  sessionId: string,
  accountId: string,
  stamp: string,
): Promise<void> {
  await sql.query(
    `UPDATE sessions SET reauth_stamp = $3::bigint
       WHERE id = $1 AND account_id = $2 AND reauth_stamp = $3::bigint - 1`,
    [sessionId, accountId, stamp],
  );
}

/** The session's step-up state as stored (null when the session of that account is gone). */
export async function findStepUp(
  sql: Sql,
  sessionId: string,
  accountId: string,
): Promise<{ reauthAt: Date | null; secondFactorAt: Date | null; reauthStamp: string | null } | null> {
  const r = (
    await sql.query<{ reauth_at: Date | null; second_factor_at: Date | null; reauth_stamp: string | null }>(
      `SELECT reauth_at, second_factor_at, reauth_stamp::text AS reauth_stamp FROM sessions
       WHERE id = $1 AND account_id = $2`,
      [sessionId, accountId],
    )
  )[0];
  return r
    ? { reauthAt: r.reauth_at, secondFactorAt: r.second_factor_at, reauthStamp: r.reauth_stamp }
    : null;
}

/** A live session as listed to its owner (`id`: the stored hash, to tell the current one). */
export interface SessionRow {
  id: string;
  publicId: string;
  createdAt: Date;
  lastSeenAt: Date;
  ip: string;
  userAgent: string;
}

/** The account's sessions not past their absolute expiry at `now`, most recently seen first. */
export async function listLiveSessions(sql: Sql, accountId: string, now: Date): Promise<SessionRow[]> {
  const rows = await sql.query<{
    id: string;
    public_id: string;
    created_at: Date;
    last_seen_at: Date;
    ip: string;
    user_agent: string;
  }>(
    `SELECT id, public_id, created_at, last_seen_at, ip, user_agent FROM sessions
     WHERE account_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC`,
    [accountId, now],
  );
  return rows.map((r) => ({
    id: r.id,
    publicId: r.public_id,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    ip: r.ip,
    userAgent: r.user_agent,
  }));
}

/** Deletes one session of the account by its public id; returns whether there was one. */
export async function deleteSessionByPublicId(
  sql: Sql,
  accountId: string,
  publicId: string,
): Promise<boolean> {
  const rows = await sql.query<{ id: string }>(
    'DELETE FROM sessions WHERE account_id = $1 AND public_id = $2 RETURNING id',
    [accountId, publicId],
  );
  return rows.length > 0;
}

/** Deletes every session of the account except `keepId` (null: all); returns how many. */
export async function deleteSessionsExcept(
  sql: Sql,
  accountId: string,
  keepId: string | null,
): Promise<number> {
  const rows = await sql.query<{ id: string }>(
    'DELETE FROM sessions WHERE account_id = $1 AND ($2::text IS NULL OR id <> $2) RETURNING id',
    [accountId, keepId],
  );
  return rows.length;
}

/** Deletes sessions past their absolute expiry (before `now`); returns how many. */
export async function deleteExpiredSessions(sql: Sql, now: Date): Promise<number> {
  return (await sql.query('DELETE FROM sessions WHERE expires_at < $1 RETURNING 1', [now])).length;
}

// --- pending sign-ins: sessions/second-factor.ts; endPendingSignIns also by accounts (password-service.ts,
// secure-account.ts), recovery (reset-service.ts), recovery-form (form-service.ts), replacement
// (replacement-service.ts); storage/housekeeping.ts deletes the expired ones

export type PendingReason = 'two_step' | 'unusual';

/** A pending sign-in as stored, with whether the account's stamp moved on since it was started. */
export interface PendingRow {
  id: string;
  account_id: string;
  reason: PendingReason;
  expires_at: Date;
  completed_at: Date | null;
  stamp: string | null;
  /** The account's password or security info changed since the sign-in was started. */
  stale: boolean;
}

/** Stores a pending sign-in bound to the account's current security stamp. */
export async function insertPendingSignIn(
  sql: Sql,
  p: { id: string; accountId: string; reason: PendingReason; now: Date; expiresAt: Date },
): Promise<void> {
  await sql.query(
    `INSERT INTO pending_signins (id, account_id, reason, created_at, expires_at, stamp)
     VALUES ($1, $2, $3, $4, $5, (SELECT security_stamp FROM accounts WHERE id = $2))`,
    [p.id, p.accountId, p.reason, p.now, p.expiresAt],
  );
}

/** The pending sign-in with this id (SHA-256 of its token); `forUpdate` locks it until `tx` ends. */
export async function findPendingSignIn(sql: Sql, id: string, forUpdate = false): Promise<PendingRow | null> {
  const rows = await sql.query<PendingRow>(
    `SELECT p.*, p.stamp::text AS stamp, p.stamp IS DISTINCT FROM a.security_stamp AS stale
       FROM pending_signins p JOIN accounts a ON a.id = p.account_id
       WHERE p.id = $1${forUpdate ? ' FOR UPDATE OF p' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

/** Completes a pending sign-in once: false when it was already completed (or is gone). */
export async function completePendingSignIn(sql: Sql, id: string, now: Date): Promise<boolean> {
  const done = await sql.query(
    'UPDATE pending_signins SET completed_at = $2 WHERE id = $1 AND completed_at IS NULL RETURNING id',
    [id, now],
  );
  return done.length > 0;
}

/** Ends every pending sign-in of the account (a new password, a reset, a replacement, "secure my account"). */
export async function endPendingSignIns(sql: Sql, accountId: string): Promise<void> {
  await sql.query('DELETE FROM pending_signins WHERE account_id = $1', [accountId]);
}

/** Deletes pending sign-ins that expired before `before`; returns how many. */
export async function deleteExpiredPendingSignIns(sql: Sql, before: Date): Promise<number> {
  return (await sql.query('DELETE FROM pending_signins WHERE expires_at < $1 RETURNING 1', [before])).length;
}

// --- trusted devices: sessions/trusted-devices.ts; storage/housekeeping.ts deletes the expired ones

/** Stores a trusted device bound to the account's current security stamp (`id`: SHA-256 of its token). */
export async function insertTrustedDevice(sql: Sql, d: NewTokenRow): Promise<void> {
  await sql.query(
    `INSERT INTO trusted_devices (id, public_id, account_id, created_at, expires_at, ip, user_agent, stamp)
     VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT security_stamp FROM accounts WHERE id = $3))`,
    [d.id, d.publicId, d.accountId, d.now, d.expiresAt, d.ip, d.userAgent],
  );
}

/** Keeps the account's `max` newest trusted devices and deletes the rest. */
export async function capTrustedDevices(sql: Sql, accountId: string, max: number): Promise<void> {
  await sql.query(
    `DELETE FROM trusted_devices WHERE account_id = $1 AND id NOT IN (
       SELECT id FROM trusted_devices WHERE account_id = $1 ORDER BY created_at DESC, id LIMIT $2)`,
    [accountId, max],
  );
}

/**
 * Whether `id` (SHA-256 of a device token) is a trust of this account, live at `now` and given against the
 * account's current security stamp.
 */
export async function hasLiveTrust(sql: Sql, id: string, accountId: string, now: Date): Promise<boolean> {
  const rows = await sql.query(
    `SELECT 1 FROM trusted_devices d JOIN accounts a ON a.id = d.account_id
     WHERE d.id = $1 AND d.account_id = $2 AND d.expires_at > $3 AND d.stamp = a.security_stamp`,
    [id, accountId, now],
  );
  return rows.length === 1;
}

/** A trusted device as listed to its owner. */
export interface TrustedDeviceRow {
  publicId: string;
  createdAt: Date;
  expiresAt: Date;
  ip: string;
  userAgent: string;
}

/** The account's trusted devices not expired at `now`, newest first. */
export async function listLiveTrustedDevices(
  sql: Sql,
  accountId: string,
  now: Date,
): Promise<TrustedDeviceRow[]> {
  const rows = await sql.query<{
    public_id: string;
    created_at: Date;
    expires_at: Date;
    ip: string;
    user_agent: string;
  }>(
    'SELECT public_id, created_at, expires_at, ip, user_agent FROM trusted_devices WHERE account_id = $1 AND expires_at > $2 ORDER BY created_at DESC',
    [accountId, now],
  );
  return rows.map((r) => ({
    publicId: r.public_id,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    ip: r.ip,
    userAgent: r.user_agent,
  }));
}

/** Deletes one trusted device of the account (by public id) or, with null, all; returns how many. */
export async function deleteTrustedDevices(
  sql: Sql,
  accountId: string,
  publicId: string | null,
): Promise<number> {
  const rows = await sql.query(
    'DELETE FROM trusted_devices WHERE account_id = $1 AND ($2::text IS NULL OR public_id = $2) RETURNING id',
    [accountId, publicId],
  );
  return rows.length;
}

/** Deletes trusted devices expired before `now`; returns how many. */
export async function deleteExpiredTrustedDevices(sql: Sql, now: Date): Promise<number> {
  return (await sql.query('DELETE FROM trusted_devices WHERE expires_at < $1 RETURNING 1', [now])).length;
}

// --- known devices: sessions/known-devices.ts; storage/housekeeping.ts deletes the expired ones

/** Records that the device (`hash`) made a successful proof for the account at `now`. */
export async function upsertKnownDevice(sql: Sql, accountId: string, hash: string, now: Date): Promise<void> {
  await sql.query(
    `INSERT INTO known_devices (account_id, device_hash, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $3)
     ON CONFLICT (account_id, device_hash) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at`,
    [accountId, hash, now],
  );
}

/** Keeps the account's `max` most recently used known devices and deletes the rest. */
export async function capKnownDevices(sql: Sql, accountId: string, max: number): Promise<void> {
  await sql.query(
    `DELETE FROM known_devices WHERE account_id = $1 AND device_hash NOT IN (
       SELECT device_hash FROM known_devices WHERE account_id = $1
       ORDER BY last_seen_at DESC, device_hash LIMIT $2)`,
    [accountId, max],
  );
}

/** Whether the device (`hash`) is known to the account and was last seen after `since`. */
export async function hasKnownDevice(
  sql: Sql,
  accountId: string,
  hash: string,
  since: Date,
): Promise<boolean> {
  const rows = await sql.query(
    'SELECT 1 FROM known_devices WHERE account_id = $1 AND device_hash = $2 AND last_seen_at > $3',
    [accountId, hash, since],
  );
  return rows.length === 1;
}

/**
 * Whether the device (`hash`) is known, since `since`, to the account whose comparison key is `emailKey`:
 * one statement that runs the same whether or not such an account exists.
 */
export async function hasKnownDeviceByEmailKey(
  sql: Sql,
  emailKey: string,
  hash: string,
  since: Date,
): Promise<boolean> {
  const rows = await sql.query(
    `SELECT 1 FROM known_devices k JOIN accounts a ON a.id = k.account_id
     WHERE a.email_key = $1 AND k.device_hash = $2 AND k.last_seen_at > $3`,
    [emailKey, hash, since],
  );
  return rows.length === 1;
}

/** Forgets every known device of the account. */
export async function deleteKnownDevices(sql: Sql, accountId: string): Promise<void> {
  await sql.query('DELETE FROM known_devices WHERE account_id = $1', [accountId]);
}

/** Deletes the known devices last seen before `before`; returns how many. */
export async function deleteExpiredKnownDevices(sql: Sql, before: Date): Promise<number> {
  return (await sql.query('DELETE FROM known_devices WHERE last_seen_at < $1 RETURNING 1', [before])).length;
}
