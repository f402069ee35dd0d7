import type { Sql } from '../kernel/sql.ts';

/**
 * The store of the operator capability: every statement on `operators`, `operator_sessions` (stored by the
 * SHA-256 of their token) and `operator_audit`.
 */

export type OperatorRole = 'reviewer' | 'admin';

/** Adds an operator; `nameKey` is the NFKC, trimmed, lower-case name (unique). */
export async function insertOperator(
  sql: Sql,
  o: { id: string; name: string; nameKey: string; role: OperatorRole; passwordHash: string; createdAt: Date },
): Promise<void> {
  await sql.query(
    `INSERT INTO operators (id, name, name_key, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [o.id, o.name, o.nameKey, o.role, o.passwordHash, o.createdAt],
  );
}

/** The enabled operator of a name key, with what a password sign-in needs. */
export async function findActiveOperatorByNameKey(
  sql: Sql,
  nameKey: string,
): Promise<
  | { id: string; name: string; role: OperatorRole; password_hash: string; totp_enrolled_at: Date | null }
  | undefined
> {
  return (
    await sql.query<{
      id: string;
      name: string;
      role: OperatorRole;
      password_hash: string;
      totp_enrolled_at: Date | null;
    }>(
      `SELECT id, name, role, password_hash, totp_enrolled_at FROM operators
       WHERE name_key = $1 AND disabled_at IS NULL`,
      [nameKey],
    )
  )[0];
}

/** True when an operator (enabled or not) has this exact name key. */
export async function operatorNameKeyTaken(sql: Sql, nameKey: string): Promise<boolean> {
  return (await sql.query('SELECT 1 FROM operators WHERE name_key = $1', [nameKey])).length > 0;
}

/** How many operators exist (enabled or not). */
export async function countOperators(sql: Sql): Promise<number> {
  const rows = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM operators');
  return rows[0]?.n ?? 0;
}

/** The names of the operators with these ids (unknown ids are left out). */
export async function operatorNamesById(sql: Sql, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await sql.query<{ id: string; name: string }>(
    'SELECT id, name FROM operators WHERE id = ANY($1::text[])',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Stores a session by the SHA-256 of its token (`id`); it ends at `expiresAt`. */
export async function insertOperatorSession(
  sql: Sql,
  s: {
    id: string;
    operatorId: string;
    now: Date;
    expiresAt: Date;
    ip: string;
    userAgent: string;
    stage: 'pending' | 'full';
  },
): Promise<void> {
  await sql.query(
    `INSERT INTO operator_sessions (id, operator_id, created_at, last_seen_at, expires_at, ip, user_agent, stage)
     VALUES ($1, $2, $3, $3, $4, $5, $6, $7)`,
    [s.id, s.operatorId, s.now, s.expiresAt, s.ip, s.userAgent, s.stage],
  );
}

/** A pending sign-in (between password and code) with its operator's authenticator state. */
export interface PendingRow {
  id: string;
  operator_id: string;
  name: string;
  role: OperatorRole;
  pending_secret_enc: string | null;
  totp_secret_enc: string | null;
  totp_last_step: number | null;
  totp_enrolled_at: Date | null;
}

/** The pending sign-in stored as `id` that has not expired at `now` and whose operator is enabled. */
export async function findPendingSignIn(sql: Sql, id: string, now: Date): Promise<PendingRow | undefined> {
  return (
    await sql.query<PendingRow>(
      `SELECT s.id, s.operator_id, o.name, o.role, s.pending_secret_enc, o.totp_secret_enc, o.totp_last_step,
                o.totp_enrolled_at
         FROM operator_sessions s JOIN operators o ON o.id = s.operator_id
         WHERE s.id = $1 AND s.stage = 'pending' AND s.expires_at > $2 AND o.disabled_at IS NULL`,
      [id, now],
    )
  )[0];
}

/**
 * Keeps `sealed` as the authenticator being enrolled by a pending sign-in unless it already has one (the
 * first writer wins); returns the one kept, or undefined when the sign-in is gone.
 */
export async function keepPendingSecret(sql: Sql, id: string, sealed: string): Promise<string | undefined> {
  const stored = await sql.query<{ pending_secret_enc: string }>(
    `UPDATE operator_sessions SET pending_secret_enc = COALESCE(pending_secret_enc, $2) WHERE id = $1
       RETURNING pending_secret_enc`,
    [id, sealed],
  );
  return stored[0]?.pending_secret_enc;
}

/** Ends a pending sign-in; true for the one caller that ended it. */
export async function endPendingSignIn(sql: Sql, id: string): Promise<boolean> {
  const ended = await sql.query(
    `DELETE FROM operator_sessions WHERE id = $1 AND stage = 'pending' RETURNING id`,
    [id],
  );
  return ended.length === 1;
}

/** Makes `sealed` the operator's authenticator at `step` unless one is enrolled already; true when done. */
export async function enrolOperatorTotp(
  sql: Sql,
  operatorId: string,
  sealed: string,
  step: number,
  now: Date,
): Promise<boolean> {
  const rows = await sql.query(
    `UPDATE operators SET totp_secret_enc = $2, totp_last_step = $3, totp_enrolled_at = $4
               WHERE id = $1 AND totp_enrolled_at IS NULL RETURNING id`,
    [operatorId, sealed, step, now],
  );
  return rows.length === 1;
}

/** Accepts time step `step` of the operator's authenticator once: true only when it is newer than the last. */
export async function claimOperatorTotpStep(sql: Sql, operatorId: string, step: number): Promise<boolean> {
  const rows = await sql.query(
    `UPDATE operators SET totp_last_step = $2
               WHERE id = $1 AND totp_enrolled_at IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $2)
               RETURNING id`,
    [operatorId, step],
  );
  return rows.length === 1;
}

/** Removes the authenticator of the operator with this name key; their id and name, or undefined. */
export async function clearOperatorTotp(
  sql: Sql,
  nameKey: string,
): Promise<{ id: string; name: string } | undefined> {
  const rows = await sql.query<{ id: string; name: string }>(
    `UPDATE operators SET totp_secret_enc = NULL, totp_last_step = NULL, totp_enrolled_at = NULL
       WHERE name_key = $1 RETURNING id, name`,
    [nameKey],
  );
  return rows[0];
}

/** Ends every session (pending or full) of the operator. */
export async function deleteOperatorSessions(sql: Sql, operatorId: string): Promise<void> {
  await sql.query('DELETE FROM operator_sessions WHERE operator_id = $1', [operatorId]);
}

/** Ends one session. */
export async function deleteOperatorSession(sql: Sql, id: string): Promise<void> {
  await sql.query('DELETE FROM operator_sessions WHERE id = $1', [id]);
}

/**
 * The operator of a full session stored as `id`, when it has not expired at `now`, was seen after
 * `idleSince` and its operator is enabled; slides `last_seen_at` to `now` in the same statement.
 */
export async function touchOperatorSession(
  sql: Sql,
  id: string,
  now: Date,
  idleSince: Date,
): Promise<{ operator_id: string; name: string; role: OperatorRole } | undefined> {
  return (
    await sql.query<{ operator_id: string; name: string; role: OperatorRole }>(
      `UPDATE operator_sessions s SET last_seen_at = $2
       FROM operators o
       WHERE s.id = $1 AND o.id = s.operator_id AND o.disabled_at IS NULL AND s.stage = 'full'
         AND s.expires_at > $2 AND s.last_seen_at > $3
       RETURNING s.operator_id, o.name, o.role`,
      [id, now, idleSince],
    )
  )[0];
}

/** Appends an audit entry (action ≤ 64, target ≤ 200 characters: the caller cuts them). */
export async function insertAuditEntry(
  sql: Sql,
  e: {
    id: string;
    operatorId: string;
    operatorName: string;
    action: string;
    target: string;
    detail: Record<string, string>;
    createdAt: Date;
  },
): Promise<void> {
  await sql.query(
    `INSERT INTO operator_audit (id, operator_id, operator_name, action, target, detail, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [e.id, e.operatorId, e.operatorName, e.action, e.target, JSON.stringify(e.detail), e.createdAt],
  );
}

/** The latest `limit` audit entries, newest first. */
export async function listAuditEntries(
  sql: Sql,
  limit: number,
): Promise<
  {
    operator_name: string;
    action: string;
    target: string;
    detail: Record<string, string>;
    created_at: Date;
  }[]
> {
  return sql.query(
    'SELECT operator_name, action, target, detail, created_at FROM operator_audit ORDER BY seq DESC LIMIT $1',
    [limit],
  );
}

// --- used by storage (rotate-secret.ts)

/**
 * Re-encrypts operators' authenticator secrets and those being enrolled by pending sign-ins with
 * `reencrypt`, rows locked, inside the caller's transaction. Returns how many operators' secrets.
 */
export async function reencryptOperatorSecrets(
  sql: Sql,
  reencrypt: (sealed: string) => string,
): Promise<number> {
  const operators = await sql.query<{ id: string; totp_secret_enc: string }>(
    'SELECT id, totp_secret_enc FROM operators WHERE totp_secret_enc IS NOT NULL FOR UPDATE',
  );
  for (const o of operators) {
    await sql.query('UPDATE operators SET totp_secret_enc = $2 WHERE id = $1', [
      o.id,
      reencrypt(o.totp_secret_enc),
    ]);
  }
  const pending = await sql.query<{ id: string; pending_secret_enc: string }>(
    'SELECT id, pending_secret_enc FROM operator_sessions WHERE pending_secret_enc IS NOT NULL FOR UPDATE',
  );
  for (const p of pending) {
    await sql.query('UPDATE operator_sessions SET pending_secret_enc = $2 WHERE id = $1', [
      p.id,
      reencrypt(p.pending_secret_enc),
    ]);
  }
  return operators.length;
}
