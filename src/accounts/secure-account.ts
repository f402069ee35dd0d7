import { markUnusualNotMe } from '../activity/store.ts';
import type { Deps } from '../deps.ts';
import type { RequestContext } from '../kernel/context.ts';
import { fail } from '../kernel/errors.ts';
import type { SessionView } from '../sessions/session-cache.ts';
import { endOtherSessions } from '../sessions/sessions.ts';
import { guardSecurityChange, precheckSecurityChange } from '../sessions/step-up-guard.ts';
import { endPendingSignIns } from '../sessions/store.ts';
import { revokeTrustedDevices } from '../sessions/trusted-devices.ts';
import { prepareNewPassword } from './password-service.ts';
import { findAccountById, setPassword } from './store.ts';

/**
 * "Secure my account" (after "this wasn't me"): a new password, every other session and every pending
 * sign-in ended, every trusted device removed, the unusual events marked as not the owner — in one
 * transaction, so a sign-in racing with it cannot leave a live session (see sessions/sign-in.ts).
 *
 * While a replacement of the security info is pending it is refused ('account.restricted') like every
 * other change: its proof may be the password alone, which is exactly what whoever started a hostile
 * replacement has. The owner's way out is a step-up with the OLD security info (a code to a current
 * contact, an authenticator, a passkey): that proof cancels the replacement at once
 * (cancelReplacementOnOldMethodUse), and securing the account then works. See docs/flows/replacement.md.
 */
export async function secureAccount(
  deps: Pick<Deps, 'db' | 'emit' | 'clock' | 'config'>,
  session: SessionView,
  input: { password: unknown },
  ctx: RequestContext,
): Promise<{ endedSessions: number; revokedDevices: number }> {
  await precheckSecurityChange(deps, session, 'account.secure');
  const current = await findAccountById(deps.db, session.accountId);
  if (!current) fail('auth.required');
  const hash = await prepareNewPassword(input.password, current);
  const result = await deps.db.tx(async (tx) => {
    const account = await guardSecurityChange(deps, tx, session, 'account.secure');
    if (account.passwordHash !== current.passwordHash)
      fail('auth.reauth_required', { minutes: deps.config.stepUpMinutes });
    const now = deps.clock.now();
    await setPassword(deps, tx, account.id, hash, now, session.id);
    const endedSessions = await endOtherSessions(deps, tx, account.id, session.id);
    await endPendingSignIns(tx, account.id);
    const revokedDevices = await revokeTrustedDevices(tx, account.id, null);
    await markUnusualNotMe(tx, account.id);
    await deps.emit(tx, {
      type: 'account.secured',
      accountId: account.id,
      account,
      ctx,
      at: now,
      detail: { endedSessions: String(endedSessions), revokedDevices: String(revokedDevices) },
    });
    return { endedSessions, revokedDevices };
  });
  return result;
}
