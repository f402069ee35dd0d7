import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clearFlowMethod,
  completeFlow,
  countConfirmation,
  findFlow,
  insertFlow,
  markFlowVerified,
  markFlowVerifiedByRecoveryCode,
  moveToSecondProof,
  setFlowMethod,
} from '../../src/recovery/store.ts';
import type { Db } from '../../src/storage/db.ts';
import { openTestStore, type StoreKind } from '../support/databases.ts';

const T0 = new Date('2026-11-29T10:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

/** The reset-flow store's contract, on the embedded store and on PostgreSQL. */
describe.each<StoreKind>(['pglite', 'postgres'])('recovery store (reset_flows) on %s', (kind) => {
  let db: Db;
  let close: () => Promise<void>;
  let n = 0;
  beforeAll(async () => {
    ({ db, close } = await openTestStore(kind));
  });
  afterAll(() => close());

  async function flow(o: { accountId?: string | null; stamp?: string | null } = {}) {
    const id = `flow-${kind}-${++n}`;
    await insertFlow(db, {
      id,
      accountId: o.accountId ?? null,
      accountKey: `someone${n}@example.com`,
      createdAt: T0,
      expiresAt: later(30 * 60_000),
      stamp: o.stamp ?? null,
    });
    return id;
  }

  it('finds a flow by its id with its stamp as text, and nothing for another id', async () => {
    const id = await flow({ stamp: '9007199254740993' });
    const row = await findFlow(db, id);
    expect(row).toMatchObject({
      id,
      account_id: null,
      method_id: null,
      challenge_id: null,
      verified_at: null,
      completed_at: null,
      attempts: 0,
      first_method_id: null,
      used_recovery_code: false,
      stamp: '9007199254740993',
    });
    expect(row?.expires_at).toEqual(later(30 * 60_000));
    expect(await findFlow(db, `${id}-other`)).toBeNull();
    expect(await db.tx((tx) => findFlow(tx, id, true))).toMatchObject({ id });
  });

  it('walks the steps: method, second proof, verified (also by recovery code), completed', async () => {
    const id = await flow();
    await setFlowMethod(db, id, 'mth_a', 'chl_a');
    expect(await findFlow(db, id)).toMatchObject({ method_id: 'mth_a', challenge_id: 'chl_a' });
    await clearFlowMethod(db, id);
    expect(await findFlow(db, id)).toMatchObject({ method_id: null, challenge_id: 'chl_a' });
    await setFlowMethod(db, id, 'mth_totp', null);
    await moveToSecondProof(db, id);
    expect(await findFlow(db, id)).toMatchObject({
      first_method_id: 'mth_totp',
      method_id: null,
      challenge_id: null,
    });
    await markFlowVerified(db, id, later(1000));
    await completeFlow(db, id, later(2000));
    expect(await findFlow(db, id)).toMatchObject({ verified_at: later(1000), completed_at: later(2000) });

    const byCode = await flow({ stamp: '3' });
    await markFlowVerifiedByRecoveryCode(db, byCode, later(5), '4');
    expect(await findFlow(db, byCode)).toMatchObject({
      verified_at: later(5),
      used_recovery_code: true,
      stamp: '4',
    });
  });

  it('counts confirmations only while the flow is open and under the cap', async () => {
    const id = await flow();
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await countConfirmation(db, id, 3, later(1000)));
    expect(results).toEqual([true, true, true, false]);
    expect((await findFlow(db, id))?.attempts).toBe(3);
    const expired = await flow();
    expect(await countConfirmation(db, expired, 3, later(30 * 60_000))).toBe(false);
    const verified = await flow();
    await markFlowVerified(db, verified, later(1));
    expect(await countConfirmation(db, verified, 3, later(2))).toBe(false);
    const completed = await flow();
    await completeFlow(db, completed, later(1));
    expect(await countConfirmation(db, completed, 3, later(2))).toBe(false);
    expect(await countConfirmation(db, 'no-such-flow', 3, later(2))).toBe(false);
    expect((await findFlow(db, expired))?.attempts).toBe(0);
  });

  it('never counts past the cap under 100 concurrent confirmations', async () => {
    const id = await flow();
    const results = await Promise.all(
      Array.from({ length: 100 }, () => countConfirmation(db, id, 5, later(1000))),
    );
    expect(results.filter(Boolean)).toHaveLength(5);
    expect((await findFlow(db, id))?.attempts).toBe(5);
  });

  it('a locked flow makes a second locker wait until the first commits (reserve, then act)', async () => {
    const id = await flow();
    const order: string[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const first = db.tx(async (tx) => {
      await findFlow(tx, id, true);
      order.push('first locked');
      await held;
      await setFlowMethod(tx, id, 'mth_first', 'chl_first');
      order.push('first wrote');
    });
    // Give the first transaction time to take its lock before the second asks for it.
    await new Promise((r) => setTimeout(r, 50));
    const second = db.tx(async (tx) => {
      const row = await findFlow(tx, id, true);
      order.push(`second saw ${row?.method_id}`);
    });
    await new Promise((r) => setTimeout(r, 50));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first locked', 'first wrote', 'second saw mth_first']);
  });
});
