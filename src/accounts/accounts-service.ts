import { lockNamed } from '../abuse/ledger.ts';
import { throttleNetwork } from '../abuse/network-limits.ts';
import { onePerWindow } from '../abuse/owner-alerts.ts';
import type { Deps } from '../deps.ts';
import { isLocale, type RequestContext } from '../kernel/context.ts';
import { sha256 } from '../kernel/crypto.ts';
import { AppError, fail } from '../kernel/errors.ts';
import { maskEmail } from '../kernel/mask.ts';
import { newId, token } from '../kernel/random.ts';
import type { Sql } from '../kernel/sql.ts';
import { sendEmail } from '../notifications/notify.ts';
import { validatePrimaryEmail } from '../security-info/email/check-email.ts';
import { createSession } from '../sessions/sessions.ts';
import { issueCode, verifyCode } from '../verification/challenges.ts';
import { deliverCode } from '../verification/deliver.ts';
import {
  deleteSignupChallenges,
  findNewestSignupChallenge,
  type SignupChallenge,
} from '../verification/store.ts';
import { normalizeDisplayName } from './display-name.ts';
import { hashPassword } from './password-hasher.ts';
import { checkPassword } from './password-policy.ts';
import {
  type Account,
  addPasswordHistory,
  bumpSecurityStamp,
  clearPasswordHistory,
  confirmPrimaryEmail,
  findAccountByKey,
  insertAccount,
  lockAccount,
  type NewAccount,
  replaceUnconfirmedSignUp,
} from './store.ts';

export interface SignUpInput {
  email: unknown;
  password: unknown;
  displayName: unknown;
  locale?: unknown;
  timeZone?: unknown;
  /** The person saw the typo suggestion and keeps the address as typed. */
  acceptTypo?: unknown;
}

export type SignUpField = 'email' | 'displayName' | 'password';

/** A sign-up whose every field is valid, its password already hashed: what the next step stores. */
export type PreparedSignUp = NewAccount;

/**
 * Every field's problem at once (not one per submit), in the order of the form: the address (syntax, a
 * disposable domain, a likely typo with its suggestion), the name, the password. Nothing here depends on
 * whether the address has an account.
 */
export function checkSignUp(input: SignUpInput): Partial<Record<SignUpField, AppError>> {
  const errors: Partial<Record<SignUpField, AppError>> = {};
  const email = validatePrimaryEmail(typeof input.email === 'string' ? input.email : '', {
    acceptTypo: input.acceptTypo === true || input.acceptTypo === 'true',
  });
  if (!email.ok) errors.email = new AppError(email.code, email.params);
  const displayName = normalizeDisplayName(input.displayName);
  if (!displayName) errors.displayName = new AppError('account.display_name_invalid');
  if (typeof input.password !== 'string') {
    errors.password = new AppError('password.too_short', { min: 8 });
  } else {
    const policy = checkPassword(input.password, {
      email: email.ok ? email.email : typeof input.email === 'string' ? input.email : '',
      displayName: displayName ?? '',
    });
    if (!policy.ok) errors.password = new AppError(policy.code, policy.params);
  }
  return errors;
}

/** Checks every field (throwing the first problem) and hashes the password. */
export async function prepareSignUp(input: SignUpInput, ctx: RequestContext): Promise<PreparedSignUp> {
  const errors = checkSignUp(input);
  const first = errors.email ?? errors.displayName ?? errors.password;
  if (first) throw first;
  const email = validatePrimaryEmail(input.email as string, { acceptTypo: true });
  if (!email.ok) fail('account.email_invalid');
  return {
    email: email.email,
    emailKey: email.key,
    displayName: normalizeDisplayName(input.displayName) as string,
    locale: isLocale(input.locale) ? input.locale : ctx.locale,
    timeZone: validTimeZone(input.timeZone) ?? 'Asia/Tokyo',
    passwordHash: await hashPassword(input.password as string),
  };
}

export interface PendingSignUp {
  /** Identifies this sign-up on the confirmation step; the same shape whether or not the address was free. */
  signupToken: string;
  maskedEmail: string;
  resendAt: Date;
}

export function validTimeZone(tz: unknown): string | null {
  if (typeof tz !== 'string' || tz.length > 64) return null;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz;
  } catch {
    return null;
  }
}

/**
 * Sign-up. The answer is the same whether or not the address already has an account: a new account gets a
 * confirmation code; an existing confirmed owner gets an email saying someone tried, and the caller a
 * sign-up token backed by a decoy challenge: no code is sent and no code opens it, while wrong-code answers,
 * limits and locks are those of a real one. An unconfirmed account is taken over by the newer sign-up (its
 * owner never proved the address), which defeats pre-registration hijacking.
 */
export async function signUp(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'db' | 'emit' | 'limiter' | 'random'>,
  input: SignUpInput,
  ctx: RequestContext,
): Promise<PendingSignUp> {
  // Per source network, before any work: sign-ups send a message to an address the caller chose.
  const errors = checkSignUp(input);
  const first = errors.email ?? errors.displayName ?? errors.password;
  if (first) throw first;
  await throttleNetwork(deps, ctx.ip, ['signup', 'sends']);
  return startSignUp(deps, await prepareSignUp(input, ctx), ctx);
}

/**
 * Sign-up of prepared fields (the address may have been changed to a suggestion, or kept as typed, since).
 * The caller has taken the network's sign-up budget.
 */
export async function startSignUp(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'db' | 'emit' | 'random'>,
  prepared: PreparedSignUp,
  ctx: RequestContext,
): Promise<PendingSignUp> {
  void ctx;
  const email = { email: prepared.email, key: prepared.emailKey };
  const { displayName, locale, timeZone, passwordHash } = prepared;
  const signupToken = token(deps.random, 24);
  const subject = sha256(signupToken);
  const now = deps.clock.now();
  const issued = await deps.db.tx(async (tx) => {
    // One sign-up of an address at a time: with no account row yet there is nothing for FOR UPDATE to lock,
    // and two concurrent INSERTs would collide on the address. The next one finds the account and answers
    // like any later sign-up (the same next step, or the address's resend wait).
    await lockNamed(tx, `signup:${email.key}`);
    const existing = await findAccountByKey(tx, email.key, true);
    if (existing?.emailConfirmedAt) {
      // Decoy challenge: the caller sees the same next step (the address as typed) at the same pace (the
      // address's open budget, never the owner's sign-in codes) with the same wrong-code answers, but no code
      // can ever open it; the owner is told instead, once a day at most.
      const issued = await issueCode(deps, tx, {
        purpose: 'signup',
        subject,
        accountId: null,
        channel: 'email',
        destination: email.email,
        destinationKey: email.key,
        budget: 'open',
        decoy: true,
      });
      await tellOwnerOfSignup(deps, tx, existing);
      return issued;
    }
    let accountId: string;
    if (existing) {
      accountId = existing.id;
      await replaceUnconfirmedSignUp(
        tx,
        accountId,
        { email: email.email, displayName, locale, timeZone, passwordHash },
        now,
      );
      await clearPasswordHistory(tx, accountId);
      // A new password: the earlier sign-up's code and anything else issued to the old state is void.
      await bumpSecurityStamp(deps, tx, accountId);
    } else {
      accountId = newId(deps.random, 'acc');
      await insertAccount(
        tx,
        accountId,
        { email: email.email, emailKey: email.key, displayName, locale, timeZone, passwordHash },
        now,
      );
    }
    await addPasswordHistory(tx, accountId, passwordHash, now);
    // Earlier sign-up tokens of this address are gone, not only stale: only the newest sign-up stands. (With
    // the decoy branch's notice to the owner, both branches run as many statements.)
    await deleteSignupChallenges(tx, email.key);
    const account = { id: accountId, email: email.email, displayName, locale, timeZone };
    return deliverCode(deps, tx, {
      purpose: 'signup',
      subject,
      accountId,
      channel: 'email',
      destination: email.email,
      destinationKey: email.key,
      budget: 'open',
      to: { account, locale, accountEmail: email.email },
    });
  });
  return { signupToken, maskedEmail: maskEmail(email.email), resendAt: issued.resendAt };
}

/** "Someone tried to sign up with your address": at most one a day per account, whatever the number of tries. */
async function tellOwnerOfSignup(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'random'>,
  tx: Sql,
  owner: Account,
): Promise<void> {
  if (await onePerWindow(deps, tx, `signup_exists:${owner.id}`))
    await sendEmail(deps, tx, owner.email, owner, owner.locale, { kind: 'signup_exists' });
}

async function findSignupChallenge(
  deps: Pick<Deps, 'db'>,
  signupToken: unknown,
): Promise<SignupChallenge | null> {
  if (typeof signupToken !== 'string' || signupToken.length > 64) return null;
  // Only the newest sign-up of an address stands, real or decoy alike: a later sign-up of the address ends
  // the earlier tokens (a real one's are also stale and deleted), so that "sign up twice, use the first
  // token" answers the same whether or not the address has a confirmed account.
  return findNewestSignupChallenge(deps.db, sha256(signupToken));
}

/**
 * Where a pending sign-up stands: for the confirmation page, which shows the address as the person typed it
 * (their own input, so nothing to mask; it may be wrong, and then they change it).
 */
export async function signupStatus(
  deps: Pick<Deps, 'db'>,
  signupToken: unknown,
): Promise<{ maskedEmail: string; email: string } | null> {
  const c = await findSignupChallenge(deps, signupToken);
  return c ? { maskedEmail: maskEmail(c.destination), email: c.destination } : null;
}

/**
 * The web form's typo step: every field is valid but the address looks mistyped. The network's sign-up
 * budget is taken and the password hashed now, so "use the suggestion" or "keep it" is one click and the
 * password is never typed or shown again (the hash travels sealed in a cookie only the server can open).
 */
export async function prepareTypoSignUp(
  deps: Pick<Deps, 'clock' | 'config' | 'limiter'>,
  input: SignUpInput,
  ctx: RequestContext,
): Promise<PreparedSignUp> {
  // The sign-up budget now (the password is hashed now); the send budget when the address is chosen.
  await throttleNetwork(deps, ctx.ip, ['signup']);
  return prepareSignUp({ ...input, acceptTypo: true }, ctx);
}

/** The address chosen at the typo step (the suggestion, or what was typed), checked again. */
export async function signUpWithChosenEmail(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'db' | 'emit' | 'limiter' | 'random'>,
  prepared: PreparedSignUp,
  email: string,
  ctx: RequestContext,
): Promise<PendingSignUp> {
  const checked = validatePrimaryEmail(email, { acceptTypo: true });
  if (!checked.ok) fail(checked.code, checked.params);
  // Every choice sends a code: each takes the network's send budget (a replayed draft cannot send freely).
  await throttleNetwork(deps, ctx.ip, ['sends']);
  return startSignUp(deps, { ...prepared, email: checked.email, emailKey: checked.key }, ctx);
}

/** Sends a new confirmation code for a pending sign-up (resend wait and daily cap apply). */
export async function resendSignupCode(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'db' | 'limiter' | 'random'>,
  signupToken: unknown,
  ctx: RequestContext,
): Promise<Date> {
  const c = await findSignupChallenge(deps, signupToken);
  if (!c) fail('code.not_found');
  await throttleNetwork(deps, ctx.ip, ['sends']);
  const issued = await deps.db.tx(async (tx) => {
    // The address's account is looked up for every token, real or decoy: the same statements either way
    // (a real one sends the code, a decoy tells the owner: 2 statements each when nothing is due).
    const found = await findAccountByKey(tx, c.destination_key);
    const account = c.account_id ? found : null;
    const sends = account !== null && account !== undefined && !account.emailConfirmedAt;
    const issued = await deliverCode(deps, tx, {
      purpose: 'signup',
      subject: sha256(signupToken as string),
      accountId: c.account_id,
      channel: 'email',
      destination: c.destination,
      destinationKey: c.destination_key,
      budget: 'open',
      // A decoy stays a decoy; so does a sign-up whose address was confirmed by someone else meanwhile.
      decoy: !account || account.emailConfirmedAt !== null,
      send: sends,
      to: { account, locale: account?.locale ?? 'ja', accountEmail: account?.email ?? '' },
    });
    // A real pending sign-up gets its code; otherwise the address's owner is told (once a day at most).
    if (!sends && found) await tellOwnerOfSignup(deps, tx, found);
    return issued;
  });
  return issued.resendAt;
}

/** Confirms the primary address with the code; the account becomes usable and a session starts. */
export async function confirmSignup(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emit' | 'random'>,
  signupToken: unknown,
  code: unknown,
  ctx: RequestContext,
): Promise<{ sessionToken: string; accountId: string }> {
  const c = await findSignupChallenge(deps, signupToken);
  if (!c) fail('code.not_found');
  const result = await deps.db.tx(async (tx) => {
    // The account row first (as a sign-up of the address locks it, then its challenges): a sign-up that
    // replaces the password cannot commit between the code check and the confirmation, and the two never
    // deadlock. The same statement for a decoy (it locks nothing).
    await lockAccount(tx, c.account_id ?? '');
    const verified = await verifyCode(deps, tx, {
      challengeId: c.id,
      purpose: 'signup',
      subject: sha256(signupToken as string),
      code,
    });
    if (!verified.ok) return verified;
    if (!c.account_id) return { ok: false as const, error: null };
    const now = deps.clock.now();
    if (!(await confirmPrimaryEmail(tx, c.account_id, c.destination_key, now)))
      return { ok: false as const, error: null };
    await deps.emit(tx, { type: 'account.created', accountId: c.account_id, ctx, at: now });
    await deps.emit(tx, { type: 'account.email_confirmed', accountId: c.account_id, ctx, at: now });
    const sessionToken = await createSession(deps, tx, c.account_id, ctx, { amr: ['mail'] });
    await deps.emit(tx, { type: 'signin.success', accountId: c.account_id, ctx, at: now });
    return { ok: true as const, sessionToken, accountId: c.account_id };
  });
  if (!result.ok) {
    if (result.error) throw result.error;
    fail('code.not_found');
  }
  return { sessionToken: result.sessionToken, accountId: result.accountId };
}
