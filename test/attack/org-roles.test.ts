/**
 * The last organisation admin under concurrency, on PostgreSQL, across two app instances on one database:
 * 100 requests at once demoting the two organisation admins (each other, through two tokens and two
 * instances) leave at least one; the console's own role form too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import { assignRole } from '../../src/organisations/org-admin.ts';
import { openPostgres } from '../../src/storage/postgres.ts';
import { createToken } from '../http/org-api-support.ts';
import { PG_ADMIN_URL } from '../support/databases.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { accountIn, addMember, orgWithAdmin } from '../support/orgs.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ store: 'postgres' });
});
afterAll(() => t.close());

async function secondInstance(): Promise<{ app: App; close: () => Promise<void> }> {
  const [{ db: name }] = (await t.app.deps.db.query<{ db: string }>('SELECT current_database() AS db')) as [
    { db: string },
  ];
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  const db = await openPostgres(u.toString());
  const app = await createApp(t.app.deps.config, { db, clock: t.clock, manualDispatch: true });
  await app.http.ready();
  return {
    app,
    async close() {
      await app.close();
      await db.close();
    },
  };
}

const admins = async (orgId: string) =>
  (
    await t.app.deps.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM org_members WHERE org_id = $1 AND role = 'org_admin'",
      [orgId],
    )
  )[0]!.n;

describe('attack: the last organisation admin', () => {
  it('100 concurrent demotions of both admins through two instances leave one admin', async () => {
    const org = await orgWithAdmin(t);
    const b = await accountIn(t, org.domain);
    const bId = await addMember(t, org.orgId, b.email, 'org_admin');
    const { token } = await createToken(t, org.admin.token, { role: 'org_admin' });
    const two = await secondInstance();
    try {
      const answers = await Promise.all(
        Array.from({ length: 100 }, (_, i) => {
          const target = i % 2 ? bId : org.admin.accountId;
          const app = i % 4 < 2 ? t.app : two.app;
          return app.http.inject({
            method: 'PUT',
            url: `/api/v1/orgs/${org.orgId}/members/${target}/role`,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            payload: JSON.stringify({ role: 'member' }),
          });
        }),
      );
      expect(await admins(org.orgId)).toBe(1);
      const codes = answers.map((a) => a.statusCode);
      expect(codes.filter((c) => c === 200).length).toBeGreaterThanOrEqual(1);
      expect(codes.every((c) => c === 200 || c === 409)).toBe(true);
    } finally {
      await two.close();
    }
  });

  it('two admins demoting each other at once through the service leave one', async () => {
    const org = await orgWithAdmin(t);
    const b = await accountIn(t, org.domain);
    await addMember(t, org.orgId, b.email, 'org_admin');
    const actor = (id: string, name: string) => ({ kind: 'admin' as const, id, name });
    const r = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        assignRole(
          t.app.deps,
          actor('x', 'x'),
          org.orgId,
          { email: i % 2 ? b.email : org.admin.email, role: 'reader' },
          { existingMemberOnly: true },
        ),
      ),
    );
    expect(r.some((x) => x.status === 'fulfilled')).toBe(true);
    expect(await admins(org.orgId)).toBe(1);
  });

  it('"revoke all" through one instance ends the member\'s sessions on the other at once', async () => {
    const org = await orgWithAdmin(t);
    const m = await accountIn(t, org.domain);
    const id = await addMember(t, org.orgId, m.email);
    const { token } = await createToken(t, org.admin.token, { role: 'auth_admin' });
    const two = await secondInstance();
    try {
      const me = () =>
        two.app.http.inject({
          method: 'GET',
          url: '/api/v1/me',
          headers: { authorization: `Bearer ${m.token}` },
        });
      expect((await me()).statusCode).toBe(200);
      expect((await me()).statusCode).toBe(200);
      const r = await t.api(
        'POST',
        `/api/v1/orgs/${org.orgId}/members/${id}/session-revocation`,
        undefined,
        token,
      );
      expect(r.status).toBe(200);
      expect((await me()).statusCode).toBe(401);
    } finally {
      await two.close();
    }
  });
});
