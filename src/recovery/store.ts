import type { Sql } from '../kernel/sql.ts';

// --- used by housekeeping

/** Deletes the reset flows that expired before `before`; returns how many. */
export async function deleteExpiredResetFlows(sql: Sql, before: Date): Promise<number> {
  return (await sql.query('DELETE FROM reset_flows WHERE expires_at < $1 RETURNING 1', [before])).length;
}
