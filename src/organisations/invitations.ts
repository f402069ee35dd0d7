import { retrySeconds } from '../abuse/limiter.ts';
import { findAccountById } from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import { t } from '../i18n/index.ts';
import { DAY } from '../kernel/clock.ts';
import type { Locale } from '../kernel/context.ts';
import { sha256 } from '../kernel/crypto.ts';
import { fail } from '../kernel/errors.ts';
import { maskEmail } from '../kernel/mask.ts';
import { newId, token } from '../kernel/random.ts';
import { sendEmail } from '../notifications/notify.ts';
import { checkEmailSyntax } from '../security-info/email/check-email.ts';
import { emailKey, normalizeEmail } from '../security-info/email/normalize-email.ts';
import type { SessionView } from '../sessions/session-cache.ts';
import { type OrgAdmin, ROLE_RANK, roleCan } from './admin-access.ts';
import { recordOrgAudit } from './audit.ts';
import { parseRole } from './org-admin.ts';
import {
  findInvitationByHash,
  type InvitationRow,
  insertInvitation,
  listOpenInvitations,
  markInvitationAccepted,
  revokeInvitation,
  revokeOpenInvitationsOf,
} from './store/invitations.ts';
import { findMember, insertMember, type OrgRole, setMemberRole } from './store/members.ts';
import { findOrganisation } from './store/orgs.ts';
import { endPassOnOwnerRecovery } from './tap.ts';

/**
 * Invitations (issue 9 §1): an organisation admin invites an address with a role; the email carries a link
 * `/organisation/join?token=…` (the token is 32 random bytes, stored as its SHA-256, valid 7 days, one open
 * invitation per address and organisation: a new one withdraws the old; revocable). The invitee signs in
 * or signs up with that address and accepts: they join with the role. docs/flows/organisations-actions.md.
 */

export const INVITATION_DAYS = 7;
/**
 * Invitations an organisation may send per day: each emails an address the admin types (any address, in any
 * domain), so an admin or a leaked token cannot turn the service into a mail cannon.
 */
export const INVITATIONS_PER_DAY = 500;

type InviteDeps = Pick<Deps, 'db' | 'clock' | 'random' | 'config' | 'cipher' | 'limiter'>;

function requireMembers(admin: OrgAdmin): void {
  if (!roleCan(admin.role, 'members')) fail('org.forbidden');
}

/** An open invitation as the console lists it. */
export interface InvitationView {
  id: string;
  email: string;
  role: OrgRole;
  createdAt: Date;
  expiresAt: Date;
}

const view = (r: InvitationRow): InvitationView => ({
  id: r.id,
  email: r.email,
  role: r.role,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

/**
 * Invites `email` to the admin's organisation with `role` and emails the link (in `locale`, the admin's
 * language unless given). A new invitation of the same address withdraws the open one. Audit-logged
 * (`invitation.sent`). Returns the invitation (never its token). Needs the `members` capability
 * (organisation admins). Errors: `org.forbidden`, `contact.email_invalid`, `org.role_invalid`,
 * `request.rate_limited` (over INVITATIONS_PER_DAY for the organisation).
 */
export async function inviteMember(
  deps: InviteDeps,
  admin: OrgAdmin,
  input: { email: unknown; role: unknown; locale?: Locale },
): Promise<InvitationView> {
  requireMembers(admin);
  const email =
    typeof input.email === 'string' && input.email.length <= 320 ? normalizeEmail(input.email) : '';
  if (!checkEmailSyntax(email)) fail('contact.email_invalid');
  const role = parseRole(input.role ?? 'member');
  const raw = token(deps.random, 32);
  const now = deps.clock.now();
  const sent = await deps.limiter.take(`org:invitations:${admin.orgId}`, INVITATIONS_PER_DAY, DAY, now);
  if (!sent.allowed) fail('request.rate_limited', { seconds: retrySeconds(sent.retryAfterMs) });
  const row = {
    id: newId(deps.random, 'inv'),
    org_id: admin.orgId,
    email,
    email_key: emailKey(email),
    role,
    token_hash: sha256(raw),
    invited_by: admin.actor.id,
    created_at: now,
    expires_at: new Date(now.getTime() + INVITATION_DAYS * DAY),
  };
  const locale: Locale = input.locale ?? 'ja';
  await deps.db.tx(async (tx) => {
    const replaced = await revokeOpenInvitationsOf(tx, admin.orgId, row.email_key, now);
    await insertInvitation(tx, row);
    await sendEmail(deps, tx, email, null, locale, {
      kind: 'custom',
      name: 'org_invitation',
      subject: 'org.mail.invite.subject',
      lines: ['org.mail.invite.body', 'org.mail.invite.next'],
      warn: 'org.mail.invite.not_expected',
      action: { label: 'org.mail.invite.action', path: `/organisation/join?token=${raw}` },
      params: {
        org: admin.orgName,
        role: t(locale, `org.role.${role}`),
        email,
        days: INVITATION_DAYS,
      },
      anonymous: true,
    });
    await recordOrgAudit(deps, tx, {
      orgId: admin.orgId,
      actor: admin.actor,
      action: 'invitation.sent',
      target: email,
      detail: { role, replaced: String(replaced) },
    });
  });
  return view({ ...row, accepted_at: null, revoked_at: null });
}

/** The organisation's open invitations, newest first. Errors: `org.forbidden`. */
export async function listInvitations(
  deps: Pick<Deps, 'db' | 'clock'>,
  admin: OrgAdmin,
): Promise<InvitationView[]> {
  requireMembers(admin);
  return (await listOpenInvitations(deps.db, admin.orgId, deps.clock.now())).map(view);
}

/**
 * Withdraws an open invitation of the admin's organisation: its link stops working. Audit-logged
 * (`invitation.revoked`). Errors: `org.forbidden`, `org.invitation_invalid` (no such open invitation).
 */
export async function revokeInvitationById(
  deps: Pick<Deps, 'db' | 'clock' | 'random'>,
  admin: OrgAdmin,
  invitationId: unknown,
): Promise<void> {
  requireMembers(admin);
  if (typeof invitationId !== 'string' || invitationId.length > 64) fail('org.invitation_invalid');
  await deps.db.tx(async (tx) => {
    const gone = await revokeInvitation(tx, admin.orgId, invitationId, deps.clock.now());
    if (!gone) fail('org.invitation_invalid');
    await recordOrgAudit(deps, tx, {
      orgId: admin.orgId,
      actor: admin.actor,
      action: 'invitation.revoked',
      target: gone.email,
      detail: { role: gone.role },
    });
  });
}

/** What the join page shows of an invitation. */
export interface InvitationForInvitee {
  orgName: string;
  role: OrgRole;
  /** The invited address, masked (the page is open to whoever holds the link). */
  maskedEmail: string;
  /** Null when not signed in; otherwise whether the signed-in account's address is the invited one. */
  forThisAccount: boolean | null;
}

function tokenHash(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length < 20 || raw.length > 100) fail('org.invitation_invalid');
  return sha256(raw);
}

const isOpen = (r: InvitationRow, now: Date) =>
  r.accepted_at === null && r.revoked_at === null && r.expires_at.getTime() > now.getTime();

/**
 * The invitation behind a link, for the join page. Errors: `org.invitation_invalid` (unknown, used,
 * withdrawn or expired).
 */
export async function invitationForToken(
  deps: Pick<Deps, 'db' | 'clock'>,
  raw: unknown,
  session: Pick<SessionView, 'email'> | null,
): Promise<InvitationForInvitee> {
  const inv = await findInvitationByHash(deps.db, tokenHash(raw));
  if (!inv || !isOpen(inv, deps.clock.now())) fail('org.invitation_invalid');
  const org = await findOrganisation(deps.db, inv.org_id);
  if (!org) fail('org.invitation_invalid');
  return {
    orgName: org.name,
    role: inv.role,
    maskedEmail: maskEmail(inv.email),
    forThisAccount: session ? emailKey(session.email) === inv.email_key : null,
  };
}

/**
 * The signed-in account accepts the invitation: it must be signed in with the invited address (confirmed);
 * it joins the organisation with the invited role (a member of the same organisation takes it if higher).
 * Audit-logged (`invitation.accepted`). Returns the organisation joined.
 * Errors: `org.invitation_invalid` (unknown, used, withdrawn, expired, or for another address),
 * `org.already_member` (the account belongs to another organisation).
 */
export async function acceptInvitation(
  deps: Pick<Deps, 'db' | 'clock' | 'random'>,
  session: Pick<SessionView, 'accountId'>,
  raw: unknown,
): Promise<{ orgId: string; role: OrgRole }> {
  const hash = tokenHash(raw);
  return deps.db.tx(async (tx) => {
    const now = deps.clock.now();
    const inv = await findInvitationByHash(tx, hash, true);
    if (!inv || !isOpen(inv, now)) fail('org.invitation_invalid');
    const account = await findAccountById(tx, session.accountId, true);
    if (!account?.emailConfirmedAt || account.emailKey !== inv.email_key) fail('org.invitation_invalid');
    const member = await findMember(tx, account.id, true);
    if (member && member.org_id !== inv.org_id) fail('org.already_member');
    if (!member)
      await insertMember(tx, { accountId: account.id, orgId: inv.org_id, role: inv.role, joinedAt: now });
    // A member of the organisation keeps a higher role than the one offered.
    else if (ROLE_RANK[inv.role] > ROLE_RANK[member.role]) {
      await setMemberRole(tx, inv.org_id, account.id, inv.role);
      // A pass given for the lower role ends with it.
      await endPassOnOwnerRecovery(deps, tx, account.id, 'role_raised');
    }
    if (!(await markInvitationAccepted(tx, inv.id, now))) fail('org.invitation_invalid');
    await recordOrgAudit(deps, tx, {
      orgId: inv.org_id,
      actor: { kind: 'member', id: account.id, name: account.email },
      action: 'invitation.accepted',
      targetAccountId: account.id,
      target: account.email,
      detail: { role: inv.role },
    });
    return { orgId: inv.org_id, role: inv.role };
  });
}
