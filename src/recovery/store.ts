import type { Sql } from '../kernel/sql.ts';

/**
 * The store of password reset flows (table `reset_flows`). A flow's `id` is the SHA-256 of its token; the
 * token itself is never stored. Only this file reads or writes the table.
 */

/** A reset flow as stored. `stamp` is the account's security stamp (bigint, as text) the flow is bound to. */
export interface FlowRow {
  id: string;
  account_id: string | null;
  account_key: string;
  method_id: string | null;
  challenge_id: string | null;
  verified_at: Date | null;
  completed_at: Date | null;
  expires_at: Date;
  attempts: number;
  first_method_id: string | null;
  used_recovery_code: boolean;
  /** The account's security stamp when the flow started (null for an address without an account). */
  stamp: string | null;
}

/** Starts a flow. `accountId`/`stamp` are null for an address without a confirmed account. */
export async function insertFlow(
  tx: Sql,
  f: {
    id: string;
    accountId: string | null;
    accountKey: string;
    createdAt: Date;
    expiresAt: Date;
    stamp: string | null;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO reset_flows (id, account_id, account_key, created_at, expires_at, stamp)
       VALUES ($1, $2, $3, $4, $5, $6::bigint)`,
    [f.id, f.accountId, f.accountKey, f.createdAt, f.expiresAt, f.stamp],
  );
}

/**
 * The flow with this id, or null. `forUpdate` locks its row until the end of the transaction (the only lock
 * taken: the account row is not). Every step loads its flow through this one function, outside and again
 * inside its transaction.
 */
export async function findFlow(sql: Sql, id: string, forUpdate = false): Promise<FlowRow | null> {
  const rows = await sql.query<FlowRow>(
    `SELECT f.*, f.stamp::text AS stamp FROM reset_flows f WHERE f.id = $1${forUpdate ? ' FOR UPDATE OF f' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

/**
 * Counts one confirmation try, atomically (one `UPDATE … RETURNING`): true when the flow is still open
 * (not completed, not verified, not expired at `now`) and had fewer than `max` tries; false otherwise, and
 * then nothing is counted. Concurrent calls never count past `max`.
 */
export async function countConfirmation(sql: Sql, id: string, max: number, now: Date): Promise<boolean> {
  const rows = await sql.query<{ id: string }>(
    `UPDATE reset_flows SET attempts = attempts + 1
     WHERE id = $1 AND attempts < $2 AND completed_at IS NULL AND verified_at IS NULL AND expires_at > $3 RETURNING id`,
    [id, max, now],
  );
  return rows.length > 0;
}

/** The chosen method of the flow and the challenge of its code step (null for an authenticator app). */
export async function setFlowMethod(
  tx: Sql,
  id: string,
  methodId: string,
  challengeId: string | null,
): Promise<void> {
  await tx.query('UPDATE reset_flows SET method_id = $2, challenge_id = $3 WHERE id = $1', [
    id,
    methodId,
    challengeId,
  ]);
}

/** Back to the method list: no method chosen (the challenge stays, unused). */
export async function clearFlowMethod(sql: Sql, id: string): Promise<void> {
  await sql.query('UPDATE reset_flows SET method_id = NULL WHERE id = $1', [id]);
}

/** Two-step verification: the chosen method becomes the first proof; a second, different one is chosen next. */
export async function moveToSecondProof(tx: Sql, id: string): Promise<void> {
  await tx.query(
    'UPDATE reset_flows SET first_method_id = method_id, method_id = NULL, challenge_id = NULL WHERE id = $1',
    [id],
  );
}

/** Every proof is done: the flow may set a new password. */
export async function markFlowVerified(tx: Sql, id: string, at: Date): Promise<void> {
  await tx.query('UPDATE reset_flows SET verified_at = $2 WHERE id = $1', [id, at]);
}

/**
 * The recovery code was the first of two proofs (an organisation's `resetMethods: 2`, always for its admins):
 * a second proof from another method is asked next. Bound to the stamp the new recovery code moved the account
 * to, like a flow verified by the code.
 */
export async function markFirstProofByRecoveryCode(tx: Sql, id: string, stamp: string | null): Promise<void> {
  await tx.query(
    `UPDATE reset_flows SET first_method_id = 'recovery_code', method_id = NULL, challenge_id = NULL,
            used_recovery_code = true, stamp = $2::bigint WHERE id = $1`,
    [id, stamp],
  );
}

/**
 * Verified by a recovery code: the flow goes on, bound to the account's new security stamp `stamp` (the
 * new recovery code moved it).
 */
export async function markFlowVerifiedByRecoveryCode(
  tx: Sql,
  id: string,
  at: Date,
  stamp: string | null,
): Promise<void> {
  await tx.query(
    `UPDATE reset_flows SET verified_at = $2, used_recovery_code = true, stamp = $3::bigint WHERE id = $1`,
    [id, at, stamp],
  );
}

/** The new password is set: the flow cannot be used again. */
export async function completeFlow(tx: Sql, id: string, at: Date): Promise<void> {
  await tx.query('UPDATE reset_flows SET completed_at = $2 WHERE id = $1', [id, at]);
}

// --- used by storage (housekeeping.ts)

/** Deletes the reset flows that expired before `before`; returns how many. */
export async function deleteExpiredResetFlows(sql: Sql, before: Date): Promise<number> {
  return (await sql.query('DELETE FROM reset_flows WHERE expires_at < $1 RETURNING 1', [before])).length;
}
