import type { Sql } from '../kernel/sql.ts';

// --- used by recovery, replacement, recovery-form

/** Ends every sign-in of the account still waiting for its second step (one statement, any number of rows). */
export async function endPendingSignIns(tx: Sql, accountId: string): Promise<void> {
  await tx.query('DELETE FROM pending_signins WHERE account_id = $1', [accountId]);
}
