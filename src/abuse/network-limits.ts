import type { Deps } from '../deps.ts';
import { HOUR, MINUTE } from '../kernel/clock.ts';
import { fail } from '../kernel/errors.ts';
import { type Budget, retrySeconds, type TakenAll, takeAll } from './limiter.ts';
import { sourceNetwork } from './network.ts';

/**
 * Budgets per source network (an IPv4 address, or an IPv6 /64: see `sourceNetwork`), for requests anyone can
 * make without an account. Numbers (per network):
 *
 * - `signup`: sign-ups, `SIGNUPS_PER_NETWORK_PER_HOUR` (20) per hour;
 * - `sends`: unauthenticated requests that may make Mamori send a message (sign-up and its resend, password
 *   reset choose and resend, recovery form start and resend, sign-in to an unconfirmed account),
 *   `SENDS_PER_NETWORK_PER_HOUR` (60) per hour, counted whether or not a message is actually sent so the
 *   answer never depends on it;
 * - `reset_start`: password reset flows, 30 per 15 minutes;
 * - `recovery_form`: recovery form starts, 20 per hour;
 * - `reference_check`: public "is this message from Mamori?" checks, 30 per 15 minutes;
 * - `wrong_codes`: wrong codes in flows that need no password (password reset),
 *   `WRONG_CODES_PER_NETWORK_PER_HOUR` (30) per hour (see verification/account-cap.ts).
 */
export type NetworkBudgetName =
  | 'signup'
  | 'sends'
  | 'reset_start'
  | 'recovery_form'
  | 'reference_check'
  | 'wrong_codes';

export function networkBudget(deps: Pick<Deps, 'config'>, name: NetworkBudgetName, ip: string): Budget {
  const net = sourceNetwork(ip);
  const n = deps.config.network;
  switch (name) {
    case 'signup':
      return { key: `net:signup:${net}`, limit: n.signupsPerHour, windowMs: HOUR };
    case 'sends':
      return { key: `net:sends:${net}`, limit: n.sendsPerHour, windowMs: HOUR };
    case 'reset_start':
      return { key: `net:reset:${net}`, limit: 30, windowMs: 15 * MINUTE };
    case 'recovery_form':
      return { key: `net:recovery_form:${net}`, limit: 20, windowMs: HOUR };
    case 'reference_check':
      return { key: `net:check:${net}`, limit: 30, windowMs: 15 * MINUTE };
    case 'wrong_codes':
      return { key: `wrong-codes:net:${net}`, limit: n.wrongCodesPerHour, windowMs: HOUR };
  }
}

/**
 * Takes one unit of each named budget for the request's network, before the work they guard; refuses with
 * `request.rate_limited` (429, `seconds`) and spends nothing when any of them is used up.
 */
export async function throttleNetwork(
  deps: Pick<Deps, 'clock' | 'config' | 'limiter'>,
  ip: string,
  names: NetworkBudgetName[],
): Promise<TakenAll> {
  const taken = await takeAll(
    deps.limiter,
    names.map((n) => networkBudget(deps, n, ip)),
    deps.clock.now(),
  );
  if (!taken.allowed) fail('request.rate_limited', { seconds: retrySeconds(taken.retryAfterMs) });
  return taken;
}
