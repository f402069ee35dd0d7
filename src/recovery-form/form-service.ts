import { lockNamed } from '../abuse/ledger.ts';
import { throttleNetwork } from '../abuse/network-limits.ts';
import { dummyHash, verifyPassword } from '../accounts/password-hasher.ts';
import { prepareNewPassword } from '../accounts/password-service.ts';
import {
  type Account,
  findAccountById,
  findAccountByKey,
  recentPasswordHashes,
  setPassword,
} from '../accounts/store.ts';
import { recordActivityBlind } from '../activity/activity.ts';
import { describeDevice, deviceKey } from '../activity/device.ts';
import { methodSeenInActivity, presenceSince } from '../activity/store.ts';
import type { Deps } from '../deps.ts';
import { formatDateTime } from '../i18n/index.ts';
import { DAY, HOUR, MINUTE } from '../kernel/clock.ts';
import { isLocale, type Locale, type RequestContext } from '../kernel/context.ts';
import { sha256 } from '../kernel/crypto.ts';
import { AppError, fail } from '../kernel/errors.ts';
import { textProblem, tidyText } from '../kernel/free-text.ts';
import { maskEmail, maskPhone } from '../kernel/mask.ts';
import { newId, token } from '../kernel/random.ts';
import type { Sql } from '../kernel/sql.ts';
import { announceCustom, sendEmail } from '../notifications/notify.ts';
import { beginReplacement } from '../replacement/replacement-service.ts';
import { validateContactEmail } from '../security-info/email/check-email.ts';
import { emailKey, mailboxKey, normalizeEmail } from '../security-info/email/normalize-email.ts';
import { parsePhone } from '../security-info/phone/parse-phone.ts';
import { hasVerifiedContact } from '../security-info/store.ts';
import { endOtherSessions } from '../sessions/sessions.ts';
import { endPendingSignIns } from '../sessions/store.ts';
import { revokeTrustedDevices, trustDevice } from '../sessions/trusted-devices.ts';
import { issueCode, verifyCode } from '../verification/challenges.ts';
import { evidenceProviders } from './evidence-providers.ts';
import { isPastContact, snapshotContacts } from './past-contacts.ts';
import { verifyPow } from './pow.ts';
import {
  type AutoDecision,
  type ContactMatch,
  decide,
  type EvidenceResult,
  scoreEvidence,
} from './scoring.ts';
import {
  type ApprovedRow,
  countSubmittedSince,
  decideRequest,
  findApprovedByLink,
  findRequestByFlow,
  insertDraftRequest,
  markContactVerified,
  markLinkUsed,
  type RequestRow,
  requestStamp,
  submitRequest,
} from './store.ts';

/**
 * The account recovery form (docs/flows/recovery-form.md): for someone who lost every method and has no
 * two-step verification. Account + contact email + proof of work → code to the contact email → evidence →
 * scored: approved (one-time link), denied, or queued for a reviewer; the answer goes to the contact email
 * within 24 hours. Every step answers the same whether the account exists, has two-step verification on (it
 * is then always denied, and its owner told), or can be recovered.
 */
export const DRAFT_MINUTES = 60;
/** Requests a day from one contact mailbox (`mailboxKey`: sub-addresses and ignored dots are one inbox). */
export const SUBMISSIONS_PER_DAY = 2;
/**
 * Requests a day for one account, whoever files them: a ceiling against flooding its reviewers, well above
 * what one contact may file, so two strangers' requests never close the owner's own that day. A contact
 * that was once a verified method of the account is not held by it (strangers cannot fill the owner's way).
 */
export const ACCOUNT_SUBMISSIONS_PER_DAY = 10;
export const ANSWER_WITHIN_MS = 24 * HOUR;
export const LINK_VALID_MS = 48 * HOUR;
export const ACTIVITY_WINDOW_MS = 180 * DAY;
export const MAX_PASSWORDS = 3;
/** Password hashes each typed password is checked against: the current one and the 5 before it. */
const PASSWORD_HASHES = 6;
export const MAX_COUNTRIES = 3;
export const MAX_DEVICES = 3;
export const MAX_CONTACTS = 3;
/** Operating systems offered on the form (compared with the OS part of activity.device_key). */
export const DEVICE_CHOICES = ['windows', 'macos', 'ios', 'android', 'linux', 'chromeos'] as const;
export type DeviceChoice = (typeof DEVICE_CHOICES)[number];

const LINUX_LIKE =
  /^(linux|ubuntu|kubuntu|xubuntu|lubuntu|debian|fedora|arch|mint|gentoo|suse|opensuse|redhat|red hat|centos|manjaro)$/;
/** Activity kinds that show the owner was there (not the form's own events). */
const PRESENCE_KINDS = [
  'signin.success',
  'signin.second_factor',
  'account.created',
  'account.email_confirmed',
];

export type { RequestRow } from './store.ts';

export interface EvidenceInput {
  displayName?: unknown;
  passwords?: unknown;
  countries?: unknown;
  devices?: unknown;
  emails?: unknown;
  phones?: unknown;
  /** The country the phone numbers are written for when not in +… form (default JP). */
  phoneCountry?: unknown;
  /** Answers to the host's evidence providers, by provider name. */
  providers?: unknown;
}

const str = (v: unknown, max: number): string => (typeof v === 'string' ? v.slice(0, max).trim() : '');
const list = (v: unknown, max: number, len: number): string[] =>
  (Array.isArray(v) ? v : typeof v === 'string' ? [v] : [])
    .filter((x): x is string => typeof x === 'string')
    .map((x) => x.slice(0, len).trim())
    .filter((x) => x !== '')
    .slice(0, max);

function maskedAccount(key: string): string {
  return maskEmail(key);
}

async function loadDraft(
  deps: Pick<Deps, 'clock'>,
  sql: Sql,
  flowToken: unknown,
  forUpdate = false,
): Promise<RequestRow> {
  if (typeof flowToken !== 'string' || flowToken.length === 0 || flowToken.length > 64)
    fail('recovery_form.not_found');
  const row = await findRequestByFlow(sql, sha256(flowToken), forUpdate);
  if (row?.status !== 'draft' || row.expires_at <= deps.clock.now()) fail('recovery_form.not_found');
  return row;
}

async function submittedToday(
  deps: Pick<Deps, 'clock'>,
  sql: Sql,
  column: 'account_key' | 'contact_mailbox',
  key: string,
) {
  const since = new Date(deps.clock.now().getTime() - DAY);
  return countSubmittedSince(sql, column, key, since);
}

/**
 * At most SUBMISSIONS_PER_DAY submissions per contact mailbox and ACCOUNT_SUBMISSIONS_PER_DAY per account
 * (unless the contact is a past contact of the account) in 24 hours. The same statements run for an unknown
 * address. Inside a transaction it first locks both (account, then mailbox), so concurrent submissions are
 * counted one after the other and cannot all pass a count made before any of them was recorded.
 */
async function assertUnderLimit(
  deps: Pick<Deps, 'clock' | 'config'>,
  sql: Sql,
  target: { accountKey: string; accountId: string | null },
  contactEmail: string,
  lock = false,
) {
  const mailbox = mailboxKey(contactEmail);
  if (lock) {
    await lockNamed(sql, `recovery_form:account:${target.accountKey}`);
    await lockNamed(sql, `recovery_form:contact:${mailbox}`);
  }
  if ((await submittedToday(deps, sql, 'contact_mailbox', mailbox)) >= SUBMISSIONS_PER_DAY)
    fail('recovery_form.limit');
  const ownContact = await isPastContact(deps, sql, target.accountId ?? '', 'email', contactEmail);
  if (
    !ownContact &&
    (await submittedToday(deps, sql, 'account_key', target.accountKey)) >= ACCOUNT_SUBMISSIONS_PER_DAY
  )
    fail('recovery_form.limit');
}

/** The account a request is for: exists, confirmed. Two-step accounts are denied at submission, never before. */
async function targetAccount(sql: Sql, key: string): Promise<Account | null> {
  const a = await findAccountByKey(sql, key);
  return a?.emailConfirmedAt ? a : null;
}

export interface Started {
  flowToken: string;
  resendAt: Date;
  maskedContact: string;
}

/**
 * Step 1: the account, a contact email that is not the account, and the solved proof of work. A code goes to
 * the contact email. An unknown account and an account with two-step verification get exactly the same.
 */
export async function startRecoveryForm(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'limiter' | 'cipher'>,
  input: { account: unknown; contactEmail: unknown; pow: unknown },
  ctx: RequestContext,
): Promise<Started> {
  const now = deps.clock.now();
  await throttleNetwork(deps, ctx.ip, ['recovery_form', 'sends']);
  const accountKey = emailKey(str(input.account, 320));
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(accountKey)) fail('account.email_invalid');
  const contact = validateContactEmail(str(input.contactEmail, 320), {
    primaryEmail: accountKey,
    existing: [],
    acceptTypo: true,
  });
  if (!contact.ok) {
    if (contact.code === 'contact.email_same_as_primary')
      fail('recovery_form.invalid', { field: 'contactEmail' });
    fail(
      contact.code === 'contact.email_disposable' ? 'contact.email_disposable' : 'contact.email_invalid',
      contact.params,
    );
  }
  await verifyPow(deps, input.pow);
  const account = await targetAccount(deps.db, accountKey);
  await assertUnderLimit(deps, deps.db, { accountKey, accountId: account?.id ?? null }, contact.email);

  const flowToken = token(deps.random, 24);
  const locale: Locale = isLocale(ctx.locale) ? ctx.locale : 'ja';
  const out = await deps.db.tx(async (tx) => {
    const id = newId(deps.random, 'rfq');
    const issued = await issueCode(deps, tx, {
      purpose: 'recovery_form',
      subject: id,
      accountId: null,
      channel: 'email',
      destination: contact.email,
      destinationKey: contact.key,
      budget: 'open',
    });
    await insertDraftRequest(tx, {
      id,
      flowHash: sha256(flowToken),
      accountId: account?.id ?? null,
      accountKey,
      contactEmail: contact.email,
      contactKey: contact.key,
      locale,
      challengeId: issued.challengeId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + DRAFT_MINUTES * MINUTE),
      ip: ctx.ip,
      userAgent: ctx.userAgent.slice(0, 512),
      country: ctx.country,
      // The request, and an approval of it, stand only for this state of the account: if the password or
      // security info changes before the link is used (the owner is evidently back), the link is void.
      stamp: account?.securityStamp ?? null,
      contactMailbox: mailboxKey(contact.email),
    });
    await sendEmail(deps, tx, contact.email, null, locale, {
      kind: 'code',
      purpose: 'recovery_form',
      code: issued.code,
      minutes: deps.config.codes.ttlMinutes,
      account: maskedAccount(accountKey),
    });
    return { flowToken, resendAt: issued.resendAt, maskedContact: maskEmail(contact.email) };
  });
  return out;
}

export interface FormState {
  step: 'code' | 'evidence';
  maskedAccount: string;
  maskedContact: string;
  expiresAt: Date;
  providers: { name: string; label: { ja: string; en: string } }[];
}

export async function recoveryFormState(
  deps: Pick<Deps, 'db' | 'clock'>,
  flowToken: unknown,
): Promise<FormState> {
  const row = await loadDraft(deps, deps.db, flowToken);
  return {
    step: row.contact_verified_at ? 'evidence' : 'code',
    maskedAccount: maskedAccount(row.account_key),
    maskedContact: maskEmail(row.contact_email),
    expiresAt: row.expires_at,
    providers: evidenceProviders().map((p) => ({ name: p.name, label: p.label })),
  };
}

/** Step 2: the code sent to the contact email. */
export async function verifyRecoveryContact(
  deps: Pick<Deps, 'config' | 'db' | 'clock'>,
  flowToken: unknown,
  code: unknown,
): Promise<void> {
  const result = await deps.db.tx(async (tx) => {
    const row = await loadDraft(deps, tx, flowToken, true);
    if (row.contact_verified_at) return { ok: true as const };
    if (!row.challenge_id) fail('recovery_form.not_found');
    const v = await verifyCode(deps, tx, {
      challengeId: row.challenge_id,
      purpose: 'recovery_form',
      subject: row.id,
      code,
    });
    if (!v.ok) return v;
    await markContactVerified(tx, row.id, deps.clock.now());
    return { ok: true as const };
  });
  if (!result.ok) throw result.error;
}

export async function resendRecoveryContactCode(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'limiter' | 'cipher'>,
  flowToken: unknown,
  ctx: Pick<RequestContext, 'ip'>,
): Promise<{ resendAt: Date }> {
  await throttleNetwork(deps, ctx.ip, ['sends']);
  const out = await deps.db.tx(async (tx) => {
    const row = await loadDraft(deps, tx, flowToken, true);
    if (row.contact_verified_at) fail('recovery_form.not_found');
    const issued = await issueCode(deps, tx, {
      purpose: 'recovery_form',
      subject: row.id,
      accountId: null,
      channel: 'email',
      destination: row.contact_email,
      destinationKey: row.contact_key,
      budget: 'open',
    });
    await sendEmail(deps, tx, row.contact_email, null, row.locale, {
      kind: 'code',
      purpose: 'recovery_form',
      code: issued.code,
      minutes: deps.config.codes.ttlMinutes,
      account: maskedAccount(row.account_key),
    });
    return { resendAt: issued.resendAt };
  });
  return out;
}

/** Names compared loosely: NFKC, case folded, without whitespace or default-ignorable characters. */
const normName = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/[\s\p{Default_Ignorable_Code_Point}]+/gu, '')
    .toLowerCase();

function osOf(key: string): string {
  return key.split('|')[1] ?? '';
}

function osMatches(choice: string, os: string): boolean {
  return choice === 'linux' ? LINUX_LIKE.test(os) : os === choice;
}

/**
 * How a typed contact matches the account. The same three reads run for every contact, whatever matched and
 * whether or not there is an account (`null`: they run with the id `''` and find nothing), so the work does
 * not tell what matched or whether the account exists.
 */
async function matchContact(
  deps: Pick<Deps, 'config'>,
  sql: Sql,
  account: Account | null,
  kind: 'email' | 'phone',
  value: string,
  masked: string,
): Promise<ContactMatch> {
  const key = value.toLowerCase();
  const id = account?.id ?? '';
  const current = await hasVerifiedContact(sql, id, kind, key);
  const past = await isPastContact(deps, sql, id, kind, value);
  // Best effort: activity keeps only the masked form of a method (ta*****@example.com, *******78).
  const inActivity = await methodSeenInActivity(sql, id, masked);
  // The account's own sign-in address is what the form starts with: it proves nothing.
  if (!account || (kind === 'email' && key === account.emailKey)) return 'none';
  return current ? 'current' : past ? 'past' : inActivity ? 'activity' : 'none';
}

/** Checks every answer against what the account has; unknown accounts get the same work (dummy hashes). */
export async function checkEvidence(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'log'>,
  account: Account | null,
  input: EvidenceInput,
  ctx: Pick<RequestContext, 'country' | 'userAgent'>,
): Promise<EvidenceResult> {
  const sql = deps.db;
  const now = deps.clock.now();
  const name = str(input.displayName, 200);
  // A name that would show as blank or is made misleading by invisible characters is refused, never compared.
  if (name && textProblem(tidyText(name)) !== null) fail('recovery_form.invalid', { field: 'displayName' });
  const passwords = list(input.passwords, MAX_PASSWORDS, 1024);
  const countries = [...new Set(list(input.countries, MAX_COUNTRIES, 2).map((c) => c.toUpperCase()))].filter(
    (c) => /^[A-Z]{2}$/.test(c),
  );
  const devices = [...new Set(list(input.devices, MAX_DEVICES, 20).map((d) => d.toLowerCase()))].filter((d) =>
    (DEVICE_CHOICES as readonly string[]).includes(d),
  );
  const emails = list(input.emails, MAX_CONTACTS, 320)
    .map((e) => normalizeEmail(e))
    .filter((e) => e.includes('@'));
  const phoneCountry = str(input.phoneCountry, 2).toUpperCase() || 'JP';
  const phones = list(input.phones, MAX_CONTACTS, 64)
    .map((p) => parsePhone(p, phoneCountry))
    .flatMap((r) => (r.ok ? [r.e164] : []));
  const answers =
    input.providers && typeof input.providers === 'object'
      ? (input.providers as Record<string, unknown>)
      : {};

  // Passwords: the current one and the 5 before it. Every typed password is checked against exactly
  // PASSWORD_HASHES hashes (dummies fill in), and the history is read with the id '' for an unknown account
  // (it finds nothing), so neither the time nor the statements tell whether the account exists.
  const previous = await recentPasswordHashes(sql, account?.id ?? '');
  const hashes = [...new Set([...(account ? [account.passwordHash] : []), ...previous])].slice(
    0,
    PASSWORD_HASHES,
  );
  const passwordResults: boolean[] = [];
  for (const p of passwords) {
    let ok = false;
    for (let i = 0; i < PASSWORD_HASHES; i++) {
      const h = hashes[i];
      const matched = await verifyPassword(h ?? (await dummyHash()), p);
      if (h && matched) ok = true;
    }
    passwordResults.push(ok);
  }

  // Read with the id '' for an unknown account (it finds nothing): the same statement either way.
  const seen = await presenceSince(
    sql,
    account?.id ?? '',
    new Date(now.getTime() - ACTIVITY_WINDOW_MS),
    PRESENCE_KINDS,
  );
  const seenCountries = new Set(seen.map((r) => r.country));
  const seenOs = seen.map((r) => osOf(r.device_key));
  const hereKey = deviceKey(describeDevice(ctx.userAgent));

  const emailResults: EvidenceResult['emails'] = [];
  for (const e of emails) {
    const masked = maskEmail(e);
    emailResults.push({ masked, found: await matchContact(deps, sql, account, 'email', e, masked) });
  }
  const phoneResults: EvidenceResult['phones'] = [];
  for (const p of phones) {
    const masked = maskPhone(p);
    phoneResults.push({ masked, found: await matchContact(deps, sql, account, 'phone', p, masked) });
  }

  const providerResults: EvidenceResult['providers'] = [];
  for (const p of evidenceProviders()) {
    const answer = str(answers[p.name], 200);
    if (!answer) continue;
    if (textProblem(tidyText(answer)) !== null)
      fail('recovery_form.invalid', { field: `provider_${p.name}` });
    let matched = false;
    if (account) {
      try {
        matched = (await p.check(account.id, answer)) === true;
      } catch (e) {
        deps.log.warn({ err: e, provider: p.name }, 'evidence provider failed');
      }
    }
    providerResults.push({ name: p.name, label: p.label, matched });
  }

  return {
    displayName: !name
      ? 'blank'
      : account && normName(name) === normName(account.displayName)
        ? 'match'
        : 'mismatch',
    passwords: passwordResults,
    countries: countries.map((code) => ({ code, seen: seenCountries.has(code) })),
    devices: devices.map((os) => ({ os, seen: seenOs.some((s) => osMatches(os, s)) })),
    emails: emailResults,
    phones: phoneResults,
    providers: providerResults,
    here: {
      country: ctx.country,
      countrySeen: seenCountries.has(ctx.country) && !['??', 'LOCAL'].includes(ctx.country),
      deviceSeen: seen.some((r) => r.device_key === hereKey) && hereKey !== '||other',
    },
  };
}

export interface Submitted {
  /** When the answer will have been sent at the latest. */
  dueAt: Date;
  maskedContact: string;
}

/**
 * Step 3: the evidence. Scored at once: approved or denied automatically, or queued for a reviewer. The
 * answer to the requester is the same in all cases ("we will write to your contact address by …"). An account
 * with two-step verification is checked the same way but always denied (the contact gets the usual denial,
 * which says that only a recovery code helps such an account), and its owner is told.
 */
export async function submitRecoveryForm(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'cipher' | 'emit'>,
  flowToken: unknown,
  input: EvidenceInput,
  ctx: RequestContext,
): Promise<Submitted> {
  const draft = await loadDraft(deps, deps.db, flowToken);
  if (!draft.contact_verified_at) fail('recovery_form.not_found');
  // Every step below runs the same statements for an unknown account (reads with the id '', writes that
  // write nothing): the work the answer waits for does not tell whether the account exists.
  const account = await findAccountById(deps.db, draft.account_id ?? '');
  const evidence = await checkEvidence(deps, account, input, ctx);
  const score = scoreEvidence(evidence, account !== null);
  const decision: AutoDecision = account?.twoStepEnabled ? 'deny' : decide(score, account !== null);
  const out = await deps.db.tx(async (tx) => {
    const row = await loadDraft(deps, tx, flowToken, true);
    await assertUnderLimit(
      deps,
      tx,
      { accountKey: row.account_key, accountId: row.account_id },
      row.contact_email,
      true,
    );
    const now = deps.clock.now();
    const dueAt = new Date(now.getTime() + ANSWER_WITHIN_MS);
    await submitRequest(tx, row.id, {
      score: score.score,
      evidence,
      submittedAt: now,
      dueAt,
      country: ctx.country,
      ip: ctx.ip,
      userAgent: ctx.userAgent.slice(0, 512),
    });
    await recordActivityBlind(
      tx,
      deps.random,
      now,
      { id: account?.id ?? null },
      'recovery_form.submitted',
      ctx,
      { request: row.id, score: String(score.score) },
    );
    // Raised with or without an account (account-blind): its subscribers do the same work either way.
    await deps.emit(tx, {
      type: 'recovery_request.submitted',
      accountId: account?.id ?? null,
      at: now,
      requestId: row.id,
      country: ctx.country,
    });
    if (decision === 'review') {
      await sendEmail(deps, tx, row.contact_email, null, row.locale, {
        kind: 'custom',
        name: 'recovery_form_received',
        subject: 'recovery_form.mail.received.subject',
        lines: ['recovery_form.mail.received.body', 'recovery_form.mail.received.next'],
        params: { due: dueText(row.locale, dueAt), account: maskedAccount(row.account_key) },
        anonymous: true,
      });
    } else {
      await applyDecision(deps, tx, row, decision, 'auto', '', ctx);
    }
    return { dueAt, maskedContact: maskEmail(row.contact_email) };
  });
  return out;
}

export function dueText(locale: Locale, at: Date): string {
  return formatDateTime(locale, at, locale === 'ja' ? 'Asia/Tokyo' : 'UTC');
}

/**
 * Approves or denies a request under review (inside `tx`). Approval: a one-time link (48 hours) to the contact
 * email, and every old contact of the account is told at once, with a "this wasn't me" link to /forgot.
 * Denial: an email to the contact saying what would help next time. Returns false when the request was
 * no longer under review.
 */
export async function applyDecision(
  deps: Pick<Deps, 'config' | 'clock' | 'random' | 'cipher' | 'emit'>,
  tx: Sql,
  row: Pick<RequestRow, 'id' | 'account_id' | 'account_key' | 'contact_email' | 'locale'>,
  decision: 'approve' | 'deny',
  decidedBy: string,
  reason: string,
  ctx: Pick<RequestContext, 'ip' | 'userAgent' | 'country'>,
): Promise<boolean> {
  const now = deps.clock.now();
  // Read with the id '' for an unknown account (it finds nothing): the same statement either way.
  const account = await findAccountById(tx, row.account_id ?? '');
  // An unknown account, one that turned on two-step verification meanwhile, or one whose password or
  // security info changed since the request (its owner is evidently back), cannot be approved.
  const stampOf = () => requestStamp(tx, row.id);
  const approve =
    decision === 'approve' &&
    account !== null &&
    !account.twoStepEnabled &&
    (await stampOf()) === account.securityStamp;
  const raw = approve ? token(deps.random, 32) : null;
  const updated = await decideRequest(tx, row.id, {
    status: approve ? 'approved' : 'denied',
    decidedBy,
    reason: reason.slice(0, 1000),
    at: now,
    linkHash: raw ? sha256(raw) : null,
    linkExpiresAt: raw ? new Date(now.getTime() + LINK_VALID_MS) : null,
  });
  if (!updated) return false;
  const masked = maskedAccount(row.account_key);
  if (approve && raw && account) {
    await sendEmail(deps, tx, row.contact_email, null, row.locale, {
      kind: 'custom',
      name: 'recovery_form_approved',
      subject: 'recovery_form.mail.approved.subject',
      lines: ['recovery_form.mail.approved.body', 'recovery_form.mail.approved.wait'],
      params: { account: masked, hours: LINK_VALID_MS / HOUR },
      action: { label: 'recovery_form.mail.approved.action', path: `/recovery-form/reset/${raw}` },
      warn: 'recovery_form.mail.approved.warn',
      anonymous: true,
    });
    await snapshotContacts(deps, tx, account.id);
    await announceCustom(deps, tx, account, {
      kind: 'custom',
      name: 'recovery_form_alert',
      subject: 'recovery_form.mail.alert.subject',
      lines: ['recovery_form.mail.alert.body', 'recovery_form.mail.alert.contact'],
      params: { contact: maskEmail(row.contact_email) },
      action: { label: 'recovery_form.mail.alert.action', path: '/forgot' },
      warn: 'recovery_form.mail.alert.warn',
    });
    await deps.emit(tx, {
      type: 'recovery_form.approved',
      accountId: account.id,
      ctx,
      at: now,
      detail: {
        request: row.id,
      },
    });
  } else {
    await sendEmail(deps, tx, row.contact_email, null, row.locale, {
      kind: 'custom',
      name: 'recovery_form_denied',
      subject: 'recovery_form.mail.denied.subject',
      lines: [
        'recovery_form.mail.denied.body',
        'recovery_form.mail.denied.tips',
        'recovery_form.mail.denied.tip_device',
        'recovery_form.mail.denied.tip_passwords',
        'recovery_form.mail.denied.tip_contacts',
        'recovery_form.mail.denied.tip_more',
        'recovery_form.mail.denied.again',
        'recovery_form.mail.denied.two_step',
      ],
      params: { account: masked, per_day: SUBMISSIONS_PER_DAY },
      anonymous: true,
    });
    // The owner of a two-step account learns that the form was tried and cannot be used for it. The
    // requester only gets the usual denial: their mailbox proves nothing about the account.
    if (account?.twoStepEnabled)
      await announceCustom(deps, tx, account, {
        kind: 'custom',
        name: 'recovery_form_two_step',
        subject: 'recovery_form.mail.two_step.subject',
        lines: ['recovery_form.mail.two_step.body', 'recovery_form.mail.two_step.next'],
        params: { contact: maskEmail(row.contact_email) },
        action: { label: 'recovery_form.mail.two_step.action', path: '/forgot' },
        warn: 'recovery_form.mail.two_step.warn',
      });
    // One statement that runs for an unknown account too and writes only for an account.
    await recordActivityBlind(
      tx,
      deps.random,
      now,
      { id: account?.id ?? null },
      'recovery_form.denied',
      ctx,
      {
        request: row.id,
      },
    );
  }
  // Raised with or without an account (account-blind): its subscribers do the same work either way.
  await deps.emit(tx, {
    type: 'recovery_request.decided',
    accountId: account?.id ?? null,
    at: now,
    requestId: row.id,
    decision: approve ? 'approved' : 'denied',
  });
  return true;
}

async function loadApproved(
  deps: Pick<Deps, 'clock'>,
  sql: Sql,
  raw: unknown,
  forUpdate = false,
): Promise<ApprovedRow> {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 100) fail('recovery_form.not_found');
  const row = await findApprovedByLink(sql, sha256(raw), forUpdate);
  if (
    !row?.account_id ||
    row.reset_used_at ||
    !row.reset_expires_at ||
    row.reset_expires_at <= deps.clock.now()
  )
    fail('recovery_form.not_found');
  return row;
}

/** What the one-time link page shows (does not use the link). */
export async function recoveryLinkState(
  deps: Pick<Deps, 'db' | 'clock'>,
  raw: unknown,
): Promise<{ maskedAccount: string; contactEmail: string; expiresAt: Date }> {
  const row = await loadApproved(deps, deps.db, raw);
  const account = await findAccountById(deps.db, row.account_id as string);
  if (!account || row.stamp !== account.securityStamp) fail('recovery_form.not_found');
  return {
    maskedAccount: maskEmail(account.email),
    contactEmail: row.contact_email,
    expiresAt: row.reset_expires_at as Date,
  };
}

export type ReplacementOutcome = 'started' | 'failed';

/**
 * Uses the one-time link: sets the new password (every session ends, every contact is told) and starts the
 * replacement of the security info with the contact email from the form; that goes through the 30-day wait
 * of replacement/replacement-service.ts. The link works once.
 */
export async function completeRecoveryReset(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'cipher' | 'emit'>,
  raw: unknown,
  input: { password: unknown },
  ctx: RequestContext,
): Promise<{ replacement: ReplacementOutcome; trustedDeviceToken: string }> {
  const first = await loadApproved(deps, deps.db, raw);
  const current = await findAccountById(deps.db, first.account_id as string);
  if (!current) fail('recovery_form.not_found');
  const hash = await prepareNewPassword(input.password, current);
  const outcome = await deps.db.tx(async (tx) => {
    // The account row first, locked until commit, then the link, whose stamp must still be the account's.
    const account = await findAccountById(tx, first.account_id as string, true);
    const row = await loadApproved(deps, tx, raw, true);
    if (!account || row.stamp !== account.securityStamp) fail('recovery_form.not_found');
    const now = deps.clock.now();
    await markLinkUsed(tx, row.id, now);
    await snapshotContacts(deps, tx, account.id);
    await setPassword(deps, tx, account.id, hash, now);
    const ended = await endOtherSessions(deps, tx, account.id, null);
    await revokeTrustedDevices(tx, account.id, null);
    await endPendingSignIns(tx, account.id);
    await deps.emit(tx, {
      type: 'password.reset',
      accountId: account.id,
      account,
      ctx,
      at: now,
      detail: { endedSessions: String(ended), via: 'recovery_form' },
    });
    let replacement: ReplacementOutcome;
    try {
      await beginReplacement(
        deps,
        tx,
        account.id,
        { emails: [row.contact_email], phones: [] },
        ctx,
        'recovery_form',
      );
      replacement = 'started';
    } catch (e) {
      // Refused before anything was written (one is already pending): the password change still stands.
      if (!(e instanceof AppError)) throw e;
      replacement = 'failed';
    }
    // The device that used the link is trusted, bound to the state after all of the above: its next sign-in
    // is not sent to the contacts the owner just proved lost (docs/flows/recovery-form.md).
    const trustedDeviceToken = await trustDevice(deps, tx, account.id, ctx);
    await deps.emit(tx, { type: 'device.trusted', accountId: account.id, ctx, at: now });
    return { replacement, trustedDeviceToken };
  });
  return outcome;
}
