import type { Sql } from '../../kernel/sql.ts';

/** One row of oidc-provider's storage (`oidc_payloads`), with the columns copied out of the payload. */
export interface OidcPayloadRow {
  model: string;
  id: string;
  payload: Record<string, unknown>;
  accountId: string | null;
  grantId: string | null;
  uid: string | null;
  userCode: string | null;
  /** The Mamori session (public id) known from the request, or null (then inherited, see upsertPayload). */
  mamoriSession: string | null;
  /** The provider's session uid a token was issued under (payload.sessionUid), to inherit its binding. */
  sessionUid: string | null;
  expiresAt: Date | null;
}

/**
 * Inserts or replaces a model instance. `mamori_session` is, in order: the one known from the request, the
 * one the row already had, the one of its Grant, the one of the provider Session it was issued under — so a
 * token minted at the token endpoint (no browser, no Mamori cookie) carries the session its grant came from.
 */
export async function upsertPayload(sql: Sql, r: OidcPayloadRow): Promise<void> {
  await sql.query(
    `INSERT INTO oidc_payloads (model, id, payload, account_id, grant_id, uid, user_code, mamori_session, expires_at)
     VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7,
       COALESCE($8,
         (SELECT g.mamori_session FROM oidc_payloads g WHERE g.model = 'Grant' AND g.id = $5),
         (SELECT s.mamori_session FROM oidc_payloads s WHERE s.model = 'Session' AND s.uid = $10)),
       $9)
     ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, account_id = EXCLUDED.account_id,
       grant_id = EXCLUDED.grant_id, uid = EXCLUDED.uid, user_code = EXCLUDED.user_code,
       mamori_session = COALESCE($8, oidc_payloads.mamori_session, EXCLUDED.mamori_session),
       expires_at = EXCLUDED.expires_at`,
    [
      r.model,
      r.id,
      JSON.stringify(r.payload),
      r.accountId,
      r.grantId,
      r.uid,
      r.userCode,
      r.mamoriSession,
      r.expiresAt,
      r.sessionUid,
    ],
  );
}

/** A stored payload and when it was consumed; expired rows (at `now`) are never returned. */
export async function findPayload(
  sql: Sql,
  model: string,
  by: { id: string } | { uid: string } | { userCode: string },
  now: Date,
): Promise<{ payload: Record<string, unknown>; consumedAt: Date | null } | null> {
  const [column, value] =
    'id' in by ? ['id', by.id] : 'uid' in by ? ['uid', by.uid] : ['user_code', by.userCode];
  const rows = await sql.query<{ payload: Record<string, unknown>; consumed_at: Date | null }>(
    `SELECT payload, consumed_at FROM oidc_payloads
     WHERE model = $1 AND ${column} = $2 AND (expires_at IS NULL OR expires_at > $3)
     LIMIT 1`,
    [model, value, now],
  );
  const r = rows[0];
  return r ? { payload: r.payload, consumedAt: r.consumed_at } : null;
}

/**
 * Marks a payload consumed at `now` if it was not yet: one statement, so of any number of concurrent
 * redemptions exactly one gets the row (with the Mamori session it was bound to), the others null.
 */
export async function consumePayload(
  sql: Sql,
  model: string,
  id: string,
  now: Date,
): Promise<{ mamoriSession: string | null } | null> {
  const rows = await sql.query<{ mamori_session: string | null }>(
    `UPDATE oidc_payloads SET consumed_at = $3 WHERE model = $1 AND id = $2 AND consumed_at IS NULL
     RETURNING mamori_session`,
    [model, id, now],
  );
  const r = rows[0];
  return r ? { mamoriSession: r.mamori_session } : null;
}

/** Deletes one payload (a revoked token, an ended session). */
export async function destroyPayload(sql: Sql, model: string, id: string): Promise<void> {
  await sql.query('DELETE FROM oidc_payloads WHERE model = $1 AND id = $2', [model, id]);
}

/** Deletes every payload of `model` issued under grant `grantId` (the grant's revocation). */
export async function destroyByGrant(sql: Sql, model: string, grantId: string): Promise<void> {
  await sql.query('DELETE FROM oidc_payloads WHERE model = $1 AND grant_id = $2', [model, grantId]);
}

/**
 * Deletes every payload of the grant the payload (`model`, `id`) was issued under, the Grant itself included:
 * a token saved later under that grant is refused (oidc-provider looks the Grant up at every use).
 */
export async function destroyGrantOf(sql: Sql, model: string, id: string): Promise<void> {
  await sql.query(
    `DELETE FROM oidc_payloads WHERE grant_id = (
       SELECT grant_id FROM oidc_payloads WHERE model = $1 AND id = $2 AND grant_id IS NOT NULL)`,
    [model, id],
  );
}

/** The Mamori session (public id) a provider Session (by its id, the cookie value) was bound to at login. */
export async function boundMamoriSession(sql: Sql, providerSessionId: string): Promise<string | null> {
  const rows = await sql.query<{ mamori_session: string | null }>(
    `SELECT mamori_session FROM oidc_payloads WHERE model = 'Session' AND id = $1`,
    [providerSessionId],
  );
  return rows[0]?.mamori_session ?? null;
}

/** Deletes payloads expired before `now`, at most `limit` at a time (housekeeping). Returns how many. */
export async function deleteExpiredPayloads(sql: Sql, now: Date, limit = 5000): Promise<number> {
  const rows = await sql.query(
    `DELETE FROM oidc_payloads WHERE ctid IN (
       SELECT ctid FROM oidc_payloads WHERE expires_at < $1 LIMIT $2) RETURNING 1`,
    [now, limit],
  );
  return rows.length;
}
