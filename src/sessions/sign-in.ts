import { sourceNetwork } from '../abuse/network.ts';
import { throttleNetwork } from '../abuse/network-limits.ts';
import { dummyHash, verifyPassword } from '../accounts/password-hasher.ts';
import { findAccountByKey, lockSignInState } from '../accounts/store.ts';
import { recordActivityBlind } from '../activity/activity.ts';
import type { Deps } from '../deps.ts';
import { MINUTE, SECOND } from '../kernel/clock.ts';
import type { RequestContext } from '../kernel/context.ts';
import { sha256 } from '../kernel/crypto.ts';
import { fail } from '../kernel/errors.ts';
import { maskEmail } from '../kernel/mask.ts';
import { signIns } from '../kernel/metrics.ts';
import { token } from '../kernel/random.ts';
import { emailKey, normalizeEmail } from '../security-info/email/normalize-email.ts';
import { deliverCode } from '../verification/deliver.ts';
import { deviceHash, isKnownDeviceByKey } from './known-devices.ts';
import { assessSignIn, describeOrigin } from './risk.ts';
import { createPendingSignIn, type PendingReason } from './second-factor.ts';
import { createSession, sessionsChanged } from './sessions.ts';
import { deleteSession } from './store.ts';
import { TimingEqualizer } from './timing.ts';
import { isTrustedDevice } from './trusted-devices.ts';

const WINDOW = 15 * MINUTE;
/** One per process: the time a successful sign-in takes here, which failures are padded to. */
export const signInTiming = new TimingEqualizer();

export type SignInResult =
  | { kind: 'signed_in'; sessionToken: string; accountId: string }
  | { kind: 'confirm_email'; signupToken: string; maskedEmail: string }
  | { kind: 'second_factor'; pendingToken: string; reason: PendingReason };

/**
 * Password sign-in. Failures are counted per account and per IP in 15-minute windows; over either limit
 * the answer is "try again later" with Retry-After and no password is checked. The throttle always ends
 * by itself, so an outsider cannot lock an owner out for good. Unknown accounts verify a dummy hash so
 * they answer like a wrong password, in the same time.
 */
export async function signIn(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'db' | 'emit' | 'limiter' | 'log' | 'random'>,
  input: { email: unknown; password: unknown; trustedDeviceToken?: string },
  ctx: RequestContext,
): Promise<SignInResult> {
  const startedAt = performance.now();
  const email =
    typeof input.email === 'string' && input.email.length <= 320 ? normalizeEmail(input.email) : '';
  const password = typeof input.password === 'string' && input.password.length <= 1024 ? input.password : '';
  const key = emailKey(email);
  const now = deps.clock.now();
  const { perAccountPerQuarterHour, perIpPerQuarterHour } = deps.config.signIn;
  // A known device of the account has its own allowance, which strangers cannot spend; every other device
  // shares the account's. The same statement runs whether or not the account exists.
  const known = await isKnownDeviceByKey(deps, key, ctx.device);
  const accountKey = known
    ? `signin:acct:${sha256(key)}:dev:${deviceHash(ctx.device)}`
    : `signin:acct:${sha256(key)}`;
  const ipKey = `signin:ip:${sourceNetwork(ctx.ip)}`;

  // Take the attempt before checking the password, so parallel guesses cannot all slip under the limit.
  // A known device guesses only at the accounts it is known to, under its own allowance: the source
  // network's limit (which strangers on the owner's network can fill) is not its.
  const [byAccount, byIp] = await Promise.all([
    deps.limiter.take(accountKey, perAccountPerQuarterHour, WINDOW, now),
    known ? null : deps.limiter.take(ipKey, perIpPerQuarterHour, WINDOW, now),
  ]);
  const releaseIp = () => (byIp ? deps.limiter.release(ipKey, byIp) : Promise.resolve());
  const account = key ? await findAccountByKey(deps.db, key) : null;
  if (!byAccount.allowed || (byIp && !byIp.allowed)) {
    // A refused attempt checks nothing and spends nothing.
    await Promise.all([deps.limiter.release(accountKey, byAccount), releaseIp()]);
    recordFailedSignIn(deps, key, 'signin.throttled', ctx);
    signIns.inc({ outcome: 'throttled' });
    fail('auth.throttled', {
      seconds: Math.ceil(Math.max(byAccount.retryAfterMs, byIp?.retryAfterMs ?? 0, SECOND) / SECOND),
    });
  }

  const ok = await verifyPassword(account?.passwordHash ?? (await dummyHash()), password);
  if (!account || !ok) {
    recordFailedSignIn(deps, key, 'signin.wrong_password', ctx);
    signIns.inc({ outcome: 'wrong' });
    await signInTiming.padFailure(startedAt);
    fail('auth.invalid_credentials');
  }
  // A right password: this attempt does not count against the account or the network it came from.
  await Promise.all([deps.limiter.reset(accountKey), releaseIp()]);

  if (!account.emailConfirmedAt) {
    // The password is right but the address was never confirmed: send a fresh confirmation code.
    await throttleNetwork(deps, ctx.ip, ['sends']);
    const signupToken = token(deps.random, 24);
    await deps.db.tx(async (tx) => {
      const _issued = await deliverCode(deps, tx, {
        purpose: 'signup',
        subject: sha256(signupToken),
        accountId: account.id,
        channel: 'email',
        destination: account.email,
        destinationKey: account.emailKey,
        // The address is not proven yet: whoever set it could be anyone, so this is an open send.
        budget: 'open',
        ignoreCooldown: true,
        to: { account: account, locale: account.locale, accountEmail: account.email },
      });
    });
    signIns.inc({ outcome: 'unconfirmed' });
    return { kind: 'confirm_email', signupToken, maskedEmail: maskEmail(account.email) };
  }

  // Two-step verification and unusual sign-ins (docs/flows/two-step.md).
  const trustedBefore = await isTrustedDevice(deps, account.id, input.trustedDeviceToken);
  type Outcome =
    | { kind: 'pending'; pendingToken: string; reason: PendingReason }
    | { kind: 'session'; sessionToken: string };
  const outcome = await deps.db.tx(async (tx): Promise<Outcome> => {
    // The password may have changed while it was being checked ("secure my account", a reset): lock the
    // account row and compare, so no session starts with a password that is no longer the account's.
    const locked = await lockSignInState(tx, account.id);
    if (!locked || locked.passwordHash !== account.passwordHash) fail('auth.invalid_credentials');
    const twoStep = locked.twoStepEnabled;
    // Likewise the device's trust, which a change of security info ends.
    const trusted = trustedBefore && (await isTrustedDevice(deps, account.id, input.trustedDeviceToken, tx));
    const risk = await assessSignIn(deps, tx, account.id, ctx);
    const alert = risk.newCountry || (risk.newDevice && !trusted);
    if (alert) {
      // One alert per unusual sign-in, to every contact, in the same transaction as its activity entry.
      const origin = describeOrigin(ctx, account.locale);
      await deps.emit(tx, {
        type: 'signin.unusual',
        accountId: account.id,
        account,
        ctx,
        at: now,
        detail: origin,
        unusual: true,
        origin,
      });
    }
    const reason: PendingReason | null = twoStep && !trusted ? 'two_step' : alert ? 'unusual' : null;
    if (reason)
      return {
        kind: 'pending',
        pendingToken: await createPendingSignIn(deps, tx, account.id, reason),
        reason,
      };
    const t = await createSession(deps, tx, account.id, ctx, {
      secondFactor: trusted && twoStep,
      amr: ['pwd'],
    });
    await deps.emit(tx, { type: 'signin.success', accountId: account.id, ctx, at: now });
    return { kind: 'session', sessionToken: t };
  });
  signIns.inc({ outcome: outcome.kind === 'pending' ? 'second_factor' : 'signed_in' });
  if (outcome.kind === 'pending') {
    return { kind: 'second_factor', pendingToken: outcome.pendingToken, reason: outcome.reason };
  }
  signInTiming.recordSuccess(performance.now() - startedAt);
  return { kind: 'signed_in', sessionToken: outcome.sessionToken, accountId: account.id };
}

/**
 * Records a failed sign-in (`kind`) in the activity of the account with comparison key `key`, if there is
 * one. For timing parity the same single statement runs whether or not the account exists (for an unknown
 * address it inserts nothing), and it is not awaited: the answer leaves as soon as it is decided, so neither
 * the work done nor the time taken tells an unknown address from a wrong password. A failure to record is
 * logged.
 */
function recordFailedSignIn(
  deps: Pick<Deps, 'db' | 'random' | 'clock' | 'log'>,
  key: string,
  kind: 'signin.wrong_password' | 'signin.throttled',
  ctx: RequestContext,
): void {
  recordActivityBlind(deps.db, deps.random, deps.clock.now(), { emailKey: key }, kind, ctx).catch(
    (e: unknown) => deps.log.error({ err: e, kind }, 'recording a failed sign-in failed'),
  );
}

export async function signOut(
  deps: Pick<Deps, 'db' | 'emit' | 'clock'>,
  sessionId: string,
  accountId: string,
  ctx: RequestContext,
): Promise<void> {
  await deps.db.tx(async (tx) => {
    await deleteSession(tx, sessionId);
    await sessionsChanged(deps, tx, accountId);
    await deps.emit(tx, { type: 'signout', accountId: accountId, ctx, at: deps.clock.now() });
  });
}
