import { findAccountById } from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import { fail } from '../kernel/errors.ts';
import type { Sql } from '../kernel/sql.ts';
import { restrictedUntil } from './replacement-mail.ts';
import { pendingEffectiveAt } from './store.ts';

/**
 * Refuses sensitive changes while the account's security info is being replaced (the 30-day wait):
 * AppError 'account.restricted' with the date the wait ends.
 */
export async function assertNotRestricted(
  deps: Pick<Deps, 'db'>,
  accountId: string,
  sql: Sql = deps.db,
): Promise<void> {
  const effectiveAt = await pendingEffectiveAt(sql, accountId);
  if (!effectiveAt) return;
  // A pending replacement exists only for an existing account (ON DELETE CASCADE).
  const account = await findAccountById(sql, accountId);
  if (!account) return;
  fail('account.restricted', { date: restrictedUntil(account, effectiveAt) });
}
