import { verifyPassword } from '../accounts/password-hasher.ts';
import { findAccountById, lockStamp } from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import { MINUTE, SECOND } from '../kernel/clock.ts';
import type { RequestContext } from '../kernel/context.ts';
import { fail } from '../kernel/errors.ts';
import { findMethod, isContact, markMethodUsed } from '../security-info/store.ts';
import { checkTotpMethod, failTotp } from '../security-info/totp-service.ts';
import { withWrongCodeBudget } from '../verification/account-cap.ts';
import { verifyCode } from '../verification/challenges.ts';
import { deliverCode } from '../verification/deliver.ts';
import { findChallengeId } from '../verification/store.ts';
import { amrOfMethod } from './amr.ts';
import type { SessionView } from './session-cache.ts';
import { markReauth } from './sessions.ts';

/**
 * Fresh proof for sensitive changes ("step-up"): the password again, or a code sent to a verified method.
 * Wrong passwords are throttled per account like sign-in (a separate counter, so a stranger's failed
 * sign-ins cannot block the owner's step-up). A step-up is bound to the account's security stamp and
 * rotates the session token: each returns the new token, and the one used for the request stops working.
 */
export async function reauthWithPassword(
  deps: Pick<Deps, 'db' | 'emit' | 'clock' | 'config' | 'limiter' | 'random'>,
  session: SessionView,
  password: unknown,
  ctx: RequestContext,
): Promise<{ sessionToken: string }> {
  const now = deps.clock.now();
  const key = `reauth:acct:${session.accountId}`;
  const limit = deps.config.signIn.perAccountPerQuarterHour;
  const state = await deps.limiter.take(key, limit, 15 * MINUTE, now);
  if (!state.allowed)
    fail('auth.throttled', { seconds: Math.ceil(Math.max(state.retryAfterMs, SECOND) / SECOND) });
  const account = await findAccountById(deps.db, session.accountId);
  if (!account) fail('auth.required');
  const ok =
    typeof password === 'string' &&
    password.length <= 1024 &&
    (await verifyPassword(account.passwordHash, password));
  if (!ok) {
    await deps.emit(deps.db, {
      type: 'signin.wrong_password',
      accountId: account.id,
      ctx,
      at: now,
      detail: {
        step: 'reauth',
      },
    });
    fail('auth.invalid_credentials');
  }
  await deps.limiter.reset(key);
  return deps.db.tx(async (tx) => {
    // The password was checked against the account as it was read: a change since voids the proof.
    const sessionToken = await markReauth(deps, tx, session, {
      expectStamp: account.securityStamp,
      amr: ['pwd'],
    });
    await deps.emit(tx, {
      type: 'reauth.success',
      accountId: account.id,
      ctx,
      at: now,
      detail: { with: 'password' },
    });
    return { sessionToken };
  });
}

/** Sends a step-up code to one of the account's verified methods. */
export async function sendReauthCode(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'db' | 'random'>,
  session: SessionView,
  methodId: unknown,
): Promise<{ challengeId: string; resendAt: Date }> {
  const out = await deps.db.tx(async (tx) => {
    const account = await findAccountById(tx, session.accountId);
    const m = await findMethod(tx, session.accountId, methodId);
    if (!account || !m?.verifiedAt || !isContact(m)) fail('contact.not_found');
    const issued = await deliverCode(deps, tx, {
      purpose: 'reauth',
      subject: `${session.id}:${m.id}`,
      accountId: account.id,
      channel: m.kind,
      destination: m.value,
      destinationKey: m.valueKey,
      budget: 'owner',
      // Each step-up code starts a new step-up of this live session, against the current state.
      renew: true,
      to: { account: account, locale: account.locale, accountEmail: account.email },
    });
    return { challengeId: issued.challengeId, resendAt: issued.resendAt };
  });
  return out;
}

async function reauthWithCodeUnbudgeted(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emit' | 'random'>,
  session: SessionView,
  methodId: unknown,
  code: unknown,
  ctx: RequestContext,
): Promise<{ sessionToken: string }> {
  if (typeof methodId !== 'string') fail('code.not_found');
  const method = await findMethod(deps.db, session.accountId, methodId);
  if (!method?.verifiedAt) fail('contact.not_found');
  const subject = `${session.id}:${methodId}`;
  const result = await deps.db.tx(async (tx) => {
    await lockStamp(tx, session.accountId); // no change of security info between the check and the step-up
    if (method.kind === 'totp') {
      const check = await checkTotpMethod(deps, tx, session.accountId, method.id, code);
      if (check !== 'ok') failTotp(check);
    } else {
      const challengeId = await findChallengeId(tx, 'reauth', subject);
      if (!challengeId) return { ok: false as const, error: null };
      const verified = await verifyCode(deps, tx, { challengeId, purpose: 'reauth', subject, code });
      if (!verified.ok) return verified;
    }
    const now = deps.clock.now();
    // Proving an old method cancels a pending replacement (which moves the stamp on); the step-up is
    // then bound to the stamp after that.
    await markMethodUsed(tx, methodId, now);
    await deps.emit(tx, { type: 'method.used', accountId: session.accountId, ctx });
    const sessionToken = await markReauth(deps, tx, session, {
      secondFactor: true,
      amr: [amrOfMethod(method.kind)],
    });
    await deps.emit(tx, {
      type: 'reauth.success',
      accountId: session.accountId,
      ctx,
      at: now,
      detail: {
        with: method.kind,
      },
    });
    return { ok: true as const, sessionToken };
  });
  if (!result.ok) {
    if (result.error) throw result.error;
    fail('code.not_found');
  }
  return { sessionToken: result.sessionToken };
}

/** reauthWithCode, counted against the account-wide budget of wrong codes. */
export async function reauthWithCode(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'db' | 'emit' | 'limiter' | 'log' | 'random'>,
  session: SessionView,
  methodId: unknown,
  code: unknown,
  ctx: RequestContext,
): Promise<{ sessionToken: string }> {
  return withWrongCodeBudget(deps, session.accountId, () =>
    reauthWithCodeUnbudgeted(deps, session, methodId, code, ctx),
  );
}
