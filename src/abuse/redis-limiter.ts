import type { Redis } from 'ioredis';
import type { Limiter } from './limiter.ts';

// KEYS[1] = key; ARGV = now (ms), window (ms), limit. Returns { granted (0/1), count, windowEndsAt }.
// One script: Redis runs it atomically, so concurrent takes cannot both see room for the last unit.
const TAKE = `
local c = tonumber(redis.call('HGET', KEYS[1], 'c') or '0')
local e = tonumber(redis.call('HGET', KEYS[1], 'e') or '0')
local now = tonumber(ARGV[1])
if e <= now then c = 0; e = now + tonumber(ARGV[2]) end
if c >= tonumber(ARGV[3]) then return { 0, c, e } end
c = c + 1
redis.call('HSET', KEYS[1], 'c', c, 'e', e)
redis.call('PEXPIRE', KEYS[1], math.max(1, e - now) + 60000)
return { 1, c, e }
`;

// KEYS[1] = key; ARGV[1] = the window end of the take being given back (0: whatever window is stored).
const RELEASE = `
local e = tonumber(redis.call('HGET', KEYS[1], 'e') or '0')
local c = tonumber(redis.call('HGET', KEYS[1], 'c') or '0')
local want = tonumber(ARGV[1])
if (want == 0 or e == want) and c > 0 then redis.call('HINCRBY', KEYS[1], 'c', -1) end
return 0
`;

/** The limiter on Redis (shared by every instance). Keys are `prefix` + key. */
export function redisLimiter(redis: Redis, prefix = 'mamori:limit:'): Limiter {
  return {
    async take(key, limit, windowMs, now) {
      const [granted, count, windowEndsAt] = (await redis.eval(
        TAKE,
        1,
        prefix + key,
        now.getTime(),
        windowMs,
        limit,
      )) as [number, number, number];
      const allowed = granted === 1;
      return {
        allowed,
        count,
        windowEndsAt,
        retryAfterMs: allowed ? 0 : Math.max(0, windowEndsAt - now.getTime()),
      };
    },
    async release(key, taken) {
      if (taken && !taken.allowed) return;
      await redis.eval(RELEASE, 1, prefix + key, taken?.windowEndsAt ?? 0);
    },
    async reset(key) {
      await redis.del(prefix + key);
    },
  };
}
