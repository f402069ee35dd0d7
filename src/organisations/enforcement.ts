import type { Deps } from '../deps.ts';

/**
 * Where a member's sign-in is interrupted by their organisation, or null: a temporary password to change,
 * methods to set up again (an admin required re-registration), or the policy's registration enforcement
 * (docs/flows/organisations.md). The periodic re-confirmation comes after (checkup/periodic.ts).
 */
export async function organisationInterrupt(
  _deps: Pick<Deps, 'db' | 'clock'>,
  _accountId: string,
): Promise<string | null> {
  return null;
}
