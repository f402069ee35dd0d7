import { randomBytes } from 'node:crypto';
import { releaseAll, retrySeconds, takeAll } from '../abuse/limiter.ts';
import { sourceNetwork } from '../abuse/network.ts';
import { dummyHash, hashPassword, verifyPassword } from '../accounts/password-hasher.ts';
import type { Deps } from '../deps.ts';
import { type Cipher, createCipher } from '../kernel/cipher.ts';
import { HOUR, MINUTE } from '../kernel/clock.ts';
import type { RequestContext } from '../kernel/context.ts';
import { sha256 } from '../kernel/crypto.ts';
import { fail } from '../kernel/errors.ts';
import { readDigitCode } from '../kernel/input.ts';
import { newId, token } from '../kernel/random.ts';
import type { Sql } from '../kernel/sql.ts';
import {
  generateTotpSecret,
  manualEntryKey,
  qrCodeSvg,
  totpKeyUri,
  verifyTotp,
} from '../security-info/totp/totp.ts';
import type { AuditAction } from './audit-actions.ts';
import {
  claimOperatorTotpStep,
  clearOperatorTotp,
  deleteOperatorSession,
  deleteOperatorSessions,
  endPendingSignIn,
  enrolOperatorTotp,
  findActiveOperatorByNameKey,
  findPendingSignIn,
  insertAuditEntry,
  insertOperator,
  insertOperatorSession as insertSession,
  keepPendingSecret,
  type PendingRow,
  touchOperatorSession,
} from './store.ts';

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
  await insertOperator(deps.db, {
    id,
    name,
    nameKey: operatorNameKey(name),
    role,
    passwordHash: await hashPassword(input.password),
    createdAt: deps.clock.now(),
  });
  return { id, name, role };
}

/**
 * Failed password checks allowed per operator name, and failed checks (password or code) per source network,
 * per window.
 */
export const OPERATOR_PASSWORD_LIMIT = 10;
export const OPERATOR_IP_LIMIT = 30;
/** Wrong authenticator codes allowed per operator per window. */
export const OPERATOR_CODE_LIMIT = 5;
export const OPERATOR_THROTTLE_MS = 15 * MINUTE;
/** Time between the password and the code (or the enrolment) of a sign-in. */
export const OPERATOR_PENDING_MS = 10 * MINUTE;

/** What a sign-in needs after the password: enrolling an authenticator (first sign-in) or its code. */
export type OperatorNextStep = 'enrol' | 'code';

/** HKDF purpose of the key that encrypts operators' authenticator secrets. */
export const OPERATOR_TOTP_PURPOSE = 'operator-totp';
const ciphers = new WeakMap<Deps['config'], Cipher>();
/** The cipher of operators' authenticator secrets (its own HKDF purpose), one per configuration. */
export function operatorSecretCipher(config: Deps['config']): Cipher {
  let c = ciphers.get(config);
  if (!c) {
    c = createCipher(config.secret, OPERATOR_TOTP_PURPOSE);
    ciphers.set(config, c);
  }
  return c;
}
const sealSecret = (deps: Pick<Deps, 'config'>, secret: Uint8Array) =>
  operatorSecretCipher(deps.config).encrypt(Buffer.from(secret).toString('base64'));
const openSecret = (deps: Pick<Deps, 'config'>, sealed: string) =>
  new Uint8Array(Buffer.from(operatorSecretCipher(deps.config).decrypt(sealed), 'base64'));

/**
 * Takes one attempt on each key, in order, before anything is checked: each take is one atomic step (SQL
 * statement or Redis script) and a refused take is not counted, so a parallel burst cannot slip under a cap.
 * When a key is used up, the units already taken are given back (the attempt was not made) and the answer is
 * `request.rate_limited` with the wait. Returns a function that gives every unit back, for an attempt that
 * turned out right.
 */
async function reserveAttempt(
  deps: Pick<Deps, 'clock' | 'limiter'>,
  keys: [string, number][],
): Promise<() => Promise<void>> {
  const attempt = await takeAll(
    deps.limiter,
    keys.map(([key, limit]) => ({ key, limit, windowMs: OPERATOR_THROTTLE_MS })),
    deps.clock.now(),
  );
  if (!attempt.allowed) fail('request.rate_limited', { seconds: retrySeconds(attempt.retryAfterMs) });
  return () => releaseAll(deps.limiter, attempt.taken);
}

/** Thrown inside a transaction to roll it back when a code lost a race or was replayed. */
const REJECTED = Symbol('rejected');

/** Per source network (an IPv4 address or an IPv6 /64), shared by both steps. */
const ipKey = (ip: string) => `operator:signin:ip:${sourceNetwork(ip)}`;

/**
 * Step 1 of an operator sign-in: the name and password. Every attempt is counted before the password is
 * checked (10 per name, 30 per source network per 15 minutes; over either, `request.rate_limited` + Retry-After and no
 * hash is computed); a right password gives its units back. Unknown names take as long as wrong passwords.
 * A right password opens nothing yet: it returns a pending token (10 minutes) for step 2 — enrolling an
 * authenticator app on the first sign-in, its code afterwards. Errors: operator.invalid_credentials,
 * request.rate_limited. Failures of a known operator are audited.
 */
export async function signInOperator(
  deps: Pick<Deps, 'db' | 'clock' | 'random' | 'limiter'>,
  input: { name: unknown; password: unknown },
  ctx: Pick<RequestContext, 'ip' | 'userAgent'>,
): Promise<{ pendingToken: string; next: OperatorNextStep; operator: Operator }> {
  const name = typeof input.name === 'string' && input.name.length <= 64 ? input.name : '';
  const password = typeof input.password === 'string' && input.password.length <= 1024 ? input.password : '';
  const key = operatorNameKey(name);
  const giveBack = await reserveAttempt(deps, [
    [`operator:signin:name:${sha256(key)}`, OPERATOR_PASSWORD_LIMIT],
    [ipKey(ctx.ip), OPERATOR_IP_LIMIT],
  ]);
  const row = await findActiveOperatorByNameKey(deps.db, key);
  const ok = await verifyPassword(row?.password_hash ?? (await dummyHash()), password);
  const now = deps.clock.now();
  if (!row || !ok || !password) {
    if (row) {
      await auditOperator(
        deps.db,
        { id: row.id, name: row.name, role: row.role },
        'sign_in.failed',
        row.id,
        { ip: ctx.ip, step: 'password' },
        now,
      );
    }
    fail('operator.invalid_credentials');
  }
  await giveBack();
  const operator: Operator = { id: row.id, name: row.name, role: row.role };
  const raw = token(deps.random, 32);
  await insertOperatorSession(deps.db, raw, operator.id, now, OPERATOR_PENDING_MS, ctx, 'pending');
  return { pendingToken: raw, next: row.totp_enrolled_at ? 'code' : 'enrol', operator };
}

async function pendingRow(deps: Pick<Deps, 'db' | 'clock'>, raw: unknown): Promise<PendingRow | null> {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 100) return null;
  return (await findPendingSignIn(deps.db, sha256(raw), deps.clock.now())) ?? null;
}

/** The operator and next step of a pending sign-in (between password and code), or null. */
export async function pendingOperatorSignIn(
  deps: Pick<Deps, 'db' | 'clock'>,
  raw: unknown,
): Promise<{ operator: Operator; next: OperatorNextStep } | null> {
  const row = await pendingRow(deps, raw);
  if (!row) return null;
  return {
    operator: { id: row.operator_id, name: row.name, role: row.role },
    next: row.totp_enrolled_at ? 'code' : 'enrol',
  };
}

export interface OperatorEnrolment {
  /** otpauth:// key URI (issuer "<MAMORI_ISSUER> operators", account the operator name). */
  uri: string;
  qrSvg: string;
  /** The secret in base32, in groups of four, for typing by hand. */
  manualKey: string;
}

/**
 * The authenticator to add during a first sign-in: a fresh 160-bit secret kept (encrypted) with the pending
 * sign-in, the same one on every call for that sign-in. Errors: signin.flow_invalid (no such pending
 * sign-in, or the operator already has an authenticator).
 */
export async function operatorEnrolment(
  deps: Pick<Deps, 'db' | 'clock' | 'random' | 'config'>,
  pendingToken: unknown,
): Promise<OperatorEnrolment> {
  const row = await pendingRow(deps, pendingToken);
  if (!row || row.totp_enrolled_at) fail('signin.flow_invalid');
  let secret: Uint8Array;
  if (row.pending_secret_enc) secret = openSecret(deps, row.pending_secret_enc);
  else {
    const fresh = generateTotpSecret(deps.random);
    const stored = await keepPendingSecret(deps.db, row.id, sealSecret(deps, fresh));
    if (!stored) fail('signin.flow_invalid');
    secret = openSecret(deps, stored);
  }
  const issuer = `${deps.config.issuer.replaceAll(':', ' ')} operators`;
  const uri = totpKeyUri({ issuer, accountName: row.name, secret });
  return { uri, qrSvg: await qrCodeSvg(uri), manualKey: manualEntryKey(secret) };
}

/**
 * Step 2 of an operator sign-in: a code from the authenticator app. On the first sign-in the code confirms
 * the enrolment (the secret becomes the operator's, audited `totp.enrol`); afterwards it is checked against
 * the operator's secret. Each time step is accepted once (one conditional UPDATE: a code cannot be replayed,
 * not even by two parallel requests). Attempts are counted before the check: 5 per operator and 30 per source
 * network per 15 minutes. Success ends the pending sign-in and starts a session (a new token), audited `sign_in`.
 * Errors: signin.flow_invalid, code.invalid, request.rate_limited.
 */
export async function completeOperatorSignIn(
  deps: Pick<Deps, 'db' | 'clock' | 'random' | 'limiter' | 'config'>,
  input: { pendingToken: unknown; code: unknown },
  ctx: Pick<RequestContext, 'ip' | 'userAgent'>,
): Promise<{ token: string; operator: Operator }> {
  const row = await pendingRow(deps, input.pendingToken);
  if (!row) fail('signin.flow_invalid');
  const operator: Operator = { id: row.operator_id, name: row.name, role: row.role };
  const enrolling = !row.totp_enrolled_at;
  const sealed = enrolling ? row.pending_secret_enc : row.totp_secret_enc;
  if (!sealed) fail('signin.flow_invalid');
  // Not six digits: nothing to compare, no attempt spent ("enter the 6 digits").
  if (!readDigitCode(input.code).ok) fail('code.format');
  const giveBack = await reserveAttempt(deps, [
    [`operator:code:${operator.id}`, OPERATOR_CODE_LIMIT],
    [ipKey(ctx.ip), OPERATOR_IP_LIMIT],
  ]);
  const now = deps.clock.now();
  const result = verifyTotp(
    openSecret(deps, sealed),
    typeof input.code === 'string' ? input.code : '',
    now,
    row.totp_last_step,
  );
  const raw = token(deps.random, 32);
  const done =
    result.ok &&
    (await deps.db
      .tx(async (tx) => {
        // The pending sign-in is used once, and only the first request with this step wins: a replay or a
        // racing twin changes nothing (the transaction is rolled back).
        const ended = await endPendingSignIn(tx, row.id);
        const claimed = enrolling
          ? await enrolOperatorTotp(tx, operator.id, sealed, result.step, now)
          : await claimOperatorTotpStep(tx, operator.id, result.step);
        if (!ended || !claimed) throw REJECTED;
        await insertOperatorSession(tx, raw, operator.id, now, OPERATOR_ABSOLUTE_MS, ctx, 'full');
        if (enrolling) await auditOperator(tx, operator, 'totp.enrol', operator.id, { ip: ctx.ip }, now);
        await auditOperator(tx, operator, 'sign_in', operator.id, { ip: ctx.ip, method: 'totp' }, now);
        return true;
      })
      .catch((e: unknown) => {
        if (e === REJECTED) return false;
        throw e;
      }));
  if (!done) {
    await auditOperator(
      deps.db,
      operator,
      'sign_in.failed',
      operator.id,
      { ip: ctx.ip, step: enrolling ? 'enrol' : 'code' },
      now,
    );
    fail('code.invalid');
  }
  await giveBack();
  return { token: raw, operator };
}

/**
 * For an operator who lost their authenticator (the CLI): removes it and ends every session of theirs; the
 * next sign-in enrols a new one. Audited as the action of `cli`. Returns false for an unknown name.
 */
export async function resetOperatorAuthenticator(
  deps: Pick<Deps, 'db' | 'clock'>,
  name: string,
): Promise<boolean> {
  return deps.db.tx(async (tx) => {
    const op = await clearOperatorTotp(tx, operatorNameKey(name));
    if (!op) return false;
    await deleteOperatorSessions(tx, op.id);
    await auditOperator(
      tx,
      { id: 'cli', name: 'cli', role: 'admin' },
      'totp.reset',
      op.id,
      { name: op.name },
      deps.clock.now(),
    );
    return true;
  });
}

/** The operator of a session token, or null (unknown, expired, idle too long, disabled). Slides the idle window. */
export async function validateOperatorToken(
  deps: Pick<Deps, 'db' | 'clock'>,
  raw: unknown,
): Promise<Operator | null> {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 100) return null;
  const now = deps.clock.now();
  const row = await touchOperatorSession(
    deps.db,
    sha256(raw),
    now,
    new Date(now.getTime() - OPERATOR_IDLE_MS),
  );
  return row ? { id: row.operator_id, name: row.name, role: row.role } : null;
}

/** Ends an operator session (audited). */
export async function signOutOperator(
  deps: Pick<Deps, 'db' | 'clock'>,
  raw: unknown,
  operator: Operator,
): Promise<void> {
  if (typeof raw !== 'string') return;
  await deps.db.tx(async (tx) => {
    await deleteOperatorSession(tx, sha256(raw));
    await auditOperator(tx, operator, 'sign_out', operator.id, {}, deps.clock.now());
  });
}

/**
 * Appends an entry to the operator audit log (inside the transaction of the action). Pass `now` from
 * deps.clock; entries are listed in insertion order (seq).
 */
export async function auditOperator(
  tx: Sql,
  operator: Operator,
  action: AuditAction,
  target: string,
  detail: Record<string, string> = {},
  now: Date = new Date(),
): Promise<void> {
  await insertAuditEntry(tx, {
    id: `aud_${randomBytes(12).toString('base64url')}`,
    operatorId: operator.id,
    operatorName: operator.name,
    action: action.slice(0, 64),
    target: target.slice(0, 200),
    detail,
    createdAt: now,
  });
}

/** Stores an operator session by the SHA-256 of its token; `lifeMs` in milliseconds from `now`. */
async function insertOperatorSession(
  sql: Sql,
  raw: string,
  operatorId: string,
  now: Date,
  lifeMs: number,
  ctx: { ip: string; userAgent: string },
  stage: 'pending' | 'full',
): Promise<void> {
  await insertSession(sql, {
    id: sha256(raw),
    operatorId,
    now,
    expiresAt: new Date(now.getTime() + lifeMs),
    ip: ctx.ip,
    userAgent: ctx.userAgent.slice(0, 512),
    stage,
  });
}
