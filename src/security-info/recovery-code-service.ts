import { findAccountById, recoveryCodeState, setRecoveryCodeHash } from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import type { RequestContext } from '../kernel/context.ts';
import { sha256 } from '../kernel/crypto.ts';
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
 * still worked (`replaced`), stops working at once. Needs a fresh proof; every contact is told. `replaces`:
 * the version of the code the page's button was drawn for ({@link recoveryCodeVersion}); when given and no
 * longer current, nothing is made (`recovery_code.stale`, 409). The API does not send it.
 */
export async function createRecoveryCode(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emit' | 'random'>,
  session: SessionView,
  ctx: RequestContext,
  replaces?: unknown,
): Promise<{ recoveryCode: string; replaced: boolean }> {
  // During a replacement a fresh recovery code would let a password-only attacker skip the wait.
  await precheckSecurityChange(deps, session, 'recovery_code.create');
  const out = await deps.db.tx(async (tx) => {
    await guardSecurityChange(deps, tx, session, 'recovery_code.create');
    const state = await recoveryCodeState(tx, session.accountId, true);
    // The page's button names the code it replaces: a form sent again (a reload of the page that showed the
    // new code) or from a page older than the current code replaces nothing.
    if (replaces !== undefined && replaces !== recoveryCodeVersion(state?.hash ?? null))
      fail('recovery_code.stale');
    const replaced = Boolean(state?.hash);
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

/**
 * Names the account's current recovery code without revealing anything about it: 16 hex characters of the
 * SHA-256 of its stored hash, or `none`. The security page's button carries it (`replaces`).
 */
export function recoveryCodeVersion(hash: string | null): string {
  return hash ? sha256(`recovery-code-version:${hash}`).slice(0, 16) : 'none';
}

/** The version of the account's current recovery code ({@link recoveryCodeVersion}). */
export async function currentRecoveryCodeVersion(sql: Sql, accountId: string): Promise<string> {
  return recoveryCodeVersion((await recoveryCodeState(sql, accountId))?.hash ?? null);
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
