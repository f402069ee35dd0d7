import type { Sql } from '../../kernel/sql.ts';

/** The registry's statements on `signal_receivers`. Called by apps/registry/receivers.ts. */

export interface SignalReceiverRow {
  id: string;
  client_id: string;
  /** The client's organisation (the receiver's scope). */
  org_id: string | null;
  endpoint_url: string;
  /** Sealed (apps cipher), or NULL. */
  auth_token: string | null;
  events: string[];
  created_at: Date;
  disabled_at: Date | null;
}

const COLUMNS =
  'r.id, r.client_id, c.org_id, r.endpoint_url, r.auth_token, r.events, r.created_at, r.disabled_at';
const FROM = 'signal_receivers r JOIN app_clients c ON c.client_id = r.client_id';

/** Adds a receiver. */
export async function insertSignalReceiver(
  sql: Sql,
  r: {
    id: string;
    clientId: string;
    endpointUrl: string;
    authToken: string | null;
    events: string[];
    createdAt: Date;
  },
): Promise<void> {
  await sql.query(
    `INSERT INTO signal_receivers (id, client_id, endpoint_url, auth_token, events, created_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6)`,
    [r.id, r.clientId, r.endpointUrl, r.authToken, JSON.stringify(r.events), r.createdAt],
  );
}

/** The receivers of a client not disabled. */
export async function countActiveSignalReceivers(sql: Sql, clientId: string): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM signal_receivers WHERE client_id = $1 AND disabled_at IS NULL',
    [clientId],
  );
  return rows[0]?.n ?? 0;
}

/** One receiver by id, with its client's organisation. */
export async function findSignalReceiverRow(sql: Sql, id: string): Promise<SignalReceiverRow | undefined> {
  return (await sql.query<SignalReceiverRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE r.id = $1`, [id]))[0];
}

/** A client's receivers, active ones first, newest first, at most 100. */
export async function listSignalReceiverRows(sql: Sql, clientId: string): Promise<SignalReceiverRow[]> {
  return sql.query<SignalReceiverRow>(
    `SELECT ${COLUMNS} FROM ${FROM} WHERE r.client_id = $1
     ORDER BY (r.disabled_at IS NULL) DESC, r.created_at DESC, r.id LIMIT 100`,
    [clientId],
  );
}

/** Disables a receiver. True when this call disabled it. */
export async function disableSignalReceiverRow(sql: Sql, id: string, now: Date): Promise<boolean> {
  const rows = await sql.query(
    'UPDATE signal_receivers SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL RETURNING id',
    [id, now],
  );
  return rows.length > 0;
}
