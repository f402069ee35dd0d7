import {
  type Account,
  bumpSecurityStamp,
  findAccountById,
  lockAccount,
  recoveryCodeCreatedAt,
  setTwoStepEnabled,
} from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import type { Locale, RequestContext } from '../kernel/context.ts';
import { sha256 } from '../kernel/crypto.ts';
import { fail } from '../kernel/errors.ts';
import { maskEmail } from '../kernel/mask.ts';
import { newId } from '../kernel/random.ts';
import type { Sql } from '../kernel/sql.ts';
import { contactAddresses } from '../notifications/notify.ts';
import { assertMayAdd, mayAdd } from '../organisations/method-rules.ts';
import { validateContactEmail } from '../security-info/email/check-email.ts';
import { emailKey, normalizeEmail } from '../security-info/email/normalize-email.ts';
import { requireFreshProof } from '../security-info/methods-service.ts';
import { parsePhone } from '../security-info/phone/parse-phone.ts';
import { acceptSmsDestination } from '../security-info/phone/sms-destination.ts';
import {
  recoveryCodeIsValid,
  replaceRecoveryCode,
  requireRecoveryCodeShape,
} from '../security-info/recovery-code-service.ts';
import { deleteMethods, insertVerifiedMethod } from '../security-info/store.ts';
import type { SessionView } from '../sessions/session-cache.ts';
import { endOtherSessions } from '../sessions/sessions.ts';
import { lockWithStepUp } from '../sessions/step-up-guard.ts';
import { endPendingSignIns } from '../sessions/store.ts';
import { withWrongCodeBudget } from '../verification/account-cap.ts';
import { resendAvailableAt, verifyCode } from '../verification/challenges.ts';
import { deliverCode } from '../verification/deliver.ts';
import { deleteChallenges, findChallengeId } from '../verification/store.ts';
import {
  maskedInfo,
  noticeCancelled,
  noticeCompleted,
  noticeToOldContacts,
  restrictedUntil,
} from './replacement-mail.ts';
import {
  cancelIfPending,
  completeIfPending,
  deleteCancelTokens,
  deleteDraft,
  deleteItem,
  deleteUnverifiedItems,
  findByCancelToken,
  findReplacement,
  insertDraft,
  insertItem,
  insertPending,
  insertVerifiedItem,
  markItemVerified,
  markPending,
  REPLACEMENT_WAIT_MS,
  type Replacement,
  type ReplacementItem,
  type ReplacementSource,
  recordStartNotice,
  replacementTarget,
  type TokenRow,
  toReplacement,
} from './store.ts';

/** The context recorded for changes made by the scheduler, not by a request. */
export const SYSTEM_CTX: RequestContext = {
  ip: '-',
  userAgent: 'mamori-scheduler',
  locale: 'en',
  country: '??',
};

export type CancelHow = 'owner' | 'link' | 'not_me' | 'old_method' | 'changed';

/**
 * Lock order: a transaction that locks a replacement row locks its account row first (as every change of
 * security info and every proof does), so two of them queue instead of deadlocking on PostgreSQL.
 */
async function lockAccountRow(tx: Sql, accountId: string): Promise<void> {
  await lockAccount(tx, accountId);
}

async function loadAccount(tx: Sql, accountId: string, forUpdate = false): Promise<Account> {
  const account = await findAccountById(tx, accountId, forUpdate);
  if (!account) fail('auth.required');
  return account;
}

/* ----------------------------------------------------------------------------------------------
 * The draft: new info entered by the signed-in owner, each item verified with a code
 * -------------------------------------------------------------------------------------------- */

export interface ReplacementState {
  pending: Replacement | null;
  draft: Replacement | null;
}

export async function replacementState(deps: Pick<Deps, 'db'>, accountId: string): Promise<ReplacementState> {
  return {
    pending: await findReplacement(deps.db, accountId, 'pending'),
    draft: await findReplacement(deps.db, accountId, 'draft'),
  };
}

async function draftFor(
  deps: Pick<Deps, 'random' | 'clock'>,
  tx: Sql,
  accountId: string,
): Promise<Replacement> {
  if (await findReplacement(tx, accountId, 'pending')) fail('replacement.already_pending');
  const existing = await findReplacement(tx, accountId, 'draft', true);
  if (existing) return existing;
  const id = newId(deps.random, 'rpl');
  const now = deps.clock.now();
  await insertDraft(tx, id, accountId, now);
  return {
    id,
    accountId,
    status: 'draft',
    source: 'self',
    createdAt: now,
    startedAt: null,
    effectiveAt: null,
    items: [],
  };
}

export interface PendingItem {
  itemId: string;
  resendAt: Date;
}

async function addItem(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'cipher' | 'emit'>,
  session: SessionView,
  kind: 'email' | 'phone',
  value: string,
  valueKey: string,
): Promise<PendingItem> {
  const out = await deps.db.tx(async (tx) => {
    const account = await lockWithStepUp(deps, tx, session, 'fresh');
    // The replacement becomes the account's security info: the organisation's policy applies to it too.
    await assertMayAdd(tx, account.id, { kind, value }, account.locale);
    const draft = await draftFor(deps, tx, account.id);
    const same = draft.items.find((i) => i.kind === kind && i.valueKey === valueKey);
    if (same?.verifiedAt) fail('contact.already_added');
    if (!same && draft.items.length >= deps.config.maxMethods)
      fail('contact.limit_reached', { max: deps.config.maxMethods });
    const itemId = same?.id ?? newId(deps.random, 'rpi');
    if (!same) {
      await insertItem(tx, { id: itemId, replacementId: draft.id, kind, value, valueKey }, deps.clock.now());
    }
    const issued = await deliverCode(deps, tx, {
      purpose: 'replace',
      subject: itemId,
      accountId: account.id,
      channel: kind,
      destination: value,
      destinationKey: valueKey,
      budget: 'open',
      // Adding (again) is a new flow under the fresh step-up checked above.
      renew: true,
      to: { account: account, locale: account.locale, accountEmail: account.email },
    });
    return { itemId, resendAt: issued.resendAt };
  });
  return out;
}

/** Adds a new email address to the draft and sends it a code. Needs a fresh proof. */
export async function addReplacementEmail(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'cipher' | 'emit'>,
  session: SessionView,
  input: { email: unknown; acceptTypo?: unknown },
): Promise<PendingItem> {
  requireFreshProof(deps, session);
  const draft = await findReplacement(deps.db, session.accountId, 'draft');
  const checked = validateContactEmail(typeof input.email === 'string' ? input.email.slice(0, 1000) : '', {
    primaryEmail: session.email,
    existing: (draft?.items ?? []).filter((i) => i.kind === 'email' && i.verifiedAt).map((i) => i.value),
    acceptTypo: input.acceptTypo === true || input.acceptTypo === 'true' || input.acceptTypo === 'on',
  });
  if (!checked.ok) fail(checked.code, checked.params);
  return addItem(deps, session, 'email', checked.email, checked.key);
}

/** Adds a new mobile number to the draft and texts it a code. Needs a fresh proof. */
export async function addReplacementPhone(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'cipher' | 'emit'>,
  session: SessionView,
  input: { country: unknown; number: unknown },
): Promise<PendingItem> {
  requireFreshProof(deps, session);
  const e164 = await acceptSmsDestination(deps, input);
  return addItem(deps, session, 'phone', e164, e164);
}

async function draftItem(tx: Sql, accountId: string, itemId: unknown): Promise<ReplacementItem> {
  const draft = await findReplacement(tx, accountId, 'draft', true);
  const item = draft?.items.find((i) => i.id === itemId);
  if (!item) fail('contact.not_found');
  return item;
}

/** One item of the draft (for the code page); null when it is not there. */
export async function findDraftItem(
  deps: Pick<Deps, 'config' | 'db' | 'clock'>,
  accountId: string,
  itemId: unknown,
) {
  const draft = await findReplacement(deps.db, accountId, 'draft');
  const item = draft?.items.find((i) => i.id === itemId) ?? null;
  return item ? { item, resendAt: await resendAvailableAt(deps, item.valueKey) } : null;
}

export async function resendItemCode(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'cipher' | 'emit'>,
  session: SessionView,
  itemId: unknown,
): Promise<Date> {
  requireFreshProof(deps, session);
  const at = await deps.db.tx(async (tx) => {
    const account = await lockWithStepUp(deps, tx, session, 'fresh');
    const item = await draftItem(tx, account.id, itemId);
    if (item.verifiedAt) fail('contact.already_added');
    const issued = await deliverCode(deps, tx, {
      purpose: 'replace',
      subject: item.id,
      accountId: account.id,
      channel: item.kind,
      destination: item.value,
      destinationKey: item.valueKey,
      budget: 'open',
      to: { account: account, locale: account.locale, accountEmail: account.email },
    });
    return issued.resendAt;
  });
  return at;
}

/** Enters the code sent to a new item: it becomes verified new info (nothing changes on the account yet). */
export async function verifyItem(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
  session: SessionView,
  itemId: unknown,
  code: unknown,
): Promise<ReplacementItem> {
  return withWrongCodeBudget(deps, session.accountId, async () => {
    const result = await deps.db.tx(async (tx) => {
      // The code proves the new address; the session's step-up, still current, proves the owner.
      const account = await lockWithStepUp(deps, tx, session, 'current');
      const item = await draftItem(tx, session.accountId, itemId);
      if (item.verifiedAt) return { ok: true as const, item };
      // The organisation's policy may have changed since the code was sent: it applies at once.
      await assertMayAdd(tx, account.id, item, account.locale);
      const challengeId = await findChallengeId(tx, 'replace', item.id);
      const verified = await verifyCode(deps, tx, {
        challengeId: challengeId ?? '',
        purpose: 'replace',
        subject: item.id,
        code,
      });
      if (!verified.ok) return verified;
      const now = deps.clock.now();
      await markItemVerified(tx, item.id, now);
      return { ok: true as const, item: { ...item, verifiedAt: now } };
    });
    if (!result.ok) throw result.error;
    return result.item;
  });
}

export async function removeItem(
  deps: Pick<Deps, 'db'>,
  session: SessionView,
  itemId: unknown,
): Promise<void> {
  await deps.db.tx(async (tx) => {
    const item = await draftItem(tx, session.accountId, itemId);
    await deleteItem(tx, item.id);
    await deleteChallenges(tx, 'replace', item.id);
  });
}

/** Discards the draft (nothing was ever pending). */
export async function discardDraft(deps: Pick<Deps, 'db'>, session: SessionView): Promise<void> {
  await deps.db.tx(async (tx) => {
    await deleteDraft(tx, session.accountId);
  });
}

/**
 * The owner confirms the draft: its verified items start the wait (unverified ones are dropped).
 * Needs a fresh proof.
 */
export async function confirmReplacement(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'cipher' | 'emit'>,
  session: SessionView,
  ctx: RequestContext,
): Promise<{ id: string; effectiveAt: Date }> {
  requireFreshProof(deps, session);
  const out = await deps.db.tx(async (tx) => {
    await lockWithStepUp(deps, tx, session, 'fresh');
    const draft = await findReplacement(tx, session.accountId, 'draft', true);
    const verified = (draft?.items ?? []).filter((i) => i.verifiedAt);
    if (!draft || verified.length === 0) fail('replacement.invalid');
    if (await findReplacement(tx, session.accountId, 'pending')) fail('replacement.already_pending');
    await deleteUnverifiedItems(tx, draft.id);
    return start(deps, tx, draft.id, session.accountId, verified, ctx, 'self');
  });
  return out;
}

/** Makes a replacement pending: the wait starts, the old contacts are told at once (day 0). */
async function start(
  deps: Pick<Deps, 'config' | 'clock' | 'random' | 'cipher' | 'emit'>,
  tx: Sql,
  replacementId: string,
  accountId: string,
  items: Pick<ReplacementItem, 'kind' | 'value'>[],
  ctx: RequestContext,
  source: ReplacementSource,
): Promise<{ id: string; effectiveAt: Date }> {
  const account = await loadAccount(tx, accountId);
  const now = deps.clock.now();
  const effectiveAt = new Date(now.getTime() + REPLACEMENT_WAIT_MS);
  // The replacement is issued against this state of the account (security_stamp): it takes effect at the
  // end of the wait only if that state is still the one it replaces.
  // (The account was read above in this transaction, under the caller's lock on its row: its stamp is current.)
  await markPending(tx, replacementId, {
    source,
    startedAt: now,
    effectiveAt,
    stamp: account.securityStamp,
  });
  await recordStartNotice(tx, replacementId, now);
  await deps.emit(tx, {
    type: 'replacement.started',
    accountId: accountId,
    ctx,
    at: now,
    detail: {
      source,
      effectiveAt: effectiveAt.toISOString(),
      newInfo: maskedInfo(account, items),
    },
  });
  await noticeToOldContacts(deps, tx, account, { id: replacementId, effectiveAt, items, source }, 0);
  return { id: replacementId, effectiveAt };
}

/**
 * Starts the 30-day wait with new security info that is already verified (the account recovery form
 * calls this after an approval). Runs inside the caller's transaction; the caller kicks the dispatcher.
 * Fails with 'replacement.already_pending' if one is waiting, 'replacement.invalid' without any info.
 */
export async function beginReplacement(
  deps: Pick<Deps, 'config' | 'clock' | 'random' | 'cipher' | 'emit'>,
  tx: Sql,
  accountId: string,
  info: { emails: string[]; phones: string[] },
  ctx: RequestContext,
  source: ReplacementSource,
): Promise<{ id: string; effectiveAt: Date }> {
  await loadAccount(tx, accountId, true);
  const items = new Map<string, { kind: 'email' | 'phone'; value: string; valueKey: string }>();
  for (const raw of info.emails) {
    const value = normalizeEmail(raw);
    if (!value.includes('@')) fail('replacement.invalid');
    items.set(`email:${emailKey(value)}`, { kind: 'email', value, valueKey: emailKey(value) });
  }
  for (const raw of info.phones) {
    const parsed = parsePhone(raw, 'JP');
    if (!parsed.ok) fail('replacement.invalid');
    items.set(`phone:${parsed.e164}`, { kind: 'phone', value: parsed.e164, valueKey: parsed.e164 });
  }
  if (items.size === 0 || items.size > deps.config.maxMethods) fail('replacement.invalid');
  if (await findReplacement(tx, accountId, 'pending')) fail('replacement.already_pending');
  const id = newId(deps.random, 'rpl');
  const now = deps.clock.now();
  // Inserted as pending at once (start() sets the dates); an own draft of the owner, if any, stays apart.
  await insertPending(tx, id, accountId, source, now);
  for (const item of items.values()) {
    await insertVerifiedItem(tx, { id: newId(deps.random, 'rpi'), replacementId: id, ...item }, now);
  }
  return start(deps, tx, id, accountId, [...items.values()], ctx, source);
}

/* ----------------------------------------------------------------------------------------------
 * Cancelling
 * -------------------------------------------------------------------------------------------- */

/** Cancels the pending replacement `id` (if it is still pending): recorded and announced. */
async function cancelPending(
  deps: Pick<Deps, 'config' | 'clock' | 'random' | 'cipher' | 'emit'>,
  tx: Sql,
  id: string,
  how: CancelHow,
  ctx: Pick<RequestContext, 'ip' | 'userAgent' | 'country'>,
  bySession?: string | null,
): Promise<string | null> {
  const now = deps.clock.now();
  const accountId = await cancelIfPending(tx, id, now, how);
  if (!accountId) return null;
  await bumpSecurityStamp(deps, tx, accountId, bySession);
  await deleteCancelTokens(tx, id);
  await deps.emit(tx, { type: 'replacement.cancelled', accountId, ctx, at: now, detail: { how } });
  await noticeCancelled(deps, tx, await loadAccount(tx, accountId));
  return accountId;
}

/** The signed-in owner cancels the pending replacement (no proof needed: cancelling only keeps things as they are). */
export async function cancelByOwner(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'cipher' | 'emit'>,
  session: SessionView,
  ctx: RequestContext,
): Promise<void> {
  await deps.db.tx(async (tx) => {
    await lockAccountRow(tx, session.accountId);
    const pending = await findReplacement(tx, session.accountId, 'pending', true);
    if (!pending || !(await cancelPending(deps, tx, pending.id, 'owner', ctx, session.id)))
      fail('replacement.not_found');
  });
}

/**
 * The account just proved itself with a piece of its OLD security info (a sign-in second factor, a
 * password reset code, a re-authentication code): whoever can do that does not need a replacement, so a
 * pending one is cancelled. Call it inside the transaction of that proof. Returns whether one was cancelled.
 */
export async function cancelReplacementOnOldMethodUse(
  deps: Pick<Deps, 'config' | 'clock' | 'random' | 'cipher' | 'emit'>,
  tx: Sql,
  accountId: string,
  ctx: Pick<RequestContext, 'ip' | 'userAgent' | 'country'> = SYSTEM_CTX,
): Promise<boolean> {
  await lockAccountRow(tx, accountId);
  const pending = await findReplacement(tx, accountId, 'pending', true);
  if (!pending) return false;
  return (await cancelPending(deps, tx, pending.id, 'old_method', ctx)) !== null;
}

async function byToken(tx: Sql, raw: unknown, forUpdate = false): Promise<TokenRow | null> {
  if (typeof raw !== 'string' || raw.length < 20 || raw.length > 100) return null;
  return findByCancelToken(tx, sha256(raw), forUpdate);
}

/** What a cancel link shows before the button is pressed (no change on GET). */
export async function cancelLinkInfo(
  deps: Pick<Deps, 'db'>,
  raw: unknown,
): Promise<{ maskedAccount: string; effectiveAt: Date; timeZone: string; locale: Locale } | null> {
  const row = await byToken(deps.db, raw);
  if (row?.status !== 'pending' || !row.effective_at) return null;
  const account = await loadAccount(deps.db, row.account_id);
  return {
    maskedAccount: maskEmail(account.email),
    effectiveAt: row.effective_at,
    timeZone: account.timeZone,
    locale: account.locale,
  };
}

/**
 * Cancels by the link mailed to an old contact (no sign-in). "This wasn't me" also signs out every
 * session and pending sign-in, since someone else knows the password: the owner then resets it.
 */
export async function cancelByLink(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'cipher' | 'emit'>,
  raw: unknown,
  notMe: boolean,
  ctx: RequestContext,
): Promise<{ endedSessions: number }> {
  const out = await deps.db.tx(async (tx) => {
    const seen = await byToken(tx, raw);
    if (seen) await lockAccountRow(tx, seen.account_id);
    const row = await byToken(tx, raw, true);
    if (row?.status !== 'pending') fail('replacement.not_found');
    await cancelPending(deps, tx, row.replacement_id, notMe ? 'not_me' : 'link', ctx);
    if (!notMe) return { endedSessions: 0 };
    const endedSessions = await endOtherSessions(deps, tx, row.account_id, null);
    await endPendingSignIns(tx, row.account_id);
    return { endedSessions };
  });
  return out;
}

/* ----------------------------------------------------------------------------------------------
 * Taking effect
 * -------------------------------------------------------------------------------------------- */

/**
 * Replaces every piece of the account's security info (emails, phones, authenticator apps, passkeys) by
 * the new items, if the replacement is still pending: a conditional update makes it happen at most once.
 * The old and the new addresses are told. Returns false when it was no longer pending.
 */
export async function applyReplacement(
  deps: Pick<Deps, 'config' | 'clock' | 'random' | 'cipher' | 'emit'>,
  tx: Sql,
  replacementId: string,
  how: 'wait_over' | 'recovery_code',
  ctx: Pick<RequestContext, 'ip' | 'userAgent' | 'country'>,
): Promise<boolean> {
  const now = deps.clock.now();
  // The account row first (locked until commit), then the claim.
  const target = await replacementTarget(tx, replacementId);
  if (!target) return false;
  const before = await loadAccount(tx, target.account_id, true);
  // At the end of the wait, the info it replaces must be the info it was started against: a change since
  // (a password reset with the recovery code, a recovery-form link) means the owner is back, so it ends
  // instead (ended_how 'changed', the contacts told it was cancelled).
  if (how === 'wait_over' && target.stamp !== null && target.stamp !== before.securityStamp) {
    await cancelPending(deps, tx, replacementId, 'changed', ctx);
    return false;
  }
  const claimed = await completeIfPending(tx, replacementId, now, how);
  if (!claimed) return false;
  const r = await toReplacement(tx, claimed);
  const account = before;
  const oldRecipients = await contactAddresses(tx, account);
  // The organisation's policy may have been tightened during the wait: what it no longer allows is not added.
  const items = [];
  for (const i of r.items.filter((x) => x.verifiedAt))
    if (await mayAdd(tx, account.id, i, account.locale)) items.push(i);
  const removed = await deleteMethods(deps, tx, account.id, null);
  for (const item of items) {
    await insertVerifiedMethod(
      deps,
      tx,
      {
        id: newId(deps.random, 'mth'),
        accountId: account.id,
        kind: item.kind,
        value: item.value,
        valueKey: item.valueKey,
        label: '',
      },
      now,
    );
  }
  // Two-step verification needs two methods; with fewer, it would lock the owner out of a reset.
  const twoStepOff = account.twoStepEnabled && items.length < 2;
  if (twoStepOff) await setTwoStepEnabled(deps, tx, account.id, false, now);
  await deleteCancelTokens(tx, r.id);
  await deps.emit(tx, {
    type: 'replacement.completed',
    accountId: account.id,
    ctx,
    at: now,
    detail: {
      how,
      removed: String(removed.length),
      newInfo: maskedInfo(account, items),
      ...(twoStepOff ? { twoStep: 'off' } : {}),
    },
  });
  await noticeCompleted(deps, tx, account, oldRecipients, items);
  return true;
}

/** When a recovery code made at `createdAt` may skip the wait: once it is as old as the wait itself. */
export function recoveryCodeUsableAt(createdAt: Date): Date {
  return new Date(createdAt.getTime() + REPLACEMENT_WAIT_MS);
}

/**
 * A recovery code made recently proves only the password that made it: while a replacement is pending, it
 * counts as the owner's only once it is itself as old as the wait (30 days; its creation was announced to
 * every contact back then). Refuses a younger one with `account.restricted` (423), naming the date from
 * which the code would count. Call it inside the transaction that would use the code.
 */
async function refuseYoungRecoveryCode(
  deps: Pick<Deps, 'clock'>,
  tx: Sql,
  accountId: string,
  pending: { effectiveAt: Date | null },
): Promise<void> {
  const made = await recoveryCodeCreatedAt(tx, accountId);
  const usableAt = recoveryCodeUsableAt(made ?? new Date(0));
  if (usableAt <= deps.clock.now()) return;
  const account = await loadAccount(tx, accountId);
  const until = pending.effectiveAt && pending.effectiveAt < usableAt ? pending.effectiveAt : usableAt;
  fail('account.restricted', { date: restrictedUntil(account, until) });
}

/**
 * A valid recovery code used in "forgot password" while a replacement is pending: a code as old as the wait
 * is the owner's old security info and cancels the replacement (like any old method); a younger one is
 * refused with `account.restricted` (423) and stays unspent, since whoever asked for the replacement may
 * have made it. Call it inside the transaction that spends the code.
 */
export async function admitRecoveryCodeDuringReplacement(
  deps: Pick<Deps, 'config' | 'clock' | 'random' | 'cipher' | 'emit'>,
  tx: Sql,
  accountId: string,
  ctx: Pick<RequestContext, 'ip' | 'userAgent' | 'country'> = SYSTEM_CTX,
): Promise<void> {
  await lockAccountRow(tx, accountId);
  const pending = await findReplacement(tx, accountId, 'pending', true);
  if (!pending) return;
  await refuseYoungRecoveryCode(deps, tx, accountId, pending);
  await cancelPending(deps, tx, pending.id, 'old_method', ctx);
}

/**
 * A valid recovery code skips the wait: the pending replacement takes effect at once, the code is
 * spent and a new one is made. Returns the new recovery code (shown once). A code younger than the wait
 * is refused with 'account.restricted' (423, and not spent; `date`: when it could be used, or when the change
 * takes effect if sooner): someone who knows only the password could have made it just before asking for
 * the replacement.
 */
export async function applyWithRecoveryCode(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
  session: SessionView,
  code: unknown,
  ctx: RequestContext,
): Promise<string> {
  requireRecoveryCodeShape(code); // no try is spent on what cannot be a recovery code
  const out = await withWrongCodeBudget(deps, session.accountId, async () => {
    const result = await deps.db.tx(async (tx) => {
      await lockAccountRow(tx, session.accountId);
      const pending = await findReplacement(tx, session.accountId, 'pending', true);
      if (!pending) fail('replacement.not_found');
      if (!(await recoveryCodeIsValid(deps, tx, session.accountId, code))) return null;
      await refuseYoungRecoveryCode(deps, tx, session.accountId, pending);
      await applyReplacement(deps, tx, pending.id, 'recovery_code', ctx);
      return replaceRecoveryCode(deps, tx, session.accountId, ctx, 'used');
    });
    if (result === null) fail('code.invalid');
    return result;
  });
  return out;
}

/** For the Security page: the pending change, if any (render it, or link to /security/replacement). */
export async function pendingReplacementBanner(
  deps: Pick<Deps, 'db'>,
  accountId: string,
  locale: 'ja' | 'en',
): Promise<{ effectiveAt: Date; newInfo: string; href: string } | null> {
  const pending = await findReplacement(deps.db, accountId, 'pending');
  if (!pending?.effectiveAt) return null;
  return {
    effectiveAt: pending.effectiveAt,
    newInfo: maskedInfo({ locale }, pending.items),
    href: '/security/replacement',
  };
}
