import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/storage/db.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { account, call, freshEmail, ipv4, observable } from './support.ts';

const STRANGER = 'the stranger passphrase 99';
const OWNER = 'the owner passphrase 11';

/**
 * Only the newest sign-up of an address stands. A later sign-up ends the earlier tokens for a new or
 * unconfirmed address (whose password it replaced) and for a confirmed one (decoys) alike, so using the
 * first token after a second sign-up tells nothing about whether the address has an account.
 */
describe('sign-up tokens: the newest sign-up of an address stands (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  const signup = (email: string, password: string) =>
    call(t, 'POST', '/api/v1/signup', { email, password, displayName: '山田', locale: 'ja' }, { ip: ipv4() });

  async function twice(email: string) {
    const first = await signup(email, 'the first passphrase 11');
    t.clock.advance(61_000);
    const second = await signup(email, 'the second passphrase 22');
    expect([first.status, second.status]).toEqual([202, 202]);
    await t.drain();
    t.clock.advance(61_000);
    return { first: first.body.signupToken as string, second: second.body.signupToken as string };
  }

  it('the first token after a second sign-up answers alike for a confirmed and a new address', async () => {
    const known = await account(t);
    t.clock.advance(3600_000);
    const k = await twice(known.email);
    const fresh = freshEmail('new');
    const n = await twice(fresh);
    const confirm = (token: string) =>
      call(t, 'POST', '/api/v1/signup/confirm', { signupToken: token, code: '000000' }, { ip: ipv4() });
    const resend = (token: string) =>
      call(t, 'POST', '/api/v1/signup/resend', { signupToken: token }, { ip: ipv4() });
    const kc = await confirm(k.first);
    const nc = await confirm(n.first);
    expect(observable(kc)).toEqual(observable(nc));
    expect(kc.body.error?.code).toBe('code.not_found');
    const kr = await resend(k.first);
    const nr = await resend(n.first);
    expect(observable(kr)).toEqual(observable(nr));
    expect(kr.body.error?.code).toBe('code.not_found');
    // The newest one still works for the new address.
    const code = await t.mailedCode(fresh);
    const ok = await call(
      t,
      'POST',
      '/api/v1/signup/confirm',
      { signupToken: n.second, code },
      { ip: ipv4() },
    );
    expect(ok.status).toBe(200);
  });
});

describe('sign-up confirmation racing a stranger’s sign-up of the same address (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  /** Whether a sign-up statement is waiting for a row lock (the stranger's, blocked by the confirmation). */
  const waitsForLock = async () =>
    (
      await t.app.deps.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'
           AND datname = current_database()
           AND (query LIKE 'SELECT * FROM accounts WHERE email_key%' OR query LIKE 'DELETE FROM challenges%')`,
      )
    )[0]!.n > 0;

  it('a stranger’s sign-up committed between the code check and the confirmation confirms nothing', async () => {
    const email = freshEmail('victim');
    const mine = await call(
      t,
      'POST',
      '/api/v1/signup',
      { email, password: OWNER, displayName: '山田', locale: 'ja' },
      { ip: ipv4() },
    );
    const code = await t.mailedCode(email);
    t.clock.advance(61_000);
    // Right after the confirmation's code check (inside its transaction), the stranger's sign-up runs until
    // it ends or waits for a lock the confirmation holds: the worst interleaving, made deterministic.
    const db = t.app.deps.db;
    const tx = db.tx.bind(db);
    let stranger: Promise<unknown> | null = null;
    db.tx = ((fn: (s: Sql) => Promise<unknown>) =>
      tx((s) =>
        fn({
          ...s,
          query: (async (text: string, params?: unknown[]) => {
            const rows = await s.query(text, params);
            if (!stranger && /^UPDATE challenges SET consumed_at/.test(text.trim()) && rows.length === 1) {
              let settled = false;
              stranger = call(
                t,
                'POST',
                '/api/v1/signup',
                { email, password: STRANGER, displayName: 'stranger', locale: 'ja' },
                { ip: ipv4() },
              ).finally(() => {
                settled = true;
              });
              // Until the stranger's sign-up has ended or waits for a row this confirmation holds.
              while (!settled && !(await waitsForLock())) await new Promise((r) => setTimeout(r, 10));
            }
            return rows;
          }) as Sql['query'],
        } as Sql),
      )) as typeof db.tx;
    let confirmed: { status: number };
    try {
      confirmed = await call(
        t,
        'POST',
        '/api/v1/signup/confirm',
        { signupToken: mine.body.signupToken, code },
        { ip: ipv4() },
      );
    } finally {
      db.tx = tx as typeof db.tx;
    }
    expect(stranger).not.toBeNull();
    const theirs = (await stranger) as unknown as { status: number };
    // Neither answer is a 5xx (no deadlock between the two), and the owner's confirmation won.
    expect([confirmed.status, theirs.status]).toEqual([200, 202]);
    expect((await t.api('POST', '/api/v1/sessions', { email, password: OWNER })).status).toBe(200);
    const s = await t.api('POST', '/api/v1/sessions', { email, password: STRANGER });
    expect(s.status === 200 || s.body.secondFactor !== undefined).toBe(false);
  });
});
