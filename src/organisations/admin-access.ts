import type { Deps } from '../deps.ts';
import { fail } from '../kernel/errors.ts';
import type { Sql } from '../kernel/sql.ts';
import type { SessionView } from '../sessions/session-cache.ts';
import type { OrgActor } from './audit.ts';
import { recordOrgAudit } from './audit.ts';
import { findMember, type MemberRow, type OrgRole } from './store/members.ts';
import { findOrganisation } from './store/orgs.ts';

/**
 * What each role may do in its organisation (after Entra ID's built-in roles): the organisation admin
 * everything; the authentication admin the member actions (and the member directory they need to find
 * whom to act on); the reader the reports. Members administer nothing.
 */
export type OrgCapability = 'policy' | 'reports' | 'member_actions' | 'directory' | 'members' | 'tokens';

const ROLE_CAN: Record<OrgRole, readonly OrgCapability[]> = {
  org_admin: ['policy', 'reports', 'member_actions', 'directory', 'members', 'tokens'],
  auth_admin: ['member_actions', 'directory'],
  reader: ['reports', 'directory'],
  member: [],
};

/** Higher acts on lower: member 0 < reader 1 < authentication admin 2 < organisation admin 3. */
export const ROLE_RANK: Record<OrgRole, number> = { member: 0, reader: 1, auth_admin: 2, org_admin: 3 };

/** Whether `role` may use `capability`. */
export function roleCan(role: OrgRole | null | undefined, capability: OrgCapability): boolean {
  return role ? ROLE_CAN[role].includes(capability) : false;
}

/** A signed-in administrator of an organisation, as the console and the member actions see them. */
export interface OrgAdmin {
  orgId: string;
  orgName: string;
  orgContact: string;
  accountId: string;
  role: OrgRole;
  actor: OrgActor;
}

/**
 * The organisation an administrator's session administers, if their role allows `capability`.
 *
 * Errors: `org.forbidden` (not an administrator of any organisation, or the role does not allow it),
 * `org.two_step_required` (every admin needs a second factor: the account has two-step verification on and
 * this session proved a second factor, at sign-in or by a step-up).
 */
export async function orgAdminAccess(
  deps: Pick<Deps, 'db'>,
  session: SessionView,
  capability: OrgCapability,
): Promise<OrgAdmin> {
  const member = await findMember(deps.db, session.accountId);
  if (!member || !roleCan(member.role, capability)) fail('org.forbidden');
  if (!session.twoStep || session.secondFactorAt === null) fail('org.two_step_required');
  const org = await findOrganisation(deps.db, member.org_id);
  if (!org) fail('org.forbidden');
  return {
    orgId: org.id,
    orgName: org.name,
    orgContact: org.contact,
    accountId: session.accountId,
    role: member.role,
    actor: { kind: 'admin', id: session.accountId, name: session.email },
  };
}

/**
 * The member an admin acts on, locked for the caller's transaction. Admins act only on their organisation's
 * members, never on themselves, and never on a role above their own; an organisation admin may act on
 * another organisation admin, an authentication admin only on readers and members.
 *
 * Errors: `org.target_forbidden` (the refusal is audited by `auditRefusal`, outside the caller's transaction).
 */
export async function lockTargetMember(
  tx: Sql,
  admin: Pick<OrgAdmin, 'orgId' | 'accountId' | 'role'>,
  accountId: unknown,
): Promise<MemberRow> {
  if (typeof accountId !== 'string' || accountId === admin.accountId) fail('org.target_forbidden');
  const target = await findMember(tx, accountId, true);
  if (!target || target.org_id !== admin.orgId) fail('org.target_forbidden');
  const allowed = admin.role === 'org_admin' ? true : ROLE_RANK[target.role] < ROLE_RANK[admin.role];
  if (!allowed) fail('org.target_forbidden');
  return target;
}

/** Records a refused admin action in the audit log (its own transaction: the action's rolled back). */
export async function auditRefusal(
  deps: Pick<Deps, 'db' | 'clock' | 'random'>,
  admin: OrgAdmin,
  action: string,
  target: unknown,
): Promise<void> {
  await recordOrgAudit(deps, deps.db, {
    orgId: admin.orgId,
    actor: admin.actor,
    action: 'action.refused',
    targetAccountId: null,
    target: typeof target === 'string' ? target.slice(0, 200) : '',
    outcome: 'refused',
    detail: { attempted: action.slice(0, 64) },
  });
}
