/**
 * Fixed-window counters for throttling. Implemented on the SQL store (embedded default) and on Redis.
 * `now` comes from the injected clock so tests can move time.
 */
export interface LimitResult {
  allowed: boolean;
  count: number;
  retryAfterMs: number;
}

export interface Limiter {
  /** Counts one hit on `key` and says whether it is within `limit` hits per `windowMs`. */
  hit(key: string, limit: number, windowMs: number, now: Date): Promise<LimitResult>;
  /** Says whether `key` is already at or over `limit`, without counting. */
  peek(key: string, limit: number, now: Date): Promise<LimitResult>;
  reset(key: string): Promise<void>;
  /** Gives one hit back (an attempt that turned out fine). */
  release(key: string): Promise<void>;
}

export function toResult(count: number, expiresAt: number, limit: number, now: Date): LimitResult {
  const allowed = count <= limit;
  return { allowed, count, retryAfterMs: allowed ? 0 : Math.max(0, expiresAt - now.getTime()) };
}
