import type { Deps } from '../deps.ts';
import { t } from '../i18n/index.ts';
import type { Locale, RequestContext } from '../kernel/context.ts';
import { fail } from '../kernel/errors.ts';
import { maskEmail, maskPhone } from '../kernel/mask.ts';
import { newId } from '../kernel/random.ts';
import type { Sql } from '../kernel/sql.ts';
import { policyForAccount } from '../organisations/account-policy.ts';
import { assertMayAdd, assertMayRemove, removalBreaks } from '../organisations/method-rules.ts';
import type { SessionView } from '../sessions/session-cache.ts';
import { isReauthFresh } from '../sessions/sessions.ts';
import {
  guardSecurityChange,
  precheckSecurityChange,
  type SensitiveOperation,
} from '../sessions/step-up-guard.ts';
import { withWrongCodeBudget } from '../verification/account-cap.ts';
import { resendAvailableAt, verifyCode } from '../verification/challenges.ts';
import { deliverCode } from '../verification/deliver.ts';
import { findChallengeBySubject } from '../verification/store.ts';
import { validateContactEmail } from './email/check-email.ts';
import { normalizeLabel } from './label.ts';
import { acceptSmsDestination } from './phone/sms-destination.ts';
import {
  type ContactKind,
  deleteMethods,
  findMethod,
  insertPendingContact,
  isContact,
  listMethods,
  type Method,
  markMethodVerified,
  setMethodLabel,
  updatePendingContact,
} from './store.ts';

/**
 * A fresh proof, and no replacement of security info under way: the quick check before a sensitive change
 * (the authoritative one is guardSecurityChange, inside the change's transaction).
 */
export async function requireSensitiveChange(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emit'>,
  session: SessionView,
  op: SensitiveOperation = 'method.add',
): Promise<void> {
  await precheckSecurityChange(deps, session, op);
}

export function requireFreshProof(deps: Pick<Deps, 'clock' | 'config'>, session: SessionView): void {
  if (!isReauthFresh(deps, session)) fail('auth.reauth_required', { minutes: deps.config.stepUpMinutes });
}

/** How a method is named where it may be seen by others (notices, forgot password): masked. */
export function describeMethod(
  m: Pick<Method, 'kind' | 'value'> & { label?: string },
  locale: Locale,
): string {
  if (m.kind === 'email') return maskEmail(m.value);
  if (m.kind === 'phone') return maskPhone(m.value);
  const name = t(locale, m.kind === 'totp' ? 'method.kind.totp' : 'method.kind.passkey');
  if (!m.label) return name;
  return locale === 'ja' ? `${name}（${m.label}）` : `${name} (${m.label})`;
}

/**
 * A method name recorded in one language (activity details keep the words of the account's language when
 * the event happened), said again in `locale`: "Authenticator app (Work)" ⇄ "認証アプリ（Work）". Masked
 * addresses and numbers are the same in both languages and come back unchanged.
 */
export function describeRecordedMethod(recorded: string, locale: Locale): string {
  for (const kind of ['totp', 'passkey'] as const) {
    for (const from of ['ja', 'en'] as const) {
      const name = t(from, `method.kind.${kind}`);
      if (recorded === name) return describeMethod({ kind, value: '' }, locale);
      const labelled = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*[（(](.*)[)）]$`).exec(
        recorded,
      );
      if (labelled) return describeMethod({ kind, value: '', label: labelled[1] }, locale);
    }
  }
  return recorded;
}

/** Locks the account and checks the session may make this change (replacement/restrictions.ts). */
const loadAccount = (
  deps: Pick<Deps, 'clock' | 'config' | 'emit'>,
  tx: Sql,
  session: SessionView,
  op: SensitiveOperation,
) => guardSecurityChange(deps, tx, session, op);

export interface PendingMethod {
  methodId: string;
  resendAt: Date;
}

async function addMethod(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'db' | 'emit' | 'random'>,
  session: SessionView,
  kind: ContactKind,
  value: string,
  valueKey: string,
  label: string,
  ctx: RequestContext,
): Promise<PendingMethod> {
  const pending = await deps.db.tx(async (tx) => {
    const account = await loadAccount(deps, tx, session, 'method.add');
    await assertMayAdd(tx, account.id, { kind, value }, account.locale);
    const methods = await listMethods(tx, account.id);
    const same = methods.find((m) => m.kind === kind && m.valueKey === valueKey);
    if (same?.verifiedAt) fail('contact.already_added');
    if (!same && methods.length >= deps.config.maxMethods)
      fail('contact.limit_reached', { max: deps.config.maxMethods });
    const now = deps.clock.now();
    const methodId = same?.id ?? newId(deps.random, 'mth');
    if (same) await updatePendingContact(tx, methodId, label, value);
    else
      await insertPendingContact(
        tx,
        { id: methodId, accountId: account.id, kind, value, valueKey, label },
        now,
      );
    const purpose = kind === 'email' ? 'add_email' : 'add_phone';
    const issued = await deliverCode(deps, tx, {
      purpose,
      subject: methodId,
      accountId: account.id,
      channel: kind,
      destination: value,
      destinationKey: valueKey,
      budget: 'open',
      // Adding (again) is a new flow under the fresh step-up checked above.
      renew: true,
      to: { account: account, locale: account.locale, accountEmail: account.email },
    });
    await deps.emit(tx, {
      type: 'method.added',
      accountId: account.id,
      ctx,
      at: now,
      detail: {
        kind,
        method: describeMethod({ kind, value }, account.locale),
      },
    });
    return { methodId, resendAt: issued.resendAt };
  });
  return pending;
}

export interface AddEmailInput {
  email: unknown;
  label?: unknown;
  acceptTypo?: unknown;
}

/** Adds a contact email (unverified until its code is entered). Needs a fresh proof. */
export async function addEmail(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'db' | 'emit' | 'random'>,
  session: SessionView,
  input: AddEmailInput,
  ctx: RequestContext,
): Promise<PendingMethod> {
  await requireSensitiveChange(deps, session);
  const label = normalizeLabel(input.label);
  if (label === null) fail('contact.label_invalid');
  const existing = (await listMethods(deps.db, session.accountId))
    .filter((m) => m.kind === 'email' && m.verifiedAt)
    .map((m) => m.value);
  const checked = validateContactEmail(typeof input.email === 'string' ? input.email.slice(0, 1000) : '', {
    primaryEmail: session.email,
    existing,
    acceptTypo: input.acceptTypo === true || input.acceptTypo === 'true' || input.acceptTypo === 'on',
  });
  if (!checked.ok) fail(checked.code, checked.params);
  return addMethod(deps, session, 'email', checked.email, checked.key, label, ctx);
}

export interface AddPhoneInput {
  country: unknown;
  number: unknown;
  label?: unknown;
}

/** Adds a mobile number (unverified until its SMS code is entered). Needs a fresh proof. */
export async function addPhone(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'db' | 'emit' | 'random'>,
  session: SessionView,
  input: AddPhoneInput,
  ctx: RequestContext,
): Promise<PendingMethod> {
  await requireSensitiveChange(deps, session);
  const label = normalizeLabel(input.label);
  if (label === null) fail('contact.label_invalid');
  const e164 = await acceptSmsDestination(deps, input);
  return addMethod(deps, session, 'phone', e164, e164, label, ctx);
}

/** Sends a new code to a method that is not verified yet. */
export async function resendMethodCode(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'db' | 'emit' | 'random'>,
  session: SessionView,
  methodId: unknown,
  ctx: RequestContext,
): Promise<Date> {
  const resendAt = await deps.db.tx(async (tx) => {
    const account = await loadAccount(deps, tx, session, 'method.resend');
    const m = await findMethod(tx, account.id, methodId);
    if (!m || m.verifiedAt || !isContact(m)) fail('contact.not_found');
    const purpose = m.kind === 'email' ? 'add_email' : 'add_phone';
    const issued = await deliverCode(deps, tx, {
      purpose,
      subject: m.id,
      accountId: account.id,
      channel: m.kind,
      destination: m.value,
      destinationKey: m.valueKey,
      budget: 'open',
      to: { account: account, locale: account.locale, accountEmail: account.email },
    });
    void ctx;
    return issued.resendAt;
  });
  return resendAt;
}

/** Enters the code sent to a new method: it becomes verified security info and every contact is told. */
async function verifyMethodUnbudgeted(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emit'>,
  session: SessionView,
  methodId: unknown,
  code: unknown,
  ctx: RequestContext,
): Promise<Method> {
  const result = await deps.db.tx(async (tx) => {
    const account = await loadAccount(deps, tx, session, 'method.verify');
    const m = await findMethod(tx, account.id, methodId, true);
    if (!m || m.verifiedAt || !isContact(m)) fail('contact.not_found');
    // The policy may have changed since the code was sent: it applies at once (organisations/method-rules.ts).
    await assertMayAdd(tx, account.id, m, account.locale);
    const verified = await verifyCode(deps, tx, {
      challengeId:
        (await findChallengeBySubject(tx, m.kind === 'email' ? 'add_email' : 'add_phone', m.id))?.id ?? '',
      purpose: m.kind === 'email' ? 'add_email' : 'add_phone',
      subject: m.id,
      code,
    });
    if (!verified.ok) return verified;
    const now = deps.clock.now();
    await markMethodVerified(deps, tx, account.id, m.id, now, session.id);
    const method = describeMethod(m, account.locale);
    await deps.emit(tx, {
      type: 'method.verified',
      accountId: account.id,
      account,
      ctx,
      at: now,
      detail: { kind: m.kind, method },
      method,
      contact: { kind: m.kind, value: m.value },
    });
    return { ok: true as const, method: { ...m, verifiedAt: now } };
  });
  if (!result.ok) throw result.error;
  return result.method;
}

export async function relabelMethod(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emit'>,
  session: SessionView,
  methodId: unknown,
  label: unknown,
  ctx: RequestContext,
): Promise<void> {
  const clean = normalizeLabel(label);
  if (clean === null) fail('contact.label_invalid');
  await deps.db.tx(async (tx) => {
    await guardSecurityChange(deps, tx, session, 'method.relabel');
    const m = await findMethod(tx, session.accountId, methodId, true);
    if (!m) fail('contact.not_found');
    await setMethodLabel(tx, m.id, clean);
    await deps.emit(tx, {
      type: 'method.relabelled',
      accountId: session.accountId,
      ctx,
      at: deps.clock.now(),
      detail: {
        method: describeMethod(m, session.locale),
      },
    });
  });
}

/** What would be left after removing a method: for the confirmation page. */
export async function removalPreview(deps: Pick<Deps, 'db'>, session: SessionView, methodId: unknown) {
  const methods = await listMethods(deps.db, session.accountId);
  const target = methods.find((m) => m.id === methodId);
  if (!target) fail('contact.not_found');
  const remaining = methods.filter((m) => m.id !== target.id && m.verifiedAt);
  const allowed = !target.verifiedAt || remaining.length > 0;
  // The organisation's policy keeps this method: said up front (the removal itself is refused in removeMethod).
  const { policy } = await policyForAccount(deps.db, session.accountId);
  const orgRequired = policy !== null && removalBreaks(policy, methods, target.id);
  return { target, remaining, allowed, orgRequired };
}

/**
 * Removes a method. Needs a fresh proof; the last verified method cannot be removed. When it was verified
 * security info, every contact, the removed one included, is told (`announced: true`); a method that was
 * never verified is removed quietly (`announced: false`).
 */
export async function removeMethod(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emit'>,
  session: SessionView,
  methodId: unknown,
  ctx: RequestContext,
): Promise<{ announced: boolean }> {
  await requireSensitiveChange(deps, session, 'method.remove');
  const announced = await deps.db.tx(async (tx) => {
    const account = await loadAccount(deps, tx, session, 'method.remove');
    const methods = await listMethods(tx, account.id);
    const target = methods.find((m) => m.id === methodId);
    if (!target) fail('contact.not_found');
    const remaining = methods.filter((m) => m.id !== target.id && m.verifiedAt);
    if (target.verifiedAt && remaining.length === 0) fail('contact.last_method');
    await assertMayRemove(tx, account.id, methods, target.id);
    await deleteMethods(deps, tx, account.id, [target.id], session.id);
    if (!target.verifiedAt) return false; // a pending method was never security info: nothing to announce
    const now = deps.clock.now();
    const method = describeMethod(target, account.locale);
    await deps.emit(tx, {
      type: 'method.removed',
      accountId: account.id,
      account,
      ctx,
      at: now,
      detail: { kind: target.kind, method },
      method,
      // Past contacts are kept (hashed) as evidence for the account recovery form; a removed address is told.
      contact: isContact(target) ? { kind: target.kind, value: target.value } : undefined,
    });
    return true;
  });
  return { announced };
}

export { listMethods, resendAvailableAt };

/** verifyMethod, counted against the account-wide budget of wrong codes. */
export async function verifyMethod(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'db' | 'emit' | 'limiter' | 'log' | 'random'>,
  session: SessionView,
  methodId: unknown,
  code: unknown,
  ctx: RequestContext,
) {
  return withWrongCodeBudget(deps, session.accountId, () =>
    verifyMethodUnbudgeted(deps, session, methodId, code, ctx),
  );
}
