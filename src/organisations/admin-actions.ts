import { hashPassword } from '../accounts/password-hasher.ts';
import { prepareNewPassword } from '../accounts/password-service.ts';
import { type Account, bumpSecurityStamp, findAccountById, setPassword } from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import { formatDateTime, type MessageKey } from '../i18n/index.ts';
import type { RequestContext } from '../kernel/context.ts';
import { AppError, fail } from '../kernel/errors.ts';
import { maskEmail, maskPhone } from '../kernel/mask.ts';
import { newId } from '../kernel/random.ts';
import type { Sql } from '../kernel/sql.ts';
import type { MessageKind } from '../notifications/message-kinds.ts';
import { announceCustom } from '../notifications/notify.ts';
import { validateContactEmail } from '../security-info/email/check-email.ts';
import { acceptSmsDestination } from '../security-info/phone/sms-destination.ts';
import {
  deleteMethods,
  insertPendingContact,
  listMethods,
  type MethodKind,
  updatePendingContact,
} from '../security-info/store.ts';
import type { SessionView } from '../sessions/session-cache.ts';
import { endOtherSessions } from '../sessions/sessions.ts';
import { guardSecurityChange, lockWithStepUp, precheckSecurityChange } from '../sessions/step-up-guard.ts';
import { endPendingSignIns } from '../sessions/store.ts';
import { revokeTrustedDevices } from '../sessions/trusted-devices.ts';
import { phoneCountry } from './account-policy.ts';
import { auditRefusal, lockTargetMember, type OrgAdmin, orgAdminAccess } from './admin-access.ts';
import { recordOrgAudit } from './audit.ts';
import type { OrgAuditAction } from './audit-actions.ts';
import { methodCounts, storedPolicy } from './policy.ts';
import { findMember, type MemberRow, setMustChangePassword, setMustReregister } from './store/members.ts';
import { currentPolicy } from './store/policies.ts';
import { findTap, type TapRow } from './store/taps.ts';

/**
 * Admin actions on a member (issue 9 §4, after Entra ID's "require re-register MFA", "revoke sessions",
 * "reset password" and "add authentication method" on a user; docs/flows/organisations-actions.md).
 *
 * Every action: by an admin whose role allows `member_actions`, on a member of the same organisation who is
 * not the admin and not of a higher role (`lockTargetMember`; a refusal is audited with `auditRefusal`),
 * audit-logged and emailed to the member's sign-in address and verified contact emails in the same
 * transaction. From the console the admin's session must hold a fresh step-up (a second factor in the last
 * STEP_UP_MINUTES, `auth.reauth_required` otherwise); the API passes `session: null` (its admin token,
 * scoped to one organisation, is the proof).
 */

/** Who performs an admin action: the administrator and, from the console, their session (step-up checked). */
export interface ActingAdmin {
  admin: OrgAdmin;
  /** The console session: it must hold a fresh step-up. Null from the API (the admin token is the proof). */
  session: Pick<SessionView, 'id' | 'accountId'> | null;
}

/** The console's acting admin: the session's administrator for member actions. Errors: as orgAdminAccess. */
export async function actingAdmin(deps: Pick<Deps, 'db'>, session: SessionView): Promise<ActingAdmin> {
  return { admin: await orgAdminAccess(deps, session, 'member_actions'), session };
}

export type ActionDeps = Pick<Deps, 'db' | 'clock' | 'random' | 'config' | 'cipher' | 'emit'>;

/**
 * Runs one admin action in a transaction (also used by tap.ts): checks the step-up, locks the target (refusals audited), runs
 * `act`, then records `action` in the audit log. The email is the action's own (`act` sends it).
 */
export async function memberAction<T>(
  deps: ActionDeps,
  by: ActingAdmin,
  action: OrgAuditAction,
  targetId: unknown,
  act: (
    tx: Sql,
    target: MemberRow,
    account: Account,
  ) => Promise<{ result: T; detail?: Record<string, unknown> }>,
): Promise<T> {
  try {
    return await deps.db.tx(async (tx) => {
      if (by.session) await lockWithStepUp(deps, tx, by.session, 'fresh');
      const target = await lockTargetMember(tx, by.admin, targetId);
      const account = await findAccountById(tx, target.account_id, true);
      if (!account) fail('org.target_forbidden');
      const done = await act(tx, target, account);
      await recordOrgAudit(deps, tx, {
        orgId: by.admin.orgId,
        actor: by.admin.actor,
        action,
        targetAccountId: account.id,
        target: account.email,
        detail: done.detail ?? {},
      });
      return done.result;
    });
  } catch (e) {
    if (e instanceof AppError && e.code === 'org.target_forbidden')
      await auditRefusal(deps, by.admin, action, targetId);
    throw e;
  }
}

/** The email of each action (its outbox kind) and where its button leads. */
const ACTION_MAILS = {
  reregister: ['org_reregister_required', '/security'],
  sessions: ['org_sessions_revoked', '/sign-in'],
  password: ['org_password_reset', '/sign-in'],
  contact: ['org_contact_added', '/security'],
  tap: ['org_tap_created', '/sign-in/pass'],
} as const satisfies Record<string, readonly [MessageKind, string]>;

/**
 * Emails the member (sign-in address and verified contact emails, through the outbox in `tx`) what the
 * admin did, when, by which organisation, what to do next, and whom to contact if it was unexpected.
 */
export async function tellMember(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'random'>,
  tx: Sql,
  account: Account,
  admin: OrgAdmin,
  key: keyof typeof ACTION_MAILS,
  extra: Record<string, string> = {},
): Promise<void> {
  const k = (s: string) => `org.mail.${key}.${s}` as MessageKey;
  const [name, path] = ACTION_MAILS[key];
  await announceCustom(deps, tx, account, {
    kind: 'custom',
    name,
    subject: k('subject'),
    lines: [k('body'), k('next')],
    warn: 'org.mail.not_expected',
    action: { label: k('action'), path },
    params: {
      org: admin.orgName,
      time: formatDateTime(account.locale, deps.clock.now(), account.timeZone),
      contact: admin.orgContact || admin.orgName,
      ...extra,
    },
  });
}

/** What "require re-registration" did. */
export interface ReregisterResult {
  /** How many phones and authenticator apps were removed. */
  removedPhones: number;
  removedAuthenticators: number;
}

/**
 * Requires the member to set up their methods again: deletes their phones and authenticator apps (emails
 * and passkeys stay, as in Entra ID), sets `must_reregister` (the member is sent to /security/required at
 * the next sign-in) and moves the security stamp on, so codes and flows issued before die. Their sessions
 * stay; revoke them with `revokeMemberSessions` if the phone was lost.
 * Errors: `org.forbidden`, `org.target_forbidden`, `auth.reauth_required`.
 */
export async function requireReregistration(
  deps: ActionDeps,
  by: ActingAdmin,
  targetAccountId: unknown,
): Promise<ReregisterResult> {
  return memberAction(deps, by, 'member.reregister_required', targetAccountId, async (tx, _t, account) => {
    const methods = await listMethods(tx, account.id);
    const gone = methods.filter((m) => m.kind === 'phone' || m.kind === 'totp');
    const removed = await deleteMethods(
      deps,
      tx,
      account.id,
      gone.map((m) => m.id),
    );
    // The stamp moves even when nothing verified was removed: pending flows die with the old info.
    if (!removed.some((r) => r.verified)) await bumpSecurityStamp(deps, tx, account.id);
    await setMustReregister(tx, account.id, true);
    await endPendingSignIns(tx, account.id);
    const result = {
      removedPhones: removed.filter((r) => r.kind === 'phone').length,
      removedAuthenticators: removed.filter((r) => r.kind === 'totp').length,
    };
    await tellMember(deps, tx, account, by.admin, 'reregister');
    return {
      result,
      detail: { phones: String(result.removedPhones), authenticators: String(result.removedAuthenticators) },
    };
  });
}

/** What "revoke sessions" did. */
export interface RevokeResult {
  endedSessions: number;
  revokedDevices: number;
}

/**
 * Ends every session of the member, every pending sign-in and every trusted device ("don't ask again"),
 * at once: the session cache drops them in this instance and others (sessionsChanged). The member signs
 * in again with their password and second factor.
 * Errors: `org.forbidden`, `org.target_forbidden`, `auth.reauth_required`.
 */
export async function revokeMemberSessions(
  deps: ActionDeps,
  by: ActingAdmin,
  targetAccountId: unknown,
): Promise<RevokeResult> {
  return memberAction(deps, by, 'member.sessions_revoked', targetAccountId, async (tx, _t, account) => {
    const endedSessions = await endOtherSessions(deps, tx, account.id, null);
    const revokedDevices = await revokeTrustedDevices(tx, account.id, null);
    await endPendingSignIns(tx, account.id);
    await tellMember(deps, tx, account, by.admin, 'sessions');
    return {
      result: { endedSessions, revokedDevices },
      detail: { sessions: String(endedSessions), devices: String(revokedDevices) },
    };
  });
}

/** Readable characters of temporary passwords and passes: no 0/O, 1/I/l, so they can be read aloud. */
export const READABLE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** `length` characters of READABLE_ALPHABET from deps.random (5 bits each). */
export function readableSecret(random: Deps['random'], length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += READABLE_ALPHABET[random.int(0, READABLE_ALPHABET.length)];
  return s;
}

/** What "reset the password" did: the temporary password, to be shown to the admin once, never stored. */
export interface TemporaryPasswordResult {
  /** 20 readable characters in groups of 5 (`ABCDE-FGHJK-…`, 100 bits), shown once. */
  temporaryPassword: string;
  endedSessions: number;
}

/**
 * Resets the member's password to a temporary one (20 random readable characters in 4 groups, ~100 bits,
 * from deps.random), hashed like any password; sets `must_change_password` (the member is sent to
 * /security/new-password-required at the next sign-in) and ends all their sessions and pending sign-ins.
 * Returns the temporary password: the only time it exists in clear.
 * Errors: `org.forbidden`, `org.target_forbidden`, `auth.reauth_required`.
 */
export async function resetMemberPassword(
  deps: ActionDeps,
  by: ActingAdmin,
  targetAccountId: unknown,
): Promise<TemporaryPasswordResult> {
  const raw = readableSecret(deps.random, 20);
  const temporaryPassword = raw.match(/.{5}/g)?.join('-') ?? raw;
  const hash = await hashPassword(temporaryPassword);
  return memberAction(deps, by, 'member.password_reset', targetAccountId, async (tx, _t, account) => {
    await setPassword(deps, tx, account.id, hash, deps.clock.now());
    await setMustChangePassword(tx, account.id, true);
    const endedSessions = await endOtherSessions(deps, tx, account.id, null);
    await endPendingSignIns(tx, account.id);
    await tellMember(deps, tx, account, by.admin, 'password');
    return { result: { temporaryPassword, endedSessions }, detail: { sessions: String(endedSessions) } };
  });
}

/** What "add a contact" did: the pending method, which counts only once the member enters its code. */
export interface AddedContact {
  methodId: string;
  kind: 'email' | 'phone';
  /** Masked, as the console shows it. */
  masked: string;
}

/**
 * Adds an email address or a mobile number to the member's security info on their behalf, as a pending
 * method (not verified: it counts for nothing until the member enters the code they ask for on their
 * security page). Input: `{ kind: 'email', email }` or `{ kind: 'phone', country, number }`. The same
 * checks as the member's own adding (syntax, disposable, allowed SMS countries, the method limit), and the
 * organisation's policy (an allowed kind, a phone in its SMS countries). Errors: `contact.*`, `phone.*`,
 * `policy.method_not_allowed`, `policy.country_not_allowed`, `org.forbidden`, `org.target_forbidden`,
 * `auth.reauth_required`.
 */
export async function addMemberContact(
  deps: ActionDeps,
  by: ActingAdmin,
  targetAccountId: unknown,
  input: { kind: unknown; email?: unknown; country?: unknown; number?: unknown },
): Promise<AddedContact> {
  const kind = input.kind === 'phone' ? 'phone' : input.kind === 'email' ? 'email' : null;
  if (!kind) fail('request.invalid');
  // The phone is checked before the transaction (no account needed).
  const e164 =
    kind === 'phone'
      ? await acceptSmsDestination(deps, { country: input.country, number: input.number })
      : '';
  return memberAction(deps, by, 'member.contact_added', targetAccountId, async (tx, _t, account) => {
    const methods = await listMethods(tx, account.id);
    let value = e164;
    let valueKey = e164;
    if (kind === 'email') {
      const checked = validateContactEmail(
        typeof input.email === 'string' ? input.email.slice(0, 1000) : '',
        {
          primaryEmail: account.email,
          existing: methods.filter((m) => m.kind === 'email' && m.verifiedAt).map((m) => m.value),
          acceptTypo: true,
        },
      );
      if (!checked.ok) fail(checked.code, checked.params);
      value = checked.email;
      valueKey = checked.key;
    }
    // The organisation's policy governs what may be added (a disallowed kind, an SMS country outside it).
    const policy = storedPolicy((await currentPolicy(tx, by.admin.orgId))?.policy);
    const country = kind === 'phone' ? phoneCountry(value) : undefined;
    if (!policy.allowed[kind])
      fail('policy.method_not_allowed', { method: kind === 'email' ? maskEmail(value) : maskPhone(value) });
    if (!methodCounts(policy, { kind, country }))
      fail('policy.country_not_allowed', { countries: policy.smsCountries.join(', ') });
    const same = methods.find((m) => m.kind === kind && m.valueKey === valueKey);
    if (same?.verifiedAt) fail('contact.already_added');
    if (!same && methods.length >= deps.config.maxMethods)
      fail('contact.limit_reached', { max: deps.config.maxMethods });
    const methodId = same?.id ?? newId(deps.random, 'mth');
    if (same) await updatePendingContact(tx, methodId, same.label, value);
    else
      await insertPendingContact(
        tx,
        { id: methodId, accountId: account.id, kind, value, valueKey, label: '' },
        deps.clock.now(),
      );
    const masked = kind === 'email' ? maskEmail(value) : maskPhone(value);
    await tellMember(deps, tx, account, by.admin, 'contact', { method: masked });
    return { result: { methodId, kind, masked }, detail: { kind, method: masked } };
  });
}

/** A method as the member's detail page shows it to an admin: kind, masked value, verified or pending. */
export interface MemberMethodView {
  kind: MethodKind;
  masked: string;
  label: string;
  verified: boolean;
}

/** The member's detail as an admin with `member_actions` may see it. */
export interface MemberDetail {
  accountId: string;
  email: string;
  displayName: string;
  role: MemberRow['role'];
  mustReregister: boolean;
  mustChangePassword: boolean;
  twoStep: boolean;
  methods: MemberMethodView[];
  tap: Pick<TapRow, 'one_time' | 'created_at' | 'expires_at' | 'used_at'> | null;
}

/**
 * The member's detail for the admin's console page (methods by kind, masked; role; flags; the live
 * temporary access pass, never its value). Viewing is not an action: no step-up, no audit. A member
 * outside the admin's organisation is `org.not_member` (the same answer as no such account).
 */
export async function memberDetail(
  deps: Pick<Deps, 'db' | 'clock'>,
  admin: OrgAdmin,
  targetAccountId: unknown,
): Promise<MemberDetail> {
  if (typeof targetAccountId !== 'string' || targetAccountId.length > 64) fail('org.not_member');
  const member = await findMember(deps.db, targetAccountId);
  if (!member || member.org_id !== admin.orgId) fail('org.not_member');
  const account = await findAccountById(deps.db, targetAccountId);
  if (!account) fail('org.not_member');
  const methods = (await listMethods(deps.db, account.id)).map((m) => ({
    kind: m.kind,
    masked: m.kind === 'email' ? maskEmail(m.value) : m.kind === 'phone' ? maskPhone(m.value) : '',
    label: m.label,
    verified: m.verifiedAt !== null,
  }));
  const tap = await findTap(deps.db, account.id);
  const live = tap && tap.expires_at.getTime() > deps.clock.now().getTime() && !(tap.one_time && tap.used_at);
  return {
    accountId: account.id,
    email: account.email,
    displayName: account.displayName,
    role: member.role,
    mustReregister: member.must_reregister,
    mustChangePassword: member.must_change_password,
    twoStep: account.twoStepEnabled,
    methods,
    tap: live
      ? {
          one_time: tap.one_time,
          created_at: tap.created_at,
          expires_at: tap.expires_at,
          used_at: tap.used_at,
        }
      : null,
  };
}

/** Whether the signed-in member must still replace the temporary password an admin gave them. */
export async function mustChangePassword(deps: Pick<Deps, 'db'>, accountId: string): Promise<boolean> {
  return (await findMember(deps.db, accountId))?.must_change_password === true;
}

/**
 * The member replaces the temporary password an admin set (/security/new-password-required): the new one
 * follows the usual password rules (accounts/password-policy.ts, not the temporary one, not the phrase);
 * the mark clears in the same transaction; the member's other sessions end (whoever else knew the
 * temporary password). Needs the fresh proof of a password change (the sign-in just made is one).
 * Errors: `password.*`, `auth.reauth_required`, `org.not_member` (no mark to clear).
 */
export async function replaceTemporaryPassword(
  deps: Pick<Deps, 'db' | 'emit' | 'clock' | 'config'>,
  session: SessionView,
  input: { password: unknown },
  ctx: RequestContext,
): Promise<void> {
  await precheckSecurityChange(deps, session, 'password.change');
  if (!(await mustChangePassword(deps, session.accountId))) fail('org.not_member');
  const current = await findAccountById(deps.db, session.accountId);
  if (!current) fail('auth.required');
  const hash = await prepareNewPassword(input.password, current);
  await deps.db.tx(async (tx) => {
    const account = await guardSecurityChange(deps, tx, session, 'password.change');
    if (account.passwordHash !== current.passwordHash)
      fail('auth.reauth_required', { minutes: deps.config.stepUpMinutes });
    await setPassword(deps, tx, account.id, hash, deps.clock.now(), session.id);
    await setMustChangePassword(tx, account.id, false);
    const ended = await endOtherSessions(deps, tx, account.id, session.id);
    await endPendingSignIns(tx, account.id);
    // A password change like any other: the member is told, and what it ends (a temporary access pass an
    // admin gave) ends.
    await deps.emit(tx, {
      type: 'password.changed',
      accountId: account.id,
      account,
      ctx,
      at: deps.clock.now(),
      detail: { endedSessions: String(ended) },
    });
  });
}
