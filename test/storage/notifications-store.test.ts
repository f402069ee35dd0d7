import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimOutboxMessages,
  findMessagesByReference,
  insertOutboxMessage,
  listAccountMessages,
  listParkedMessages,
  markFailed,
  markInFlight,
  markSent,
  raisePendingPriority,
  reencryptOutboxBodies,
  renewOutboxLeases,
  requeueParked,
} from '../../src/notifications/store.ts';
import type { Db } from '../../src/storage/db.ts';
import { openTestStore, type StoreKind } from '../support/databases.ts';

const t0 = new Date('2026-04-01T00:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);

const message = (id: string, recipient: string, priority = 1, now = t0) => ({
  id,
  reference: `ref-${id}`,
  accountId: null,
  channel: 'email' as const,
  kind: 'code',
  recipient,
  subject: 's',
  bodyText: `text-${id}`,
  bodyHtml: '',
  now,
  headers: {},
  priority,
});

describe.each<StoreKind>(['pglite', 'postgres'])('notifications store on %s', (kind) => {
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openTestStore(kind));
  });
  afterAll(() => close());

  it('claims one message per recipient at a time, by priority, and fences outcomes by the lease token', async () => {
    await insertOutboxMessage(db, message('a1', 'a@example.jp', 2));
    await insertOutboxMessage(db, message('a2', 'A@example.jp', 0));
    await insertOutboxMessage(db, message('b1', 'b@example.jp', 1));
    await raisePendingPriority(db, 'a@EXAMPLE.jp', 0);
    const first = await claimOutboxMessages(db, at(1), at(61), 10, 'lease-1');
    // a2 waits behind a1 (same recipient, written first); a1 was raised to priority 0.
    expect(first.map((r) => r.id)).toEqual(['a1', 'b1']);
    expect(first[0]).toMatchObject({ attempts: 1, lease_token: 'lease-1', outcome_unknown: false });
    expect(await claimOutboxMessages(db, at(2), at(62), 10, 'lease-2')).toEqual([]);
    expect(await renewOutboxLeases(db, at(90), ['lease-1'])).toHaveLength(2);
    expect(await markInFlight(db, 'a1', 'other', at(100))).toBe(false);
    expect(await markInFlight(db, 'a1', 'lease-1', at(100))).toBe(true);
    expect(await markSent(db, 'a1', 'wrong', at(3), true)).toBe(false);
    expect(await markSent(db, 'a1', 'lease-1', at(3), true)).toBe(true);
    expect(await markFailed(db, 'b1', 'lease-1', 'parked', at(4), 'boom', 0)).toBe(true);
    expect((await claimOutboxMessages(db, at(5), at(65), 10, 'lease-3')).map((r) => r.id)).toEqual(['a2']);
  });

  it('takes a message over after its lease ran out, counting an unknown outcome when it was in flight', async () => {
    await insertOutboxMessage(db, message('c1', 'c@example.jp'));
    const [c] = await claimOutboxMessages(db, at(10), at(20), 1, 'lease-c');
    expect(c?.id).toBe('c1');
    expect(await markInFlight(db, 'c1', 'lease-c', at(25))).toBe(true);
    expect(await claimOutboxMessages(db, at(21), at(81), 10, 'too-early')).toEqual([]);
    const [again] = await claimOutboxMessages(db, at(26), at(86), 10, 'lease-c2');
    expect(again).toMatchObject({ id: 'c1', attempts: 2, outcome_unknown: true });
    expect(await markSent(db, 'c1', 'lease-c', at(27), false)).toBe(false);
    expect(await markSent(db, 'c1', 'lease-c2', at(27), false)).toBe(true);
  });

  it('lets each due message be claimed by exactly one of many concurrent claims', async () => {
    const n = kind === 'postgres' ? 100 : 20;
    for (let i = 0; i < n; i++)
      await insertOutboxMessage(db, message(`m${i}`, `r${i}@example.jp`, 1, at(30)));
    const claims = await Promise.all(
      Array.from({ length: n }, (_, i) => claimOutboxMessages(db, at(31), at(91), 3, `l${i}`)),
    );
    const ids = claims.flat().map((r) => r.id);
    expect(ids).toHaveLength(n);
    expect(new Set(ids).size).toBe(n);
  });

  it('lists parked messages, puts one back once, and finds messages by reference and account', async () => {
    const parked = await listParkedMessages(db);
    expect(parked.map((p) => [p.id, p.last_error])).toEqual([['b1', 'boom']]);
    const [a, b] = await Promise.all([requeueParked(db, 'b1', at(40)), requeueParked(db, 'b1', at(40))]);
    expect([a, b].filter(Boolean)).toEqual([{ id: 'b1', kind: 'code' }]);
    expect(await listParkedMessages(db)).toEqual([]);
    expect(await findMessagesByReference(db, 'ref-a1')).toEqual([{ created_at: t0 }]);
    expect(await findMessagesByReference(db, 'ref-none')).toEqual([]);
    expect(await listAccountMessages(db, 'acc_none', 10)).toEqual([]);
  });

  it('re-encrypts every body that was not scrubbed', async () => {
    const n = await reencryptOutboxBodies(db, (s) => `new:${s}`);
    const rows = await db.query<{ id: string; body_text: string }>(
      `SELECT id, body_text FROM outbox WHERE id IN ('a1', 'a2')`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.body_text]))).toEqual({ a1: '', a2: 'new:text-a2' });
    expect(n).toBeGreaterThan(0);
  });
});
