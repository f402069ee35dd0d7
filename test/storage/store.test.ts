import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisLimiter } from '../../src/abuse/redis-limiter.ts';
import { sqlLimiter } from '../../src/abuse/sql-limiter.ts';
import type { Db } from '../../src/storage/db.ts';
import { migrate } from '../../src/storage/migrate.ts';
import { storeReady } from '../../src/storage/ready.ts';
import { openTestStore, type StoreKind } from '../support/databases.ts';

/** The same contract on the embedded store and on the machine's PostgreSQL (a fresh database per run). */
describe.each<StoreKind>(['pglite', 'postgres'])('store contract on %s', (kind) => {
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openTestStore(kind));
  });
  afterAll(() => close());

  it('is migrated once; running migrations again changes nothing', async () => {
    expect(await migrate(db)).toEqual([]);
    const tables = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining([
        'accounts',
        'sessions',
        'security_methods',
        'challenges',
        'outbox',
        'activity',
        'limits',
      ]),
    );
  });

  it('is ready while it answers (the readiness probe), and not when a query fails', async () => {
    expect(await storeReady(db)).toBe(true);
    const down = {
      query: () => Promise.reject(new Error('connection refused')),
      script: () => Promise.reject(new Error('connection refused')),
    };
    expect(await storeReady(down)).toBe(false);
  });

  it('rolls back every write of a failed transaction', async () => {
    await expect(
      db.tx(async (tx) => {
        await tx.query(`INSERT INTO limits (key, count, expires_at) VALUES ('rollback-me', 1, now())`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.query(`SELECT 1 FROM limits WHERE key = 'rollback-me'`)).toHaveLength(0);
  });

  it('serialises 50 concurrent read-modify-write transactions without losing an update', async () => {
    await db.query(
      `INSERT INTO limits (key, count, expires_at) VALUES ('rmw', 0, now() + interval '1 hour')`,
    );
    await Promise.all(
      Array.from({ length: 50 }, () =>
        db.tx(async (tx) => {
          const [row] = await tx.query<{ count: number }>(
            `SELECT count FROM limits WHERE key = 'rmw' FOR UPDATE`,
          );
          await tx.query(`UPDATE limits SET count = $1 WHERE key = 'rmw'`, [row!.count + 1]);
        }),
      ),
    );
    const [row] = await db.query<{ count: number }>(`SELECT count FROM limits WHERE key = 'rmw'`);
    expect(row!.count).toBe(50);
  });

  it('returns timestamps as Date and integers as numbers on both drivers', async () => {
    const [row] = await db.query<{ t: Date; n: number }>(
      `SELECT now() AS t, count(*)::int AS n FROM accounts`,
    );
    expect(row!.t).toBeInstanceOf(Date);
    expect(typeof row!.n).toBe('number');
  });

  it('takes limits in fixed windows that end by themselves', async () => {
    const limiter = sqlLimiter(db);
    const t0 = new Date('2026-11-24T00:00:00Z');
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.take(`k-${kind}`, 3, 60_000, t0));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3]!.retryAfterMs).toBe(60_000);
    const later = new Date(t0.getTime() + 60_001);
    expect(await limiter.take(`k-${kind}`, 3, 60_000, later)).toMatchObject({ allowed: true, count: 1 });
  });

  it('never lets concurrent takes exceed the limit', async () => {
    const limiter = sqlLimiter(db);
    const now = new Date('2026-11-24T00:00:00Z');
    const results = await Promise.all(
      Array.from({ length: 30 }, () => limiter.take(`race-${kind}`, 10, 60_000, now)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
  });
});

describe('limits on the machine Redis', () => {
  let redis: Redis;
  const prefix = `mamori-test:${process.pid}:${Date.now()}:`;
  beforeAll(async () => {
    redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
    await redis.connect();
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('counts in fixed windows on the injected clock and never exceeds the limit under concurrency', async () => {
    const limiter = redisLimiter(redis, prefix);
    const t0 = new Date('2026-11-24T00:00:00Z');
    const results = await Promise.all(Array.from({ length: 30 }, () => limiter.take('race', 10, 60_000, t0)));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    expect(results.find((r) => !r.allowed)!.retryAfterMs).toBe(60_000);
    expect((await limiter.take('race', 10, 60_000, t0)).allowed).toBe(false);
    const later = new Date(t0.getTime() + 60_001);
    expect((await limiter.take('race', 10, 60_000, later)).count).toBe(1);
    await limiter.reset('race');
    expect((await limiter.take('race', 1, 60_000, later)).count).toBe(1);
  });
});
