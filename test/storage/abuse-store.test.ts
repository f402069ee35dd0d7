import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteExpiredLimits,
  deleteLimit,
  findLimitWindow,
  giveBackLimitUnit,
  lockNamed,
  takeLimitUnit,
} from '../../src/abuse/store.ts';
import type { Db } from '../../src/storage/db.ts';
import { openTestStore, type StoreKind } from '../support/databases.ts';

describe.each<StoreKind>(['pglite', 'postgres'])('abuse store on %s', (kind) => {
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openTestStore(kind));
  });
  afterAll(() => close());
  const now = new Date('2026-03-01T00:00:00Z');
  const end = new Date(now.getTime() + 60_000);

  it('counts up to the limit, refuses without counting, starts a new window once the old one ended', async () => {
    expect(await takeLimitUnit(db, 'k1', now, end, 2)).toMatchObject({ count: 1 });
    expect(await takeLimitUnit(db, 'k1', now, end, 2)).toMatchObject({ count: 2 });
    expect(await takeLimitUnit(db, 'k1', now, end, 2)).toBeUndefined();
    expect(await findLimitWindow(db, 'k1')).toEqual({ count: 2, expires_at: end });
    const later = new Date(end.getTime());
    const next = await takeLimitUnit(db, 'k1', later, new Date(later.getTime() + 60_000), 2);
    expect(next).toEqual({ count: 1, expires_at: new Date(later.getTime() + 60_000) });
  });

  it('gives a unit back only to its own window and never below zero', async () => {
    await takeLimitUnit(db, 'k2', now, end, 5);
    await giveBackLimitUnit(db, 'k2', new Date(end.getTime() + 1));
    expect((await findLimitWindow(db, 'k2'))?.count).toBe(1);
    await giveBackLimitUnit(db, 'k2', end);
    await giveBackLimitUnit(db, 'k2');
    expect((await findLimitWindow(db, 'k2'))?.count).toBe(0);
    await deleteLimit(db, 'k2');
    expect(await findLimitWindow(db, 'k2')).toBeUndefined();
  });

  it('lets exactly `limit` of many concurrent takes through', async () => {
    const n = kind === 'postgres' ? 120 : 40;
    const results = await Promise.all(
      Array.from({ length: n }, () => takeLimitUnit(db, 'burst', now, end, 7)),
    );
    expect(results.filter(Boolean)).toHaveLength(7);
    expect((await findLimitWindow(db, 'burst'))?.count).toBe(7);
  });

  it('serialises transactions on a named lock', async () => {
    await db.query(`INSERT INTO limits (key, count, expires_at) VALUES ('named', 0, $1)`, [end]);
    const n = kind === 'postgres' ? 100 : 20;
    await Promise.all(
      Array.from({ length: n }, () =>
        db.tx(async (tx) => {
          await lockNamed(tx, 'counter');
          const w = await findLimitWindow(tx, 'named');
          await tx.query(`UPDATE limits SET count = $1 WHERE key = 'named'`, [(w?.count ?? 0) + 1]);
        }),
      ),
    );
    expect((await findLimitWindow(db, 'named'))?.count).toBe(n);
  });

  it('deletes the windows that ended', async () => {
    await deleteLimit(db, 'named');
    await deleteLimit(db, 'burst');
    expect(await deleteExpiredLimits(db, new Date(end.getTime() + 120_000))).toBeGreaterThanOrEqual(1);
    expect(await findLimitWindow(db, 'k1')).toBeUndefined();
  });
});
