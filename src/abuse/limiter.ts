/**
 * Fixed-window budgets for throttling, implemented on the SQL store (embedded default) and on Redis.
 * `now` comes from the injected clock so tests can move time.
 *
 * A budget is *taken* before the work it guards, in one atomic step (one SQL statement, one Redis script):
 * of any number of concurrent takes on a key with `limit` L, at most L are granted per window, and a
 * refused take is not counted. Work that turns out not to need the unit (a right password, a request that
 * checked nothing) gives it back with `release`.
 */
export interface Taken {
  /** One unit was taken: the guarded work may go ahead. */
  allowed: boolean;
  /** Units taken in the current window (this one included when granted). */
  count: number;
  /** When refused: milliseconds until the window ends (0 when granted). */
  retryAfterMs: number;
  /** When the current window ends (ms since the epoch); a release only applies to this window. */
  windowEndsAt: number;
}

export interface Limiter {
  /**
   * Takes one unit of `key` if fewer than `limit` were taken in the current window of `windowMs`
   * (a window starts at the first take after the previous one ended). Atomic under concurrency.
   */
  take(key: string, limit: number, windowMs: number, now: Date): Promise<Taken>;
  /**
   * Gives back one unit granted by `take` (nothing if that window has ended or the take was refused).
   * Without `taken` (a unit taken by an earlier request), one unit of whatever window is stored, if any.
   */
  release(key: string, taken?: Taken): Promise<void>;
  /** Forgets the key: its next take starts a new window. */
  reset(key: string): Promise<void>;
}

export interface Budget {
  key: string;
  limit: number;
  windowMs: number;
}

export interface TakenAll {
  allowed: boolean;
  /** When refused: milliseconds until the refusing window ends. */
  retryAfterMs: number;
  /** Which budget refused (its key), when refused. */
  refusedBy: string | null;
  /** The units granted (all of them when allowed; none are kept when refused). */
  taken: { key: string; taken: Taken }[];
}

/**
 * Takes one unit of every budget, in order; when one refuses, the units already taken are given back, so a
 * refused request spends nothing. Never grants more than any single budget allows.
 */
export async function takeAll(limiter: Limiter, budgets: Budget[], now: Date): Promise<TakenAll> {
  const taken: TakenAll['taken'] = [];
  for (const b of budgets) {
    const r = await limiter.take(b.key, b.limit, b.windowMs, now);
    if (!r.allowed) {
      await releaseAll(limiter, taken);
      return { allowed: false, retryAfterMs: r.retryAfterMs, refusedBy: b.key, taken: [] };
    }
    taken.push({ key: b.key, taken: r });
  }
  return { allowed: true, retryAfterMs: 0, refusedBy: null, taken };
}

/** Gives back every unit of a `takeAll`. */
export async function releaseAll(limiter: Limiter, taken: TakenAll['taken']): Promise<void> {
  await Promise.all(taken.map((t) => limiter.release(t.key, t.taken)));
}

/** Whole seconds for a Retry-After header: at least 1. */
export function retrySeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
