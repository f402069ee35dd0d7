import type { Sql } from '../../kernel/sql.ts';

/**
 * The organisations capability's statements on `organisations` and `org_domains`. Domains are stored
 * lower-case, without a trailing dot; a domain belongs to at most one organisation (its primary key).
 */

export interface OrganisationRow {
  id: string;
  name: string;
  contact: string;
  created_at: Date;
}

/** Adds an organisation. */
export async function insertOrganisation(
  sql: Sql,
  o: { id: string; name: string; contact: string; createdAt: Date },
): Promise<void> {
  await sql.query('INSERT INTO organisations (id, name, contact, created_at) VALUES ($1, $2, $3, $4)', [
    o.id,
    o.name,
    o.contact,
    o.createdAt,
  ]);
}

/** The organisation with this id, or undefined (any input: a non-string finds nothing). */
export async function findOrganisation(sql: Sql, id: unknown): Promise<OrganisationRow | undefined> {
  if (typeof id !== 'string' || id.length > 64) return undefined;
  return (
    await sql.query<OrganisationRow>(
      'SELECT id, name, contact, created_at FROM organisations WHERE id = $1',
      [id],
    )
  )[0];
}

/** Every organisation, by name. */
export async function listOrganisations(sql: Sql): Promise<(OrganisationRow & { members: number })[]> {
  return sql.query(
    `SELECT o.id, o.name, o.contact, o.created_at,
            (SELECT count(*)::int FROM org_members m WHERE m.org_id = o.id) AS members
     FROM organisations o ORDER BY o.name, o.id`,
  );
}

/** Changes the name and the contact members are pointed to. */
export async function updateOrganisation(sql: Sql, id: string, name: string, contact: string): Promise<void> {
  await sql.query('UPDATE organisations SET name = $2, contact = $3 WHERE id = $1', [id, name, contact]);
}

/** Attaches a verified domain; false when the domain already belongs to an organisation. */
export async function insertDomain(sql: Sql, orgId: string, domain: string, at: Date): Promise<boolean> {
  const rows = await sql.query(
    `INSERT INTO org_domains (domain, org_id, verified_at) VALUES ($1, $2, $3)
     ON CONFLICT (domain) DO NOTHING RETURNING domain`,
    [domain, orgId, at],
  );
  return rows.length > 0;
}

/** Detaches a domain from the organisation (members who joined by it stay). */
export async function deleteDomain(sql: Sql, orgId: string, domain: string): Promise<boolean> {
  return (
    (
      await sql.query('DELETE FROM org_domains WHERE org_id = $1 AND domain = $2 RETURNING domain', [
        orgId,
        domain,
      ])
    ).length > 0
  );
}

/** The organisation's domains, alphabetically. */
export async function listDomains(sql: Sql, orgId: string): Promise<{ domain: string; verified_at: Date }[]> {
  return sql.query('SELECT domain, verified_at FROM org_domains WHERE org_id = $1 ORDER BY domain', [orgId]);
}

/** The organisation a domain belongs to, if any. */
export async function orgOfDomain(sql: Sql, domain: string): Promise<string | undefined> {
  return (
    await sql.query<{ org_id: string }>('SELECT org_id FROM org_domains WHERE domain = $1', [domain])
  )[0]?.org_id;
}

/**
 * Locks the organisation's row until the caller's transaction ends (role changes of one organisation run one
 * at a time, so the last organisation admin cannot be demoted by two changes at once). False when absent.
 */
export async function lockOrganisation(sql: Sql, id: string): Promise<boolean> {
  return (await sql.query('SELECT id FROM organisations WHERE id = $1 FOR UPDATE', [id])).length > 0;
}
