import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bumpSecurityStamp, insertAccount } from '../../src/accounts/store.ts';
import {
  capKnownDevices,
  capTrustedDevices,
  completePendingSignIn,
  deleteExpiredPendingSignIns,
  deleteExpiredSessions,
  deleteKnownDevices,
  deleteSessionByPublicId,
  deleteSessionReturning,
  deleteSessionsExcept,
  deleteTrustedDevices,
  endPendingSignIns,
  findPendingSignIn,
  findSessionView,
  findStepUp,
  hasKnownDevice,
  hasKnownDeviceByEmailKey,
  hasLiveTrust,
  insertPendingSignIn,
  insertSession,
  insertTrustedDevice,
  keepStepUpAcrossStamp,
  listLiveSessions,
  listLiveTrustedDevices,
  rotateForStepUp,
  touchSession,
  upsertKnownDevice,
} from '../../src/sessions/store.ts';
import type { Db } from '../../src/storage/db.ts';
import { openTestStore, type StoreKind } from '../support/databases.ts';

const T0 = new Date('2026-11-01T00:00:00Z');
const HOUR = 3600_000;
const at = (h: number) => new Date(T0.getTime() + h * HOUR);
const noEvents = { emit: async () => {} };
let seq = 0;
const uid = (p: string) => `${p}_${++seq}_${Math.random().toString(36).slice(2, 8)}`;

async function newAccount(db: Db): Promise<string> {
  const id = uid('acc');
  await insertAccount(
    db,
    id,
    {
      email: `${id}@example.jp`,
      emailKey: `${id}@example.jp`,
      displayName: 'Owner',
      locale: 'en',
      timeZone: 'UTC',
      passwordHash: 'hash',
    },
    T0,
  );
  return id;
}

async function newSession(db: Db, accountId: string, o: { expiresAt?: Date; secondFactor?: boolean } = {}) {
  const id = uid('sid');
  const publicId = uid('ses');
  await insertSession(db, {
    id,
    publicId,
    accountId,
    now: T0,
    expiresAt: o.expiresAt ?? at(24),
    ip: '192.0.2.1',
    userAgent: 'test',
    country: 'JP',
    secondFactor: o.secondFactor ?? false,
  });
  return { id, publicId };
}

/**
 * The sessions store contract (sessions, pending_signins, trusted_devices, known_devices) on the embedded
 * store and on PostgreSQL, with the races its callers rely on.
 */
describe.each<StoreKind>(['pglite', 'postgres'])('sessions store on %s', (kind) => {
  let db: Db;
  let close: () => Promise<void>;
  const N = kind === 'postgres' ? 100 : 20;
  beforeAll(async () => {
    ({ db, close } = await openTestStore(kind));
  });
  afterAll(() => close());

  it("a session carries its account's view and stamp; the idle window slides; it can be listed and ended", async () => {
    const acc = await newAccount(db);
    const s = await newSession(db, acc, { secondFactor: true });
    const found = await findSessionView(db, s.id);
    expect(found?.view).toMatchObject({
      id: s.id,
      publicId: s.publicId,
      accountId: acc,
      displayName: 'Owner',
      reauthAt: T0,
      secondFactorAt: T0,
      stamp: '0',
      reauthStamp: '0',
      twoStep: false,
    });
    expect(found?.gen).toBe('0');
    expect(await touchSession(db, s.id, at(1))).toBe(true);
    expect((await findSessionView(db, s.id))?.view.lastSeenAt).toEqual(at(1));
    const other = await newSession(db, acc);
    const listed = await listLiveSessions(db, acc, at(2));
    expect(listed.map((x) => x.id)).toEqual([s.id, other.id]);
    expect(await listLiveSessions(db, acc, at(25))).toEqual([]);
    expect(await deleteSessionByPublicId(db, acc, other.publicId)).toBe(true);
    expect(await deleteSessionByPublicId(db, acc, other.publicId)).toBe(false);
    expect(await deleteSessionByPublicId(db, 'acc_other', s.publicId)).toBe(false);
    expect(await touchSession(db, other.id, at(1))).toBe(false);
    expect(await findSessionView(db, 'sid_missing')).toBeNull();
  });

  it(`ending a session: of ${N} concurrent deletes exactly one ends it`, async () => {
    const acc = await newAccount(db);
    const s = await newSession(db, acc);
    const ended = await Promise.all(
      Array.from({ length: N }, () => db.tx((tx) => deleteSessionReturning(tx, s.id))),
    );
    expect(ended.filter(Boolean)).toHaveLength(1);
  });

  it(`a step-up rotates the token once: of ${N} concurrent rotations of one session exactly one wins`, async () => {
    const acc = await newAccount(db);
    const s = await newSession(db, acc);
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        db.tx((tx) =>
          rotateForStepUp(tx, {
            id: s.id,
            accountId: acc,
            newId: `${s.id}_r${i}`,
            now: at(1),
            secondFactor: true,
            stamp: '0',
          }),
        ),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await findSessionView(db, s.id)).toBeNull();
    const winner = `${s.id}_r${results.indexOf(true)}`;
    expect(await findStepUp(db, winner, acc)).toEqual({
      reauthAt: at(1),
      secondFactorAt: at(1),
      reauthStamp: '0',
    });
    expect(await findStepUp(db, winner, 'acc_other')).toBeNull();
  });

  it('a password-only step-up against a new stamp forgets the earlier second factor; the changing session keeps its step-up', async () => {
    const acc = await newAccount(db);
    const s = await newSession(db, acc, { secondFactor: true });
    const stamp = await db.tx((tx) => bumpSecurityStamp(noEvents, tx, acc));
    await keepStepUpAcrossStamp(db, s.id, acc, stamp);
    expect(await findStepUp(db, s.id, acc)).toMatchObject({ reauthStamp: '1', secondFactorAt: T0 });
    const other = await newSession(db, acc, { secondFactor: true });
    await db.tx((tx) => bumpSecurityStamp(noEvents, tx, acc));
    expect(
      await rotateForStepUp(db, {
        id: other.id,
        accountId: acc,
        newId: `${other.id}_2`,
        now: at(1),
        secondFactor: false,
        stamp: '2',
      }),
    ).toBe(true);
    expect(await findStepUp(db, `${other.id}_2`, acc)).toEqual({
      reauthAt: at(1),
      secondFactorAt: null,
      reauthStamp: '2',
    });
  });

  it('ends every session but one, and expired ones', async () => {
    const acc = await newAccount(db);
    const keep = await newSession(db, acc);
    await newSession(db, acc);
    await newSession(db, acc);
    expect(await deleteSessionsExcept(db, acc, keep.id)).toBe(2);
    expect((await listLiveSessions(db, acc, T0)).map((x) => x.id)).toEqual([keep.id]);
    const old = await newSession(db, acc, { expiresAt: new Date('2000-01-01T00:00:00Z') });
    expect(await deleteExpiredSessions(db, T0)).toBeGreaterThanOrEqual(1);
    expect(await findSessionView(db, old.id)).toBeNull();
    expect(await deleteSessionsExcept(db, acc, null)).toBe(1);
  });

  it(`a pending sign-in completes once: of ${N} concurrent completions exactly one wins`, async () => {
    const acc = await newAccount(db);
    const id = uid('pend');
    await insertPendingSignIn(db, { id, accountId: acc, reason: 'two_step', now: T0, expiresAt: at(1) });
    expect(await findPendingSignIn(db, id)).toMatchObject({
      id,
      account_id: acc,
      reason: 'two_step',
      stamp: '0',
      stale: false,
      completed_at: null,
    });
    const wins = await Promise.all(
      Array.from({ length: N }, () =>
        db.tx(async (tx) => {
          const p = await findPendingSignIn(tx, id, true);
          if (!p || p.completed_at) return false;
          return completePendingSignIn(tx, id, at(0.5));
        }),
      ),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect((await findPendingSignIn(db, id))?.completed_at).toEqual(at(0.5));
  });

  it('a change of password or security info makes a pending sign-in stale; a reset ends them all', async () => {
    const acc = await newAccount(db);
    const id = uid('pend');
    await insertPendingSignIn(db, { id, accountId: acc, reason: 'unusual', now: T0, expiresAt: at(1) });
    await db.tx((tx) => bumpSecurityStamp(noEvents, tx, acc));
    expect((await findPendingSignIn(db, id))?.stale).toBe(true);
    const old = uid('pend');
    await insertPendingSignIn(db, {
      id: old,
      accountId: acc,
      reason: 'two_step',
      now: T0,
      expiresAt: new Date('2000-01-01T00:00:00Z'),
    });
    expect(await deleteExpiredPendingSignIns(db, T0)).toBeGreaterThanOrEqual(1);
    expect(await findPendingSignIn(db, old)).toBeNull();
    await endPendingSignIns(db, acc);
    expect(await findPendingSignIn(db, id)).toBeNull();
  });

  it('a trusted device counts for its account only, until it expires or the stamp moves; the cap keeps the newest', async () => {
    const acc = await newAccount(db);
    const other = await newAccount(db);
    const ids = Array.from({ length: 5 }, () => uid('dev'));
    for (const [i, id] of ids.entries())
      await insertTrustedDevice(db, {
        id,
        publicId: `${id}_p`,
        accountId: acc,
        now: at(i),
        expiresAt: at(24),
        ip: '192.0.2.1',
        userAgent: 'test',
      });
    const last = ids[4] as string;
    expect(await hasLiveTrust(db, last, acc, at(5))).toBe(true);
    expect(await hasLiveTrust(db, last, other, at(5))).toBe(false);
    expect(await hasLiveTrust(db, last, acc, at(25))).toBe(false);
    await capTrustedDevices(db, acc, 3);
    expect((await listLiveTrustedDevices(db, acc, at(5))).map((d) => d.publicId)).toEqual(
      ids
        .slice(2)
        .reverse()
        .map((id) => `${id}_p`),
    );
    expect(await deleteTrustedDevices(db, acc, `${last}_p`)).toBe(1);
    await db.tx((tx) => bumpSecurityStamp(noEvents, tx, acc));
    expect(await hasLiveTrust(db, ids[3] as string, acc, at(5))).toBe(false);
    expect(await deleteTrustedDevices(db, acc, null)).toBe(2);
  });

  it('a known device is known to its account (by id or by address) while recent; the cap keeps the most recently used', async () => {
    const acc = await newAccount(db);
    for (let i = 0; i < 4; i++) await upsertKnownDevice(db, acc, `dev-${i}`, at(i));
    await upsertKnownDevice(db, acc, 'dev-0', at(10));
    await capKnownDevices(db, acc, 2);
    expect(await hasKnownDevice(db, acc, 'dev-0', T0)).toBe(true);
    expect(await hasKnownDevice(db, acc, 'dev-3', T0)).toBe(true);
    expect(await hasKnownDevice(db, acc, 'dev-1', new Date(0))).toBe(false);
    expect(await hasKnownDevice(db, acc, 'dev-3', at(3))).toBe(false);
    expect(await hasKnownDeviceByEmailKey(db, `${acc}@example.jp`, 'dev-0', T0)).toBe(true);
    expect(await hasKnownDeviceByEmailKey(db, 'nobody@example.jp', 'dev-0', T0)).toBe(false);
    await deleteKnownDevices(db, acc);
    expect(await hasKnownDevice(db, acc, 'dev-0', new Date(0))).toBe(false);
  });
});
