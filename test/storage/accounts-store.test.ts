import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addPasswordHistory,
  bumpSecurityStamp,
  clearPasswordHistory,
  confirmPrimaryEmail,
  findAccountById,
  findAccountByKey,
  findInfoConfirmation,
  insertAccount,
  lockAccountsDueForReminder,
  lockSignInState,
  lockStamp,
  markInfoConfirmed,
  markReminded,
  readStamp,
  recentPasswordHashes,
  recoveryCodeState,
  sessionsGen,
  setPassword,
  setRecoveryCodeHash,
  setTwoStepEnabled,
} from '../../src/accounts/store.ts';
import type { MamoriEvent } from '../../src/events/catalog.ts';
import type { Db } from '../../src/storage/db.ts';
import { openTestStore, type StoreKind } from '../support/databases.ts';

const T0 = new Date('2026-11-01T00:00:00Z');
let seq = 0;

/** Records the events a store function raises (it needs only `emit`). */
function recorder() {
  const events: MamoriEvent[] = [];
  return { events, emit: async (_tx: unknown, e: MamoriEvent) => void events.push(e) };
}

async function newAccount(db: Db, o: { confirmed?: boolean; createdAt?: Date } = {}): Promise<string> {
  seq += 1;
  const id = `acc_contract_${seq}_${Math.random().toString(36).slice(2, 8)}`;
  await insertAccount(
    db,
    id,
    {
      email: `${id}@example.jp`,
      emailKey: `${id}@example.jp`,
      displayName: `Owner ${seq}`,
      locale: 'ja',
      timeZone: 'Asia/Tokyo',
      passwordHash: `hash-${seq}`,
    },
    o.createdAt ?? T0,
  );
  if (o.confirmed) await confirmPrimaryEmail(db, id, `${id}@example.jp`, o.createdAt ?? T0);
  return id;
}

/** The accounts store contract (accounts, password_history) on the embedded store and on PostgreSQL. */
describe.each<StoreKind>(['pglite', 'postgres'])('accounts store on %s', (kind) => {
  let db: Db;
  let close: () => Promise<void>;
  /** Concurrent callers: enough to race on PostgreSQL; the embedded store runs one transaction at a time. */
  const N = kind === 'postgres' ? 100 : 20;
  beforeAll(async () => {
    ({ db, close } = await openTestStore(kind));
  });
  afterAll(() => close());

  it('creates an account findable by id and by comparison key; a second one with the same key is refused', async () => {
    const id = await newAccount(db);
    const byId = await findAccountById(db, id);
    expect(byId).toMatchObject({ id, displayName: expect.stringMatching(/^Owner/), emailConfirmedAt: null });
    expect(byId?.securityStamp).toBe('0');
    expect((await findAccountByKey(db, `${id}@example.jp`))?.id).toBe(id);
    expect(await findAccountById(db, 'acc_missing')).toBeNull();
    await expect(
      insertAccount(
        db,
        `${id}_twin`,
        {
          email: `${id}@example.jp`,
          emailKey: `${id}@example.jp`,
          displayName: 'Twin',
          locale: 'en',
          timeZone: 'UTC',
          passwordHash: 'x',
        },
        T0,
      ),
    ).rejects.toThrow();
  });

  it(`confirms the primary address once: of ${N} concurrent confirmations exactly one wins`, async () => {
    const id = await newAccount(db);
    expect(await confirmPrimaryEmail(db, id, 'other-key@example.jp', T0)).toBe(false);
    const wins = await Promise.all(
      Array.from({ length: N }, () => db.tx((tx) => confirmPrimaryEmail(tx, id, `${id}@example.jp`, T0))),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect((await findAccountById(db, id))?.emailConfirmedAt).toEqual(T0);
  });

  it(`moves the security stamp on once per change: ${N} concurrent bumps give ${N} distinct stamps`, async () => {
    const id = await newAccount(db);
    const r = recorder();
    const genBefore = Number(await sessionsGen(db, id));
    const stamps = await Promise.all(
      Array.from({ length: N }, () => db.tx((tx) => bumpSecurityStamp(r, tx, id))),
    );
    expect(new Set(stamps).size).toBe(N);
    expect(await readStamp(db, id)).toBe(String(N));
    expect(Number(await sessionsGen(db, id))).toBe(genBefore + N);
    expect(r.events.filter((e) => e.type === 'sessions.revoked')).toHaveLength(N);
  });

  it('lockStamp holds the row: a change waits until the holder commits', async () => {
    const id = await newAccount(db);
    const r = recorder();
    const order: string[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const holder = db.tx(async (tx) => {
      expect(await lockStamp(tx, id)).toBe('0');
      order.push('locked');
      await held;
      order.push('holder done');
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const changer = db.tx(async (tx) => {
      await bumpSecurityStamp(r, tx, id);
      order.push('bumped');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await Promise.all([holder, changer]);
    expect(order).toEqual(['locked', 'holder done', 'bumped']);
    expect(await lockStamp(db, 'acc_missing')).toBeNull();
  });

  it(`turns two-step on once: of ${N} concurrent "on" exactly one changes it and moves the stamp`, async () => {
    const id = await newAccount(db);
    const r = recorder();
    const changed = await Promise.all(
      Array.from({ length: N }, () => db.tx((tx) => setTwoStepEnabled(r, tx, id, true, T0))),
    );
    expect(changed.filter(Boolean)).toHaveLength(1);
    expect(await readStamp(db, id)).toBe('1');
    expect(await lockSignInState(db, id)).toEqual({ passwordHash: expect.any(String), twoStepEnabled: true });
    expect(await setTwoStepEnabled(r, db, id, false, T0)).toBe(true);
    expect(await lockSignInState(db, 'acc_missing')).toBeNull();
  });

  it('keeps the password history newest first; a new password moves the stamp', async () => {
    const id = await newAccount(db);
    const r = recorder();
    await addPasswordHistory(db, id, 'h0', T0);
    for (let i = 1; i <= 7; i++) await setPassword(r, db, id, `h${i}`, new Date(T0.getTime() + i * 1000));
    expect(await recentPasswordHashes(db, id)).toEqual(['h7', 'h6', 'h5', 'h4', 'h3', 'h2']);
    expect((await findAccountById(db, id))?.passwordHash).toBe('h7');
    expect(await readStamp(db, id)).toBe('7');
    await clearPasswordHistory(db, id);
    expect(await recentPasswordHashes(db, id)).toEqual([]);
  });

  it('stores, spends and reports the recovery code', async () => {
    const id = await newAccount(db);
    const r = recorder();
    expect(await recoveryCodeState(db, id)).toEqual({ hash: null, createdAt: null });
    await setRecoveryCodeHash(r, db, id, 'rc-hash', T0);
    expect(await recoveryCodeState(db, id, true)).toEqual({ hash: 'rc-hash', createdAt: T0 });
    await setRecoveryCodeHash(r, db, id, null, T0);
    expect(await recoveryCodeState(db, id)).toEqual({ hash: null, createdAt: T0 });
    expect(await recoveryCodeState(db, 'acc_missing')).toBeNull();
  });

  it('periodic reminders: two concurrent claims never take the same account; a reminded account is not due again', async () => {
    const old = new Date('2020-01-01T00:00:00Z');
    const ids = await Promise.all(
      Array.from({ length: 6 }, () => newAccount(db, { confirmed: true, createdAt: old })),
    );
    const before = new Date('2021-01-01T00:00:00Z');
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = db.tx(async (tx) => {
      const rows = await lockAccountsDueForReminder(tx, before, 3);
      await held;
      for (const row of rows) await markReminded(tx, row.id, T0);
      return rows.map((row) => row.id);
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second =
      kind === 'postgres'
        ? await db.tx(async (tx) => (await lockAccountsDueForReminder(tx, before, 100)).map((row) => row.id))
        : [];
    release();
    const firstIds = await first;
    expect(firstIds).toHaveLength(3);
    for (const x of second) expect(firstIds).not.toContain(x);
    const due = (await lockAccountsDueForReminder(db, before, 100)).map((row) => row.id);
    for (const x of firstIds) expect(due).not.toContain(x);
    expect(ids.filter((x) => !firstIds.includes(x)).every((x) => due.includes(x))).toBe(true);
    expect(await markInfoConfirmed(db, ids[0] as string, T0)).toBe(true);
    expect(await findInfoConfirmation(db, ids[0] as string)).toEqual({
      created_at: old,
      info_confirmed_at: T0,
    });
    expect(await findInfoConfirmation(db, 'acc_missing')).toBeUndefined();
    expect(await markInfoConfirmed(db, 'acc_missing', T0)).toBe(false);
  });
});
