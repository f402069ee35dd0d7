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
