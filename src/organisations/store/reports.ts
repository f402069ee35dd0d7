import type { Sql } from '../../kernel/sql.ts';

/**
 * The organisations capability's statements on `org_daily_counts` (one row per organisation, day and
 * measure) and the read-only report queries over the organisation tables.
 */

/** What is counted per day: members compliant (a snapshot), methods added, password resets, recoveries. */
export const DAILY_MEASURES = ['compliant', 'members', 'methods_added', 'resets', 'recoveries'] as const;
export type DailyMeasure = (typeof DAILY_MEASURES)[number];

/** Adds `by` to the organisation's count of `measure` on `day` (`YYYY-MM-DD`), in one statement (no lost update). */
export async function bumpDailyCount(
  sql: Sql,
  orgId: string,
  day: string,
  measure: DailyMeasure,
  by = 1,
): Promise<void> {
  await sql.query(
    `INSERT INTO org_daily_counts (org_id, day, measure, n) VALUES ($1, $2::date, $3, $4)
     ON CONFLICT (org_id, day, measure) DO UPDATE SET n = org_daily_counts.n + EXCLUDED.n`,
    [orgId, day, measure, by],
  );
}

/** Sets the organisation's count of `measure` on `day` (a snapshot: the last one of the day wins). */
export async function setDailyCount(
  sql: Sql,
  orgId: string,
  day: string,
  measure: DailyMeasure,
  n: number,
): Promise<void> {
  await sql.query(
    `INSERT INTO org_daily_counts (org_id, day, measure, n) VALUES ($1, $2::date, $3, $4)
     ON CONFLICT (org_id, day, measure) DO UPDATE SET n = EXCLUDED.n`,
    [orgId, day, measure, n],
  );
}

/** Every count of the organisation from `fromDay` to `toDay` inclusive (`YYYY-MM-DD`), by day. */
export async function listDailyCounts(
  sql: Sql,
  orgId: string,
  fromDay: string,
  toDay: string,
): Promise<{ day: string; measure: string; n: number }[]> {
  return sql.query(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, measure, n FROM org_daily_counts
     WHERE org_id = $1 AND day BETWEEN $2::date AND $3::date ORDER BY day, measure`,
    [orgId, fromDay, toDay],
  );
}

/** Ids of every organisation that has members (the daily snapshot visits them). */
export async function orgIdsWithMembers(sql: Sql): Promise<string[]> {
  const rows = await sql.query<{ org_id: string }>('SELECT DISTINCT org_id FROM org_members ORDER BY org_id');
  return rows.map((r) => r.org_id);
}

/** How many members the organisation has, per role. */
export async function memberCountsByRole(sql: Sql, orgId: string): Promise<Record<string, number>> {
  const rows = await sql.query<{ role: string; n: number }>(
    'SELECT role, count(*)::int AS n FROM org_members WHERE org_id = $1 GROUP BY role',
    [orgId],
  );
  return Object.fromEntries(rows.map((r) => [r.role, Number(r.n)]));
}

/** How many entries the organisation's audit log has. */
export async function countOrgAudit(sql: Sql, orgId: string): Promise<number> {
  const rows = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM org_audit WHERE org_id = $1', [
    orgId,
  ]);
  return Number(rows[0]?.n ?? 0);
}
