import type { Sql } from '../storage/db.ts';
import { type Limiter, toResult } from './limiter.ts';

export function sqlLimiter(db: Sql): Limiter {
  return {
    async hit(key, limit, windowMs, now) {
      const rows = await db.query<{ count: number; expires_at: Date }>(
        `INSERT INTO limits (key, count, expires_at) VALUES ($1, 1, $3)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN limits.expires_at <= $2 THEN 1 ELSE limits.count + 1 END,
           expires_at = CASE WHEN limits.expires_at <= $2 THEN $3 ELSE limits.expires_at END
         RETURNING count, expires_at`,
        [key, now, new Date(now.getTime() + windowMs)],
      );
      const row = rows[0]!;
      return toResult(row.count, row.expires_at.getTime(), limit, now);
    },
    async peek(key, limit, now) {
      const rows = await db.query<{ count: number; expires_at: Date }>(
        'SELECT count, expires_at FROM limits WHERE key = $1 AND expires_at > $2',
        [key, now],
      );
      const row = rows[0];
      if (!row) return { allowed: true, count: 0, retryAfterMs: 0 };
      const res = toResult(row.count, row.expires_at.getTime(), limit, now);
      return {
        ...res,
        allowed: row.count < limit,
        retryAfterMs: row.count < limit ? 0 : res.retryAfterMs || row.expires_at.getTime() - now.getTime(),
      };
    },
    async release(key) {
      await db.query('UPDATE limits SET count = GREATEST(count - 1, 0) WHERE key = $1', [key]);
    },
    async reset(key) {
      await db.query('DELETE FROM limits WHERE key = $1', [key]);
    },
  };
}
