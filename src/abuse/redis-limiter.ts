import type { Redis } from 'ioredis';
import { type Limiter, toResult } from './limiter.ts';

// KEYS[1] = key; ARGV = now (ms), window (ms). Returns { count, expiresAt }.
const HIT = `
local c = tonumber(redis.call('HGET', KEYS[1], 'c') or '0')
local e = tonumber(redis.call('HGET', KEYS[1], 'e') or '0')
local now = tonumber(ARGV[1])
if e <= now then c = 0; e = now + tonumber(ARGV[2]) end
c = c + 1
redis.call('HSET', KEYS[1], 'c', c, 'e', e)
redis.call('PEXPIRE', KEYS[1], math.max(1, e - now) + 60000)
return { c, e }
`;

export function redisLimiter(redis: Redis, prefix = 'mamori:limit:'): Limiter {
  return {
    async hit(key, limit, windowMs, now) {
      const [count, expiresAt] = (await redis.eval(HIT, 1, prefix + key, now.getTime(), windowMs)) as [
        number,
        number,
      ];
      return toResult(count, expiresAt, limit, now);
    },
    async peek(key, limit, now) {
      const [c, e] = await redis.hmget(prefix + key, 'c', 'e');
      const count = Number(c ?? 0);
      const expiresAt = Number(e ?? 0);
      if (expiresAt <= now.getTime() || count < limit)
        return { allowed: true, count: expiresAt <= now.getTime() ? 0 : count, retryAfterMs: 0 };
      return { allowed: false, count, retryAfterMs: expiresAt - now.getTime() };
    },
    async release(key) {
      const [c] = await redis.hmget(prefix + key, 'c');
      if (Number(c ?? 0) > 0) await redis.hincrby(prefix + key, 'c', -1);
    },
    async reset(key) {
      await redis.del(prefix + key);
    },
  };
}
