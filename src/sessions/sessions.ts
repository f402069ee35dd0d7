import { bumpSessionsGen, lockStamp } from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import type { EventContext } from '../events/catalog.ts';
import { MINUTE } from '../kernel/clock.ts';
import type { RequestContext } from '../kernel/context.ts';
import { sha256 } from '../kernel/crypto.ts';
import { fail } from '../kernel/errors.ts';
import { newId, token } from '../kernel/random.ts';
import type { Sql } from '../kernel/sql.ts';
import { afterCommit } from '../kernel/unit-of-work.ts';
import { type AmrValue, mergeAmr } from './amr.ts';
import { rememberDevice } from './known-devices.ts';
import type { SessionView } from './session-cache.ts';
import {
  deleteSession,
  deleteSessionByPublicId,
  deleteSessionReturning,
  deleteSessionsExcept,
  findSessionView,
  insertSession,
  listLiveSessions,
  rotateForStepUp,
  touchSession,
} from './store.ts';

/**
 * Something a session check depends on changed for this account (a session ended or rotated, a step-up, a
 * security-stamp change): bumps the account's revocation marker in `tx` and clears the session cache now
 * and again once `tx` has committed, so no instance keeps serving the old state (see session-cache.ts).
 */
export async function sessionsChanged(deps: Pick<Deps, 'emit'>, tx: Sql, accountId: string): Promise<void> {
  await bumpSessionsGen(tx, accountId);
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

/**
 * Server-side sessions: the client holds a random token; only its SHA-256 is stored. `o.secondFactor`: the
 * sign-in included a second factor; `o.expiresAt`: an absolute expiry earlier than the usual one; `o.amr`:
 * the methods that proved the sign-in (RFC 8176 values, sessions/amr.ts; `mfa` is added for two or more).
 */
export async function createSession(
  deps: Pick<Deps, 'clock' | 'random' | 'config'>,
  tx: Sql,
  accountId: string,
  ctx: Pick<RequestContext, 'ip' | 'userAgent' | 'country' | 'device'>,
  o: { secondFactor?: boolean; expiresAt?: Date; amr?: AmrValue[] } = {},
): Promise<string> {
  const now = deps.clock.now();
  const usual = now.getTime() + deps.config.session.absoluteHours * 60 * MINUTE;
  const raw = token(deps.random, 32);
  // A session starts only after a full proof: the browser becomes a known device of the account.
  await rememberDevice(deps, tx, accountId, ctx.device);
  // The sign-in is a fresh proof against the account's current stamp.
  await insertSession(tx, {
    id: sha256(raw),
    publicId: newId(deps.random, 'ses'),
    accountId,
    now,
    // `o.expiresAt` shortens the absolute expiry (a session from a temporary access pass ends with it).
    expiresAt: new Date(Math.min(usual, o.expiresAt?.getTime() ?? usual)),
    ip: ctx.ip,
    userAgent: ctx.userAgent.slice(0, 512),
    country: ctx.country,
    secondFactor: o.secondFactor ?? false,
    amr: mergeAmr([], o.amr ?? []),
  });
  return raw;
}

/** Checks a session token: exists, not past its absolute expiry, not idle too long. Slides the idle window. */
export async function validateSession(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'sessionCache'>,
  raw: string | undefined,
): Promise<SessionView | null> {
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
    const found = await findSessionView(deps.db, id);
    if (!found) return null;
    marker = found.gen;
    view = found.view;
    deps.sessionCache.set(view, marker, nowMs, epoch);
  }
  if (view.expiresAt.getTime() <= nowMs || view.lastSeenAt.getTime() + idleMs <= nowMs) {
    deps.sessionCache.delete(id);
    await deleteSession(deps.db, id);
    return null;
  }
  // Write the last-seen time rarely (1 % of the idle window, at least a minute): the idle window slides
  // without a write per request.
  if (nowMs - view.lastSeenAt.getTime() > Math.max(MINUTE, idleMs / 100)) {
    if (!(await touchSession(deps.db, id, now))) {
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
  deps: Pick<Deps, 'clock' | 'config'>,
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
 * password-only step-up after a change never inherits it. `o.amr`: the methods of this step-up, added to the
 * session's (RFC 8176 values). Returns the new session token; the old one stops working on commit.
 */
export async function markReauth(
  deps: Pick<Deps, 'random' | 'clock' | 'emit'>,
  tx: Sql,
  session: Pick<SessionView, 'id' | 'accountId'> & { amr?: string[] },
  o: { secondFactor?: boolean; expectStamp?: string; amr?: AmrValue[] } = {},
): Promise<string> {
  const stamp = await lockStamp(tx, session.accountId);
  if (stamp === null) fail('auth.required');
  if (o.expectStamp !== undefined && o.expectStamp !== stamp) fail('auth.invalid_credentials');
  const raw = token(deps.random, 32);
  const rotated = await rotateForStepUp(tx, {
    id: session.id,
    accountId: session.accountId,
    newId: sha256(raw),
    now: deps.clock.now(),
    secondFactor: o.secondFactor ?? false,
    stamp,
    amr: mergeAmr(session.amr ?? [], o.amr ?? []),
    freshAmr: mergeAmr([], o.amr ?? []),
  });
  if (!rotated) fail('auth.required');
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
  deps: Pick<Deps, 'db' | 'clock'>,
  accountId: string,
  currentId: string,
): Promise<SessionListItem[]> {
  const rows = await listLiveSessions(deps.db, accountId, deps.clock.now());
  return rows.map((r) => ({
    publicId: r.publicId,
    createdAt: r.createdAt,
    lastSeenAt: r.lastSeenAt,
    ip: r.ip,
    userAgent: r.userAgent,
    current: r.id === currentId,
  }));
}

/** Ends one session of the account by its public id. Returns whether one was ended. */
export async function endSession(
  deps: Pick<Deps, 'emit'>,
  tx: Sql,
  accountId: string,
  publicId: string,
): Promise<boolean> {
  const ended = await deleteSessionByPublicId(tx, accountId, publicId);
  if (ended) await sessionsChanged(deps, tx, accountId);
  return ended;
}

/** Ends every session of the account except `keepId` (null: all). Returns how many were ended. */
export async function endOtherSessions(
  deps: Pick<Deps, 'emit'>,
  tx: Sql,
  accountId: string,
  keepId: string | null,
): Promise<number> {
  const ended = await deleteSessionsExcept(tx, accountId, keepId);
  await sessionsChanged(deps, tx, accountId);
  return ended;
}

/**
 * The owner ends one of their sessions (by public id) from the web page or the API: the session ends, the
 * activity log and everything that reacts to `session.ended` hear of it (apps' security events). Returns
 * whether this call ended it.
 */
export async function ownerEndsSession(
  deps: Pick<Deps, 'db' | 'clock' | 'emit'>,
  accountId: string,
  publicId: string,
  ctx: EventContext,
): Promise<boolean> {
  return deps.db.tx(async (tx) => {
    if (!(await endSession(deps, tx, accountId, publicId))) return false;
    await deps.emit(tx, { type: 'session.ended', accountId, ctx, at: deps.clock.now() });
    return true;
  });
}

/** The owner ends every other session ("sign out everywhere else"), as {@link ownerEndsSession}. */
export async function ownerEndsOtherSessions(
  deps: Pick<Deps, 'db' | 'clock' | 'emit'>,
  accountId: string,
  keepId: string,
  ctx: EventContext,
): Promise<number> {
  return deps.db.tx(async (tx) => {
    const n = await endOtherSessions(deps, tx, accountId, keepId);
    await deps.emit(tx, {
      type: 'session.ended',
      accountId,
      ctx,
      at: deps.clock.now(),
      detail: { count: String(n) },
    });
    return n;
  });
}

/**
 * Ends one session by its id (a sign-in in a browser that still held another session: the new session
 * replaces it, so a token copied from before the sign-in stops working).
 */
export async function endSessionById(
  deps: Pick<Deps, 'db' | 'emit'>,
  sessionId: string,
  accountId: string,
): Promise<void> {
  await deps.db.tx(async (tx) => {
    if (await deleteSessionReturning(tx, sessionId)) await sessionsChanged(deps, tx, accountId);
  });
}
