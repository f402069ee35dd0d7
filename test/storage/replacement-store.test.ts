import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cancelIfPending,
  completeIfPending,
  deleteCancelTokens,
  deleteDraft,
  deleteItem,
  deleteUnverifiedItems,
  findByCancelToken,
  findReplacement,
  insertCancelToken,
  insertDraft,
  insertItem,
  insertPending,
  insertVerifiedItem,
  itemsOf,
  lockDue,
  markItemVerified,
  markPending,
  nextDue,
  nextReminderDue,
  pendingEffectiveAt,
  recordReminders,
  recordStartNotice,
  replacementTarget,
} from '../../src/replacement/store.ts';
import type { Db } from '../../src/storage/db.ts';
import { openTestStore, type StoreKind } from '../support/databases.ts';

const T0 = new Date('2026-11-29T10:00:00Z');
const DAY = 86_400_000;
const at = (ms: number) => new Date(T0.getTime() + ms);

/** The replacement store's contract, on the embedded store and on PostgreSQL. */
describe.each<StoreKind>(['pglite', 'postgres'])('replacement store on %s', (kind) => {
  let db: Db;
  let close: () => Promise<void>;
  let n = 0;
  beforeAll(async () => {
    ({ db, close } = await openTestStore(kind));
  });
  afterAll(() => close());

  /** A fixture account (accounts is not this store's table: written here only as test data). */
  async function account(): Promise<string> {
    const id = `acc-${kind}-${++n}`;
    await db.query(
      `INSERT INTO accounts (id, email, email_key, display_name, locale, password_hash, password_changed_at, created_at, updated_at)
       VALUES ($1, $2, $2, 'T', 'en', 'x', $3, $3, $3)`,
      [id, `${id}@example.com`, T0],
    );
    return id;
  }

  /** A pending replacement of a new account, started at T0, effective after `days`. */
  async function pending(days = 30, items = 1): Promise<{ id: string; accountId: string }> {
    const accountId = await account();
    const id = `rpl-${kind}-${++n}`;
    await insertPending(db, id, accountId, 'self', T0);
    for (let i = 0; i < items; i++)
      await insertVerifiedItem(
        db,
        {
          id: `${id}-i${i}`,
          replacementId: id,
          kind: 'email',
          value: `new${i}@example.com`,
          valueKey: `new${i}@example.com`,
        },
        T0,
      );
    await markPending(db, id, { source: 'self', startedAt: T0, effectiveAt: at(days * DAY), stamp: '7' });
    return { id, accountId };
  }

  it('keeps a draft with its items; verifies, drops and deletes them', async () => {
    const accountId = await account();
    const id = `rpl-${kind}-${++n}`;
    await insertDraft(db, id, accountId, T0);
    await insertItem(
      db,
      { id: `${id}-b`, replacementId: id, kind: 'phone', value: '+819012345678', valueKey: '+819012345678' },
      at(2),
    );
    await insertItem(
      db,
      { id: `${id}-a`, replacementId: id, kind: 'email', value: 'A@example.com', valueKey: 'a@example.com' },
      at(1),
    );
    await insertItem(
      db,
      { id: `${id}-c`, replacementId: id, kind: 'email', value: 'c@example.com', valueKey: 'c@example.com' },
      at(3),
    );
    const draft = await findReplacement(db, accountId, 'draft');
    expect(draft).toMatchObject({
      id,
      accountId,
      status: 'draft',
      source: 'self',
      startedAt: null,
      effectiveAt: null,
    });
    // By kind, then oldest first.
    expect(draft?.items.map((i) => i.id)).toEqual([`${id}-a`, `${id}-c`, `${id}-b`]);
    expect(draft?.items[0]).toMatchObject({
      value: 'A@example.com',
      valueKey: 'a@example.com',
      verifiedAt: null,
    });
    expect(await findReplacement(db, accountId, 'pending')).toBeNull();

    await markItemVerified(db, `${id}-a`, at(10));
    await deleteItem(db, `${id}-b`);
    await deleteUnverifiedItems(db, id);
    expect((await itemsOf(db, id)).map((i) => [i.id, i.verifiedAt])).toEqual([[`${id}-a`, at(10)]]);
    await deleteDraft(db, accountId);
    expect(await findReplacement(db, accountId, 'draft')).toBeNull();
    expect(await itemsOf(db, id)).toEqual([]);
  });

  it('starts a pending replacement bound to a stamp, and says when it takes effect', async () => {
    const { id, accountId } = await pending(30, 2);
    const r = await findReplacement(db, accountId, 'pending');
    expect(r).toMatchObject({ id, status: 'pending', startedAt: T0, effectiveAt: at(30 * DAY) });
    expect(r?.items.every((i) => i.verifiedAt?.getTime() === T0.getTime())).toBe(true);
    expect(await replacementTarget(db, id)).toEqual({ account_id: accountId, stamp: '7' });
    expect(await replacementTarget(db, 'nope')).toBeNull();
    expect(await pendingEffectiveAt(db, accountId)).toEqual(at(30 * DAY));
    expect(await pendingEffectiveAt(db, await account())).toBeNull();
  });

  it('finds a replacement by a cancel link; deleting the links voids them', async () => {
    const { id, accountId } = await pending();
    await insertCancelToken(db, `hash-${id}-1`, id, T0);
    await insertCancelToken(db, `hash-${id}-2`, id, T0);
    expect(await findByCancelToken(db, `hash-${id}-2`)).toEqual({
      replacement_id: id,
      account_id: accountId,
      status: 'pending',
      effective_at: at(30 * DAY),
    });
    expect(await db.tx((tx) => findByCancelToken(tx, `hash-${id}-1`, true))).toMatchObject({
      replacement_id: id,
    });
    await deleteCancelTokens(db, id);
    expect(await findByCancelToken(db, `hash-${id}-1`)).toBeNull();
  });

  it('cancels or completes only a pending replacement, once', async () => {
    const a = await pending();
    expect(await cancelIfPending(db, a.id, at(1), 'owner')).toBe(a.accountId);
    expect(await cancelIfPending(db, a.id, at(2), 'owner')).toBeNull();
    expect(await completeIfPending(db, a.id, at(3), 'wait_over')).toBeNull();
    const b = await pending();
    expect(await completeIfPending(db, b.id, at(1), 'recovery_code')).toMatchObject({
      id: b.id,
      account_id: b.accountId,
      status: 'completed',
    });
    expect(await cancelIfPending(db, b.id, at(2), 'link')).toBeNull();
    expect(await findReplacement(db, b.accountId, 'pending')).toBeNull();
  });

  it('has exactly one winner among 100 concurrent cancels and completions', async () => {
    const { id } = await pending();
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        db.tx(async (tx) =>
          i % 2 === 0
            ? (await cancelIfPending(tx, id, at(i), 'link')) !== null
            : (await completeIfPending(tx, id, at(i), 'wait_over')) !== null,
        ),
      ),
    );
    expect(outcomes.filter(Boolean)).toHaveLength(1);
  });

  it('picks the replacement due first, and locks it only while still pending and due', async () => {
    const now = at(400 * DAY);
    const due = await db.tx((tx) => nextDue(tx, now));
    expect(due).not.toBeNull();
    expect(await db.tx((tx) => lockDue(tx, due!.id, now))).toBe(true);
    expect(await db.tx((tx) => lockDue(tx, due!.id, T0))).toBe(false);
    await cancelIfPending(db, due!.id, now, 'owner');
    expect(await db.tx((tx) => lockDue(tx, due!.id, now))).toBe(false);
    expect(await db.tx((tx) => nextDue(tx, T0))).toBeNull();
  });

  it('records each reminder day once, even under 100 concurrent recorders', async () => {
    const { id } = await pending();
    await recordStartNotice(db, id, T0);
    expect(await recordReminders(db, id, [0, 1], at(DAY))).toEqual([1]);
    const rounds = await Promise.all(
      Array.from({ length: 100 }, () => db.tx((tx) => recordReminders(tx, id, [1, 7, 21], at(21 * DAY)))),
    );
    expect(rounds.flat().sort((x, y) => x - y)).toEqual([7, 21]);
  });

  it('offers a replacement with a due, unrecorded reminder day to one instance at a time', async () => {
    // Only this replacement can be due here: every other one of this test file ended or has its days.
    const others = await db.query<{ id: string }>(`SELECT id FROM replacements WHERE status = 'pending'`);
    for (const o of others) await cancelIfPending(db, o.id, T0, 'owner');
    const { id } = await pending();
    await recordStartNotice(db, id, T0);
    expect(await db.tx((tx) => nextReminderDue(tx, at(DAY / 2), [1, 7]))).toBeNull();
    expect(await db.tx((tx) => nextReminderDue(tx, at(DAY + 1), [1, 7]))).toMatchObject({
      id,
      source: 'self',
    });
    if (kind === 'postgres') {
      // A second instance skips the row the first holds (FOR UPDATE SKIP LOCKED) instead of waiting for it.
      let release: () => void = () => {};
      const held = new Promise<void>((r) => {
        release = r;
      });
      let taken!: () => void;
      const locked = new Promise<void>((r) => {
        taken = r;
      });
      const first = db.tx(async (tx) => {
        const row = await nextReminderDue(tx, at(DAY + 1), [1, 7]);
        taken();
        await held;
        return row?.id;
      });
      await locked;
      const second = await db.tx((tx) => nextReminderDue(tx, at(DAY + 1), [1, 7]));
      release();
      expect([await first, second]).toEqual([id, null]);
    }
    await recordReminders(db, id, [1], at(DAY + 1));
    expect(await db.tx((tx) => nextReminderDue(tx, at(DAY + 1), [1, 7]))).toBeNull();
  });
});
