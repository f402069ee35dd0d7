import type { Deps } from '../deps.ts';
import type { RequestContext } from '../kernel/context.ts';
import { fail } from '../kernel/errors.ts';
import type { SessionView } from '../sessions/session-cache.ts';
import { endOtherSessions } from '../sessions/sessions.ts';
import { guardSecurityChange, precheckSecurityChange } from '../sessions/step-up-guard.ts';
import { endPendingSignIns } from '../sessions/store.ts';
import { hashPassword, verifyPassword } from './password-hasher.ts';
import { checkPassword, isSamePhrase } from './password-policy.ts';
import { findAccountById, setPassword } from './store.ts';

/**
 * Checks a new password against the policy, the personal phrase (printed in every email, so never the
 * password: compared NFKC-normalised and trimmed, see accounts/personal-phrase.ts) and the current
 * password; returns its hash.
 */
export async function prepareNewPassword(
  password: unknown,
  account: { email: string; displayName: string; passwordHash: string; personalPhrase: string },
): Promise<string> {
  if (typeof password !== 'string') fail('password.too_short', { min: 8 });
  const policy = checkPassword(password, { email: account.email, displayName: account.displayName });
  if (!policy.ok) fail(policy.code, policy.params);
  if (isSamePhrase(password, account.personalPhrase)) fail('password.same_as_phrase');
  if (await verifyPassword(account.passwordHash, password)) fail('password.same_as_current');
  return hashPassword(password);
}

/**
 * Changes the password of a signed-in user. Needs a fresh proof. Other sessions are ended unless the user
 * chose to keep them; every contact is told.
 */
export async function changePassword(
  deps: Pick<Deps, 'db' | 'emit' | 'clock' | 'config'>,
  session: SessionView,
  input: { password: unknown; endOtherSessions?: unknown },
  ctx: RequestContext,
): Promise<{ endedSessions: number }> {
  await precheckSecurityChange(deps, session, 'password.change');
  const current = await findAccountById(deps.db, session.accountId);
  if (!current) fail('auth.required');
  const hash = await prepareNewPassword(input.password, current);
  const endOthers = input.endOtherSessions !== false && input.endOtherSessions !== 'false';
  const ended = await deps.db.tx(async (tx) => {
    const account = await guardSecurityChange(deps, tx, session, 'password.change');
    // The hash was checked against the password of that moment: refuse if it changed meanwhile.
    if (account.passwordHash !== current.passwordHash)
      fail('auth.reauth_required', { minutes: deps.config.stepUpMinutes });
    const now = deps.clock.now();
    await setPassword(deps, tx, account.id, hash, now, session.id);
    const ended = endOthers ? await endOtherSessions(deps, tx, account.id, session.id) : 0;
    await endPendingSignIns(tx, account.id);
    await deps.emit(tx, {
      type: 'password.changed',
      accountId: account.id,
      account,
      ctx,
      at: now,
      detail: { endedSessions: String(ended) },
    });
    return ended;
  });
  return { endedSessions: ended };
}
