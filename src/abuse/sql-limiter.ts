import type { Sql } from '../kernel/sql.ts';
import type { Limiter } from './limiter.ts';
import { deleteLimit, findLimitWindow, giveBackLimitUnit, takeLimitUnit } from './store.ts';

/**
 * The limiter on the SQL store (`limits` table). A take is one statement: the upsert only changes the row
 * when the window has ended or there is room, and the row lock it takes makes concurrent takes queue.
 */
export function sqlLimiter(db: Sql): Limiter {
  return {
    async take(key, limit, windowMs, now) {
      const row = await takeLimitUnit(db, key, now, new Date(now.getTime() + windowMs), limit);
      if (row)
        return { allowed: true, count: row.count, retryAfterMs: 0, windowEndsAt: row.expires_at.getTime() };
      // Refused: read the window for Retry-After (information only; the decision was made above).
      const current = await findLimitWindow(db, key);
      const windowEndsAt = current?.expires_at.getTime() ?? now.getTime() + windowMs;
      return {
        allowed: false,
        count: current?.count ?? limit,
        retryAfterMs: Math.max(0, windowEndsAt - now.getTime()),
        windowEndsAt,
      };
    },
    async release(key, taken) {
      if (taken && !taken.allowed) return;
      await giveBackLimitUnit(db, key, taken ? new Date(taken.windowEndsAt) : undefined);
    },
    async reset(key) {
      await deleteLimit(db, key);
    },
  };
}
