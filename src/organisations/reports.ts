import { stringify } from 'csv-stringify/sync';
import { accountSummaries, infoConfirmedAtOf } from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import { DAY } from '../kernel/clock.ts';
import type { Sql } from '../kernel/sql.ts';
import { methodFactsOf } from './account-policy.ts';
import type { OrgActor } from './audit.ts';
import { recordOrgAudit } from './audit.ts';
import {
  complianceOf,
  type MethodsPolicy,
  POLICY_METHOD_KINDS,
  type PolicyMethodKind,
  storedPolicy,
} from './policy.ts';
import { listOrgAudit, type OrgAuditEntry } from './store/audit.ts';
import { listMembers, ORG_ROLES, type OrgRole } from './store/members.ts';
import { findOrganisation } from './store/orgs.ts';
import { currentPolicy } from './store/policies.ts';
import { listDailyCounts } from './store/reports.ts';

/**
 * The organisation's reports (issue 9 §5): registration and compliance per member (filterable, exportable
 * as CSV), counts over time, and the audit log as the console pages it. Read-only, except the audit entry
 * of an export.
 */

/** One member as the report shows them. */
export interface MemberReportRow {
  accountId: string;
  email: string;
  displayName: string;
  role: OrgRole;
  /** Verified methods by kind (every verified method, counted or not by the policy). */
  methods: Record<PolicyMethodKind, number>;
  /** When the member last confirmed their security info (the periodic check), or null. */
  lastConfirmed: Date | null;
  /** Whether the member meets the organisation's current policy. */
  met: boolean;
  snoozesUsed: number;
  joinedAt: Date;
}

/** The report's filters, from a query string: policy met or not, a role, a kind of method the member lacks. */
export interface MemberFilter {
  met?: 'met' | 'not_met';
  role?: OrgRole;
  /** Members with no verified method of this kind ("has no phone"). */
  lacks?: PolicyMethodKind;
}

/** Reads the filters from untrusted query values; unknown values are ignored (no filter). */
export function parseMemberFilter(q: { met?: unknown; role?: unknown; lacks?: unknown }): MemberFilter {
  const f: MemberFilter = {};
  if (q.met === 'met' || q.met === 'not_met') f.met = q.met;
  if (typeof q.role === 'string' && (ORG_ROLES as readonly string[]).includes(q.role))
    f.role = q.role as OrgRole;
  if (typeof q.lacks === 'string' && (POLICY_METHOD_KINDS as readonly string[]).includes(q.lacks))
    f.lacks = q.lacks as PolicyMethodKind;
  return f;
}

/** The filter as a query string (`?met=not_met&role=member`), empty when there is none. */
export function filterQuery(f: MemberFilter): string {
  const p = new URLSearchParams();
  if (f.met) p.set('met', f.met);
  if (f.role) p.set('role', f.role);
  if (f.lacks) p.set('lacks', f.lacks);
  const s = p.toString();
  return s ? `?${s}` : '';
}

async function orgPolicy(sql: Sql, orgId: string): Promise<{ policy: MethodsPolicy; version: number }> {
  const current = await currentPolicy(sql, orgId);
  return { policy: storedPolicy(current?.policy), version: current?.version ?? 0 };
}

/**
 * Every member of the organisation with their methods by kind, last confirmation, compliance with the
 * current policy and snoozes used, oldest member first, then `filter`ed. One read of the methods per
 * member (organisations of a few thousand members).
 */
export async function memberReport(
  deps: Pick<Deps, 'db'>,
  orgId: string,
  filter: MemberFilter = {},
): Promise<MemberReportRow[]> {
  const sql = deps.db;
  const [members, { policy }] = await Promise.all([listMembers(sql, orgId), orgPolicy(sql, orgId)]);
  const ids = members.map((m) => m.account_id);
  const [summaries, confirmed] = await Promise.all([accountSummaries(sql, ids), infoConfirmedAtOf(sql, ids)]);
  const rows: MemberReportRow[] = [];
  for (const m of members) {
    const facts = await methodFactsOf(sql, m.account_id);
    const methods = Object.fromEntries(POLICY_METHOD_KINDS.map((k) => [k, 0])) as Record<
      PolicyMethodKind,
      number
    >;
    for (const f of facts) methods[f.kind]++;
    const s = summaries.get(m.account_id);
    rows.push({
      accountId: m.account_id,
      email: s?.email ?? '',
      displayName: s?.displayName ?? '',
      role: m.role,
      methods,
      lastConfirmed: confirmed.get(m.account_id) ?? null,
      met: complianceOf(policy, facts).met,
      snoozesUsed: m.snoozes_used,
      joinedAt: m.joined_at,
    });
  }
  return rows.filter(
    (r) =>
      (!filter.met || r.met === (filter.met === 'met')) &&
      (!filter.role || r.role === filter.role) &&
      (!filter.lacks || r.methods[filter.lacks] === 0),
  );
}

/** Starts of a cell Excel and other spreadsheets read as a formula, half- and full-width (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r＝＋－＠]/;

/** A text cell made safe to open in a spreadsheet: a formula start is prefixed with a quote. */
export function csvSafe(v: string): string {
  return FORMULA_START.test(v) ? `'${v}` : v;
}

/**
 * The members report as CSV (RFC 4180, CRLF line ends), UTF-8 with a byte order mark so Excel in Japan reads
 * it as UTF-8, built with csv-stringify. `header` holds the localised column titles; `cell` formats a
 * role, a yes/no and a time in the reader's language. Every text cell is guarded against formula injection
 * (csv-stringify's `escape_formulas`, plus the full-width signs).
 */
export function membersCsv(
  rows: MemberReportRow[],
  header: string[],
  cell: { role: (r: OrgRole) => string; yesNo: (b: boolean) => string; time: (d: Date) => string },
): string {
  const records = rows.map((r) => [
    csvSafe(r.email),
    csvSafe(r.displayName),
    cell.role(r.role),
    ...POLICY_METHOD_KINDS.map((k) => String(r.methods[k])),
    r.lastConfirmed ? cell.time(r.lastConfirmed) : '',
    cell.yesNo(r.met),
    String(r.snoozesUsed),
  ]);
  return stringify([header.map(csvSafe), ...records], {
    bom: true,
    record_delimiter: 'windows',
    escape_formulas: true,
  });
}

/** The column order of `membersCsv` (for its localised header). */
export const CSV_COLUMNS = [
  'email',
  'name',
  'role',
  ...POLICY_METHOD_KINDS.map((k) => `methods.${k}` as const),
  'last_confirmed',
  'met',
  'snoozes',
] as const;

/**
 * Records an export of the members report in the organisation's audit log (`report.exported`, with the
 * filter and the number of rows).
 */
export async function recordExport(
  deps: Pick<Deps, 'db' | 'clock' | 'random'>,
  actor: OrgActor,
  orgId: string,
  filter: MemberFilter,
  rows: number,
): Promise<void> {
  await recordOrgAudit(deps, deps.db, {
    orgId,
    actor,
    action: 'report.exported',
    target: 'members.csv',
    detail: { rows: String(rows), filter: filterQuery(filter) || '-' },
  });
}

/** The console overview: members, how many meet the policy, the policy and its version. */
export interface OrgOverview {
  members: number;
  compliant: number;
  notCompliant: number;
  byRole: Record<OrgRole, number>;
  policy: MethodsPolicy;
  version: number;
}

/** The overview of the organisation (its members' compliance with the current policy). */
export async function orgOverview(deps: Pick<Deps, 'db'>, orgId: string): Promise<OrgOverview> {
  const [rows, { policy, version }] = await Promise.all([
    memberReport(deps, orgId),
    orgPolicy(deps.db, orgId),
  ]);
  const byRole = Object.fromEntries(ORG_ROLES.map((r) => [r, 0])) as Record<OrgRole, number>;
  for (const r of rows) byRole[r.role]++;
  const compliant = rows.filter((r) => r.met).length;
  return { members: rows.length, compliant, notCompliant: rows.length - compliant, byRole, policy, version };
}

/** One day of the counts over time. */
export interface DayCounts {
  /** `YYYY-MM-DD`, a UTC day. */
  day: string;
  /** Members meeting the policy at the day's last snapshot (null: no snapshot that day). */
  compliant: number | null;
  /** Members at the day's last snapshot (null: no snapshot that day). */
  members: number | null;
  methodsAdded: number;
  resets: number;
  recoveries: number;
}

/** The UTC day of `d` as `YYYY-MM-DD`. */
export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * The last `days` UTC days up to today (from deps.clock), oldest first, each with its counts (0 or null
 * where nothing was recorded).
 */
export async function countsOverTime(
  deps: Pick<Deps, 'db' | 'clock'>,
  orgId: string,
  days = 30,
): Promise<DayCounts[]> {
  const today = deps.clock.now();
  const list: DayCounts[] = [];
  for (let i = days - 1; i >= 0; i--)
    list.push({
      day: utcDay(new Date(today.getTime() - i * DAY)),
      compliant: null,
      members: null,
      methodsAdded: 0,
      resets: 0,
      recoveries: 0,
    });
  // No rows for days before the organisation existed (an empty table of "no count" says nothing).
  const created = await findOrganisation(deps.db, orgId);
  if (created) {
    const since = utcDay(created.created_at);
    while (list.length > 1 && (list[0]?.day ?? since) < since) list.shift();
  }
  const first = list[0]?.day ?? utcDay(today);
  const byDay = new Map(list.map((d) => [d.day, d]));
  for (const c of await listDailyCounts(deps.db, orgId, first, utcDay(today))) {
    const d = byDay.get(c.day);
    if (!d) continue;
    const n = Number(c.n);
    if (c.measure === 'compliant') d.compliant = n;
    else if (c.measure === 'members') d.members = n;
    else if (c.measure === 'methods_added') d.methodsAdded = n;
    else if (c.measure === 'resets') d.resets = n;
    else if (c.measure === 'recoveries') d.recoveries = n;
  }
  return list;
}

/** Entries shown per page of the audit log. */
export const AUDIT_PAGE = 50;

/**
 * One page of the organisation's audit log, newest first; `before` (the `next` of the previous page, a
 * sequence number) pages back. `next` is null on the last page.
 */
export async function orgAuditPage(
  deps: Pick<Deps, 'db'>,
  orgId: string,
  before?: unknown,
): Promise<{ entries: (OrgAuditEntry & { seq: number })[]; next: number | null }> {
  const b = typeof before === 'string' && /^\d{1,15}$/.test(before) ? Number(before) : undefined;
  const rows = await listOrgAudit(deps.db, orgId, AUDIT_PAGE + 1, b);
  const entries = rows.slice(0, AUDIT_PAGE);
  return { entries, next: rows.length > AUDIT_PAGE ? (entries.at(-1)?.seq ?? null) : null };
}
