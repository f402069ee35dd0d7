import { findAccountById, setRecoveryCodeHash } from '../accounts/account-store.ts';
import { recordActivity } from '../activity/activity.ts';
import type { Deps } from '../deps.ts';
import type { RequestContext } from '../kernel/context.ts';
import { fail } from '../kernel/errors.ts';
import { announce } from '../notifications/notify.ts';
import { guardSecurityChange, precheckSecurityChange } from '../replacement/restrictions.ts';
import type { SessionView } from '../sessions/session-cache.ts';
import type { Sql } from '../storage/db.ts';
import {
  generateRecoveryCode,
  hashRecoveryCode,
  recoveryCodeMatches,
} from './recovery-code/recovery-code.ts';

/** The recovery-code HMAC key: derived from the secret for this one purpose. */
const key = (deps: Deps) => `${deps.config.secret}:recovery-code`;

/**
 * Makes a new recovery code and returns it — the only time it is shown. The old one stops working at once.
 * Needs a fresh proof; every contact is told.
 */
export async function createRecoveryCode(
  deps: Deps,
  session: SessionView,
  ctx: RequestContext,
): Promise<string> {
  // During a replacement a fresh recovery code would let a password-only attacker skip the wait.
  await precheckSecurityChange(deps, session, 'recovery_code.create');
  const code = await deps.db.tx(async (tx) => {
    await guardSecurityChange(deps, tx, session, 'recovery_code.create');
    return replaceRecoveryCode(deps, tx, session.accountId, ctx, 'created', session.id);
  });
  deps.dispatcher.kick();
  return code;
}

/** Stores a new code's hash in place of the old one, records and announces it. */
export async function replaceRecoveryCode(
  deps: Deps,
  tx: Sql,
  accountId: string,
  ctx: RequestContext,
  why: 'created' | 'used',
  bySession?: string | null,
): Promise<string> {
  const account = await findAccountById(tx, accountId, true);
  if (!account) fail('auth.required');
  const code = generateRecoveryCode(deps.random);
  const now = deps.clock.now();
  await setRecoveryCodeHash(deps, tx, accountId, hashRecoveryCode(key(deps), code), now, bySession);
  await recordActivity(
    tx,
    deps.random,
    now,
    accountId,
    why === 'created' ? 'recovery_code.created' : 'recovery_code.used',
    ctx,
  );
  await announce(deps, tx, account, why === 'created' ? 'recovery_code_created' : 'recovery_code_used', ctx);
  return code;
}

/** Whether `input` is the account's current recovery code (constant time). */
export async function recoveryCodeIsValid(
  deps: Deps,
  tx: Sql,
  accountId: string,
  input: unknown,
): Promise<boolean> {
  const row = (
    await tx.query<{ recovery_code_hash: string | null }>(
      'SELECT recovery_code_hash FROM accounts WHERE id = $1 FOR UPDATE',
      [accountId],
    )
  )[0];
  return Boolean(row?.recovery_code_hash && recoveryCodeMatches(key(deps), input, row.recovery_code_hash));
}
