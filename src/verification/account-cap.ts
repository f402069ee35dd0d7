import { type Budget, releaseAll, retrySeconds, type Taken, takeAll } from '../abuse/limiter.ts';
import { networkBudget } from '../abuse/network-limits.ts';
import { alertOwner } from '../abuse/owner-alerts.ts';
import type { Deps } from '../deps.ts';
import { HOUR } from '../kernel/clock.ts';
import { sha256 } from '../kernel/crypto.ts';
import { AppError, fail } from '../kernel/errors.ts';

/**
 * Budgets of wrong codes (docs/flows/verification.md, "Budgets of wrong codes"). Every guess takes one unit
 * of each budget that applies *before* the code is checked (one atomic take each), so of 200 concurrent
 * guesses only as many are checked as the budgets allow; a guess that turns out right, or that checked
 * nothing (expired, not found), gives its units back. Besides each code's own 5 tries:
 *
 * - `account`: the account's wrong codes of every kind per hour (`CODE_WRONG_PER_ACCOUNT_PER_HOUR`, 10),
 *   so switching between email, SMS, authenticator and recovery code buys no more guesses. Only guesses
 *   by someone who has already proven something spend it: after the right password (sign-in second
 *   factor), within a session (step-up, adding a method), after the first proof of a reset. A stranger who
 *   only knows the address cannot spend it, so cannot block the owner.
 * - `ip`: for guesses that need no password (password reset: codes, recovery code), the source network's
 *   wrong codes per hour (`WRONG_CODES_PER_NETWORK_PER_HOUR`, 30). Each code's own 5 tries and the send
 *   budgets bound what every network together can try against codes actually sent to the owner.
 * - `watch`: the target of a guess that needs no password (a reset flow's account address, whether or not
 *   it has an account, so real and unknown addresses take the same steps). Never refuses anything: when
 *   its wrong codes reach the account budget's number within an hour, the owner is told (once a day).
 */
export interface GuessBudgets {
  account?: string | null;
  ip?: string;
  watch?: { key: string; accountId: string | null };
}

/** A wrong secret of any kind: `code.wrong` (email or SMS code), `code.invalid` (authenticator, recovery
 * code), or the wrong guess that used up a code (`guess: 1`). */
function isWrongGuess(e: unknown): boolean {
  return (
    e instanceof AppError && (e.code === 'code.wrong' || e.code === 'code.invalid' || e.params.guess === 1)
  );
}

/**
 * Runs `fn` (which checks one code, outside any transaction) within the budgets; refuses up front with
 * `code.too_many_attempts` (429, `seconds`) when one is used up, and then checks nothing.
 */
export async function withGuessBudgets<T>(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'db' | 'limiter' | 'log' | 'random'>,
  budgets: GuessBudgets,
  fn: () => Promise<T>,
): Promise<T> {
  const now = deps.clock.now();
  const limit = deps.config.codes.wrongPerAccountPerHour;
  const list: Budget[] = [];
  if (budgets.account) list.push({ key: `wrong-codes:${budgets.account}`, limit, windowMs: HOUR });
  if (budgets.ip) list.push(networkBudget(deps, 'wrong_codes', budgets.ip));
  const taken = await takeAll(deps.limiter, list, now);
  if (!taken.allowed) fail('code.too_many_attempts', { seconds: retrySeconds(taken.retryAfterMs) });
  let wrong = false;
  try {
    return await fn();
  } catch (e) {
    wrong = isWrongGuess(e);
    throw e;
  } finally {
    if (!wrong) await releaseAll(deps.limiter, taken.taken);
    else await afterWrongGuess(deps, budgets, taken.taken, limit);
  }
}

/** The wrong guess keeps its units; the owner is told when someone is burning through a budget. */
async function afterWrongGuess(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'db' | 'limiter' | 'log' | 'random'>,
  budgets: GuessBudgets,
  taken: { key: string; taken: Taken }[],
  limit: number,
): Promise<void> {
  const account = taken.find((t) => t.key === `wrong-codes:${budgets.account}`);
  // Not awaited: the answer must not wait for (or be timed by) the alert.
  if (budgets.account && account && account.taken.count >= limit)
    void alertOwner(deps, budgets.account, 'code_guesses', {
      count: account.taken.count,
      until: new Date(account.taken.windowEndsAt),
    });
  if (budgets.watch) {
    const w = await deps.limiter.take(
      `wrong-codes:watch:${sha256(budgets.watch.key)}`,
      limit,
      HOUR,
      deps.clock.now(),
    );
    if (w.allowed && w.count === limit && budgets.watch.accountId)
      void alertOwner(deps, budgets.watch.accountId, 'reset_guesses', { count: w.count });
  }
}

/** `withGuessBudgets` with the account budget only (guesses within a session or after the password). */
export async function withWrongCodeBudget<T>(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'db' | 'limiter' | 'log' | 'random'>,
  accountId: string | null,
  fn: () => Promise<T>,
): Promise<T> {
  return withGuessBudgets(deps, { account: accountId }, fn);
}
