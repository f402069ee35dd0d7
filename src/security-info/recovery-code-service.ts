import { findAccountById, recoveryCodeState, setRecoveryCodeHash } from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import type { RequestContext } from '../kernel/context.ts';
import { fail } from '../kernel/errors.ts';
import type { Sql } from '../kernel/sql.ts';
import type { SessionView } from '../sessions/session-cache.ts';
import { guardSecurityChange, precheckSecurityChange } from '../sessions/step-up-guard.ts';
import {
  generateRecoveryCode,
  hashRecoveryCode,
  normalizeRecoveryCode,
  recoveryCodeMatches,
} from './recovery-code/recovery-code.ts';

/** The recovery-code HMAC key: derived from the secret for this one purpose. */
const key = (deps: Pick<Deps, 'config'>) => `${deps.config.secret}:recovery-code`;

/**
 * Makes a new recovery code and returns it — the only time it is shown. The old one, if there was one that
 * still worked (`replaced`), stops working at once. Needs a fresh proof; every contact is told.
 */
export async function createRecoveryCode(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emit' | 'random'>,
  session: SessionView,
  ctx: RequestContext,
): Promise<{ recoveryCode: string; replaced: boolean }> {
  // During a replacement a fresh recovery code would let a password-only attacker skip the wait.
  await precheckSecurityChange(deps, session, 'recovery_code.create');
  const out = await deps.db.tx(async (tx) => {
    await guardSecurityChange(deps, tx, session, 'recovery_code.create');
    const replaced = await hasWorkingRecoveryCode(tx, session.accountId);
    const recoveryCode = await replaceRecoveryCode(deps, tx, session.accountId, ctx, 'created', {
      replaced,
      bySession: session.id,
    });
    return { recoveryCode, replaced };
  });
  return out;
}

/** The account's recovery code: when it was made (null: never), and whether it still works (not used). */
export async function recoveryCodeInfo(
  sql: Sql,
  accountId: string,
): Promise<{ createdAt: Date | null; working: boolean }> {
  const row = (await recoveryCodeState(sql, accountId)) ?? { hash: null, createdAt: null };
  return { createdAt: row.createdAt, working: Boolean(row.hash) };
}

/** Whether the account has a recovery code that still works (made and not used). */
async function hasWorkingRecoveryCode(tx: Sql, accountId: string): Promise<boolean> {
  return Boolean((await recoveryCodeState(tx, accountId, true))?.hash ?? null);
}

/**
 * Stores a new code's hash in place of the old one, records and announces it. `replaced`: a code that
 * worked until now stops working (the announcement says so only then); `bySession`: the session that made it.
 */
export async function replaceRecoveryCode(
  deps: Pick<Deps, 'clock' | 'config' | 'emit' | 'random'>,
  tx: Sql,
  accountId: string,
  ctx: RequestContext,
  why: 'created' | 'used',
  opts: { replaced?: boolean; bySession?: string | null } = {},
): Promise<string> {
  const account = await findAccountById(tx, accountId, true);
  if (!account) fail('auth.required');
  const { replaced = true, bySession } = opts;
  const code = generateRecoveryCode(deps.random);
  const now = deps.clock.now();
  await setRecoveryCodeHash(deps, tx, accountId, hashRecoveryCode(key(deps), code), now, bySession);
  await deps.emit(
    tx,
    why === 'created'
      ? { type: 'recovery_code.created', accountId, account, ctx, at: now, first: !replaced }
      : { type: 'recovery_code.used', accountId, account, ctx, at: now },
  );
  return code;
}

/** Whether `input` is the account's current recovery code (constant time). */
/**
 * Refuses, before anything is looked up or any try is spent, what cannot be a recovery code at all (not 25
 * letters and digits once spaces and dashes are dropped): `recovery_code.format`. Called first, so the
 * answer is the same whether or not an account is behind the flow.
 */
export function requireRecoveryCodeShape(input: unknown): void {
  if (normalizeRecoveryCode(input) === null) fail('recovery_code.format');
}

export async function recoveryCodeIsValid(
  deps: Pick<Deps, 'config'>,
  tx: Sql,
  accountId: string,
  input: unknown,
): Promise<boolean> {
  const hash = (await recoveryCodeState(tx, accountId, true))?.hash ?? null;
  return Boolean(hash && recoveryCodeMatches(key(deps), input, hash));
}
