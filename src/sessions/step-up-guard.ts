import { type Account, findAccountById } from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import { fail } from '../kernel/errors.ts';
import type { Sql } from '../kernel/sql.ts';
import type { SessionView } from './session-cache.ts';
import { isReauthCurrentProof, isReauthFresh } from './sessions.ts';
import { findStepUp } from './store.ts';

/**
 * Every operation that changes the password or the security info, and the proof it needs:
 * - 'fresh': a step-up from the last STEP_UP_MINUTES made against the account's current security stamp
 *   (with two-step verification on, a second-factor one);
 * - 'current': the step-up may be older, but must have been made against the current stamp, and with
 *   two-step verification on must have included a second factor made against it (the second step of an
 *   action started with a fresh one: sending again or entering the code sent to a new contact, the first
 *   code of a new authenticator app; relabelling; the personal phrase). A password-only session never
 *   passes either kind while two-step is on.
 * Every one of them is refused while a replacement of the security info is pending ('account.restricted').
 * test/attack/restrictions.test.ts sends every route that changes security info and expects each to be
 * refused while restricted; a new operation is added here and its route there.
 */
export const SENSITIVE_OPERATIONS = {
  'password.change': 'fresh',
  'account.secure': 'fresh',
  'method.add': 'fresh',
  'method.resend': 'current',
  'method.verify': 'current',
  'method.remove': 'fresh',
  'totp.start': 'fresh',
  'totp.confirm': 'current',
  'passkey.start': 'fresh',
  'passkey.finish': 'fresh',
  'recovery_code.create': 'fresh',
  'two_step.set': 'fresh',
  // Not security info, but what the owner recognises Mamori's emails and their methods by: the personal
  // phrase is in every email (anti-phishing), labels name the methods in notices.
  'method.relabel': 'current',
  'phrase.change': 'current',
} as const satisfies Record<string, 'fresh' | 'current'>;

export type SensitiveOperation = keyof typeof SENSITIVE_OPERATIONS;

/**
 * Quick check before expensive work (hashing a new password), from the session as read by this request:
 * the proof `op` needs, and no replacement pending. Not a substitute for guardSecurityChange.
 */
export async function precheckSecurityChange(
  deps: Pick<Deps, 'db' | 'emit' | 'clock' | 'config'>,
  session: SessionView,
  op: SensitiveOperation,
): Promise<void> {
  await deps.emit(deps.db, {
    type: 'security_change.requested',
    accountId: session.accountId,
    operation: op,
  });
  const ok =
    SENSITIVE_OPERATIONS[op] === 'fresh' ? isReauthFresh(deps, session) : isReauthCurrentProof(session);
  if (!ok) fail('auth.reauth_required', { minutes: deps.config.stepUpMinutes });
}

/**
 * The one guard of every change of password or security info, called inside the change's transaction
 * before it writes: locks the account row (so no other change, reset or replacement can interleave until
 * commit), refuses while a replacement is pending ('account.restricted', 423), and re-reads this session's
 * step-up from the database and checks it against the proof `op` needs and the account's current security
 * stamp ('auth.reauth_required'). Returns the locked account.
 */
export async function guardSecurityChange(
  deps: Pick<Deps, 'emit' | 'clock' | 'config'>,
  tx: Sql,
  session: Pick<SessionView, 'id' | 'accountId'>,
  op: SensitiveOperation,
): Promise<Account> {
  return lockWithStepUp(deps, tx, session, SENSITIVE_OPERATIONS[op], op);
}

/**
 * Locks the account row and checks, from the database, that this session holds the step-up `proof`
 * against the account's current stamp ('auth.reauth_required'); with `operation`, first raises
 * `security_change.requested`, which a pending replacement refuses ('account.restricted'). Returns the locked account.
 */
export async function lockWithStepUp(
  deps: Pick<Deps, 'emit' | 'clock' | 'config'>,
  tx: Sql,
  session: Pick<SessionView, 'id' | 'accountId'>,
  proof: 'fresh' | 'current',
  operation?: SensitiveOperation,
): Promise<Account> {
  const account = await findAccountById(tx, session.accountId, true);
  if (!account) fail('auth.required');
  const s = await findStepUp(tx, session.id, account.id);
  if (!s) fail('auth.required');
  // Whoever must refuse this change now says so (a pending replacement: 'account.restricted').
  if (operation) await deps.emit(tx, { type: 'security_change.requested', accountId: account.id, operation });
  const view = {
    reauthAt: s.reauthAt,
    secondFactorAt: s.secondFactorAt,
    twoStep: account.twoStepEnabled,
    stamp: account.securityStamp,
    reauthStamp: s.reauthStamp,
  };
  const ok = proof === 'fresh' ? isReauthFresh(deps, view) : isReauthCurrentProof(view);
  if (!ok) fail('auth.reauth_required', { minutes: deps.config.stepUpMinutes });
  return account;
}
