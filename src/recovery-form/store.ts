import type { Sql } from '../kernel/sql.ts';
import type { RequestRow } from './form-service.ts';

// --- used by operator

/** Requests waiting for a reviewer, the closest deadline first (at most 200). */
export async function listRequestsInReview(sql: Sql): Promise<RequestRow[]> {
  return sql.query<RequestRow>(
    `SELECT * FROM recovery_requests WHERE status = 'review' ORDER BY due_at, id LIMIT 200`,
  );
}

/** The latest decided (approved or denied) requests, newest decision first (at most 50). */
export async function listDecidedRequests(sql: Sql): Promise<RequestRow[]> {
  return sql.query<RequestRow>(
    `SELECT * FROM recovery_requests WHERE status IN ('approved', 'denied') ORDER BY decided_at DESC, id LIMIT 50`,
  );
}

/** A submitted (not draft) request by id. */
export async function findSubmittedRequest(sql: Sql, id: string): Promise<RequestRow | undefined> {
  return (
    await sql.query<RequestRow>(`SELECT * FROM recovery_requests WHERE id = $1 AND status <> 'draft'`, [id])
  )[0];
}

/** A request waiting for review, locked until the transaction ends. */
export async function lockRequestInReview(sql: Sql, id: string): Promise<RequestRow | undefined> {
  return (
    await sql.query<RequestRow>(
      `SELECT * FROM recovery_requests WHERE id = $1 AND status = 'review' FOR UPDATE`,
      [id],
    )
  )[0];
}

// --- used by housekeeping

/** Forgets the spent proof-of-work puzzles that expired before `now`; returns how many. */
export async function deleteExpiredPowSpent(sql: Sql, now: Date): Promise<number> {
  return (await sql.query('DELETE FROM recovery_pow_spent WHERE expires_at < $1 RETURNING 1', [now])).length;
}

/** Deletes the draft requests that expired before `before`; returns how many. */
export async function deleteExpiredDraftRequests(sql: Sql, before: Date): Promise<number> {
  return (
    await sql.query("DELETE FROM recovery_requests WHERE status = 'draft' AND expires_at < $1 RETURNING 1", [
      before,
    ])
  ).length;
}
