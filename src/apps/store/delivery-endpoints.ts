import type { Sql } from '../../kernel/sql.ts';

/**
 * Where an application delivery goes, read at send time (so a rotated secret or a disabled endpoint is
 * honoured by retries). Secrets are returned encrypted (apps cipher); callers decrypt.
 */

/** A webhook endpoint as the sender needs it. */
export interface WebhookTarget {
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_until: Date | null;
  disabled_at: Date | null;
}

export async function findWebhookTarget(sql: Sql, id: string): Promise<WebhookTarget | null> {
  const rows = await sql.query<WebhookTarget>(
    'SELECT url, secret, previous_secret, previous_until, disabled_at FROM webhook_endpoints WHERE id = $1',
    [id],
  );
  return rows[0] ?? null;
}

/** A signal receiver as the sender needs it (with its client's state). */
export interface SignalTarget {
  endpoint_url: string;
  auth_token: string | null;
  disabled_at: Date | null;
  client_disabled_at: Date | null;
}

export async function findSignalTarget(sql: Sql, id: string): Promise<SignalTarget | null> {
  const rows = await sql.query<SignalTarget>(
    `SELECT r.endpoint_url, r.auth_token, r.disabled_at, c.disabled_at AS client_disabled_at
     FROM signal_receivers r JOIN app_clients c ON c.client_id = r.client_id WHERE r.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/** A client's back-channel logout URI, or null (no such client, disabled, or none registered). */
export async function findLogoutUri(sql: Sql, clientId: string): Promise<string | null> {
  const rows = await sql.query<{ uri: string | null }>(
    `SELECT metadata->>'backchannel_logout_uri' AS uri FROM app_clients
     WHERE client_id = $1 AND disabled_at IS NULL`,
    [clientId],
  );
  return rows[0]?.uri || null;
}
