import { sourceNetwork } from '../abuse/network.ts';
import { findAccountByKey, readStamp } from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import { formatDateTime } from '../i18n/index.ts';
import { DAY, MINUTE, SECOND } from '../kernel/clock.ts';
import type { RequestContext } from '../kernel/context.ts';
import { hmac, sha256 } from '../kernel/crypto.ts';
import { AppError, fail } from '../kernel/errors.ts';
import type { Sql } from '../kernel/sql.ts';
import { emailKey, normalizeEmail } from '../security-info/email/normalize-email.ts';
import { createSession } from '../sessions/sessions.ts';
import { TimingEqualizer } from '../sessions/timing.ts';
import {
  type ActingAdmin,
  type ActionDeps,
  memberAction,
  READABLE_ALPHABET,
  readableSecret,
  tellMember,
} from './admin-actions.ts';
import { recordOrgAudit } from './audit.ts';
import { deleteTap, deleteTapOfAccount, spendTap, upsertTap } from './store/taps.ts';

/**
 * Temporary access passes (issue 9 §4, after Entra ID's Temporary Access Pass): an admin gives a member who
 * lost their methods a time-limited pass; signing in with it (`/sign-in/pass`) counts as a second factor
 * and leads straight to registering methods. One per member (a new one replaces the old), shown once,
 * stored as an HMAC-SHA-256 under the server secret (the pass is high-entropy random, so a keyed hash is
 * enough). docs/flows/organisations-actions.md.
 */

export const TAP_LENGTH = { min: 8, max: 48, default: 8 } as const;
/** Lifetime in minutes: 10 minutes to 30 days, 1 hour by default (Entra ID's range and default). */
export const TAP_LIFETIME_MINUTES = { min: 10, max: 30 * 24 * 60, default: 60 } as const;

function intIn(v: unknown, min: number, max: number, fallback: number): number {
  if (v === undefined || v === null || v === '') return fallback;
  const n =
    typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,6}$/.test(v.trim()) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) fail('org.tap_invalid');
  return n;
}

const isOn = (v: unknown) => v === true || v === 'true' || v === 'on' || v === '1';

/** The keyed hash a pass is stored and looked up by. */
function passHash(deps: Pick<Deps, 'config'>, pass: string): string {
  return hmac(deps.config.secret, `tap:${pass}`);
}

/** A pass as typed: spaces and hyphens dropped, upper-case (the alphabet has no lower-case letters). */
function cleanPass(v: unknown): string {
  if (typeof v !== 'string' || v.length > 200) return '';
  return v.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
}

/** A created pass: `pass` is shown to the admin once and never stored in clear. */
export interface CreatedTap {
  pass: string;
  expiresAt: Date;
  oneTime: boolean;
  lengthChars: number;
}

/**
 * Creates a temporary access pass for the member, replacing any earlier one. Input: `length` (8–48,
 * default 8), `lifetimeMinutes` (10–43200, default 60), `oneTime` (checkbox; default multi-use when absent
 * from a form: pass `oneTime: true` for a one-time pass). Audit-logged (`tap.created`) and emailed to the
 * member's contacts. Errors: `org.tap_invalid`, `org.forbidden`, `org.target_forbidden`,
 * `auth.reauth_required`.
 */
export async function createTap(
  deps: ActionDeps,
  by: ActingAdmin,
  targetAccountId: unknown,
  input: { length?: unknown; lifetimeMinutes?: unknown; oneTime?: unknown },
): Promise<CreatedTap> {
  const length = intIn(input.length, TAP_LENGTH.min, TAP_LENGTH.max, TAP_LENGTH.default);
  const minutes = intIn(
    input.lifetimeMinutes,
    TAP_LIFETIME_MINUTES.min,
    TAP_LIFETIME_MINUTES.max,
    TAP_LIFETIME_MINUTES.default,
  );
  const oneTime = isOn(input.oneTime);
  const pass = readableSecret(deps.random, length);
  return memberAction(deps, by, 'tap.created', targetAccountId, async (tx, _t, account) => {
    const now = deps.clock.now();
    const expiresAt = new Date(now.getTime() + minutes * MINUTE);
    await upsertTap(tx, {
      accountId: account.id,
      orgId: by.admin.orgId,
      passHash: passHash(deps, pass),
      oneTime,
      createdBy: by.admin.actor.id,
      createdAt: now,
      expiresAt,
      stamp: (await readStamp(tx, account.id)) ?? '0',
    });
    await tellMember(deps, tx, account, by.admin, 'tap', {
      until: formatDateTime(account.locale, expiresAt, account.timeZone),
    });
    return {
      result: { pass, expiresAt, oneTime, lengthChars: length },
      detail: { length: String(length), minutes: String(minutes), oneTime: String(oneTime) },
    };
  });
}

/**
 * Revokes the member's temporary access pass (it stops working at once). Returns whether there was one.
 * Audit-logged (`tap.revoked`). Errors: `org.forbidden`, `org.target_forbidden`, `auth.reauth_required`.
 */
export async function revokeTap(
  deps: ActionDeps,
  by: ActingAdmin,
  targetAccountId: unknown,
): Promise<boolean> {
  return memberAction(deps, by, 'tap.revoked', targetAccountId, async (tx, _t, account) => {
    const had = await deleteTap(tx, by.admin.orgId, account.id);
    return { result: had, detail: { had: String(had) } };
  });
}

/** One per process: failures are padded to the time a success takes, so no timing tells them apart. */
const tapTiming = new TimingEqualizer();
const WINDOW = 15 * MINUTE;

/** A session started with a pass: the token, the account and when it ends (no later than the pass). */
export interface TapSignIn {
  sessionToken: string;
  accountId: string;
  expiresAt: Date;
}

/**
 * Signs in with an address and a temporary access pass. The attempt is taken from the address's and the
 * source network's budgets before anything is checked (the password sign-in's limits), and a wrong address
 * and a wrong pass answer the same `auth.invalid_credentials`, after the same statements (an account
 * lookup by key, then one spending UPDATE). A one-time pass is spent by that single UPDATE, so of any number
 * of concurrent attempts exactly one gets a session. The session counts as a second factor, and ends no
 * later than the pass. Errors: `auth.throttled` (Retry-After), `auth.invalid_credentials`.
 */
export async function signInWithTap(
  deps: Pick<Deps, 'db' | 'clock' | 'random' | 'config' | 'limiter' | 'emit'>,
  input: { email: unknown; pass: unknown },
  ctx: RequestContext,
): Promise<TapSignIn> {
  const startedAt = performance.now();
  const email =
    typeof input.email === 'string' && input.email.length <= 320 ? normalizeEmail(input.email) : '';
  const key = emailKey(email);
  const pass = cleanPass(input.pass);
  const now = deps.clock.now();
  const { perAccountPerQuarterHour, perIpPerQuarterHour } = deps.config.signIn;
  const accountKey = `tap:acct:${sha256(key)}`;
  const ipKey = `tap:ip:${sourceNetwork(ctx.ip)}`;
  const [byAccount, byIp] = await Promise.all([
    deps.limiter.take(accountKey, perAccountPerQuarterHour, WINDOW, now),
    deps.limiter.take(ipKey, perIpPerQuarterHour, WINDOW, now),
  ]);
  if (!byAccount.allowed || !byIp.allowed) {
    await Promise.all([deps.limiter.release(accountKey, byAccount), deps.limiter.release(ipKey, byIp)]);
    fail('auth.throttled', {
      seconds: Math.ceil(Math.max(byAccount.retryAfterMs, byIp.retryAfterMs, SECOND) / SECOND),
    });
  }
  const account = key ? await findAccountByKey(deps.db, key) : null;
  const wellFormed =
    pass.length >= TAP_LENGTH.min &&
    pass.length <= TAP_LENGTH.max &&
    [...pass].every((c) => READABLE_ALPHABET.includes(c));
  try {
    const done = await deps.db.tx(async (tx) => {
      // The same statement whether or not the account exists, or the pass is well formed.
      const tap = await spendTap(
        tx,
        account?.emailConfirmedAt && wellFormed ? account.id : '',
        passHash(deps, pass),
        now,
      );
      if (!tap || !account) fail('auth.invalid_credentials');
      const sessionToken = await createSession(deps, tx, account.id, ctx, {
        secondFactor: true,
        expiresAt: tap.expires_at,
        amr: ['tap'],
      });
      await recordOrgAudit(deps, tx, {
        orgId: tap.org_id,
        actor: { kind: 'member', id: account.id, name: account.email },
        action: 'tap.used',
        targetAccountId: account.id,
        target: account.email,
        detail: { oneTime: String(tap.one_time) },
      });
      await deps.emit(tx, { type: 'signin.success', accountId: account.id, ctx, at: now });
      const expiresAt = new Date(
        Math.min(tap.expires_at.getTime(), now.getTime() + deps.config.session.absoluteHours * 60 * MINUTE),
      );
      return { sessionToken, accountId: account.id, expiresAt };
    });
    await Promise.all([deps.limiter.reset(accountKey), deps.limiter.release(ipKey, byIp)]);
    tapTiming.recordSuccess(performance.now() - startedAt);
    return done;
  } catch (e) {
    if (e instanceof AppError && e.code === 'auth.invalid_credentials') await tapTiming.padFailure(startedAt);
    throw e;
  }
}

/** The longest a pass may live, for forms (days). */
export const TAP_MAX_DAYS = TAP_LIFETIME_MINUTES.max / (DAY / MINUTE);

/**
 * Ends the account's temporary access pass because its owner took the account back (a new password, a reset,
 * "secure my account"): a pass an admin gave for a lost phone must not outlive the owner's own recovery, and
 * a pass that leaked is void once the owner secures the account. Also when the account's role is raised
 * (reason `role_raised`): a pass an authentication admin gave a member must not sign in an admin. Audited as
 * `tap.revoked` by the system. In the caller's transaction (an event subscriber, or the role change).
 */
export async function endPassOnOwnerRecovery(
  deps: Pick<Deps, 'clock' | 'random'>,
  tx: Sql,
  accountId: string,
  reason: string,
): Promise<void> {
  const orgId = await deleteTapOfAccount(tx, accountId);
  if (!orgId) return;
  await recordOrgAudit(deps, tx, {
    orgId,
    actor: { kind: 'system', id: null, name: 'Mamori' },
    action: 'tap.revoked',
    targetAccountId: accountId,
    detail: { reason },
  });
}
