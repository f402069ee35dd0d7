import type { Sql } from '../../kernel/sql.ts';
import type { ClientMetadata } from '../model.ts';

/**
 * The registry's statements on `app_clients` (OpenID Connect clients) and the scope lock that makes the
 * per-organisation limits hold under concurrent registrations. Called by apps/registry/.
 */

export interface ClientRow {
  client_id: string;
  org_id: string | null;
  name: string;
  metadata: ClientMetadata;
  /** The sealed client secret (apps cipher), NULL for a public client. */
  secret: string | null;
  created_by: string | null;
  created_at: Date;
  disabled_at: Date | null;
}

const COLUMNS =
  'c.client_id, c.org_id, c.name, c.metadata, c.secret, c.created_by, c.created_at, c.disabled_at';
const FROM = 'app_clients c';

/**
 * Serialises the deployment's own registrations (no organisation row to lock) until the caller's transaction
 * ends: a transaction-level advisory lock.
 */
export async function lockDeploymentRegistry(sql: Sql): Promise<void> {
  await sql.query(`SELECT pg_advisory_xact_lock(hashtext('mamori.apps.registry.deployment'))`);
}

/** Adds a client. */
export async function insertClient(
  sql: Sql,
  c: {
    clientId: string;
    orgId: string | null;
    name: string;
    metadata: ClientMetadata;
    secret: string | null;
    createdBy: string;
    createdAt: Date;
  },
): Promise<void> {
  await sql.query(
    `INSERT INTO app_clients (client_id, org_id, name, metadata, secret, created_by, created_at)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)`,
    [c.clientId, c.orgId, c.name, JSON.stringify(c.metadata), c.secret, c.createdBy, c.createdAt],
  );
}

/** The clients of a scope not disabled (the limit counts these). */
export async function countActiveClients(sql: Sql, orgId: string | null): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM app_clients WHERE org_id IS NOT DISTINCT FROM $1 AND disabled_at IS NULL`,
    [orgId],
  );
  return rows[0]?.n ?? 0;
}

/** One client by its client_id; `lock`: FOR UPDATE of the client row. */
export async function findClientRow(
  sql: Sql,
  clientId: string,
  lock = false,
): Promise<ClientRow | undefined> {
  const rows = await sql.query<ClientRow>(
    `SELECT ${COLUMNS} FROM ${FROM} WHERE c.client_id = $1${lock ? ' FOR UPDATE' : ''}`,
    [clientId],
  );
  return rows[0];
}

/**
 * The clients of one scope (`orgId`; null: the deployment's own) or of every scope (`'all'`), active ones
 * first, newest first, at most 500.
 */
export async function listClientRows(sql: Sql, orgId: string | null | 'all'): Promise<ClientRow[]> {
  const where = orgId === 'all' ? '' : 'WHERE c.org_id IS NOT DISTINCT FROM $1';
  return sql.query<ClientRow>(
    `SELECT ${COLUMNS} FROM ${FROM} ${where}
     ORDER BY (c.disabled_at IS NULL) DESC, c.created_at DESC, c.client_id LIMIT 500`,
    orgId === 'all' ? [] : [orgId],
  );
}

/** Replaces a client's name and metadata. */
export async function updateClientRow(
  sql: Sql,
  clientId: string,
  c: { name: string; metadata: ClientMetadata },
): Promise<void> {
  await sql.query('UPDATE app_clients SET name = $2, metadata = $3::jsonb WHERE client_id = $1', [
    clientId,
    c.name,
    JSON.stringify(c.metadata),
  ]);
}

/** Replaces a client's sealed secret (the old one stops at once). */
export async function setClientSecret(sql: Sql, clientId: string, sealed: string): Promise<void> {
  await sql.query('UPDATE app_clients SET secret = $2 WHERE client_id = $1', [clientId, sealed]);
}

/** Disables a client (its signals receivers with it). True when this call disabled it. */
export async function disableClientRow(sql: Sql, clientId: string, now: Date): Promise<boolean> {
  const rows = await sql.query(
    'UPDATE app_clients SET disabled_at = $2 WHERE client_id = $1 AND disabled_at IS NULL RETURNING client_id',
    [clientId, now],
  );
  if (rows.length === 0) return false;
  await sql.query(
    'UPDATE signal_receivers SET disabled_at = $2 WHERE client_id = $1 AND disabled_at IS NULL',
    [clientId, now],
  );
  return true;
}
