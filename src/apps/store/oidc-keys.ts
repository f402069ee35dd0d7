import type { Sql } from '../../kernel/sql.ts';

/** A provider signing key as stored: the private JWK encrypted (apps cipher). */
export interface OidcKeyRow {
  kid: string;
  alg: string;
  private_jwk: string;
  status: 'active' | 'retiring';
  created_at: Date;
  retire_after: Date | null;
}

/** Keys still published at `now`: every active key and the retiring ones not yet past `retire_after`. */
export async function listPublishedKeys(sql: Sql, now: Date): Promise<OidcKeyRow[]> {
  return sql.query<OidcKeyRow>(
    `SELECT kid, alg, private_jwk, status, created_at, retire_after FROM oidc_keys
     WHERE status = 'active' OR retire_after > $1
     ORDER BY (status = 'active') DESC, created_at DESC`,
    [now],
  );
}

/** Inserts `row` as the active key of its algorithm unless one exists (the partial unique index decides). */
export async function insertActiveKeyIfNone(
  sql: Sql,
  row: { kid: string; alg: string; privateJwk: string; now: Date },
): Promise<void> {
  await sql.query(
    `INSERT INTO oidc_keys (kid, alg, private_jwk, status, created_at)
     VALUES ($1, $2, $3, 'active', $4)
     ON CONFLICT (alg) WHERE status = 'active' DO NOTHING`,
    [row.kid, row.alg, row.privateJwk, row.now],
  );
}

/**
 * Makes `row` the active key of its algorithm: the active one becomes `retiring` until `retireAfter` (still
 * published so that what it signed verifies). One transaction; the partial unique index keeps one active key.
 */
export async function rotateActiveKey(
  tx: Sql,
  row: { kid: string; alg: string; privateJwk: string; now: Date; retireAfter: Date },
): Promise<{ retired: string[] }> {
  const retired = await tx.query<{ kid: string }>(
    `UPDATE oidc_keys SET status = 'retiring', retire_after = $2
     WHERE alg = $1 AND status = 'active' RETURNING kid`,
    [row.alg, row.retireAfter],
  );
  await tx.query(
    `INSERT INTO oidc_keys (kid, alg, private_jwk, status, created_at) VALUES ($1, $2, $3, 'active', $4)`,
    [row.kid, row.alg, row.privateJwk, row.now],
  );
  return { retired: retired.map((r) => r.kid) };
}

/** Deletes retiring keys past `retire_after` (no longer published). Returns how many. */
export async function deleteRetiredKeys(sql: Sql, now: Date): Promise<number> {
  const rows = await sql.query(
    `DELETE FROM oidc_keys WHERE status = 'retiring' AND retire_after <= $1 RETURNING kid`,
    [now],
  );
  return rows.length;
}

/** Re-encrypts every private key with `rewrap` (MAMORI_SECRET rotation). Returns how many. */
export async function reencryptProviderKeys(sql: Sql, rewrap: (sealed: string) => string): Promise<number> {
  const rows = await sql.query<{ kid: string; private_jwk: string }>(
    'SELECT kid, private_jwk FROM oidc_keys',
  );
  for (const r of rows)
    await sql.query('UPDATE oidc_keys SET private_jwk = $2 WHERE kid = $1', [r.kid, rewrap(r.private_jwk)]);
  return rows.length;
}
