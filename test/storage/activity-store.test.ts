import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteExpiredActivity,
  insertActivity,
  listAccountActivity,
  listActivitySince,
  markActivityReviewed,
  recordActivityIfAccount,
} from '../../src/activity/store.ts';
import type { Sql } from '../../src/kernel/sql.ts';
import type { Db } from '../../src/storage/db.ts';
import { openTestStore, type StoreKind } from '../support/databases.ts';

/** An account row for the foreign key (the accounts capability owns the table; a fixture only). */
async function account(db: Db, id: string): Promise<void> {
  await db.query(
    `INSERT INTO accounts (id, email, email_key, display_name, locale, password_hash, password_changed_at,
       created_at, updated_at) VALUES ($1, $2, $2, 'T', 'ja', 'x', now(), now(), now())`,
    [id, `${id}@example.jp`],
  );
}

const entry = (id: string, accountId: string, createdAt: Date, unusual = false) => ({
  id,
  accountId,
  kind: 'signin.success',
  createdAt,
  ip: '192.0.2.1',
  userAgent: 'UA',
  detail: { a: 'b' },
  country: 'JP',
  deviceKey: 'dev',
  unusual,
});

describe.each<StoreKind>(['pglite', 'postgres'])('activity store on %s', (kind) => {
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openTestStore(kind));
    await account(db, 'acc_a');
    await account(db, 'acc_b');
  });
  afterAll(() => close());

  it('lists an account’s entries newest first, the later written first on equal times, only its own', async () => {
    const t = new Date('2026-01-01T00:00:00Z');
    await insertActivity(db, entry('act_1', 'acc_a', t));
    await insertActivity(db, entry('act_2', 'acc_a', t));
    await insertActivity(db, entry('act_3', 'acc_a', new Date(t.getTime() + 1000)));
    await insertActivity(db, entry('act_x', 'acc_b', t));
    const rows = await listAccountActivity(db, 'acc_a', 10);
    expect(rows.map((r) => r.id)).toEqual(['act_3', 'act_2', 'act_1']);
    const detail = rows[0]!.detail;
    expect(typeof detail === 'string' ? JSON.parse(detail) : detail).toEqual({ a: 'b' });
    expect(await listAccountActivity(db, 'acc_a', 2)).toHaveLength(2);
    const since = await listActivitySince(db, 'acc_a', t, 10);
    expect(since.map((r) => [r.id, r.country, r.unusual, r.review])).toEqual([['act_3', 'JP', false, null]]);
  });

  it('takes a review only on an unusual entry of the same account', async () => {
    const t = new Date('2026-01-02T00:00:00Z');
    await insertActivity(db, entry('act_u', 'acc_a', t, true));
    expect(await markActivityReviewed(db, 'acc_b', 'act_u', 'me')).toBe(false);
    expect(await markActivityReviewed(db, 'acc_a', 'act_1', 'me')).toBe(false);
    expect(await markActivityReviewed(db, 'acc_a', 'act_u', 'not_me')).toBe(true);
    const [row] = await listActivitySince(db, 'acc_a', new Date(t.getTime() - 1), 1);
    expect(row?.review).toBe('not_me');
  });

  it('deletes only entries older than the limit', async () => {
    const before = (await listAccountActivity(db, 'acc_a', 100)).length;
    expect(await deleteExpiredActivity(db, new Date('2026-01-01T00:00:00.500Z'))).toBe(3);
    expect((await listAccountActivity(db, 'acc_a', 100)).length).toBe(before - 2);
    expect(await deleteExpiredActivity(db, new Date('2026-01-01T00:00:00.500Z'))).toBe(0);
  });

  it('records an entry about an account by id or by address in one statement, and nothing for none', async () => {
    const t = new Date('2026-01-03T00:00:00Z');
    let statements = 0;
    const counted: Sql = {
      query: <T>(text: string, params?: unknown[]) => {
        statements += 1;
        return db.query<T>(text, params);
      },
      script: (text) => db.script(text),
    };
    const record = (id: string, account: { id: string | null } | { emailKey: string }) =>
      recordActivityIfAccount(counted, {
        id,
        account,
        kind: 'signin.wrong_password',
        at: t,
        ip: '192.0.2.9',
        userAgent: 'U'.repeat(600),
        country: 'JP',
        deviceKey: 'dev',
      });
    await record('act_byid', { id: 'acc_b' });
    await record('act_bykey', { emailKey: 'acc_b@example.jp' });
    await record('act_nullid', { id: null });
    await record('act_noacc', { emailKey: 'nobody@example.jp' });
    expect(statements).toBe(4);
    const rows = await listActivitySince(db, 'acc_b', new Date(t.getTime() - 1), 10);
    expect(rows.map((r) => r.id).sort()).toEqual(['act_byid', 'act_bykey']);
    expect(rows.every((r) => r.user_agent.length === 512 && !r.unusual)).toBe(true);
    const detail = rows[0]?.detail;
    expect(typeof detail === 'string' ? JSON.parse(detail) : detail).toEqual({});
    // A detail, when given, is written with the entry (and nothing for an unknown account, same statement).
    const detailed = (id: string, accountId: string | null) =>
      recordActivityIfAccount(counted, {
        id,
        account: { id: accountId },
        kind: 'recovery_form.submitted',
        at: t,
        ip: '192.0.2.9',
        userAgent: 'U',
        country: 'JP',
        deviceKey: 'dev',
        detail: { request: 'rfr_1', score: '12' },
      });
    await detailed('act_detail', 'acc_b');
    await detailed('act_detail_none', null);
    expect(statements).toBe(6);
    const after = await listActivitySince(db, 'acc_b', new Date(t.getTime() - 1), 10);
    const entry = after.find((r) => r.id === 'act_detail');
    const d = entry?.detail;
    expect(typeof d === 'string' ? JSON.parse(d) : d).toEqual({ request: 'rfr_1', score: '12' });
    expect(after.some((r) => r.id === 'act_detail_none')).toBe(false);
  });
});
