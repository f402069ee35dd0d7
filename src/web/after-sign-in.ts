import { pathAfterSignIn as periodicPath } from '../checkup/periodic.ts';
import type { Deps } from '../deps.ts';
import { organisationInterrupt } from '../organisations/enforcement.ts';

/**
 * Where a web sign-in goes once the session exists: the organisation's interrupt first (a temporary
 * password, re-registration, required methods), then the periodic "still yours?" check, then `next`.
 * `next` must already be a safe local path; an interrupt page comes back to it.
 */
export async function pathAfterSignIn(
  deps: Pick<Deps, 'db' | 'clock'>,
  accountId: string,
  next: string,
): Promise<string> {
  const interrupt = await organisationInterrupt(deps, accountId);
  if (interrupt) return `${interrupt}?next=${encodeURIComponent(next)}`;
  return periodicPath(deps, accountId, next);
}
