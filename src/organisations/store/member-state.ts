import type { Sql } from '../../kernel/sql.ts';

/**
 * Extra statements of the enforcement slice (organisations/enforcement.ts) on the organisations' own tables:
 * when an admin last asked a member to set up their methods again.
 */

/**
 * When the member was last asked to re-register (the latest `member.reregister_required` entry of the audit
 * log that was carried out), or null.
 */
export async function lastReregisterRequest(sql: Sql, accountId: string): Promise<Date | null> {
  const rows = await sql.query<{ at: Date | null }>(
    `SELECT max(created_at) AS at FROM org_audit
     WHERE target_account_id = $1 AND action = 'member.reregister_required' AND outcome = 'done'`,
    [accountId],
  );
  return rows[0]?.at ?? null;
}
