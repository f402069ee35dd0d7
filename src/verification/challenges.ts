import { type LedgerRule, ledgerCooldownEnds, lockNamed, takeLedger } from '../abuse/ledger.ts';
import { readStamp as currentStamp } from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import { DAY, HOUR, SECOND } from '../kernel/clock.ts';
import { hmac } from '../kernel/crypto.ts';
import { AppError, type ErrorCode, fail } from '../kernel/errors.ts';
import { readDigitCode } from '../kernel/input.ts';
import { codes as codeMetrics } from '../kernel/metrics.ts';
import { newId, numericCode, token } from '../kernel/random.ts';
import type { Sql } from '../kernel/sql.ts';
import { mailboxKey } from '../security-info/email/normalize-email.ts';
import { parsePhone } from '../security-info/phone/parse-phone.ts';
import {
  consumeChallenge,
  countWrongEntry,
  findChallengeForCheck,
  insertChallenge,
  lockChallengeForIssue,
  type Purpose,
  storeNewCode,
} from './store.ts';

/**
 * One mechanism for every code Mamori sends. A challenge is one (purpose, subject, destination); only the
 * latest code's HMAC is stored, so only the latest code works; wrong entries stay counted when a new code
 * is sent. Limits: see docs/flows/verification.md.
 */
export type { Purpose } from './store.ts';

/**
 * Whose send budget a code draws from. Every budget is per mailbox (see `mailboxKey`) or phone number, with
 * the same rules (`CODE_RESEND_SECONDS` apart, `CODE_PER_DESTINATION_PER_DAY` per 24 h), kept apart so
 * that what strangers can ask for never uses up what the owner needs:
 *
 * - `owner`: a code to one of the account's own verified methods, asked for after the password was proven
 *   or within a session (sign-in second factor, step-up). Nobody without the password can spend it.
 * - `open`: every other code, which anyone can ask for: password reset, sign-up, adding a method or a
 *   replacement item, the recovery form's contact address, the address of an unconfirmed account. A
 *   sign-up with an address that already has an account draws from it too (nothing is sent but a notice to
 *   the owner), so its answers keep the pace of a sign-up with a new address.
 * - `decoy`: the pace of a password-reset step on the step's own key (src/recovery/reset-steps.ts), the same
 *   whether or not its code is sent: a step that sends takes the destination's `open` budget besides.
 *   Never a destination's budget, never the per-country SMS cap.
 *
 * Whether a code can open the challenge is a separate matter (`decoy` in IssueInput): a decoy challenge
 * still takes the budget it is issued under, so its answers keep the pace of a real one.
 */
export type SendBudget = 'owner' | 'open' | 'decoy';

export interface IssueInput {
  purpose: Purpose;
  subject: string;
  /**
   * With an account, every code is bound to its security stamp, those that prove a new contact or a
   * replacement item included: once the password or security info changes, the code no longer verifies
   * and the challenge cannot be sent again (see `renew`).
   */
  accountId: string | null;
  channel: 'email' | 'phone';
  destination: string;
  destinationKey: string;
  budget: SendBudget;
  /** Skip the resend wait (only after a fresh password proof); the daily cap still applies. */
  ignoreCooldown?: boolean;
  /**
   * The security stamp of the flow this code belongs to, for a flow that keeps its own (a reset flow, a
   * pending sign-in): the code is bound to it, and refused ('code.not_found', before any budget is taken)
   * when it is no longer the account's, even if the flow was checked a moment earlier.
   */
  flowStamp?: string | null;
  /**
   * This send starts the challenge anew under a proof checked now, in this transaction (a fresh step-up, a
   * session asking for a step-up code): the code is bound to the account's current stamp even when an
   * earlier code of the same challenge was bound to an older one. Without it a send on an existing
   * challenge is a re-send: it keeps the stamp the challenge was issued against, and a challenge whose stamp
   * is no longer the account's is refused ('code.not_found', before any budget is taken). A re-send never
   * revives a flow that a change of password or security info ended.
   */
  renew?: boolean;
  /**
   * The source network that asked (src/abuse/network.ts), for an `open` send: besides the destination's
   * open budget, one network may take only half of it (rounded up) in 24 h, so no single network can
   * fill it alone. Refused as `code.daily_limit`.
   */
  network?: string;
  /**
   * A decoy: the challenge counts sends, wrong entries and locks exactly like a real one, but no code can
   * ever consume it (the stored HMAC is of a random non-code value and the row is flagged). The returned
   * `code` is what a real challenge would have had; it must not be sent anywhere.
   */
  decoy?: boolean;
}

export interface Issued {
  challengeId: string;
  code: string;
  expiresAt: Date;
  resendAt: Date;
}

const secondsUntil = (t: Date, now: Date) => Math.max(1, Math.ceil((t.getTime() - now.getTime()) / SECOND));

/** The send-ledger key of a destination in a budget (per mailbox for email, per number for phones). */
export function sendLedgerKey(
  budget: SendBudget,
  channel: 'email' | 'phone',
  destinationKey: string,
): string {
  if (budget === 'decoy') return destinationKey;
  return `${budget}:${channel === 'email' ? mailboxKey(destinationKey) : destinationKey}`;
}

/** The country an SMS goes to (for the per-country cap), from its E.164 number. */
function smsCountry(e164: string): string {
  const parsed = parsePhone(e164, 'JP');
  return parsed.ok ? parsed.country : 'ZZ';
}

/**
 * Issues a new code for a challenge (inside the caller's transaction, which sends it), enforcing the attempt
 * lock, the resend wait and the daily cap of its send budget, and for SMS the per-country hourly cap of
 * that budget (`open` and `owner` each have their own).
 * The budgets are taken under a lock on the destination before the code exists, and recorded in the same
 * transaction as the message: of concurrent requests only those the budgets allow send anything, and a
 * rollback gives the budget back. Errors: code.not_found (a flow that a change of
 * password or security info ended: see `flowStamp` and `renew`), code.too_many_attempts, code.resend_wait,
 * code.daily_limit, phone.country_limit.
 */
export async function issueCode(
  deps: Pick<Deps, 'clock' | 'config' | 'random'>,
  tx: Sql,
  input: IssueInput,
): Promise<Issued> {
  const now = deps.clock.now();
  const { resendSeconds, perDestinationPerDay, ttlMinutes, maxAttempts } = deps.config.codes;
  const rules: LedgerRule[] = [
    {
      key: sendLedgerKey(input.budget, input.channel, input.destinationKey),
      max: perDestinationPerDay,
      windowMs: DAY,
      cooldownMs: input.ignoreCooldown ? 0 : resendSeconds * SECOND,
    },
  ];
  if (input.budget === 'open' && input.network) {
    rules.push({
      key: `${rules[0]!.key}:net:${input.network}`,
      max: Math.ceil(perDestinationPerDay / 2),
      windowMs: DAY,
    });
  }
  if (input.channel === 'phone' && input.budget !== 'decoy') {
    // SMS pumping: every SMS sent counts, whatever asked for it (adding a phone, reset, sign-in, step-up),
    // against one of two caps per country: codes anyone can ask for (`open`) and codes to an owner's own
    // phone after the password or in a session (`owner`). A stranger who spends the first never stops the
    // owners of that country getting their sign-in and step-up codes.
    const country = smsCountry(input.destination);
    const allowed = deps.config.sms.allowedCountries;
    if (allowed.length > 0 && !allowed.includes(country)) fail('phone.country_unsupported');
    rules.push({
      key: `sms-country:${country}:${input.budget}`,
      max: deps.config.sms.perCountryPerHour,
      windowMs: HOUR,
    });
  }
  // The destination's lock comes first, so the challenge row is read after any concurrent issue committed.
  await lockNamed(tx, `ledger:${rules[0]!.key}`);

  const existing = await lockChallengeForIssue(tx, input.purpose, input.subject, input.destinationKey);
  if (existing?.locked_until && existing.locked_until > now && !existing.consumed_at) {
    fail('code.too_many_attempts', { seconds: secondsUntil(existing.locked_until, now) });
  }

  // The state the code is bound to: the flow's own stamp, or on a re-send the one the challenge was issued
  // against; either must still be the account's. Checked before any budget is taken.
  // Read without an account too (it finds nothing): a decoy does the same work as a real code.
  const current = await currentStamp(tx, input.accountId ?? '');
  let stamp: string | null = null;
  if (input.accountId) {
    let issuedAgainst = current;
    if (input.flowStamp !== undefined) issuedAgainst = input.flowStamp;
    else if (existing && !input.renew) {
      // A re-send: bound to what the challenge was issued against (an unbound one, to the current stamp).
      if (existing.account_id !== input.accountId) issuedAgainst = null;
      else if (existing.stamp_text !== null) issuedAgainst = existing.stamp_text;
    }
    if (current === null || issuedAgainst !== current) fail('code.not_found');
    stamp = current;
  }

  const refused = await takeLedger(tx, rules, now);
  if (refused) {
    const reason = refused.key.startsWith('sms-country:')
      ? 'phone.country_limit'
      : refused.reason === 'cooldown'
        ? 'code.resend_wait'
        : 'code.daily_limit';
    codeMetrics.inc({ event: 'refused', channel: input.channel, reason });
    if (refused.key.startsWith('sms-country:'))
      fail('phone.country_limit', { seconds: Math.max(1, Math.ceil(refused.retryAfterMs / SECOND)) });
    if (refused.reason === 'cooldown')
      fail('code.resend_wait', { seconds: Math.max(1, Math.ceil(refused.retryAfterMs / SECOND)) });
    fail('code.daily_limit');
  }

  const id = existing?.id ?? newId(deps.random, 'chl');
  const code = numericCode(deps.random, 6);
  const decoy = input.decoy === true;
  const stored = decoy
    ? hmac(deps.config.secret, `decoy:${id}:${token(deps.random, 32)}`)
    : codeHmac(deps, id, code);
  const expiresAt = new Date(now.getTime() + ttlMinutes * 60 * SECOND);
  // A fresh start after a consumed challenge or an expired lock; otherwise failures carry over.
  const resetFailures = !existing || existing.consumed_at !== null || existing.failures >= maxAttempts;
  const common = {
    id,
    codeHmac: stored,
    sentAt: now,
    expiresAt,
    channel: input.channel,
    destination: input.destination,
    accountId: input.accountId,
    stamp,
    decoy,
  };
  if (existing) await storeNewCode(tx, { ...common, resetFailures });
  else
    await insertChallenge(tx, {
      ...common,
      purpose: input.purpose,
      subject: input.subject,
      destinationKey: input.destinationKey,
    });
  codeMetrics.inc({ event: decoy ? 'decoy' : 'issued', channel: input.channel, reason: '' });
  return { challengeId: id, code, expiresAt, resendAt: new Date(now.getTime() + resendSeconds * SECOND) };
}

function codeHmac(deps: Pick<Deps, 'config'>, challengeId: string, code: string): string {
  return hmac(deps.config.secret, `code:${challengeId}:${code}`);
}

/** Normalises what a person typed (kernel/input.ts): full-width digits, spaces and hyphens are accepted. */
export function normalizeCode(input: unknown): string | null {
  const r = readDigitCode(input);
  return r.ok ? r.code : null;
}

export type VerifyResult =
  | { ok: true; challengeId: string; destination: string }
  | { ok: false; error: AppError };

/** A failed check, counted by its reason (/metrics). */
const err = (code: ErrorCode, params: Record<string, string | number> = {}) => {
  codeMetrics.inc({ event: 'failed', channel: '-', reason: code });
  return { ok: false as const, error: new AppError(code, params) };
};

/**
 * Checks and consumes a code in one statement, so two concurrent correct submissions cannot both succeed
 * and concurrent wrong ones cannot exceed the cap. A code issued before the account's password or
 * security info changed is 'code.not_found' (and no guess is counted). Returns a result instead of
 * throwing so the caller's transaction commits the failure count.
 */
export async function verifyCode(
  deps: Pick<Deps, 'clock' | 'config'>,
  tx: Sql,
  input: { challengeId: string; purpose: Purpose; subject: string; code: unknown },
): Promise<VerifyResult> {
  const now = deps.clock.now();
  const { maxAttempts, ttlMinutes } = deps.config.codes;
  const code = normalizeCode(input.code);
  if (code) {
    const consumed = await consumeChallenge(tx, {
      id: input.challengeId,
      purpose: input.purpose,
      subject: input.subject,
      now,
      codeHmac: codeHmac(deps, input.challengeId, code),
      maxAttempts,
    });
    if (consumed) {
      codeMetrics.inc({ event: 'verified', channel: '-', reason: '' });
      return { ok: true, challengeId: consumed.id, destination: consumed.destination };
    }
  }
  const row = await findChallengeForCheck(tx, input.challengeId, input.purpose, input.subject);
  if (!row || row.consumed_at || !row.code_hmac || row.stale) return err('code.not_found');
  if (row.failures >= maxAttempts) {
    return err('code.too_many_attempts', {
      seconds: row.locked_until && row.locked_until > now ? secondsUntil(row.locked_until, now) : 1,
    });
  }
  // Not six digits: nothing was compared, so no try is spent ("enter the 6 digits").
  if (!code) return err('code.format');
  if (row.code_expires_at && row.code_expires_at <= now) return err('code.expired');
  const failures =
    (await countWrongEntry(tx, row.id, maxAttempts, new Date(now.getTime() + ttlMinutes * 60 * SECOND))) ??
    maxAttempts;
  // `guess: 1` marks a wrong guess that was checked, for the account-wide budget (verification/account-cap.ts).
  if (failures >= maxAttempts) return err('code.too_many_attempts', { seconds: ttlMinutes * 60, guess: 1 });
  return err('code.wrong', { remaining: maxAttempts - failures });
}

/**
 * When the next code may be sent to this destination from this budget (for the countdown on the page), or
 * null when it may be sent now.
 */
export async function resendAvailableAt(
  deps: Pick<Deps, 'clock' | 'config' | 'db'>,
  destinationKey: string,
  budget: SendBudget = 'open',
  channel: 'email' | 'phone' = destinationKey.startsWith('+') ? 'phone' : 'email',
): Promise<Date | null> {
  return ledgerCooldownEnds(
    deps.db,
    sendLedgerKey(budget, channel, destinationKey),
    deps.config.codes.resendSeconds * SECOND,
    deps.clock.now(),
  );
}
