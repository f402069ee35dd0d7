import type { Deps } from '../deps.ts';
import { MINUTE } from '../kernel/clock.ts';
import type { RequestContext } from '../kernel/context.ts';
import { sha256 } from '../kernel/crypto.ts';
import { fail } from '../kernel/errors.ts';
import { newId, token } from '../kernel/random.ts';
import { afterCommit } from '../kernel/unit-of-work.ts';
import type { Sql } from '../storage/db.ts';
import { rememberDevice } from './known-devices.ts';
import type { SessionView } from './session-cache.ts';

/**
 * Something a session check depends on changed for this account (a session ended or rotated, a step-up, a
 * security-stamp change): bumps the account's revocation marker in `tx` and clears the session cache now
 * and again once `tx` has committed, so no instance keeps serving the old state (see session-cache.ts).
 */
export async function sessionsChanged(deps: Deps, tx: Sql, accountId: string): Promise<void> {
  await tx.query('UPDATE accounts SET sessions_gen = sessions_gen + 1 WHERE id = $1', [accountId]);
  await deps.emit(tx, { type: 'sessions.revoked', accountId });
}

/** Drops the account's sessions from this instance's cache now and once `tx` has committed. */
export async function invalidateSessionCache(
  deps: Pick<Deps, 'sessionCache'>,
  tx: Sql,
  accountId: string,
): Promise<void> {
  deps.sessionCache.invalidateAccount(accountId);
  await afterCommit(tx, () => deps.sessionCache.invalidateAccount(accountId));
}

/** Server-side sessions: the client holds a random token; only its SHA-256 is stored. */
export async function createSession(
  deps: Deps,
  tx: Sql,
  accountId: string,
  ctx: Pick<RequestContext, 'ip' | 'userAgent' | 'country' | 'device'>,
  o: { secondFactor?: boolean } = {},
): Promise<string> {
  const now = deps.clock.now();
  const raw = token(deps.random, 32);
  // A session starts only after a full proof: the browser becomes a known device of the account.
  await rememberDevice(deps, tx, accountId, ctx.device);
  // The sign-in is a fresh proof against the account's current stamp.
  await tx.query(
    `INSERT INTO sessions (id, public_id, account_id, created_at, last_seen_at, expires_at, reauth_at, ip, user_agent,
       country, second_factor_at, reauth_stamp)
     VALUES ($1, $2, $3, $4, $4, $5, $4, $6, $7, $8, CASE WHEN $9 THEN $4::timestamptz END,
       (SELECT security_stamp FROM accounts WHERE id = $3))`,
    [
      sha256(raw),
      newId(deps.random, 'ses'),
      accountId,
      now,
      new Date(now.getTime() + deps.config.session.absoluteHours * 60 * MINUTE),
      ctx.ip,
      ctx.userAgent.slice(0, 512),
      ctx.country,
      o.secondFactor ?? false,
    ],
  );
  return raw;
}

interface Row {
  id: string;
  public_id: string;
  account_id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  reauth_at: Date | null;
  second_factor_at: Date | null;
  two_step_enabled: boolean;
  email: string;
  display_name: string;
  locale: SessionView['locale'];
  time_zone: string;
  stamp: string;
  reauth_stamp: string | null;
  gen: string;
}

/** Checks a session token: exists, not past its absolute expiry, not idle too long. Slides the idle window. */
export async function validateSession(deps: Deps, raw: string | undefined): Promise<SessionView | null> {
  if (!raw || raw.length > 100) return null;
  const id = sha256(raw);
  const now = deps.clock.now();
  const nowMs = now.getTime();
  const idleMs = deps.config.session.idleMinutes * MINUTE;
  // Taken before the read: a revocation committed meanwhile keeps this read out of the cache.
  const epoch = deps.sessionCache.epoch;
  let view = await deps.sessionCache.get(id, nowMs);
  let marker = '';
  if (!view) {
    const rows = await deps.db.query<Row>(
      `SELECT s.id, s.public_id, s.account_id, s.created_at, s.last_seen_at, s.expires_at, s.reauth_at,
              s.second_factor_at, a.two_step_enabled, a.email, a.display_name, a.locale, a.time_zone,
              a.security_stamp::text AS stamp, s.reauth_stamp::text AS reauth_stamp, a.sessions_gen::text AS gen
       FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id = $1`,
      [id],
    );
    const r = rows[0];
    if (!r) return null;
    marker = r.gen;
    view = {
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
      twoStep: r.two_step_enabled,
      stamp: r.stamp,
      reauthStamp: r.reauth_stamp,
    };
    deps.sessionCache.set(view, marker, nowMs, epoch);
  }
  if (view.expiresAt.getTime() <= nowMs || view.lastSeenAt.getTime() + idleMs <= nowMs) {
    deps.sessionCache.delete(id);
    await deps.db.query('DELETE FROM sessions WHERE id = $1', [id]);
    return null;
  }
  // Write the last-seen time rarely (1 % of the idle window, at least a minute): the idle window slides
  // without a write per request.
  if (nowMs - view.lastSeenAt.getTime() > Math.max(MINUTE, idleMs / 100)) {
    const touched = await deps.db.query('UPDATE sessions SET last_seen_at = $2 WHERE id = $1 RETURNING id', [
      id,
      now,
    ]);
    if (touched.length === 0) {
      deps.sessionCache.delete(id);
      return null;
    }
    view = { ...view, lastSeenAt: now };
    if (marker) deps.sessionCache.set(view, marker, nowMs, epoch);
    else deps.sessionCache.delete(id);
  }
  return view;
}

/**
 * Whether the session's last step-up was made against the account's current security stamp: a change of
 * password or security info made elsewhere (another session, a reset) voids every other session's step-up.
 */
export function isReauthCurrent(session: Pick<SessionView, 'stamp' | 'reauthStamp'>): boolean {
  return session.reauthStamp !== null && session.reauthStamp === session.stamp;
}

/**
 * The proof the second step of a sensitive change needs ('current' in src/replacement/restrictions.ts):
 * a step-up made against the account's current stamp, and with two-step verification on, one that
 * included a second factor made against that stamp (a password-only step-up does not do, whenever two-step
 * was turned on). markReauth forgets a second factor given against an older stamp.
 */
export function isReauthCurrentProof(
  session: Pick<SessionView, 'secondFactorAt' | 'twoStep' | 'stamp' | 'reauthStamp'>,
): boolean {
  return isReauthCurrent(session) && (!session.twoStep || session.secondFactorAt !== null);
}

/**
 * A fresh proof for sensitive changes: with two-step verification on, a second-factor proof (code,
 * authenticator or passkey) from the last few minutes; otherwise the password or a code. Either way made
 * against the account's current security stamp.
 */
export function isReauthFresh(
  deps: Deps,
  session: Pick<SessionView, 'reauthAt' | 'secondFactorAt' | 'twoStep' | 'stamp' | 'reauthStamp'>,
): boolean {
  const at = session.twoStep ? session.secondFactorAt : session.reauthAt;
  return (
    isReauthCurrent(session) &&
    at !== null &&
    deps.clock.now().getTime() - at.getTime() < deps.config.stepUpMinutes * MINUTE
  );
}

/**
 * Records a step-up on the session and rotates its token (a privilege change: a token copied before the
 * step-up must not carry it). Locks the account row; the step-up is bound to the account's stamp. When
 * the proof was checked outside `tx` against the stamp `expectStamp`, a change committed since then voids
 * it ('auth.invalid_credentials'). A second factor given before, against another stamp, is forgotten: a
 * password-only step-up after a change never inherits it. Returns the new session token; the old one stops
 * working on commit.
 */
export async function markReauth(
  deps: Deps,
  tx: Sql,
  session: Pick<SessionView, 'id' | 'accountId'>,
  o: { secondFactor?: boolean; expectStamp?: string } = {},
): Promise<string> {
  const locked = await tx.query<{ stamp: string }>(
    'SELECT security_stamp::text AS stamp FROM accounts WHERE id = $1 FOR UPDATE',
    [session.accountId],
  );
  const stamp = locked[0]?.stamp;
  if (stamp === undefined) fail('auth.required');
  if (o.expectStamp !== undefined && o.expectStamp !== stamp) fail('auth.invalid_credentials');
  const raw = token(deps.random, 32);
  const rotated = await tx.query(
    `UPDATE sessions SET id = $4, reauth_at = $2, reauth_stamp = $5::bigint,
       second_factor_at = CASE WHEN $3 THEN $2::timestamptz
         WHEN reauth_stamp IS DISTINCT FROM $5::bigint THEN NULL ELSE second_factor_at END
     WHERE id = $1 AND account_id = $6 RETURNING id`,
    [session.id, deps.clock.now(), o.secondFactor ?? false, sha256(raw), stamp, session.accountId],
  );
  if (rotated.length === 0) fail('auth.required');
  await sessionsChanged(deps, tx, session.accountId);
  return raw;
}

export interface SessionListItem {
  publicId: string;
  createdAt: Date;
  lastSeenAt: Date;
  ip: string;
  userAgent: string;
  current: boolean;
}

export async function listSessions(
  deps: Deps,
  accountId: string,
  currentId: string,
): Promise<SessionListItem[]> {
  const rows = await deps.db.query<{
    id: string;
    public_id: string;
    created_at: Date;
    last_seen_at: Date;
    ip: string;
    user_agent: string;
  }>(
    `SELECT id, public_id, created_at, last_seen_at, ip, user_agent FROM sessions
     WHERE account_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC`,
    [accountId, deps.clock.now()],
  );
  return rows.map((r) => ({
    publicId: r.public_id,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    ip: r.ip,
    userAgent: r.user_agent,
    current: r.id === currentId,
  }));
}

/** Ends one session of the account by its public id. Returns whether one was ended. */
export async function endSession(deps: Deps, tx: Sql, accountId: string, publicId: string): Promise<boolean> {
  const rows = await tx.query<{ id: string }>(
    'DELETE FROM sessions WHERE account_id = $1 AND public_id = $2 RETURNING id',
    [accountId, publicId],
  );
  if (rows.length > 0) await sessionsChanged(deps, tx, accountId);
  return rows.length > 0;
}

/** Ends every session of the account except `keepId` (null: all). Returns how many were ended. */
export async function endOtherSessions(
  deps: Deps,
  tx: Sql,
  accountId: string,
  keepId: string | null,
): Promise<number> {
  const rows = await tx.query<{ id: string }>(
    'DELETE FROM sessions WHERE account_id = $1 AND ($2::text IS NULL OR id <> $2) RETURNING id',
    [accountId, keepId],
  );
  await sessionsChanged(deps, tx, accountId);
  return rows.length;
}

/**
 * Ends one session by its id (a sign-in in a browser that still held another session: the new session
 * replaces it, so a token copied from before the sign-in stops working).
 */
export async function endSessionById(deps: Deps, sessionId: string, accountId: string): Promise<void> {
  await deps.db.tx(async (tx) => {
    const rows = await tx.query('DELETE FROM sessions WHERE id = $1 RETURNING id', [sessionId]);
    if (rows.length > 0) await sessionsChanged(deps, tx, accountId);
  });
}
