import type { Deps } from '../deps.ts';
import { fail } from '../kernel/errors.ts';
import type { Sql } from '../kernel/sql.ts';
import { restrictedUntil } from './replacement-mail.ts';

/**
 * Refuses sensitive changes while the account's security info is being replaced (the 30-day wait):
 * AppError 'account.restricted' with the date the wait ends.
 */
export async function assertNotRestricted(deps: Deps, accountId: string, sql: Sql = deps.db): Promise<void> {
  const row = (
    await sql.query<{ effective_at: Date; locale: 'ja' | 'en'; time_zone: string }>(
      `SELECT r.effective_at, a.locale, a.time_zone FROM replacements r JOIN accounts a ON a.id = r.account_id
       WHERE r.account_id = $1 AND r.status = 'pending'`,
      [accountId],
    )
  )[0];
  if (!row) return;
  fail('account.restricted', {
    date: restrictedUntil({ locale: row.locale, timeZone: row.time_zone }, row.effective_at),
  });
}
