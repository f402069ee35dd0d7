import { accountSummaries } from '../../accounts/store.ts';
import type { Deps } from '../../deps.ts';
import { AppError, fail } from '../../kernel/errors.ts';
import { methodFactsOf } from '../account-policy.ts';
import { organisationPolicy } from '../org-admin.ts';
import { type Compliance, complianceOf, POLICY_METHOD_KINDS, type PolicyMethodKind } from '../policy.ts';
import { listOrgAudit, type OrgAuditEntry } from '../store/audit.ts';
import { listMembers, type MemberRow, type OrgRole } from '../store/members.ts';
import { findOrganisation, listDomains } from '../store/orgs.ts';

/*
 * What the organisation API reads (GET /orgs/{orgId}, /members, /audit): plain reads shaped for the JSON
 * answers of api.ts. Pages are cut by opaque cursors; a cursor from one query is only meant for the same query.
 */

/** Page sizes: `limit` from 1 to 100, 50 by default. */
export const PAGE_DEFAULT = 50;
export const PAGE_MAX = 100;

/** A page size from the query (digits only, checked by the schema), clamped to 1–100. */
export function pageSize(v: string | undefined): number {
  const n = v === undefined ? PAGE_DEFAULT : Number(v);
  return Math.min(PAGE_MAX, Math.max(1, Number.isFinite(n) ? Math.trunc(n) : PAGE_DEFAULT));
}

/** The organisation as an integration sees it. Errors: `org.not_found`. */
export async function organisationOverview(deps: Pick<Deps, 'db'>, orgId: string) {
  const org = await findOrganisation(deps.db, orgId);
  if (!org) fail('org.not_found');
  const [domains, members, policy] = await Promise.all([
    listDomains(deps.db, orgId),
    listMembers(deps.db, orgId),
    organisationPolicy(deps, orgId),
  ]);
  return {
    id: org.id,
    name: org.name,
    contact: org.contact,
    createdAt: org.created_at,
    domains: domains.map((d) => ({ domain: d.domain, verifiedAt: d.verified_at })),
    memberCount: members.length,
    policyVersion: policy.version,
  };
}

/** A member as the API lists it. */
export interface MemberReport {
  accountId: string;
  email: string;
  displayName: string;
  role: OrgRole;
  joinedAt: Date;
  /** Verified methods by kind (counted whether or not the policy allows them). */
  methods: Record<PolicyMethodKind, number>;
  compliance: Pick<Compliance, 'met' | 'counted' | 'shortfalls' | 'steps' | 'stuck'>;
  snoozesUsed: number;
  snoozedUntil: Date | null;
  mustReregister: boolean;
  mustChangePassword: boolean;
}

const cursorOf = (m: MemberRow) =>
  Buffer.from(`${m.joined_at.getTime()}.${m.account_id}`, 'utf8').toString('base64url');

function readMemberCursor(c: string): { at: number; id: string } {
  const text = Buffer.from(c, 'base64url').toString('utf8');
  const m = /^(\d{1,15})\.(.{1,64})$/.exec(text);
  if (!m)
    throw new AppError(
      'request.invalid',
      {},
      { fields: [{ in: 'querystring', path: '/cursor', code: 'invalid' }] },
    );
  return { at: Number(m[1]), id: m[2] as string };
}

const after = (m: MemberRow, c: { at: number; id: string }) => {
  const at = m.joined_at.getTime();
  return at > c.at || (at === c.at && m.account_id > c.id);
};

/**
 * One page of the organisation's members, oldest first, with their methods and their compliance with the
 * current policy (policy.ts complianceOf, the rule accountCompliance applies, read once for the page).
 * Filters: `met` (compliant or not), `role`. `nextCursor` is null on the last page; with `met`, a page may
 * hold fewer than `limit` members and still have a next one (the filter is applied as the list is read).
 * Errors: `org.not_found`, `request.invalid` (a cursor that is not one of ours).
 */
export async function memberReports(
  deps: Pick<Deps, 'db'>,
  orgId: string,
  q: { met?: boolean; role?: OrgRole; limit: number; cursor?: string },
): Promise<{ members: MemberReport[]; nextCursor: string | null; policyVersion: number }> {
  const { policy, version } = await organisationPolicy(deps, orgId);
  const cursor = q.cursor ? readMemberCursor(q.cursor) : null;
  const all = (await listMembers(deps.db, orgId))
    .sort((a, b) => a.joined_at.getTime() - b.joined_at.getTime() || (a.account_id < b.account_id ? -1 : 1))
    .filter((m) => (q.role ? m.role === q.role : true) && (cursor ? after(m, cursor) : true));
  const picked: { row: MemberRow; methods: MemberReport['methods']; compliance: Compliance }[] = [];
  // How many candidates were read: with the `met` filter, reading stops once the page is full.
  let read = 0;
  const budget = q.met === undefined ? q.limit : q.limit * 20;
  for (const row of all) {
    if (picked.length >= q.limit || read >= budget) break;
    read++;
    const facts = await methodFactsOf(deps.db, row.account_id);
    const compliance = complianceOf(policy, facts);
    if (q.met !== undefined && compliance.met !== q.met) continue;
    const methods = Object.fromEntries(
      POLICY_METHOD_KINDS.map((k) => [k, facts.filter((f) => f.kind === k).length]),
    ) as Record<PolicyMethodKind, number>;
    picked.push({ row, methods, compliance });
  }
  const lastRead = all[read - 1];
  const nextCursor = read < all.length && lastRead ? cursorOf(lastRead) : null;
  const people = await accountSummaries(
    deps.db,
    picked.map((p) => p.row.account_id),
  );
  return {
    policyVersion: version,
    nextCursor,
    members: picked.map(({ row, methods, compliance }) => ({
      accountId: row.account_id,
      email: people.get(row.account_id)?.email ?? '',
      displayName: people.get(row.account_id)?.displayName ?? '',
      role: row.role,
      joinedAt: row.joined_at,
      methods,
      compliance: {
        met: compliance.met,
        counted: compliance.counted,
        shortfalls: compliance.shortfalls,
        steps: compliance.steps,
        stuck: compliance.stuck,
      },
      snoozesUsed: row.snoozes_used,
      snoozedUntil: row.snoozed_until,
      mustReregister: row.must_reregister,
      mustChangePassword: row.must_change_password,
    })),
  };
}

/** One page of the organisation's audit log, newest first; `cursor` is the `nextCursor` of the page before. */
export async function auditPage(
  deps: Pick<Deps, 'db'>,
  orgId: string,
  q: { limit: number; cursor?: string },
): Promise<{ entries: (OrgAuditEntry & { seq: number })[]; nextCursor: string | null }> {
  const before = q.cursor === undefined ? undefined : Number(q.cursor);
  const rows = await listOrgAudit(deps.db, orgId, q.limit + 1, before);
  const entries = rows.slice(0, q.limit);
  const last = entries.at(-1);
  return { entries, nextCursor: rows.length > q.limit && last ? String(last.seq) : null };
}
