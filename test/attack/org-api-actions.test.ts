/**
 * Kind: temporary access passes made through the organisation API, under concurrency, on PostgreSQL.
 * 100 integrations creating a pass for the same member at once: every call answers a pass, but exactly one
 * pass works afterwards — the last one created (a new pass replaces the old). A one-time pass made through
 * the API, used 100 times at once at /sign-in/pass, gives exactly one session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../http/org-api-support.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { accountIn, addMember, orgWithAdmin } from '../support/orgs.ts';
import { formClient } from '../web/browser-less-client.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    store: 'postgres',
    env: { SIGNIN_FAILURES_PER_ACCOUNT: '1000', SIGNIN_FAILURES_PER_IP: '100000' },
  });
});
afterAll(async () => {
  await t.close();
});

async function setUp() {
  const org = await orgWithAdmin(t);
  const m = await accountIn(t, org.domain);
  const id = await addMember(t, org.orgId, m.email);
  const { token } = await createToken(t, org.admin.token, { role: 'auth_admin', name: 'helpdesk' });
  return { org, m, id, token };
}

async function sessionsOf(accountId: string): Promise<number> {
  return (
    await t.app.deps.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM sessions WHERE account_id = $1',
      [accountId],
    )
  )[0]!.n;
}

async function signInClients(n: number) {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const c = formClient(t);
      await c.get('/sign-in/pass');
      return c;
    }),
  );
}

describe('attack: temporary access passes through the API (PostgreSQL)', () => {
  it('100 concurrent creations for one member leave exactly one valid pass: the last one created', async () => {
    const { org, m, id, token } = await setUp();
    // Each call asks for its own lifetime, so the audit log tells which call was created last.
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        t.api(
          'POST',
          `/api/v1/orgs/${org.orgId}/members/${id}/temporary-access-pass`,
          { lifetimeMinutes: 100 + i },
          token,
        ),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(201));
    const passes = answers.map((a) => a.body.pass as string);
    expect(new Set(passes).size).toBe(100);

    const rows = await t.app.deps.db.query<{ expires_at: Date }>(
      'SELECT expires_at FROM temporary_access_passes WHERE account_id = $1',
      [id],
    );
    expect(rows).toHaveLength(1);
    const created = await t.app.deps.db.query<{ minutes: string }>(
      `SELECT detail->>'minutes' AS minutes FROM org_audit WHERE org_id = $1 AND action = 'tap.created' ORDER BY seq`,
      [org.orgId],
    );
    expect(created).toHaveLength(100);
    const lastMinutes = Number(created.at(-1)?.minutes);
    const last = lastMinutes - 100;
    expect(rows[0]?.expires_at.toISOString()).toBe(answers[last]?.body.expiresAt);

    // Try every pass (multi-use, so a working one works for each try): only the last one signs in.
    const clients = await signInClients(100);
    const results = await Promise.all(
      clients.map((c, i) => c.post('/sign-in/pass', { email: m.email, pass: passes[i] ?? '' })),
    );
    const worked = results.flatMap((r, i) => (r.statusCode === 303 ? [i] : []));
    expect(worked).toEqual([last]);
    expect(results.filter((r) => r.statusCode === 401)).toHaveLength(99);
  });

  it('a one-time pass made through the API, used 100 times at once, gives exactly one session', async () => {
    const { org, m, id, token } = await setUp();
    const r = await t.api(
      'POST',
      `/api/v1/orgs/${org.orgId}/members/${id}/temporary-access-pass`,
      { oneTime: true },
      token,
    );
    expect(r.status).toBe(201);
    const pass = r.body.pass as string;
    const before = await sessionsOf(id);
    const clients = await signInClients(100);
    const answers = await Promise.all(clients.map((c) => c.post('/sign-in/pass', { email: m.email, pass })));
    const by = answers.reduce<Record<number, number>>((acc, a) => {
      acc[a.statusCode] = (acc[a.statusCode] ?? 0) + 1;
      return acc;
    }, {});
    expect(by).toEqual({ 303: 1, 401: 99 });
    expect((await sessionsOf(id)) - before).toBe(1);
    const used = await t.app.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM org_audit WHERE org_id = $1 AND action = 'tap.used'`,
      [org.orgId],
    );
    expect(used[0]?.n).toBe(1);
  });
});
