import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Sql } from '../kernel/sql.ts';
import { listMethodFacts } from '../security-info/store.ts';
import {
  type Compliance,
  complianceOf,
  type MethodFact,
  type MethodsPolicy,
  type PolicyMethodKind,
  storedPolicy,
} from './policy.ts';
import { findMember, type MemberRow, type OrgRole } from './store/members.ts';
import { findOrganisation } from './store/orgs.ts';
import { currentPolicy } from './store/policies.ts';

/**
 * The policy an account is under. `org` is null for an account outside any organisation: it then follows
 * the deployment's own behaviour (every method allowed, PERIODIC_CHECK_DAYS, one method to reset), which the
 * callers keep as it was.
 */
export interface AccountPolicy {
  org: { id: string; name: string; contact: string } | null;
  role: OrgRole | null;
  member: MemberRow | null;
  /** The organisation's current policy (its first version when it never saved one). */
  policy: MethodsPolicy | null;
  version: number;
}

export const NO_ORGANISATION: AccountPolicy = {
  org: null,
  role: null,
  member: null,
  policy: null,
  version: 0,
};

/** Reads the organisation, role, member state and current policy of an account (three reads for a member). */
export async function policyForAccount(
  sql: Sql,
  accountId: string,
  forUpdate = false,
): Promise<AccountPolicy> {
  const member = await findMember(sql, accountId, forUpdate);
  if (!member) return NO_ORGANISATION;
  const [org, current] = await Promise.all([
    findOrganisation(sql, member.org_id),
    currentPolicy(sql, member.org_id),
  ]);
  if (!org) return NO_ORGANISATION;
  return {
    org: { id: org.id, name: org.name, contact: org.contact },
    role: member.role,
    member,
    policy: storedPolicy(current?.policy),
    version: current?.version ?? 0,
  };
}

/** Roles that administer the organisation: they always need two methods to reset (two-gate, as Entra ID). */
export function isAdminRole(role: OrgRole | null): boolean {
  return role === 'org_admin' || role === 'auth_admin' || role === 'reader';
}

/** The country of an E.164 number (ISO alpha-2), or undefined. */
export function phoneCountry(e164: string): string | undefined {
  return parsePhoneNumberFromString(e164)?.country ?? undefined;
}

/** The account's verified methods as the policy counts them. */
export async function methodFactsOf(sql: Sql, accountId: string): Promise<MethodFact[]> {
  const rows = await listMethodFacts(sql, accountId);
  return rows
    .filter((r) => r.verified_at !== null)
    .map((r) =>
      r.kind === 'phone'
        ? { kind: 'phone' as PolicyMethodKind, country: phoneCountry(r.value) }
        : { kind: r.kind as PolicyMethodKind },
    );
}

/** The compliance of an account with its organisation's policy; null outside any organisation. */
export async function accountCompliance(
  sql: Sql,
  accountId: string,
): Promise<(Compliance & AccountPolicy) | null> {
  const ap = await policyForAccount(sql, accountId);
  if (!ap.policy) return null;
  return { ...ap, ...complianceOf(ap.policy, await methodFactsOf(sql, accountId)) };
}
