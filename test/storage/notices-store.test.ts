import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimNoticeDelivery,
  countDeliveriesSince,
  deleteOptout,
  findNoticeRow,
  insertNotice,
  insertOptout,
  listNoticeRows,
  listOptouts,
  lockNextSendingNotice,
  lockNoticeDelivery,
  lockNoticeStatus,
  markNoticeSending,
  markNoticeSent,
  moveNoticeCursor,
  optedOutAmong,
} from '../../src/notices/store.ts';
import type { Db } from '../../src/storage/db.ts';
import { openTestStore, type StoreKind } from '../support/databases.ts';

const t0 = new Date('2026-06-01T00:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);

const notice = (id: string, createdAt = t0) => ({
  id,
  category: 'terms' as const,
  subjectJa: '件名',
  bodyJa: '本文',
  subjectEn: 'Subject',
  bodyEn: 'Body',
  createdBy: 'opr_1',
  createdAt,
});

/** An account row for the foreign key (the accounts capability owns the table; a fixture only). */
async function account(db: Db, id: string): Promise<void> {
  await db.query(
    `INSERT INTO accounts (id, email, email_key, display_name, locale, password_hash, password_changed_at,
       created_at, updated_at) VALUES ($1, $2, $2, 'T', 'ja', 'x', now(), now(), now())`,
    [id, `${id}@example.jp`],
  );
}

describe.each<StoreKind>(['pglite', 'postgres'])('notices store on %s', (kind) => {
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openTestStore(kind));
    await account(db, 'acc_a');
    await account(db, 'acc_b');
  });
  afterAll(() => close());

  it('writes drafts, lists them newest first with their delivery counts, and starts sending', async () => {
    await insertNotice(db, notice('ntc_1'));
    await insertNotice(db, notice('ntc_2', at(10)));
    expect((await listNoticeRows(db)).map((n) => [n.id, n.status, Number(n.delivered)])).toEqual([
      ['ntc_2', 'draft', 0],
      ['ntc_1', 'draft', 0],
    ]);
    expect(await findNoticeRow(db, 'ntc_x')).toBeUndefined();
    await db.tx(async (tx) => {
      expect(await lockNoticeStatus(tx, 'ntc_1')).toEqual({ status: 'draft' });
      await markNoticeSending(tx, 'ntc_1', at(20), 'opr_1');
    });
    expect(await findNoticeRow(db, 'ntc_1')).toMatchObject({ status: 'sending', sent_by: 'opr_1' });
    expect((await lockNextSendingNotice(db))?.id).toBe('ntc_1');
  });

  it('delivers a notice to an address exactly once under many concurrent claims', async () => {
    const n = kind === 'postgres' ? 100 : 20;
    const claims = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        claimNoticeDelivery(db, {
          noticeId: 'ntc_1',
          recipientKey: 'a@example.jp',
          accountId: 'acc_a',
          reference: `ref-${i}`,
          at: at(30),
        }),
      ),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await countDeliveriesSince(db, at(29))).toBe(1);
    expect(await countDeliveriesSince(db, at(30))).toBe(0);
    expect(Number((await findNoticeRow(db, 'ntc_1'))?.delivered)).toBe(1);
  });

  it('serialises deliveries on the delivery lock, moves the cursor and completes', async () => {
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        db.tx(async (tx) => {
          await lockNoticeDelivery(tx);
          inside++;
          most = Math.max(most, inside);
          await countDeliveriesSince(tx, t0);
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    await moveNoticeCursor(db, 'ntc_1', 'acc_a');
    expect((await findNoticeRow(db, 'ntc_1'))?.cursor_account).toBe('acc_a');
    await markNoticeSent(db, 'ntc_1', at(40));
    expect(await findNoticeRow(db, 'ntc_1')).toMatchObject({ status: 'sent', completed_at: at(40) });
    expect(await lockNextSendingNotice(db)).toBeUndefined();
  });

  it('records opt-outs idempotently and tells which accounts opted out of a category', async () => {
    await insertOptout(db, 'acc_a', 'terms', t0);
    await insertOptout(db, 'acc_a', 'terms', t0);
    await insertOptout(db, 'acc_a', 'billing', t0);
    expect((await listOptouts(db, 'acc_a')).sort()).toEqual(['billing', 'terms']);
    expect(await optedOutAmong(db, 'terms', ['acc_a', 'acc_b'])).toEqual(new Set(['acc_a']));
    expect(await optedOutAmong(db, 'terms', [])).toEqual(new Set());
    await deleteOptout(db, 'acc_a', 'terms');
    expect(await listOptouts(db, 'acc_a')).toEqual(['billing']);
  });
});
