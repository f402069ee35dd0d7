import type { Sql } from '../../kernel/sql.ts';

/** The registry's statements on `webhook_endpoints`. Called by apps/registry/webhooks.ts. */

export interface WebhookEndpointRow {
  id: string;
  org_id: string | null;
  url: string;
  description: string;
  events: string[];
  /** Sealed (apps cipher). */
  secret: string;
  previous_secret: string | null;
  previous_until: Date | null;
  created_by: string | null;
  created_at: Date;
  disabled_at: Date | null;
}

const COLUMNS =
  'id, org_id, url, description, events, secret, previous_secret, previous_until, created_by, created_at, disabled_at';

/** Adds an endpoint. */
export async function insertWebhookEndpoint(
  sql: Sql,
  e: {
    id: string;
    orgId: string | null;
    url: string;
    description: string;
    events: string[];
    secret: string;
    createdBy: string;
    createdAt: Date;
  },
): Promise<void> {
  await sql.query(
    `INSERT INTO webhook_endpoints (id, org_id, url, description, events, secret, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8)`,
    [e.id, e.orgId, e.url, e.description, JSON.stringify(e.events), e.secret, e.createdBy, e.createdAt],
  );
}

/** The endpoints of a scope not disabled (the limit counts these). */
export async function countActiveWebhookEndpoints(sql: Sql, orgId: string | null): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM webhook_endpoints WHERE org_id IS NOT DISTINCT FROM $1 AND disabled_at IS NULL`,
    [orgId],
  );
  return rows[0]?.n ?? 0;
}

/** One endpoint by id; `lock`: FOR UPDATE. */
export async function findWebhookEndpointRow(
  sql: Sql,
  id: string,
  lock = false,
): Promise<WebhookEndpointRow | undefined> {
  const rows = await sql.query<WebhookEndpointRow>(
    `SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

/** The endpoints of one scope (null: the deployment's own), active ones first, newest first, at most 500. */
export async function listWebhookEndpointRows(sql: Sql, orgId: string | null): Promise<WebhookEndpointRow[]> {
  return sql.query<WebhookEndpointRow>(
    `SELECT ${COLUMNS} FROM webhook_endpoints WHERE org_id IS NOT DISTINCT FROM $1
     ORDER BY (disabled_at IS NULL) DESC, created_at DESC, id LIMIT 500`,
    [orgId],
  );
}

/** A new secret; the previous one kept (it also signs) until `previousUntil`. */
export async function rotateWebhookSecretRow(
  sql: Sql,
  id: string,
  s: { secret: string; previousSecret: string; previousUntil: Date },
): Promise<void> {
  await sql.query(
    'UPDATE webhook_endpoints SET secret = $2, previous_secret = $3, previous_until = $4 WHERE id = $1',
    [id, s.secret, s.previousSecret, s.previousUntil],
  );
}

/** Disables an endpoint. True when this call disabled it. */
export async function disableWebhookEndpointRow(sql: Sql, id: string, now: Date): Promise<boolean> {
  const rows = await sql.query(
    'UPDATE webhook_endpoints SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL RETURNING id',
    [id, now],
  );
  return rows.length > 0;
}
