import { sourceNetwork } from '../abuse/network.ts';
import { throttleNetwork } from '../abuse/network-limits.ts';
import { prepareNewPassword } from '../accounts/password-service.ts';
import { findAccountById, findAccountByKey, lockStamp, readStamp, setPassword } from '../accounts/store.ts';
import { recordActivityBlind } from '../activity/activity.ts';
import type { Deps } from '../deps.ts';
import { MINUTE } from '../kernel/clock.ts';
import type { Locale, RequestContext } from '../kernel/context.ts';
import { sha256 } from '../kernel/crypto.ts';
import { fail } from '../kernel/errors.ts';
import { maskEmail } from '../kernel/mask.ts';
import { token } from '../kernel/random.ts';
import type { Sql } from '../kernel/sql.ts';
import { resetProofsNeeded } from '../organisations/method-rules.ts';
import { emailKey, normalizeEmail } from '../security-info/email/normalize-email.ts';
import { describeMethod } from '../security-info/methods-service.ts';
import {
  recoveryCodeIsValid,
  replaceRecoveryCode,
  requireRecoveryCodeShape,
} from '../security-info/recovery-code-service.ts';
import { isContact, isTotpMethod, listMethods, markMethodUsed } from '../security-info/store.ts';
import { checkTotpMethod, failTotp } from '../security-info/totp-service.ts';
import { isKnownDevice, rememberDevice } from '../sessions/known-devices.ts';
import { endOtherSessions } from '../sessions/sessions.ts';
import { endPendingSignIns } from '../sessions/store.ts';
import { revokeTrustedDevices, trustDevice } from '../sessions/trusted-devices.ts';
import { type GuessBudgets, withGuessBudgets } from '../verification/account-cap.ts';
import { resendAvailableAt, verifyCode } from '../verification/challenges.ts';
import { findChallengeDestination } from '../verification/store.ts';
import { fakeMethods, type MaskedMethod, signinMethod } from './fake-methods.ts';
import { DECOY, issueStep, stepKey } from './reset-steps.ts';
import {
  clearFlowMethod,
  completeFlow,
  countConfirmation,
  type FlowRow,
  findFlow,
  insertFlow,
  markFirstProofByRecoveryCode,
  markFlowVerified,
  markFlowVerifiedByRecoveryCode,
  moveToSecondProof,
  setFlowMethod,
} from './store.ts';

/**
 * Forgot password: account → choose a masked method → confirm it (full address or last 4 digits) → code →
 * new password. Every step answers the same whether or not the account exists or the confirmation matched;
 * see docs/flows/password-reset.md.
 */
const FLOW_MINUTES = 30;
const MAX_CONFIRMS = 5;

export type ResetStep = 'choose' | 'code' | 'new_password' | 'done';

/**
 * The open flow of `flowToken` (AppError 'reset.flow_invalid' when there is none, it expired, it is completed,
 * or the account's password or security info changed since: its security stamp is no longer the flow's).
 * `forUpdate` locks the flow row. The account's stamp is read for an unknown address too (it finds
 * nothing): the same statements either way.
 */
async function loadFlow(
  deps: Pick<Deps, 'clock'>,
  sql: Sql,
  flowToken: unknown,
  forUpdate = false,
): Promise<FlowRow> {
  if (typeof flowToken !== 'string' || flowToken.length > 64) fail('reset.flow_invalid');
  const row = await findFlow(sql, sha256(flowToken), forUpdate);
  if (!row) fail('reset.flow_invalid');
  const stamp = await readStamp(sql, row.account_id ?? '');
  const stale = row.account_id !== null && row.stamp !== stamp;
  if (row.expires_at <= deps.clock.now() || row.completed_at || stale) fail('reset.flow_invalid');
  return row;
}

export async function startReset(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'limiter'>,
  input: { email: unknown },
  ctx: RequestContext,
): Promise<string> {
  await throttleNetwork(deps, ctx.ip, ['reset_start']);
  const email =
    typeof input.email === 'string' && input.email.length <= 320 ? normalizeEmail(input.email) : '';
  const key = emailKey(email);
  if (!key.includes('@')) fail('account.email_invalid');
  const account = await findAccountByKey(deps.db, key);
  const flowToken = token(deps.random, 24);
  const now = deps.clock.now();
  await deps.db.tx(async (tx) => {
    const accountId = account?.emailConfirmedAt ? account.id : null;
    await insertFlow(tx, {
      id: sha256(flowToken),
      accountId,
      accountKey: key,
      createdAt: now,
      expiresAt: new Date(now.getTime() + FLOW_MINUTES * MINUTE),
      // The flow confirms only this state of the account: any change of password or security info ends it.
      stamp: account?.emailConfirmedAt ? account.securityStamp : null,
    });
    // Recorded by one statement that runs for every address and writes only for an account: the answer
    // waits for the same work whether or not the address has one.
    await recordActivityBlind(tx, deps.random, now, { id: accountId }, 'reset.started', ctx);
  });
  return flowToken;
}

async function methodsFor(
  deps: Pick<Deps, 'config'>,
  sql: Sql,
  flow: FlowRow,
  locale: Locale = 'en',
): Promise<(MaskedMethod & { value?: string })[]> {
  // The same reads for an unknown address (they find nothing): the same work either way.
  const listed = await listMethods(sql, flow.account_id ?? '');
  const account = await findAccountById(sql, flow.account_id ?? '');
  if (!flow.account_id || !account)
    // The made-up list's sign-in address is the one typed: a stranger who confirms it (they typed it) gets
    // the same step, with the same budget taken, as on a real account (test/attack/probe-enum-confirm.test.ts).
    return fakeMethods(deps.config.secret, flow.account_key).map((m) =>
      m.kind === 'signin' ? { ...m, value: flow.account_key } : m,
    );
  // The verified sign-in address is a destination like any other, listed first (the flow exists only for
  // a confirmed one); a contact with the same address is the same mailbox, listed once.
  const signin = { ...signinMethod(deps.config.secret, account.id, flow.account_key), value: account.email };
  const verified = listed.filter(
    (m) => m.verifiedAt && !(m.kind === 'email' && m.valueKey === account.emailKey),
  );
  // With two-step verification, the second proof may also come from an authenticator app, and must come
  // from a method other than the first.
  if (flow.first_method_id) {
    return [
      signin,
      ...verified
        .filter((m) => isContact(m) || m.kind === 'totp')
        .map((m) => ({
          id: m.id,
          kind: m.kind as MaskedMethod['kind'],
          masked: describeMethod(m, locale),
          value: m.value,
        })),
    ].filter((m) => m.id !== flow.first_method_id);
  }
  return [
    signin,
    ...verified
      .filter(isContact)
      .map((m) => ({ id: m.id, kind: m.kind, masked: describeMethod(m, locale), value: m.value })),
  ];
}

export interface ResetState {
  step: ResetStep;
  maskedAccount: string;
  methods: MaskedMethod[];
  chosen: MaskedMethod | null;
  /** The first proof is done; two-step verification asks for a second, different one. */
  secondProof: boolean;
  /** Why a second proof is asked: the account's two-step verification, or its organisation (null before). */
  secondProofBy?: 'two_step' | 'organisation' | null;
  /** At the code step: when "send a new code" works again (null: now, or nothing to send). */
  resendAt: Date | null;
  /**
   * Whom to contact when the organisation asks for a second proof and the account has no other method to
   * give it (shown only after a first proof, so a stranger never learns about the organisation).
   */
  contact?: string | null;
}

/** Where a reset flow stands; authenticator apps are named in `locale`. */
export async function resetState(
  deps: Pick<Deps, 'config' | 'db' | 'clock'>,
  flowToken: unknown,
  locale: Locale = 'en',
): Promise<ResetState> {
  const flow = await loadFlow(deps, deps.db, flowToken);
  const methods = await methodsFor(deps, deps.db, flow, locale);
  const step: ResetStep = flow.verified_at ? 'new_password' : flow.method_id ? 'code' : 'choose';
  const strip = (m: MaskedMethod & { value?: string }): MaskedMethod => ({
    id: m.id,
    kind: m.kind,
    masked: m.masked,
  });
  const chosen = methods.find((m) => m.id === flow.method_id);
  const gate = flow.first_method_id !== null ? await resetProofsNeeded(deps.db, flow.account_id ?? '') : null;
  return {
    step,
    maskedAccount: maskEmail(flow.account_key),
    methods: methods.map(strip),
    chosen: chosen ? strip(chosen) : null,
    secondProof: flow.first_method_id !== null,
    // Read only after a first proof, so a stranger never learns about the organisation.
    secondProofBy: gate ? (gate.proofs === 2 ? 'organisation' : 'two_step') : null,
    contact: gate && methods.length === 0 ? gate.contact : null,
    resendAt:
      step === 'code' && flow.challenge_id ? await flowResendAt(deps, deps.db, flow.challenge_id) : null,
  };
}

function confirms(m: { kind: MaskedMethod['kind']; value?: string }, confirm: unknown): boolean {
  if (m.kind === 'totp') return false;
  if (!m.value || typeof confirm !== 'string' || confirm.length > 320) return false;
  if (m.kind === 'email' || m.kind === 'signin')
    return emailKey(normalizeEmail(confirm)) === emailKey(normalizeEmail(m.value));
  const digits = confirm.normalize('NFKC').replace(/\D/g, '');
  return digits.length === 4 && m.value.endsWith(digits);
}

/**
 * What a reset step did with a code. `if_matched`: a code went to the method if what was typed matched it
 * (the answer never says which, see docs/flows/password-reset.md); `totp`: nothing is sent, the
 * authenticator app shows the code. `resendAt`: when "send a new code" works again (null for `totp`).
 */
export interface ResetDelivery {
  delivery: 'if_matched' | 'totp';
  resendAt: Date | null;
}

/** When the code step's challenge may get a new code (null: now): the step's own wait, real or decoy. */
async function flowResendAt(
  deps: Pick<Deps, 'config' | 'db' | 'clock'>,
  sql: Sql,
  challengeId: string,
): Promise<Date | null> {
  const c = await findChallengeDestination(sql, challengeId);
  if (!c) return null;
  return resendAvailableAt(deps, c.destination_key, 'decoy', c.channel);
}

/**
 * The user picks a method and types the full address (or the last 4 digits). A code is sent only when it
 * matches, but the answer is the same either way: the next step is "enter the code" ("if it matches, we sent
 * a code"), with the step's real resend time, whether or not it matched.
 */
export async function chooseResetMethod(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'limiter' | 'cipher'>,
  flowToken: unknown,
  input: { methodId: unknown; confirm: unknown },
  ctx: RequestContext,
): Promise<ResetDelivery> {
  // Per source network, counted whether or not a code is sent (the answer must not depend on it).
  await throttleNetwork(deps, ctx.ip, ['sends']);
  // Count the confirmation in its own statement first: it stays counted whatever happens next.
  const counted = await countConfirmation(
    deps.db,
    typeof flowToken === 'string' ? sha256(flowToken) : '',
    MAX_CONFIRMS,
    deps.clock.now(),
  );
  if (!counted) {
    await loadFlow(deps, deps.db, flowToken);
    fail('code.too_many_attempts', { seconds: FLOW_MINUTES * 60 });
  }
  const out = await deps.db.tx(async (tx): Promise<ResetDelivery> => {
    const flow = await loadFlow(deps, tx, flowToken, true);
    const methods = await methodsFor(deps, tx, flow);
    const m = methods.find((x) => x.id === input.methodId);
    if (!m) fail('request.invalid');
    if (m.kind === 'totp') {
      // An authenticator app has no destination to protect: go straight to its code.
      await setFlowMethod(tx, flow.id, m.id, null);
      return { delivery: 'totp', resendAt: null };
    }
    const match = confirms(m, input.confirm);
    // Looked up for an unknown address too (finds nothing): the same statements either way.
    const found = await findAccountById(tx, flow.account_id ?? '');
    const account = flow.account_id ? found : null;
    // The code step answers the same either way: a wrong confirmation gets a decoy that nothing opens. A
    // matching one on an address with no account is worked like a real one, and nothing is sent (issueStep).
    const destination = match && m.value ? m.value : DECOY;
    const issued = await issueStep(deps, tx, flow, account, {
      key: stepKey(flow.id, m.id),
      channel: m.kind === 'phone' ? 'phone' : 'email',
      destination,
      ignoreCooldown: true,
      knownDevice: await isKnownDevice(deps, tx, flow.account_id, ctx.device),
      network: sourceNetwork(ctx.ip),
    });
    await setFlowMethod(tx, flow.id, m.id, issued.challengeId);
    return { delivery: 'if_matched', resendAt: issued.resendAt };
  });
  return out;
}

/** Back to the method list (to choose another way). */
export async function chooseAnotherWay(deps: Pick<Deps, 'db' | 'clock'>, flowToken: unknown): Promise<void> {
  const flow = await loadFlow(deps, deps.db, flowToken);
  if (flow.verified_at) fail('reset.flow_invalid');
  await clearFlowMethod(deps.db, flow.id);
}

async function verifyResetCodeUnbudgeted(
  deps: Pick<Deps, 'config' | 'db' | 'clock'>,
  flowToken: unknown,
  code: unknown,
): Promise<void> {
  const result = await deps.db.tx(async (tx) => {
    const flow = await loadFlow(deps, tx, flowToken, true);
    if (!flow.method_id || flow.verified_at) fail('reset.flow_invalid');
    // The same reads for an unknown address (they find nothing that counts): the same work either way.
    const found = await findAccountById(tx, flow.account_id ?? '');
    const account = flow.account_id ? found : null;
    const totp = await isTotpMethod(tx, flow.method_id);
    const isTotp = account !== null && totp;
    if (isTotp && account) {
      const check = await checkTotpMethod(deps, tx, account.id, flow.method_id, code);
      if (check !== 'ok') failTotp(check);
    } else {
      if (!flow.challenge_id) fail('reset.flow_invalid');
      const verified = await verifyCode(deps, tx, {
        challengeId: flow.challenge_id,
        purpose: 'reset',
        subject: flow.id,
        code,
      });
      if (!verified.ok) return verified;
    }
    const now = deps.clock.now();
    await markMethodUsed(tx, flow.method_id, now);
    // An organisation may ask for two proofs (policy resetMethods: 2), and always does for its admins.
    const gate = await resetProofsNeeded(tx, account?.id ?? '');
    if (account && (account.twoStepEnabled || gate.proofs === 2) && !flow.first_method_id) {
      // Two-step verification or the organisation: one proof done, a second, different one is needed.
      await moveToSecondProof(tx, flow.id);
    } else {
      await markFlowVerified(tx, flow.id, now);
    }
    return { ok: true as const };
  });
  if (!result.ok) throw result.error;
}

/** Sets the new password: all sessions end, every contact is told. The flow cannot be used again. */
export async function completeReset(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'emit'>,
  flowToken: unknown,
  password: unknown,
  ctx: RequestContext,
): Promise<{ newRecoveryCode: string | null; trustedDeviceToken: string }> {
  const flow = await loadFlow(deps, deps.db, flowToken);
  if (!flow.verified_at || !flow.account_id) fail('reset.flow_invalid');
  const current = await findAccountById(deps.db, flow.account_id);
  if (!current) fail('reset.flow_invalid');
  const hash = await prepareNewPassword(password, current);
  const newRecoveryCode = await deps.db.tx(async (tx) => {
    // The account row first, locked until commit; then the flow, whose stamp must still be the account's:
    // a password change, another reset or "secure my account" that committed first ends this flow.
    const account = await findAccountById(tx, flow.account_id as string, true);
    const locked = await loadFlow(deps, tx, flowToken, true);
    if (!account || !locked.verified_at || locked.stamp !== account.securityStamp) fail('reset.flow_invalid');
    const now = deps.clock.now();
    await completeFlow(tx, locked.id, now);
    await setPassword(deps, tx, account.id, hash, now);
    // A reset through an old method proves the owner still has it: a pending replacement is cancelled.
    if (!locked.used_recovery_code) await deps.emit(tx, { type: 'method.used', accountId: account.id, ctx });
    const ended = await endOtherSessions(deps, tx, account.id, null);
    await deps.emit(tx, {
      type: 'password.reset',
      accountId: account.id,
      account,
      ctx,
      at: now,
      detail: { endedSessions: String(ended) },
    });
    await revokeTrustedDevices(tx, account.id, null);
    // Every other device is forgotten with the trust; the one that proved the reset is known.
    await rememberDevice(deps, tx, account.id, ctx.device);
    await endPendingSignIns(tx, account.id);
    // A recovery code used in this flow was already replaced, and the new one shown, at its own step
    // (useRecoveryCode): nothing is made here, so `newRecoveryCode` is always null.
    const code: string | null = null;
    // The device that just proved the account is trusted, bound to the state after the reset (the last
    // change here): its next sign-in is not sent back to a contact the owner may have lost.
    const trusted = await trustDevice(deps, tx, account.id, ctx);
    await deps.emit(tx, { type: 'device.trusted', accountId: account.id, ctx, at: now });
    return { code, trusted };
  });
  return { newRecoveryCode: newRecoveryCode.code, trustedDeviceToken: newRecoveryCode.trusted };
}

/**
 * "I don't have any of these": the recovery code alone proves the owner (two-step verification included).
 * A wrong code, or any code for an address without an account, is the same `code.invalid`.
 *
 * The code is spent here, so it is replaced here, in the same transaction: the answer is the new recovery
 * code (shown once, before the new password is asked for), the activity entry and the "your recovery code
 * was used" email are recorded with it. A person who leaves before setting the new password still has a
 * working recovery code, and /security and the checkup say so. The new code moves the security stamp, so
 * every other flow ends (one code opens one flow); this one goes on with the new stamp.
 */
export async function useRecoveryCode(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
  flowToken: unknown,
  code: unknown,
  ctx: RequestContext,
): Promise<{ newRecoveryCode: string; next: 'new_password' | 'second_proof' }> {
  const flow = await loadFlow(deps, deps.db, flowToken);
  requireRecoveryCodeShape(code); // for every flow alike, before any try is spent
  const out = await withGuessBudgets(deps, resetGuessBudgets(flow, ctx), async () => {
    const newRecoveryCode = await deps.db.tx(async (tx) => {
      // The same statements for an unknown address (they find nothing): the same work either way.
      await lockStamp(tx, flow.account_id ?? '');
      const locked = await loadFlow(deps, tx, flowToken, true);
      if (locked.verified_at) fail('reset.flow_invalid');
      const valid = await recoveryCodeIsValid(deps, tx, locked.account_id ?? '', code);
      if (!locked.account_id || !valid) return null;
      // During a pending replacement, only a code as old as the wait counts (and cancels the replacement);
      // a younger one is refused here, before anything is spent.
      await deps.emit(tx, { type: 'method.used', accountId: locked.account_id, ctx, via: 'recovery_code' });
      const now = deps.clock.now();
      const fresh = await replaceRecoveryCode(deps, tx, locked.account_id, ctx, 'used');
      // Bound to the stamp the new recovery code moved the account to: this flow goes on, every other ends.
      const stamp = await readStamp(tx, locked.account_id);
      // Two proofs (the organisation's policy, always for its admins): the recovery code is one of them. Read
      // only after a valid code, so a stranger never learns about the organisation.
      const gate = await resetProofsNeeded(tx, locked.account_id);
      if (gate.proofs === 2 && !locked.first_method_id) {
        await markFirstProofByRecoveryCode(tx, locked.id, stamp);
        return { code: fresh, next: 'second_proof' as const };
      }
      await markFlowVerifiedByRecoveryCode(tx, locked.id, now, stamp);
      return { code: fresh, next: 'new_password' as const };
    });
    if (!newRecoveryCode) fail('code.invalid');
    return { newRecoveryCode: newRecoveryCode.code, next: newRecoveryCode.next };
  });
  return out;
}

/**
 * Sends a new code to the method chosen in this flow (only if the confirmation had matched). The answer is
 * the same for a real destination and a decoy: `code.resend_wait` with the step's real wait, else "if it
 * matched, a new code was sent" and when the next one may be asked for (docs/flows/password-reset.md).
 */
export async function resendResetCode(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'limiter' | 'cipher'>,
  flowToken: unknown,
  ctx: Pick<RequestContext, 'ip' | 'device'>,
): Promise<ResetDelivery> {
  await throttleNetwork(deps, ctx.ip, ['sends']);
  const out = await deps.db.tx(async (tx): Promise<ResetDelivery> => {
    const flow = await loadFlow(deps, tx, flowToken, true);
    if (!flow.challenge_id || flow.verified_at) fail('reset.flow_invalid');
    const c = await findChallengeDestination(tx, flow.challenge_id);
    if (!c) fail('reset.flow_invalid');
    // Looked up for an unknown address too (finds nothing): the same statements either way.
    const found = await findAccountById(tx, flow.account_id ?? '');
    const account = flow.account_id ? found : null;
    const issued = await issueStep(deps, tx, flow, account, {
      key: c.destination_key,
      channel: c.channel,
      destination: c.destination,
      ignoreCooldown: false,
      knownDevice: await isKnownDevice(deps, tx, flow.account_id, ctx.device),
      network: sourceNetwork(ctx.ip),
    });
    return { delivery: 'if_matched', resendAt: issued.resendAt };
  });
  return out;
}

/**
 * The budgets of a guess in a reset (verification/account-cap.ts): the source network's, and after a first
 * proof the account's; the flow's address is watched so the owner is told of many wrong codes. Nobody
 * who only knows the address can spend the account's budget, and decoys never touch it.
 */
function resetGuessBudgets(flow: FlowRow, ctx: Pick<RequestContext, 'ip'>): GuessBudgets {
  return {
    account: flow.first_method_id ? flow.account_id : null,
    ip: ctx.ip,
    watch: { key: flow.account_key, accountId: flow.account_id },
  };
}

/** verifyResetCode, counted against the budgets of wrong codes. */
export async function verifyResetCode(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher'>,
  flowToken: unknown,
  code: unknown,
  ctx: Pick<RequestContext, 'ip'>,
) {
  const flow = await loadFlow(deps, deps.db, flowToken);
  return withGuessBudgets(deps, resetGuessBudgets(flow, ctx), () =>
    verifyResetCodeUnbudgeted(deps, flowToken, code),
  );
}
