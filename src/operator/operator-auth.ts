import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { releaseAll, retrySeconds, takeAll } from '../abuse/limiter.ts';
import { sourceNetwork } from '../abuse/network.ts';
import { dummyHash, hashPassword, verifyPassword } from '../accounts/password-hasher.ts';
import type { Deps } from '../deps.ts';
import { HOUR, MINUTE } from '../kernel/clock.ts';
import type { RequestContext } from '../kernel/context.ts';
import { sha256 } from '../kernel/crypto.ts';
import { AppError, fail } from '../kernel/errors.ts';
import { newId, token } from '../kernel/random.ts';
import type { Sql } from '../storage/db.ts';

/** A signed-in operator of the console (reviewers and admins: separate from user accounts). */
export interface Operator {
  id: string;
  name: string;
  role: 'reviewer' | 'admin';
}

/** The console's cookie: its own name and path, so it never reaches the user pages. */
export const OPERATOR_COOKIE = 'mamori_operator';
/** An operator session ends after 30 idle minutes or 8 hours, whichever comes first. */
export const OPERATOR_IDLE_MS = 30 * MINUTE;
export const OPERATOR_ABSOLUTE_MS = 8 * HOUR;

const NAME_RE = /^[A-Za-z0-9._-]{3,64}$/;

export function operatorNameKey(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase();
}

/** Creates an operator (the CLI and tests). The password is stored as argon2id. */
export async function createOperator(
  deps: Pick<Deps, 'db' | 'clock' | 'random'>,
  input: { name: string; password: string; role?: Operator['role'] },
): Promise<Operator> {
  const name = input.name.normalize('NFKC').trim();
  if (!NAME_RE.test(name)) throw new Error('operator name: 3-64 letters, digits, ".", "_" or "-"');
  if (input.password.length < 12 || input.password.length > 1024)
    throw new Error('operator password: at least 12 characters');
  const role = input.role ?? 'reviewer';
  const id = newId(deps.random, 'opr');
  await deps.db.query(
    `INSERT INTO operators (id, name, name_key, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, name, operatorNameKey(name), role, await hashPassword(input.password), deps.clock.now()],
  );
  return { id, name, role };
}

/**
 * Checks an operator's name and password and starts a session; returns its token. Unknown names take as long
 * as wrong passwords. Throttled per name and per IP. Audited.
 */
export async function signInOperator(
  deps: Deps,
  input: { name: unknown; password: unknown },
  ctx: Pick<RequestContext, 'ip' | 'userAgent'>,
): Promise<{ token: string; operator: Operator }> {
  const name = typeof input.name === 'string' && input.name.length <= 64 ? input.name : '';
  const password = typeof input.password === 'string' && input.password.length <= 1024 ? input.password : '';
  const now = deps.clock.now();
  const key = operatorNameKey(name);
  // Take the attempt before the password is checked, so concurrent guesses cannot all pass a check made
  // before any of them was counted; a right password gives it back.
  const attempt = await takeAll(
    deps.limiter,
    [
      { key: `operator:signin:name:${key}`, limit: 10, windowMs: 15 * MINUTE },
      { key: `operator:signin:ip:${sourceNetwork(ctx.ip)}`, limit: 30, windowMs: 15 * MINUTE },
    ],
    now,
  );
  if (!attempt.allowed) fail('request.rate_limited', { seconds: retrySeconds(attempt.retryAfterMs) });
  const row = (
    await deps.db.query<{ id: string; name: string; role: Operator['role']; password_hash: string }>(
      'SELECT id, name, role, password_hash FROM operators WHERE name_key = $1 AND disabled_at IS NULL',
      [key],
    )
  )[0];
  const ok = await verifyPassword(row?.password_hash ?? (await dummyHash()), password);
  if (!row || !ok || !password) fail('operator.invalid_credentials');
  await releaseAll(deps.limiter, attempt.taken);
  const operator: Operator = { id: row.id, name: row.name, role: row.role };
  const raw = token(deps.random, 32);
  await deps.db.tx(async (tx) => {
    await tx.query(
      `INSERT INTO operator_sessions (id, operator_id, created_at, last_seen_at, expires_at, ip, user_agent)
       VALUES ($1, $2, $3, $3, $4, $5, $6)`,
      [
        sha256(raw),
        operator.id,
        now,
        new Date(now.getTime() + OPERATOR_ABSOLUTE_MS),
        ctx.ip,
        ctx.userAgent.slice(0, 512),
      ],
    );
    await auditOperator(tx, operator, 'sign_in', operator.id, { ip: ctx.ip }, now);
  });
  return { token: raw, operator };
}

/** The operator of a session token, or null (unknown, expired, idle too long, disabled). Slides the idle window. */
export async function validateOperatorToken(deps: Deps, raw: unknown): Promise<Operator | null> {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 100) return null;
  const now = deps.clock.now();
  const row = (
    await deps.db.query<{ operator_id: string; name: string; role: Operator['role'] }>(
      `UPDATE operator_sessions s SET last_seen_at = $2
       FROM operators o
       WHERE s.id = $1 AND o.id = s.operator_id AND o.disabled_at IS NULL
         AND s.expires_at > $2 AND s.last_seen_at > $3
       RETURNING s.operator_id, o.name, o.role`,
      [sha256(raw), now, new Date(now.getTime() - OPERATOR_IDLE_MS)],
    )
  )[0];
  return row ? { id: row.operator_id, name: row.name, role: row.role } : null;
}

/** Ends an operator session (audited). */
export async function signOutOperator(deps: Deps, raw: unknown, operator: Operator): Promise<void> {
  if (typeof raw !== 'string') return;
  await deps.db.tx(async (tx) => {
    await tx.query('DELETE FROM operator_sessions WHERE id = $1', [sha256(raw)]);
    await auditOperator(tx, operator, 'sign_out', operator.id, {}, deps.clock.now());
  });
}

/** The operator of a bearer token (JSON API), or AppError 'operator.required'. */
export async function operatorFromBearer(deps: Deps, req: FastifyRequest): Promise<Operator> {
  const h = req.headers.authorization;
  const op = h?.startsWith('Bearer ') ? await validateOperatorToken(deps, h.slice(7).trim()) : null;
  if (!op) throw new AppError('operator.required', 401);
  return op;
}

/**
 * The signed-in operator for a console page, or null after redirecting to /operator/sign-in.
 */
export async function requireOperator(
  deps: Deps,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<Operator | null> {
  const op = await validateOperatorToken(deps, req.cookies[OPERATOR_COOKIE]);
  if (op) return op;
  if (req.cookies[OPERATOR_COOKIE]) reply.clearCookie(OPERATOR_COOKIE, { path: '/operator' });
  await reply.redirect('/operator/sign-in', 303);
  return null;
}

/**
 * Appends an entry to the operator audit log (inside the transaction of the action). Pass `now` from
 * deps.clock; entries are listed in insertion order (seq).
 */
export async function auditOperator(
  tx: Sql,
  operator: Operator,
  action: string,
  target: string,
  detail: Record<string, string> = {},
  now: Date = new Date(),
): Promise<void> {
  await tx.query(
    `INSERT INTO operator_audit (id, operator_id, operator_name, action, target, detail, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      `aud_${randomBytes(12).toString('base64url')}`,
      operator.id,
      operator.name,
      action.slice(0, 64),
      target.slice(0, 200),
      JSON.stringify(detail),
      now,
    ],
  );
}
