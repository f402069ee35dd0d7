import type { Deps } from '../deps.ts';
import type { Sql } from '../kernel/sql.ts';
import { memberReport, utcDay } from './reports.ts';
import { findMember } from './store/members.ts';
import { bumpDailyCount, type DailyMeasure, orgIdsWithMembers, setDailyCount } from './store/reports.ts';

/**
 * The counts over time of each organisation (`org_daily_counts`, UTC days): events are counted when they
 * happen (a method verified, a password reset, a recovery), in the transaction of the event, for members
 * of an organisation only; the members meeting the policy are a snapshot the hourly housekeeping round
 * writes for today (the last round of a day is that day's value).
 */

/** Counts one `measure` today for the account's organisation, if it has one (in the event's transaction). */
export async function countMemberEvent(
  deps: Pick<Deps, 'clock'>,
  tx: Sql,
  accountId: string,
  measure: Exclude<DailyMeasure, 'compliant' | 'members'>,
): Promise<void> {
  const member = await findMember(tx, accountId);
  if (!member) return;
  await bumpDailyCount(tx, member.org_id, utcDay(deps.clock.now()), measure);
}

/**
 * Writes today's snapshot of every organisation with members: how many members there are and how many meet
 * the current policy. Returns how many organisations it visited (a housekeeping task). Idempotent.
 */
export async function snapshotCompliance(deps: Pick<Deps, 'db' | 'clock'>): Promise<number> {
  const day = utcDay(deps.clock.now());
  const orgs = await orgIdsWithMembers(deps.db);
  for (const orgId of orgs) {
    const rows = await memberReport(deps, orgId);
    await setDailyCount(deps.db, orgId, day, 'members', rows.length);
    await setDailyCount(deps.db, orgId, day, 'compliant', rows.filter((r) => r.met).length);
  }
  return orgs.length;
}
