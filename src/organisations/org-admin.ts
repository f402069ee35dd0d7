import { confirmedAccountIdsInDomain, findAccountById, findAccountByKey } from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import { AppError, fail } from '../kernel/errors.ts';
import { newId } from '../kernel/random.ts';
import type { Sql } from '../kernel/sql.ts';
import { emailKey, normalizeEmail } from '../security-info/email/normalize-email.ts';
import { ROLE_RANK, roleCan } from './admin-access.ts';
import type { OrgActor } from './audit.ts';
import { recordOrgAudit } from './audit.ts';
import { DEFAULT_POLICY, diffPolicies, type MethodsPolicy, parsePolicy, storedPolicy } from './policy.ts';
import { revokeOpenInvitationsBy } from './store/invitations.ts';
import {
  findMember,
  insertMember,
  listMembers,
  ORG_ROLES,
  type OrgRole,
  setMemberRole,
} from './store/members.ts';
import {
  deleteDomain,
  findOrganisation,
  insertDomain,
  insertOrganisation,
  lockOrganisation,
  orgOfDomain,
  updateOrganisation,
} from './store/orgs.ts';
import { currentPolicy, insertPolicyVersion } from './store/policies.ts';
import { revokeOrgTokensMadeBy } from './store/tokens.ts';
import { endPassOnOwnerRecovery } from './tap.ts';

/**
 * Setting up an organisation (docs/flows/organisations.md): an operator creates it, attaches its verified
 * domains and names its first admin; its admins change the policy. Each change is audit-logged in the same
 * transaction.
 */

const NAME_MAX = 100;
const CONTACT_MAX = 200;
/** A DNS name: labels of letters, digits and hyphens, at least one dot, 253 characters at most (RFC 1035). */
const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function cleanName(v: unknown): string {
  const s = typeof v === 'string' ? v.normalize('NFKC').trim() : '';
  if (s.length < 1 || s.length > NAME_MAX) fail('org.name_invalid');
  return s;
}

function cleanContact(v: unknown): string {
  const s = typeof v === 'string' ? v.normalize('NFKC').trim() : '';
  if (s.length > CONTACT_MAX) fail('org.contact_invalid');
  return s;
}

/** A domain as stored: NFKC, lower-case, without a trailing dot. Errors: `org.domain_invalid`. */
export function normalizeDomain(v: unknown): string {
  const s = typeof v === 'string' ? v.normalize('NFKC').trim().toLowerCase().replace(/\.$/, '') : '';
  if (!DOMAIN.test(s)) fail('org.domain_invalid');
  return s;
}

/**
 * Creates an organisation with the deployment default as its policy version 1. Returns its id.
 * Errors: `org.name_invalid`, `org.contact_invalid`.
 */
export async function createOrganisation(
  deps: Pick<Deps, 'db' | 'clock' | 'random'>,
  actor: OrgActor,
  input: { name: unknown; contact?: unknown },
): Promise<string> {
  const name = cleanName(input.name);
  const contact = cleanContact(input.contact ?? '');
  const id = newId(deps.random, 'org');
  const now = deps.clock.now();
  await deps.db.tx(async (tx) => {
    await insertOrganisation(tx, { id, name, contact, createdAt: now });
    await insertPolicyVersion(tx, {
      orgId: id,
      version: 1,
      policy: DEFAULT_POLICY,
      createdAt: now,
      createdBy: actor.id,
    });
    await recordOrgAudit(deps, tx, { orgId: id, actor, action: 'org.created', target: name });
  });
  return id;
}

/** Renames the organisation or changes whom members contact. Errors: `org.not_found`, `org.name_invalid`, `org.contact_invalid`. */
export async function updateOrganisationDetails(
  deps: Pick<Deps, 'db' | 'clock' | 'random'>,
  actor: OrgActor,
  orgId: string,
  input: { name: unknown; contact: unknown },
): Promise<void> {
  const name = cleanName(input.name);
  const contact = cleanContact(input.contact);
  await deps.db.tx(async (tx) => {
    const org = await findOrganisation(tx, orgId);
    if (!org) fail('org.not_found');
    await updateOrganisation(tx, orgId, name, contact);
    await recordOrgAudit(deps, tx, {
      orgId,
      actor,
      action: 'org.updated',
      target: name,
      detail: { changes: diffStrings({ name: org.name, contact: org.contact }, { name, contact }) },
    });
  });
}

function diffStrings(a: Record<string, string>, b: Record<string, string>) {
  return Object.keys(b)
    .filter((k) => a[k] !== b[k])
    .map((k) => ({ field: k, from: a[k] ?? '', to: b[k] ?? '' }));
}

/**
 * Attaches a domain the operator verified. Every confirmed account whose sign-in address is in it and that
 * belongs to no organisation joins as a member. Returns how many joined.
 * Errors: `org.not_found`, `org.domain_invalid`, `org.domain_taken`.
 */
export async function attachDomain(
  deps: Pick<Deps, 'db' | 'clock' | 'random'>,
  actor: OrgActor,
  orgId: string,
  domainInput: unknown,
): Promise<number> {
  const domain = normalizeDomain(domainInput);
  return deps.db.tx(async (tx) => {
    if (!(await findOrganisation(tx, orgId))) fail('org.not_found');
    const now = deps.clock.now();
    if (!(await insertDomain(tx, orgId, domain, now))) fail('org.domain_taken');
    let joined = 0;
    for (const accountId of await confirmedAccountIdsInDomain(tx, domain)) {
      if (await insertMember(tx, { accountId, orgId, role: 'member', joinedAt: now })) joined++;
    }
    await recordOrgAudit(deps, tx, {
      orgId,
      actor,
      action: 'domain.attached',
      target: domain,
      detail: { joined: String(joined) },
    });
    return joined;
  });
}

/**
 * Joins the account to the organisation of its address's domain, if there is one and the account belongs
 * to none; in the caller's transaction (the confirmation of a sign-up). Returns the organisation joined.
 */
export async function joinByDomain(
  deps: Pick<Deps, 'clock' | 'random'>,
  tx: Sql,
  accountId: string,
  email: string,
): Promise<string | null> {
  const domain = emailKey(email).split('@')[1] ?? '';
  const orgId = domain ? await orgOfDomain(tx, domain) : undefined;
  if (!orgId) return null;
  if (!(await insertMember(tx, { accountId, orgId, role: 'member', joinedAt: deps.clock.now() })))
    return null;
  await recordOrgAudit(deps, tx, {
    orgId,
    actor: { kind: 'system', id: null, name: 'Mamori' },
    action: 'member.joined',
    targetAccountId: accountId,
    target: email,
    detail: { by: 'domain' },
  });
  return orgId;
}

/**
 * Joins an account that just confirmed its sign-in address to the organisation of the address's domain
 * (the `account.email_confirmed` event, in its transaction). An account already in an organisation stays
 * where it is. Returns the organisation joined, or null.
 */
export async function joinByDomainOnConfirmation(
  deps: Pick<Deps, 'clock' | 'random'>,
  tx: Sql,
  accountId: string,
): Promise<string | null> {
  const account = await findAccountById(tx, accountId);
  if (!account?.emailConfirmedAt) return null;
  return joinByDomain(deps, tx, accountId, account.email);
}

/**
 * Detaches a domain from the organisation: accounts confirming an address in it no longer join; members who
 * joined by it stay. Errors: `org.not_found` (no such organisation, or the domain is not one of its own).
 */
export async function detachDomain(
  deps: Pick<Deps, 'db' | 'clock' | 'random'>,
  actor: OrgActor,
  orgId: string,
  domainInput: unknown,
): Promise<void> {
  const domain = typeof domainInput === 'string' ? domainInput.trim().toLowerCase() : '';
  await deps.db.tx(async (tx) => {
    if (!(await findOrganisation(tx, orgId))) fail('org.not_found');
    if (!(await deleteDomain(tx, orgId, domain))) fail('org.not_found');
    await recordOrgAudit(deps, tx, { orgId, actor, action: 'domain.detached', target: domain });
  });
}

/** A role from untrusted input. Errors: `org.role_invalid`. */
export function parseRole(v: unknown): OrgRole {
  if (typeof v !== 'string' || !(ORG_ROLES as readonly string[]).includes(v)) fail('org.role_invalid');
  return v as OrgRole;
}

/**
 * Gives the account with sign-in address `email` the role `role` in the organisation, making it a member
 * first if it belongs to none. Used by operators (naming the first admin) and organisation admins. The last
 * organisation admin cannot be demoted. With `existingMemberOnly` (an organisation admin in the console), only
 * the organisation's own members can be named: any other account is `org.not_member`, whatever organisation
 * it belongs to, so an admin cannot pull an outside account into their reach.
 * Errors: `org.not_found`, `org.not_member` (no such account), `org.already_member` (another organisation),
 * `org.role_invalid`, `org.last_admin`.
 */
export async function assignRole(
  deps: Pick<Deps, 'db' | 'clock' | 'random'>,
  actor: OrgActor,
  orgId: string,
  input: { email: unknown; role: unknown },
  options: { existingMemberOnly?: boolean } = {},
): Promise<string> {
  const role = parseRole(input.role);
  const email = typeof input.email === 'string' ? normalizeEmail(input.email) : '';
  return deps.db.tx(async (tx) => {
    // One role change of the organisation at a time: two admins demoting each other at once would otherwise
    // both see two organisation admins and leave none.
    if (typeof orgId !== 'string' || !(await lockOrganisation(tx, orgId))) fail('org.not_found');
    const account = email ? await findAccountByKey(tx, emailKey(email)) : null;
    if (!account?.emailConfirmedAt) fail('org.not_member');
    const member = await findMember(tx, account.id, true);
    // An organisation admin changes the roles of their own members only: never pulls another account in.
    if (options.existingMemberOnly && member?.org_id !== orgId) fail('org.not_member');
    if (member && member.org_id !== orgId) fail('org.already_member');
    if (!member) {
      await insertMember(tx, { accountId: account.id, orgId, role, joinedAt: deps.clock.now() });
      await recordOrgAudit(deps, tx, {
        orgId,
        actor,
        action: 'member.joined',
        targetAccountId: account.id,
        target: account.email,
        detail: { by: actor.kind, role },
      });
      return account.id;
    }
    if (member.role === role) return account.id;
    if (member.role === 'org_admin') {
      const admins = (await listMembers(tx, orgId)).filter((m) => m.role === 'org_admin');
      if (admins.length <= 1) fail('org.last_admin');
    }
    await setMemberRole(tx, orgId, account.id, role);
    // What they made with the role they lose ends with it: API tokens (organisation admins make them) and the
    // invitations they sent that nobody accepted yet.
    const now = deps.clock.now();
    const ended = {
      tokens: roleCan(role, 'tokens') ? 0 : await revokeOrgTokensMadeBy(tx, orgId, account.id, now),
      invitations: roleCan(role, 'members') ? 0 : await revokeOpenInvitationsBy(tx, orgId, account.id, now),
    };
    // A pass given for the lower role (an authentication admin may give one to a member) ends with it.
    if (ROLE_RANK[role] > ROLE_RANK[member.role])
      await endPassOnOwnerRecovery(deps, tx, account.id, 'role_raised');
    await recordOrgAudit(deps, tx, {
      orgId,
      actor,
      action: 'member.role_changed',
      targetAccountId: account.id,
      target: account.email,
      detail: {
        changes: [{ field: 'role', from: member.role, to: role }],
        ...(ended.tokens ? { tokens_revoked: ended.tokens } : {}),
        ...(ended.invitations ? { invitations_withdrawn: ended.invitations } : {}),
      },
    });
    return account.id;
  });
}

/** The organisation's current policy and its version. Errors: `org.not_found`. */
export async function organisationPolicy(
  deps: Pick<Deps, 'db'>,
  orgId: string,
): Promise<{ policy: MethodsPolicy; version: number }> {
  if (!(await findOrganisation(deps.db, orgId))) fail('org.not_found');
  const current = await currentPolicy(deps.db, orgId);
  return { policy: storedPolicy(current?.policy), version: current?.version ?? 0 };
}

/**
 * Saves a new version of the policy, based on version `baseVersion` (the one the admin was shown): if
 * another admin saved meanwhile, nothing is saved. The change applies at each member's next sign-in and
 * is audit-logged as a diff. Returns the new version (the same one when nothing changed).
 * Errors: `org.not_found`, `org.policy_invalid` (every wrong field in `fields`), `org.policy_conflict`.
 */
export async function savePolicy(
  deps: Pick<Deps, 'db' | 'clock' | 'random'> & Partial<Pick<Deps, 'emit'>>,
  actor: OrgActor,
  orgId: string,
  baseVersion: unknown,
  input: unknown,
): Promise<number> {
  const parsed = parsePolicy(input);
  if (!parsed.ok)
    throw new AppError(
      'org.policy_invalid',
      {},
      {
        fields: parsed.problems.map((p) => ({ in: 'body', path: `/${p.field}`, code: p.code })),
      },
    );
  const base = typeof baseVersion === 'string' ? Number(baseVersion) : baseVersion;
  return deps.db.tx(async (tx) => {
    if (!(await findOrganisation(tx, orgId))) fail('org.not_found');
    const current = await currentPolicy(tx, orgId);
    const version = current?.version ?? 0;
    if (base !== version) fail('org.policy_conflict');
    const before = storedPolicy(current?.policy);
    const changes = diffPolicies(before, parsed.policy);
    if (changes.length === 0) return version;
    const saved = await insertPolicyVersion(tx, {
      orgId,
      version: version + 1,
      policy: parsed.policy,
      createdAt: deps.clock.now(),
      createdBy: actor.id,
    });
    if (!saved) fail('org.policy_conflict');
    await recordOrgAudit(deps, tx, {
      orgId,
      actor,
      action: 'policy.changed',
      target: `v${version + 1}`,
      detail: { from: version, to: version + 1, changes },
    });
    return version + 1;
  });
}
