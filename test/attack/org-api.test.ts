/**
 * Kind: the organisation API under concurrency, on PostgreSQL. Many integrations saving the policy from the
 * same version at once: exactly one wins, the others are told about the conflict and nothing is lost or
 * doubled. A token revoked on one instance is refused by another instance of the same deployment at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import { openPostgres } from '../../src/storage/postgres.ts';
import { createToken } from '../http/org-api-support.ts';
import { PG_ADMIN_URL } from '../support/databases.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { orgWithAdmin } from '../support/orgs.ts';
import { signedIn } from '../web/page-text.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ store: 'postgres' });
});
afterAll(async () => {
  await t.close();
});

const POLICY = {
  allowed: { passkey: true, totp: true, phone: true, email: true },
  smsCountries: ['JP'],
  minMethods: 2,
  required: ['phone'],
  resetMethods: 1,
  reconfirmDays: 180,
  enforceRegistration: true,
  snoozeDays: 1,
  maxSnoozes: 3,
};

/** A second instance of the app on the same PostgreSQL database (its own pool). */
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

describe('organisation API on PostgreSQL', () => {
  it('100 concurrent policy saves from the same version: exactly one 200, the rest 409, one new version', async () => {
    const { orgId, admin } = await orgWithAdmin(t);
    const { token } = await createToken(t, admin.token);
    const url = `/api/v1/orgs/${orgId}/policy`;
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        t.app.http.inject({
          method: 'PUT',
          url,
          headers: { authorization: `Bearer ${token}` },
          // Each save differs (a distinct re-confirmation period), so none is a no-op.
          payload: { baseVersion: 1, policy: { ...POLICY, reconfirmDays: 100 + i } },
        }),
      ),
    );
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    for (const a of answers.filter((x) => x.statusCode === 409))
      expect(JSON.parse(a.body).error.code).toBe('org.policy_conflict');
    const winner = JSON.parse(answers.find((a) => a.statusCode === 200)?.body ?? '{}') as {
      version: number;
      policy: { reconfirmDays: number };
    };
    expect(winner.version).toBe(2);
    const now = await t.api('GET', url, undefined, token);
    expect(now.body).toEqual({ version: 2, policy: winner.policy });
    const audit = (await t.api('GET', `/api/v1/orgs/${orgId}/audit?limit=100`, undefined, token)).body
      .entries as { action: string }[];
    expect(audit.filter((e) => e.action === 'policy.changed')).toHaveLength(1);
  }, 120_000);

  it('a token revoked through one instance is refused by the other at once', async () => {
    const { orgId, admin } = await orgWithAdmin(t);
    const { token } = await createToken(t, admin.token);
    const other = await secondInstance();
    try {
      const get = (app: App) =>
        app.http
          .inject({
            method: 'GET',
            url: `/api/v1/orgs/${orgId}`,
            headers: { authorization: `Bearer ${token}` },
          })
          .then((r) => r.statusCode);
      expect(await get(other.app)).toBe(200);
      expect(await get(t.app)).toBe(200);
      const [row] = await t.app.deps.db.query<{ id: string }>(
        'SELECT id FROM org_api_tokens WHERE org_id = $1',
        [orgId],
      );
      const c = signedIn(t, admin.token);
      await c.get('/org/tokens');
      expect((await c.post(`/org/tokens/${row?.id}/revoke`, {})).statusCode).toBe(303);
      expect(await get(other.app)).toBe(401);
      expect(await get(t.app)).toBe(401);
    } finally {
      await other.close();
    }
  }, 60_000);
});
