import type { Deps } from '../deps.ts';
import { MINUTE } from '../kernel/clock.ts';
import type { RequestContext } from '../kernel/context.ts';
import { sha256 } from '../kernel/crypto.ts';
import { newId, token } from '../kernel/random.ts';
import type { Sql } from '../storage/db.ts';
import type { SessionView } from './session-cache.ts';

/** Server-side sessions: the client holds a random token; only its SHA-256 is stored. */
export async function createSession(
  deps: Deps,
  tx: Sql,
  accountId: string,
  ctx: Pick<RequestContext, 'ip' | 'userAgent' | 'country'>,
  o: { secondFactor?: boolean } = {},
): Promise<string> {
  const now = deps.clock.now();
  const raw = token(deps.random, 32);
  await tx.query(
    `INSERT INTO sessions (id, public_id, account_id, created_at, last_seen_at, expires_at, reauth_at, ip, user_agent,
       country, second_factor_at)
     VALUES ($1, $2, $3, $4, $4, $5, $4, $6, $7, $8, CASE WHEN $9 THEN $4::timestamptz END)`,
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
}

/** Checks a session token: exists, not past its absolute expiry, not idle too long. Slides the idle window. */
export async function validateSession(deps: Deps, raw: string | undefined): Promise<SessionView | null> {
  if (!raw || raw.length > 100) return null;
  const id = sha256(raw);
  const now = deps.clock.now();
  const nowMs = now.getTime();
  const idleMs = deps.config.session.idleMinutes * MINUTE;
  let view = deps.sessionCache.get(id, nowMs);
  if (!view) {
    const rows = await deps.db.query<Row>(
      `SELECT s.id, s.public_id, s.account_id, s.created_at, s.last_seen_at, s.expires_at, s.reauth_at,
              s.second_factor_at, a.two_step_enabled, a.email, a.display_name, a.locale, a.time_zone
       FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id = $1`,
      [id],
    );
    const r = rows[0];
    if (!r) return null;
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
    };
    deps.sessionCache.set(view, nowMs);
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
    deps.sessionCache.set(view, nowMs);
  }
  return view;
}

/**
 * A fresh proof for sensitive changes: with two-step verification on, a second-factor proof (code,
 * authenticator or passkey) from the last few minutes; otherwise the password or a code.
 */
export function isReauthFresh(
  deps: Deps,
  session: Pick<SessionView, 'reauthAt' | 'secondFactorAt' | 'twoStep'>,
): boolean {
  const at = session.twoStep ? session.secondFactorAt : session.reauthAt;
  return at !== null && deps.clock.now().getTime() - at.getTime() < deps.config.stepUpMinutes * MINUTE;
}

export async function markReauth(
  deps: Deps,
  tx: Sql,
  sessionId: string,
  secondFactor = false,
): Promise<void> {
  await tx.query(
    `UPDATE sessions SET reauth_at = $2, second_factor_at = CASE WHEN $3 THEN $2::timestamptz ELSE second_factor_at END
     WHERE id = $1`,
    [sessionId, deps.clock.now(), secondFactor],
  );
  deps.sessionCache.delete(sessionId);
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
  for (const r of rows) deps.sessionCache.delete(r.id);
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
  deps.sessionCache.deleteAccount(accountId);
  return rows.length;
}
