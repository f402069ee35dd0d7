import type { Sql } from '../../kernel/sql.ts';
import type { ClientMetadata } from '../model.ts';

/** A registered client as the provider reads it: the secret still encrypted (apps cipher). */
export interface ClientRow {
  clientId: string;
  orgId: string | null;
  name: string;
  metadata: ClientMetadata;
  encryptedSecret: string | null;
}

/** An enabled client by its id; null when unknown or disabled. */
export async function findEnabledClient(sql: Sql, clientId: string): Promise<ClientRow | null> {
  const rows = await sql.query<{
    client_id: string;
    org_id: string | null;
    name: string;
    metadata: ClientMetadata;
    secret: string | null;
  }>(
    `SELECT client_id, org_id, name, metadata, secret FROM app_clients
     WHERE client_id = $1 AND disabled_at IS NULL`,
    [clientId],
  );
  const r = rows[0];
  return r
    ? {
        clientId: r.client_id,
        orgId: r.org_id,
        name: r.name,
        metadata: r.metadata,
        encryptedSecret: r.secret,
      }
    : null;
}

/** Re-encrypts every client secret with `rewrap` (MAMORI_SECRET rotation). Returns how many. */
export async function reencryptClientSecrets(sql: Sql, rewrap: (sealed: string) => string): Promise<number> {
  const rows = await sql.query<{ client_id: string; secret: string }>(
    'SELECT client_id, secret FROM app_clients WHERE secret IS NOT NULL',
  );
  for (const r of rows)
    await sql.query('UPDATE app_clients SET secret = $2 WHERE client_id = $1', [
      r.client_id,
      rewrap(r.secret),
    ]);
  return rows.length;
}
