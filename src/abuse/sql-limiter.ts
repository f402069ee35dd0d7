import type { Sql } from '../storage/db.ts';
import type { Limiter } from './limiter.ts';

/**
 * The limiter on the SQL store (`limits` table). A take is one statement: the upsert only changes the row
 * when the window has ended or there is room, and the row lock it takes makes concurrent takes queue.
 */
export function sqlLimiter(db: Sql): Limiter {
  return {
    async take(key, limit, windowMs, now) {
      const rows = await db.query<{ count: number; expires_at: Date }>(
        `INSERT INTO limits (key, count, expires_at) VALUES ($1, 1, $3)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN limits.expires_at <= $2 THEN 1 ELSE limits.count + 1 END,
           expires_at = CASE WHEN limits.expires_at <= $2 THEN $3 ELSE limits.expires_at END
         WHERE limits.expires_at <= $2 OR limits.count < $4
         RETURNING count, expires_at`,
        [key, now, new Date(now.getTime() + windowMs), limit],
      );
      const row = rows[0];
      if (row)
        return { allowed: true, count: row.count, retryAfterMs: 0, windowEndsAt: row.expires_at.getTime() };
      // Refused: read the window for Retry-After (information only; the decision was made above).
      const current = (
        await db.query<{ count: number; expires_at: Date }>(
          'SELECT count, expires_at FROM limits WHERE key = $1',
          [key],
        )
      )[0];
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
      if (!taken) {
        await db.query('UPDATE limits SET count = count - 1 WHERE key = $1 AND count > 0', [key]);
        return;
      }
      await db.query('UPDATE limits SET count = count - 1 WHERE key = $1 AND expires_at = $2 AND count > 0', [
        key,
        new Date(taken.windowEndsAt),
      ]);
    },
    async reset(key) {
      await db.query('DELETE FROM limits WHERE key = $1', [key]);
    },
  };
}
