import type { Sql } from '../../kernel/sql.ts';

/**
 * The organisations capability's statements on `org_api_tokens`: admin tokens for /api/v1/orgs/{orgId},
 * stored by the SHA-256 of the token (never the token), scoped to one organisation. Called by
 * organisations/api-tokens.ts.
 */

export type OrgTokenRole = 'reader' | 'auth_admin' | 'org_admin';

export interface OrgTokenRow {
  id: string;
  org_id: string;
  name: string;
  role: OrgTokenRole;
  created_by: string | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = 'id, org_id, name, role, created_by, created_at, last_used_at, revoked_at';

/** Adds a token. */
export async function insertOrgToken(
  sql: Sql,
  t: {
    id: string;
    orgId: string;
    name: string;
    tokenHash: string;
    role: OrgTokenRole;
    createdBy: string | null;
    createdAt: Date;
  },
): Promise<void> {
  await sql.query(
    `INSERT INTO org_api_tokens (id, org_id, name, token_hash, role, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [t.id, t.orgId, t.name, t.tokenHash, t.role, t.createdBy, t.createdAt],
  );
}

/**
 * The token whose hash is `tokenHash`, not revoked, and whose maker is still an organisation admin of its
 * organisation (only they make tokens), or undefined: a token never outlives its maker's role, even one made
 * while the role was being taken away.
 */
export async function findActiveOrgToken(sql: Sql, tokenHash: string): Promise<OrgTokenRow | undefined> {
  return (
    await sql.query<OrgTokenRow>(
      `SELECT ${COLUMNS} FROM org_api_tokens t WHERE token_hash = $1 AND revoked_at IS NULL
         AND EXISTS (SELECT 1 FROM org_members m
                     WHERE m.account_id = t.created_by AND m.org_id = t.org_id AND m.role = 'org_admin')`,
      [tokenHash],
    )
  )[0];
}

/** Revokes every unrevoked token `accountId` made in the organisation (at `at`); returns how many. */
export async function revokeOrgTokensMadeBy(
  sql: Sql,
  orgId: string,
  accountId: string,
  at: Date,
): Promise<number> {
  return (
    await sql.query(
      `UPDATE org_api_tokens SET revoked_at = $3 WHERE org_id = $1 AND created_by = $2 AND revoked_at IS NULL
       RETURNING id`,
      [orgId, accountId, at],
    )
  ).length;
}

/** The organisation's tokens, active ones first, newest first. */
export async function listOrgTokens(sql: Sql, orgId: string): Promise<OrgTokenRow[]> {
  return sql.query<OrgTokenRow>(
    `SELECT ${COLUMNS} FROM org_api_tokens WHERE org_id = $1
     ORDER BY (revoked_at IS NULL) DESC, created_at DESC, id LIMIT 500`,
    [orgId],
  );
}

/** How many unrevoked tokens the organisation holds. */
export async function countActiveOrgTokens(sql: Sql, orgId: string): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM org_api_tokens WHERE org_id = $1 AND revoked_at IS NULL',
    [orgId],
  );
  return rows[0]?.n ?? 0;
}

/** Revokes the organisation's token `id`; returns it when this call revoked it (not already revoked). */
export async function revokeOrgToken(
  sql: Sql,
  orgId: string,
  id: string,
  at: Date,
): Promise<OrgTokenRow | undefined> {
  return (
    await sql.query<OrgTokenRow>(
      `UPDATE org_api_tokens SET revoked_at = $3 WHERE org_id = $1 AND id = $2 AND revoked_at IS NULL
       RETURNING ${COLUMNS}`,
      [orgId, id, at],
    )
  )[0];
}

/** Records a use of the token, at most once a minute (the row is written only when the last use is older). */
export async function touchOrgToken(sql: Sql, id: string, at: Date): Promise<void> {
  await sql.query(
    `UPDATE org_api_tokens SET last_used_at = $2
     WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $2::timestamptz - interval '60 seconds')`,
    [id, at],
  );
}
