import type { Deps } from '../deps.ts';
import type { RequestContext } from '../kernel/context.ts';
import { fail } from '../kernel/errors.ts';
import { listMethods } from '../security-info/store.ts';
import type { SessionView } from '../sessions/session-cache.ts';
import { guardSecurityChange, precheckSecurityChange } from '../sessions/step-up-guard.ts';
import { setTwoStepEnabled } from './store.ts';

/** Verified methods besides the password that can give a second proof. */
export async function secondFactorCount(deps: Pick<Deps, 'db'>, accountId: string): Promise<number> {
  return (await listMethods(deps.db, accountId)).filter((m) => m.verifiedAt).length;
}

/**
 * Turns two-step verification on (needs at least two verified methods, so losing one does not lock the
 * owner out) or off. Needs a fresh proof; every contact is told.
 */
export async function setTwoStep(
  deps: Pick<Deps, 'db' | 'emit' | 'clock' | 'config'>,
  session: SessionView,
  on: boolean,
  ctx: RequestContext,
): Promise<void> {
  await precheckSecurityChange(deps, session, 'two_step.set');
  await deps.db.tx(async (tx) => {
    const account = await guardSecurityChange(deps, tx, session, 'two_step.set');
    if (on && (await listMethods(tx, account.id)).filter((m) => m.verifiedAt).length < 2)
      fail('two_step.needs_two_methods');
    const now = deps.clock.now();
    if (!(await setTwoStepEnabled(deps, tx, account.id, on, now, session.id))) return;
    // A password proof is not a second factor: once two-step is on, sensitive changes need one, even in the
    // session that turned it on (docs/flows/two-step.md).
    await deps.emit(tx, {
      type: on ? 'two_step.on' : 'two_step.off',
      accountId: account.id,
      account,
      ctx,
      at: now,
    });
  });
}
