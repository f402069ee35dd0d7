import type { Sql } from '../kernel/sql.ts';

// --- used by sessions

/** Records that the method (by id) was just used to prove access (`now`). */
export async function markMethodUsed(sql: Sql, methodId: string, now: Date): Promise<void> {
  await sql.query('UPDATE security_methods SET last_used_at = $2 WHERE id = $1', [methodId, now]);
}
