import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Limiter } from '../../src/abuse/limiter.ts';
import { takeAll } from '../../src/abuse/limiter.ts';
import { redisLimiter } from '../../src/abuse/redis-limiter.ts';
import { sqlLimiter } from '../../src/abuse/sql-limiter.ts';
import { openPostgres } from '../../src/storage/postgres.ts';
import { openTestStore, PG_ADMIN_URL } from '../support/databases.ts';
import { REDIS_URL } from './support.ts';

/**
 * One contract for every limiter: a take is atomic. 200 concurrent takes of a limit of 10 grant exactly 10,
 * on the SQL limiter (PGlite and PostgreSQL, also from two instances on one database) and on Redis.
 */
const t0 = new Date('2026-11-24T00:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

interface Subject {
  name: string;
  /** Two limiters sharing one store (two instances of the service). */
  open(): Promise<{ a: Limiter; b: Limiter; close(): Promise<void> }>;
}

const subjects: Subject[] = [
  {
    name: 'SQL limiter on PGlite',
    async open() {
      const s = await openTestStore('pglite');
      const l = sqlLimiter(s.db);
      return { a: l, b: l, close: s.close };
    },
  },
  {
    name: 'SQL limiter on PostgreSQL (two instances)',
    async open() {
      const s = await openTestStore('postgres');
      const [{ db }] = (await s.db.query<{ db: string }>('SELECT current_database() AS db')) as [
        { db: string },
      ];
      const u = new URL(PG_ADMIN_URL);
      u.pathname = `/${db}`;
      const second = await openPostgres(u.toString());
      return {
        a: sqlLimiter(s.db),
        b: sqlLimiter(second),
        async close() {
          await second.close();
          await s.close();
        },
      };
    },
  },
  {
    name: 'Redis limiter (two connections)',
    async open() {
      const prefix = `mamori-contract:${process.pid}:${Date.now()}:${Math.random()}:`;
      const r1 = new Redis(REDIS_URL, { lazyConnect: true });
      const r2 = new Redis(REDIS_URL, { lazyConnect: true });
      await Promise.all([r1.connect(), r2.connect()]);
      return {
        a: redisLimiter(r1, prefix),
        b: redisLimiter(r2, prefix),
        async close() {
          const keys = await r1.keys(`${prefix}*`);
          if (keys.length) await r1.del(...keys);
          r1.disconnect();
          r2.disconnect();
        },
      };
    },
  },
];

describe.each(subjects)('$name', (subject) => {
  let a: Limiter;
  let b: Limiter;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ a, b, close } = await subject.open());
  });
  afterAll(() => close());

  it('grants exactly 10 of 200 concurrent takes of a limit of 10, and counts no refused take', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).take('race', 10, 60_000, t0)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    expect(
      results
        .filter((r) => r.allowed)
        .map((r) => r.count)
        .sort((x, y) => x - y),
    ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const refused = results.find((r) => !r.allowed)!;
    expect(refused.retryAfterMs).toBe(60_000);
    // Refused takes were not counted: after one release, exactly one more of 50 concurrent takes is granted.
    await a.release('race', results.find((r) => r.allowed)!);
    const again = await Promise.all(
      Array.from({ length: 50 }, () => b.take('race', 10, 60_000, later(1000))),
    );
    expect(again.filter((r) => r.allowed)).toHaveLength(1);
  });

  it('a window ends by itself; a release from an ended window gives nothing back', async () => {
    const old = await a.take('window', 3, 60_000, t0);
    await a.take('window', 3, 60_000, t0);
    await a.take('window', 3, 60_000, t0);
    expect((await a.take('window', 3, 60_000, later(59_999))).allowed).toBe(false);
    const fresh = await Promise.all(
      Array.from({ length: 20 }, () => b.take('window', 3, 60_000, later(60_000))),
    );
    expect(fresh.filter((r) => r.allowed)).toHaveLength(3);
    await a.release('window', old); // taken in the previous window: no effect on this one
    expect((await a.take('window', 3, 60_000, later(60_001))).allowed).toBe(false);
    await a.reset('window');
    expect(await a.take('window', 3, 60_000, later(60_002))).toMatchObject({ allowed: true, count: 1 });
  });

  it('takeAll spends nothing when one budget refuses', async () => {
    const budgets = [
      { key: 'all-wide', limit: 100, windowMs: 60_000 },
      { key: 'all-narrow', limit: 5, windowMs: 60_000 },
    ];
    const results = await Promise.all(Array.from({ length: 100 }, () => takeAll(a, budgets, t0)));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    // The 95 refused ones gave their unit of the wide budget back: 95 more fit in it.
    const wide = await Promise.all(Array.from({ length: 120 }, () => b.take('all-wide', 100, 60_000, t0)));
    expect(wide.filter((r) => r.allowed)).toHaveLength(95);
  });
});
