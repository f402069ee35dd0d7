import type { Deps } from '../../deps.ts';
import { deleteExpiredPayloads } from '../store/oidc-payloads.ts';

/**
 * The provider's part of the hourly clean-up (storage/housekeeping.ts task `oidc_payloads`): deletes rows past
 * `expires_at` (already ignored by the adapter) in batches of 5000, at most 50 batches a round. Returns how
 * many rows were deleted.
 */
export async function deleteExpiredProviderRows(deps: Pick<Deps, 'db' | 'clock'>): Promise<number> {
  const now = deps.clock.now();
  let total = 0;
  for (let i = 0; i < 50; i++) {
    const n = await deleteExpiredPayloads(deps.db, now, 5000);
    total += n;
    if (n < 5000) break;
  }
  return total;
}
