import { findAccountById, lockStamp } from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import { t } from '../i18n/index.ts';
import { MINUTE } from '../kernel/clock.ts';
import type { RequestContext } from '../kernel/context.ts';
import { sha256 } from '../kernel/crypto.ts';
import { AppError, fail } from '../kernel/errors.ts';
import { maskEmail } from '../kernel/mask.ts';
import { token } from '../kernel/random.ts';
import type { Sql } from '../kernel/sql.ts';
import { describeMethod } from '../security-info/methods-service.ts';
import {
  startPasskeySecondFactor,
  verifyPasskeyForAccount,
} from '../security-info/passkeys/passkey-service.ts';
import {
  recoveryCodeInfo,
  recoveryCodeIsValid,
  replaceRecoveryCode,
  requireRecoveryCodeShape,
} from '../security-info/recovery-code-service.ts';
import { isContact, listMethods, markMethodUsed } from '../security-info/store.ts';
import { checkTotpMethod } from '../security-info/totp-service.ts';
import { withWrongCodeBudget } from '../verification/account-cap.ts';
import { resendAvailableAt, verifyCode } from '../verification/challenges.ts';
import { deliverCode } from '../verification/deliver.ts';
import { codeWasSent, findChallengeId } from '../verification/store.ts';
import { amrOfMethod } from './amr.ts';
import { createSession } from './sessions.ts';
import {
  completePendingSignIn as completePendingRow,
  findPendingSignIn,
  insertPendingSignIn,
  type PendingReason,
  type PendingRow,
} from './store.ts';
import { trustDevice } from './trusted-devices.ts';

/**
 * A sign-in whose password was right but that needs one more proof before a session starts: the account
 * has two-step verification on and the device is not trusted ('two_step'), or the sign-in is unusual
 * ('unusual': a code to a verified contact). See docs/flows/two-step.md.
 */
export type { PendingReason };

const PENDING_MINUTES = 10;

/**
 * Starts a pending sign-in (valid 10 minutes, bound to the account's security stamp); returns its token
 * (only the SHA-256 is stored).
 */
export async function createPendingSignIn(
  deps: Pick<Deps, 'random' | 'clock'>,
  tx: Sql,
  accountId: string,
  reason: PendingReason,
): Promise<string> {
  const raw = token(deps.random, 24);
  const now = deps.clock.now();
  // Bound to the account's security stamp: a change of password or security info before the second proof
  // ends it.
  await insertPendingSignIn(tx, {
    id: sha256(raw),
    accountId,
    reason,
    now,
    expiresAt: new Date(now.getTime() + PENDING_MINUTES * MINUTE),
  });
  return raw;
}

async function loadPending(
  deps: Pick<Deps, 'clock'>,
  sql: Sql,
  pendingToken: unknown,
  forUpdate = false,
): Promise<PendingRow> {
  if (typeof pendingToken !== 'string' || pendingToken.length > 64) fail('signin.flow_invalid');
  const row = await findPendingSignIn(sql, sha256(pendingToken), forUpdate);
  if (!row || row.completed_at || row.stale || row.expires_at <= deps.clock.now())
    fail('signin.flow_invalid');
  return row;
}

export interface PendingMethod {
  id: string;
  kind: 'email' | 'phone' | 'totp' | 'passkey';
  masked: string;
}

/**
 * Ways out of the second step besides the methods: the recovery code (when the account has a working one)
 * and "I don't have any of these" (`no_access`: where the recovery options are, the recovery form among them).
 */
export type PendingAlternative = { kind: 'recovery_code' } | { kind: 'no_access'; url: string };

/**
 * The methods that can give the missing proof (for an unusual sign-in: codes to verified contacts only), and
 * the other ways out, so the step is never a dead end (docs/flows/two-step.md).
 */
export async function pendingMethods(
  deps: Pick<Deps, 'clock' | 'config' | 'db'>,
  pendingToken: unknown,
): Promise<{ reason: PendingReason; methods: PendingMethod[]; alternatives: PendingAlternative[] }> {
  const p = await loadPending(deps, deps.db, pendingToken);
  const account = await findAccountById(deps.db, p.account_id);
  if (!account) fail('signin.flow_invalid');
  const verified = (await listMethods(deps.db, p.account_id)).filter((m) => m.verifiedAt);
  const usable = p.reason === 'unusual' ? verified.filter(isContact) : verified;
  const methods: PendingMethod[] = usable.map((m) => ({
    id: m.id,
    kind: m.kind,
    masked: describeMethod(m, account.locale),
  }));
  // With no verified contact, an unusual sign-in is checked through the confirmed primary address.
  if (p.reason === 'unusual' && methods.length === 0)
    methods.push({ id: 'primary', kind: 'email', masked: maskEmail(account.email) });
  const alternatives: PendingAlternative[] = [];
  if ((await recoveryCodeInfo(deps.db, p.account_id)).working) alternatives.push({ kind: 'recovery_code' });
  alternatives.push({ kind: 'no_access', url: `${deps.config.publicUrl}/forgot/none` });
  return { reason: p.reason, methods, alternatives };
}

async function destinationFor(sql: Sql, p: PendingRow, methodId: unknown) {
  const account = await findAccountById(sql, p.account_id);
  if (!account) fail('signin.flow_invalid');
  if (methodId === 'primary') {
    const hasContacts = (await listMethods(sql, p.account_id)).some((m) => m.verifiedAt && isContact(m));
    if (p.reason !== 'unusual' || hasContacts) fail('request.invalid');
    return {
      account,
      id: 'primary',
      kind: 'email' as const,
      value: account.email,
      valueKey: account.emailKey,
    };
  }
  const m = (await listMethods(sql, p.account_id)).find((x) => x.id === methodId && x.verifiedAt);
  if (!m || (p.reason === 'unusual' && !isContact(m))) fail('request.invalid');
  return { account, id: m.id, kind: m.kind, value: m.value, valueKey: m.valueKey };
}

/** Sends a sign-in code to the chosen email or phone. */
export async function sendPendingCode(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'db' | 'emit' | 'random'>,
  pendingToken: unknown,
  methodId: unknown,
  ctx: RequestContext,
): Promise<{ resendAt: Date }> {
  const out = await deps.db.tx(async (tx) => {
    const p = await loadPending(deps, tx, pendingToken, true);
    const d = await destinationFor(tx, p, methodId);
    if (d.kind !== 'email' && d.kind !== 'phone') fail('request.invalid');
    const issued = await deliverCode(deps, tx, {
      purpose: 'signin',
      subject: `${p.id}:${d.id}`,
      accountId: p.account_id,
      channel: d.kind,
      destination: d.value,
      destinationKey: d.valueKey,
      budget: 'owner',
      // Bound to the pending sign-in's own stamp: a change since then ends it, even mid-request.
      flowStamp: p.stamp,
      to: { account: d.account, locale: d.account.locale, accountEmail: d.account.email },
    });
    if (p.reason === 'unusual')
      await deps.emit(tx, {
        type: 'signin.challenged',
        accountId: p.account_id,
        ctx,
        at: deps.clock.now(),
      });
    return { resendAt: issued.resendAt };
  });
  return out;
}

/** Starts the passkey check of a pending two-step sign-in (null when the account has no passkey). */
export async function pendingPasskeyOptions(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'random'>,
  pendingToken: unknown,
) {
  const p = await loadPending(deps, deps.db, pendingToken);
  if (p.reason !== 'two_step') fail('request.invalid');
  return startPasskeySecondFactor(deps, p.account_id);
}

export interface CompletedSignIn {
  sessionToken: string;
  accountId: string;
  /** Set when the person asked not to be asked again on this device. */
  trustedDeviceToken: string | null;
}

/**
 * Completes a pending sign-in with a code (email/SMS) or an authenticator code. Single use: a completed
 * or expired pending sign-in cannot start a session. Wrong codes count toward the account-wide budget.
 */
export async function completePendingSignIn(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'db' | 'emit' | 'limiter' | 'log' | 'random'>,
  pendingToken: unknown,
  input: {
    methodId: unknown;
    code?: unknown;
    trustDevice?: unknown;
    passkeyToken?: unknown;
    passkeyResponse?: unknown;
  },
  ctx: RequestContext,
): Promise<CompletedSignIn> {
  const first = await loadPending(deps, deps.db, pendingToken);
  return withWrongCodeBudget(deps, first.account_id, async () => {
    const result = await deps.db.tx(async (tx) => {
      // The account row first (the order every change of security info takes), then the sign-in: no
      // change can slip between the stamp check below and the session that starts.
      await lockStamp(tx, first.account_id);
      const p = await loadPending(deps, tx, pendingToken, true);
      const d = await destinationFor(tx, p, input.methodId);
      if (d.kind === 'totp') {
        const check = await checkTotpMethod(deps, tx, p.account_id, d.id, input.code);
        // A used code (replay) is refused without counting as a wrong guess.
        if (check === 'used') return { ok: false as const, error: new AppError('code.used') };
        if (check !== 'ok') return { ok: false as const, wrong: true };
      } else if (d.kind === 'email' || d.kind === 'phone') {
        const subject = `${p.id}:${d.id}`;
        const challengeId = await findChallengeId(tx, 'signin', subject);
        if (!challengeId) fail('code.not_found');
        const verified = await verifyCode(deps, tx, {
          challengeId,
          purpose: 'signin',
          subject,
          code: input.code,
        });
        if (!verified.ok) return { ok: false as const, error: verified.error };
        if (d.id !== 'primary') await markMethodUsed(tx, d.id, deps.clock.now());
      } else if (d.kind === 'passkey') {
        if (
          !(await verifyPasskeyForAccount(deps, tx, p.account_id, input.passkeyToken, input.passkeyResponse))
        ) {
          return { ok: false as const, wrong: true };
        }
      } else {
        fail('request.invalid');
      }
      const now = deps.clock.now();
      if (!(await completePendingRow(tx, p.id, now))) fail('signin.flow_invalid');
      // Proving access to an old method cancels a pending replacement of the security info.
      await deps.emit(tx, { type: 'method.used', accountId: p.account_id, ctx });
      const sessionToken = await createSession(deps, tx, p.account_id, ctx, {
        secondFactor: p.reason === 'two_step',
        amr: ['pwd', amrOfMethod(d.kind)],
      });
      await deps.emit(tx, {
        type: 'signin.second_factor',
        accountId: p.account_id,
        ctx,
        at: now,
        detail: {
          reason: p.reason,
          method: describeMethod(
            d.kind === 'email' || d.kind === 'phone'
              ? { kind: d.kind, value: d.value }
              : { kind: d.kind, value: d.id },
            d.account.locale,
          ),
        },
      });
      await deps.emit(tx, { type: 'signin.success', accountId: p.account_id, ctx, at: now });
      const trust = input.trustDevice === true || input.trustDevice === 'true' || input.trustDevice === 'on';
      const trustedDeviceToken =
        p.reason === 'two_step' && trust ? await trustDevice(deps, tx, p.account_id, ctx) : null;
      if (trustedDeviceToken)
        await deps.emit(tx, { type: 'device.trusted', accountId: p.account_id, ctx, at: now });
      return { ok: true as const, value: { sessionToken, accountId: p.account_id, trustedDeviceToken } };
    });
    if (!result.ok) {
      if ('error' in result && result.error) throw result.error;
      fail('code.invalid');
    }
    return result.value;
  });
}

/**
 * Whether a sign-in code has been sent to this method for this pending sign-in (so the page can offer to
 * enter it), and when a new one may be sent (null: now). Sends nothing.
 */
export async function pendingCodeState(
  deps: Pick<Deps, 'clock' | 'config' | 'db'>,
  pendingToken: unknown,
  methodId: unknown,
): Promise<{ codeSent: boolean; resendAt: Date | null }> {
  const p = await loadPending(deps, deps.db, pendingToken);
  const d = await destinationFor(deps.db, p, methodId);
  if (d.kind !== 'email' && d.kind !== 'phone') return { codeSent: false, resendAt: null };
  const codeSent = await codeWasSent(deps.db, 'signin', `${p.id}:${d.id}`);
  return { codeSent, resendAt: await resendAvailableAt(deps, d.valueKey, 'owner') };
}

/**
 * Completes a pending sign-in with the recovery code ("use your recovery code"): it is spent at once and a
 * new one is made, returned to be shown once. During a pending replacement the code must be as old as the
 * wait (and then cancels it), as in a reset. A wrong code counts toward the account's budget of wrong codes.
 */
export async function completePendingWithRecoveryCode(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'db' | 'emit' | 'limiter' | 'log' | 'random'>,
  pendingToken: unknown,
  input: { recoveryCode: unknown; trustDevice?: unknown },
  ctx: RequestContext,
): Promise<CompletedSignIn & { newRecoveryCode: string }> {
  const first = await loadPending(deps, deps.db, pendingToken);
  requireRecoveryCodeShape(input.recoveryCode); // no try is spent on what cannot be a recovery code
  return withWrongCodeBudget(deps, first.account_id, async () => {
    const result = await deps.db.tx(async (tx) => {
      await lockStamp(tx, first.account_id);
      const p = await loadPending(deps, tx, pendingToken, true);
      const account = await findAccountById(tx, p.account_id);
      if (!account) fail('signin.flow_invalid');
      if (!(await recoveryCodeIsValid(deps, tx, p.account_id, input.recoveryCode))) return null;
      await deps.emit(tx, { type: 'method.used', accountId: p.account_id, ctx, via: 'recovery_code' });
      const now = deps.clock.now();
      if (!(await completePendingRow(tx, p.id, now))) fail('signin.flow_invalid');
      // Spent and replaced first (a change of security info), so the session and trust below are bound to
      // the state after it.
      const newRecoveryCode = await replaceRecoveryCode(deps, tx, p.account_id, ctx, 'used');
      const sessionToken = await createSession(deps, tx, p.account_id, ctx, {
        secondFactor: p.reason === 'two_step',
        amr: ['pwd', 'rc'],
      });
      await deps.emit(tx, {
        type: 'signin.second_factor',
        accountId: p.account_id,
        ctx,
        at: now,
        detail: {
          reason: p.reason,
          method: t(account.locale, 'deadends.second.recovery_code_method'),
        },
      });
      await deps.emit(tx, { type: 'signin.success', accountId: p.account_id, ctx, at: now });
      const trust = input.trustDevice === true || input.trustDevice === 'true' || input.trustDevice === 'on';
      const trustedDeviceToken =
        p.reason === 'two_step' && trust ? await trustDevice(deps, tx, p.account_id, ctx) : null;
      if (trustedDeviceToken)
        await deps.emit(tx, { type: 'device.trusted', accountId: p.account_id, ctx, at: now });
      return { sessionToken, accountId: p.account_id, trustedDeviceToken, newRecoveryCode };
    });
    if (!result) fail('code.invalid');
    return result;
  });
}
