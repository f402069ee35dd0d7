import type { Sql } from '../../kernel/sql.ts';

/**
 * The clients whose grants for an account were deleted earlier in a transaction (by the ending of the
 * account's sessions), so the Security Event Tokens of the same change still reach those apps: the grant that
 * proves the app knows the user is gone by the time the token is enqueued. Kept per transaction object, in
 * memory only; nothing outlives the transaction.
 */
const revoked = new WeakMap<Sql, Map<string, Set<string>>>();

/** Remembers that `clientIds` lost their grants for `accountId` in `tx`. */
export function rememberRevokedClients(tx: Sql, accountId: string, clientIds: Iterable<string>): void {
  let byAccount = revoked.get(tx);
  if (!byAccount) {
    byAccount = new Map();
    revoked.set(tx, byAccount);
  }
  const set = byAccount.get(accountId) ?? new Set<string>();
  for (const c of clientIds) set.add(c);
  byAccount.set(accountId, set);
}

/** The clients that lost their grants for `accountId` earlier in `tx`. */
export function revokedClientsIn(tx: Sql, accountId: string): string[] {
  return [...(revoked.get(tx)?.get(accountId) ?? [])];
}
