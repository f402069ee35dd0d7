import type { Sql } from '../../kernel/sql.ts';

/** The organisations capability's statements on `org_policies`: each save is a new version. */

export interface PolicyVersionRow {
  org_id: string;
  version: number;
  policy: unknown;
  created_at: Date;
  created_by: string | null;
}

/** The organisation's current (highest) policy version, or undefined before the first one. */
export async function currentPolicy(sql: Sql, orgId: string): Promise<PolicyVersionRow | undefined> {
  return (
    await sql.query<PolicyVersionRow>(
      `SELECT org_id, version, policy, created_at, created_by FROM org_policies
       WHERE org_id = $1 ORDER BY version DESC LIMIT 1`,
      [orgId],
    )
  )[0];
}

/**
 * Saves `policy` as version `version`, which must be the current version + 1: a save based on an older
 * version (two admins at once) inserts nothing and returns false (primary key conflict).
 */
export async function insertPolicyVersion(
  sql: Sql,
  p: { orgId: string; version: number; policy: unknown; createdAt: Date; createdBy: string | null },
): Promise<boolean> {
  const rows = await sql.query(
    `INSERT INTO org_policies (org_id, version, policy, created_at, created_by) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (org_id, version) DO NOTHING RETURNING version`,
    [p.orgId, p.version, JSON.stringify(p.policy), p.createdAt, p.createdBy],
  );
  return rows.length > 0;
}

/** Every version of the organisation's policy, newest first. */
export async function listPolicyVersions(sql: Sql, orgId: string, limit = 50): Promise<PolicyVersionRow[]> {
  return sql.query<PolicyVersionRow>(
    `SELECT org_id, version, policy, created_at, created_by FROM org_policies
     WHERE org_id = $1 ORDER BY version DESC LIMIT $2`,
    [orgId, limit],
  );
}
