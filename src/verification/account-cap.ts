import type { Deps } from '../deps.ts';
import { HOUR, SECOND } from '../kernel/clock.ts';
import { AppError, fail } from '../kernel/errors.ts';

/**
 * One account-wide budget of wrong codes, across every method, so that switching between email, SMS,
 * authenticator and recovery code does not buy more guesses. Runs `fn` (outside any transaction) and
 * counts it if it failed with a wrong code; refuses up front when the budget is spent.
 */
export async function withWrongCodeBudget<T>(
  deps: Deps,
  accountId: string | null,
  fn: () => Promise<T>,
): Promise<T> {
  if (!accountId) return fn();
  const key = `wrong-codes:${accountId}`;
  const limit = deps.config.codes.wrongPerAccountPerHour;
  const state = await deps.limiter.peek(key, limit, deps.clock.now());
  if (!state.allowed)
    fail('code.too_many_attempts', { seconds: Math.ceil(Math.max(state.retryAfterMs, SECOND) / SECOND) });
  try {
    return await fn();
  } catch (e) {
    // A wrong secret of any kind: `code.wrong` (email or SMS code), `code.invalid` (authenticator, recovery
    // code), or the wrong guess that used up a code (`guess: 1`).
    if (
      e instanceof AppError &&
      (e.code === 'code.wrong' || e.code === 'code.invalid' || e.params.guess === 1)
    ) {
      await deps.limiter.hit(key, limit, HOUR, deps.clock.now());
    }
    throw e;
  }
}
