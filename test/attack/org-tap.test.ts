import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/web/plumbing.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { accountIn, addMember, orgWithAdmin } from '../support/orgs.ts';
import { formClient } from '../web/browser-less-client.ts';
import { recordStatements } from './support.ts';

/**
 * Attacks on the temporary access pass sign-in (/sign-in/pass), on PostgreSQL: a wrong address and a wrong
 * pass answer the same after the same statements; a one-time pass under 100 concurrent uses gives exactly
 * one session; guesses are limited like password sign-in, before anything is checked.
 */

async function setUp(t: TestApp, o: { oneTime: boolean }) {
  const org = await orgWithAdmin(t);
  const m = await accountIn(t, org.domain);
  await addMember(t, org.orgId, m.email);
  const id = (await t.api('GET', '/api/v1/me', undefined, m.token)).body.id as string;
  const admin = formClient(t);
  admin.jar.set(SESSION_COOKIE, org.admin.token);
  await admin.get(`/org/members/${id}`);
  const r = await admin.post(`/org/members/${id}/tap`, {
    length: '8',
    lifetime: '60',
    ...(o.oneTime ? { one_time: 'on' } : {}),
  });
  const pass = /<code>([A-Z0-9]+)<\/code>/.exec(r.body)?.[1] ?? '';
  expect(pass).toHaveLength(8);
  return { org, m, id, pass };
}

async function liveSessions(t: TestApp, accountId: string): Promise<number> {
  return (
    await t.app.deps.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM sessions WHERE account_id = $1',
      [accountId],
    )
  )[0]!.n;
}

/** The visible parts of an answer: status, where it goes, the error shown. */
function visible(r: { statusCode: number; headers: Record<string, unknown>; body: string }) {
  return {
    status: r.statusCode,
    location: r.headers.location,
    error: /<div class="notice error"[^>]*>([\s\S]*?)<\/div>/.exec(r.body)?.[1] ?? null,
  };
}

describe('attack: temporary access pass sign-in (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      store: 'postgres',
      env: { SIGNIN_FAILURES_PER_ACCOUNT: '1000', SIGNIN_FAILURES_PER_IP: '100000' },
    });
  });
  afterAll(() => t.close());

  it('a wrong address and a wrong pass answer the same, after the same statements', async () => {
    const { m, pass } = await setUp(t, { oneTime: true });
    const recorder = recordStatements(t, 60);
    const wrongPass = pass.startsWith('A') ? `B${pass.slice(1)}` : `A${pass.slice(1)}`;
    const attempt = async (email: string, p: string) => {
      const c = formClient(t);
      await c.get('/sign-in/pass');
      await recorder.reset();
      const r = await c.post('/sign-in/pass', { email, pass: p });
      await recorder.settle();
      return { v: visible(r), statements: [...recorder.statements] };
    };
    const unknown = await attempt(`nobody.${Math.random().toString(36).slice(2, 7)}@example.com`, pass);
    const wrong = await attempt(m.email, wrongPass);
    expect(unknown.v.status).toBe(401);
    expect(unknown.v.error).toBeTruthy();
    expect(unknown.statements.some((q) => q.includes('temporary_access_passes'))).toBe(true);
    expect(wrong.v).toEqual(unknown.v);
    expect(wrong.statements).toEqual(unknown.statements);
    // Not spent by the failures: the right pass still works once.
    const ok = formClient(t);
    await ok.get('/sign-in/pass');
    expect((await ok.post('/sign-in/pass', { email: m.email, pass })).statusCode).toBe(303);
  });

  it('a one-time pass used 100 times at once gives exactly one session', async () => {
    const { m, id, pass } = await setUp(t, { oneTime: true });
    const before = await liveSessions(t, id);
    const clients = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const c = formClient(t);
        await c.get('/sign-in/pass');
        return c;
      }),
    );
    const answers = await Promise.all(clients.map((c) => c.post('/sign-in/pass', { email: m.email, pass })));
    const by = answers.reduce<Record<number, number>>((acc, r) => {
      acc[r.statusCode] = (acc[r.statusCode] ?? 0) + 1;
      return acc;
    }, {});
    expect(by).toEqual({ 303: 1, 401: 99 });
    expect((await liveSessions(t, id)) - before).toBe(1);
  });
});

describe('attack: guessing passes is limited like password sign-in', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('after 10 wrong passes for an address, even the right one is refused with Retry-After', async () => {
    const { m, pass } = await setUp(t, { oneTime: true });
    const c = formClient(t);
    await c.get('/sign-in/pass');
    for (let i = 0; i < 10; i++) {
      const r = await c.post('/sign-in/pass', { email: m.email, pass: `WRONG${String(i).padStart(3, '2')}` });
      expect(r.statusCode).toBe(401);
    }
    const blocked = await c.post('/sign-in/pass', { email: m.email, pass });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // The window ends by itself; the pass was not spent by the refused attempt.
    t.clock.advance(16 * 60_000);
    expect((await c.post('/sign-in/pass', { email: m.email, pass })).statusCode).toBe(303);
  });
});
