/**
 * The registry's limits under concurrency, on PostgreSQL: 100 registrations at once in one organisation give
 * exactly 50 clients (20 webhook endpoints, 5 receivers per client), the rest `apps.limit_reached`, and a
 * disabled registration frees its place. Concurrent secret rotations leave one secret that works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/apps/registry/actor.ts';
import {
  clientForProvider,
  disableClient,
  registerClient,
  rotateClientSecret,
} from '../../src/apps/registry/clients.ts';
import { registerSignalReceiver } from '../../src/apps/registry/receivers.ts';
import { registerWebhookEndpoint } from '../../src/apps/registry/webhooks.ts';
import { AppError } from '../../src/kernel/errors.ts';
import { adminBrowser, ORG_APPS, shownSecret } from '../http/apps-registry-support.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { orgWithAdmin } from '../support/orgs.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ store: 'postgres', env: { APPS_ALLOW_PRIVATE_NETWORKS: 'false' } });
});
afterAll(async () => {
  await t.close();
});

/** Counts fulfilled calls and the codes of the refused ones. */
function tally(results: PromiseSettledResult<unknown>[]) {
  const codes: Record<string, number> = {};
  let ok = 0;
  for (const r of results) {
    if (r.status === 'fulfilled') ok++;
    else {
      const code = r.reason instanceof AppError ? r.reason.code : String(r.reason);
      codes[code] = (codes[code] ?? 0) + 1;
    }
  }
  return { ok, codes };
}

describe('limits under 100 concurrent registrations (PostgreSQL)', () => {
  it('registers exactly 50 clients in one organisation, refuses the other 50; disabling one frees a place', async () => {
    const { orgId, admin } = await orgWithAdmin(t);
    const by = { kind: 'org_admin' as const, id: admin.accountId, orgId };
    const started = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        registerClient(t.app.deps, by, {
          orgId,
          name: `App ${i}`,
          type: 'confidential',
          redirectUris: [`https://app${i}.example.com/cb`],
        }),
      ),
    );
    const ms = performance.now() - started;
    expect(tally(results)).toEqual({ ok: LIMITS.clientsPerScope, codes: { 'apps.limit_reached': 50 } });
    const rows = await t.app.deps.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM app_clients WHERE org_id = $1',
      [orgId],
    );
    expect(rows[0]?.n).toBe(50);
    console.info(`100 concurrent client registrations on PostgreSQL: ${ms.toFixed(0)} ms`);

    // The page says so too, and a disabled client frees its place.
    const c = adminBrowser(t, admin.token, 'en');
    await c.get(ORG_APPS);
    const refused = await c.post(`${ORG_APPS}/clients`, {
      name: 'One more',
      type: 'public',
      redirectUris: 'http://localhost/cb',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('The limit of 50 has been reached');
    const first = results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{
      clientId: string;
    }>;
    await disableClient(t.app.deps, by, first.value.clientId);
    const again = await registerClient(t.app.deps, by, {
      orgId,
      name: 'One more',
      type: 'public',
      redirectUris: ['http://localhost/cb'],
    });
    expect(again.clientId).toMatch(/^app_/);
  });

  it('registers exactly 20 webhook endpoints in one organisation, and the limits of two organisations are their own', async () => {
    const a = await orgWithAdmin(t);
    const b = await orgWithAdmin(t);
    const call = (o: { orgId: string; admin: { accountId: string } }, i: number) =>
      registerWebhookEndpoint(
        t.app.deps,
        { kind: 'org_admin', id: o.admin.accountId, orgId: o.orgId },
        {
          orgId: o.orgId,
          url: `https://hooks${i}.example.com/in`,
          description: '',
          events: ['password.changed'],
        },
      );
    const results = await Promise.allSettled([
      ...Array.from({ length: 100 }, (_, i) => call(a, i)),
      ...Array.from({ length: 30 }, (_, i) => call(b, i)),
    ]);
    expect(tally(results.slice(0, 100))).toEqual({
      ok: LIMITS.webhookEndpointsPerScope,
      codes: { 'apps.limit_reached': 80 },
    });
    expect(tally(results.slice(100))).toEqual({ ok: 20, codes: { 'apps.limit_reached': 10 } });
  });

  it('gives exactly 20 secrets to 100 concurrent register requests on the webhooks page', async () => {
    const { orgId, admin } = await orgWithAdmin(t);
    const c = adminBrowser(t, admin.token, 'ja');
    const hooks = `${ORG_APPS}/webhooks`;
    const page = await c.get(hooks);
    const csrf = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
    const cookie = [...c.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        t.app.http.inject({
          method: 'POST',
          url: hooks,
          headers: {
            cookie,
            'content-type': 'application/x-www-form-urlencoded',
            'user-agent': 'Mozilla/5.0 no-js-client',
          },
          payload: new URLSearchParams([
            ['_csrf', csrf],
            ['url', `https://burst${i}.example.com/in`],
            ['events', 'password.changed'],
          ]).toString(),
        }),
      ),
    );
    const ms = performance.now() - started;
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 409)).toHaveLength(80);
    const secrets = answers.map((a) => shownSecret(a.body)).filter(Boolean);
    expect(new Set(secrets).size).toBe(20);
    const rows = await t.app.deps.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM webhook_endpoints WHERE org_id = $1',
      [orgId],
    );
    expect(rows[0]?.n).toBe(20);
    console.info(`100 concurrent webhook register requests (HTTP, PostgreSQL): ${ms.toFixed(0)} ms`);
  });

  it('adds exactly 5 receivers to a client out of 100 at once', async () => {
    const { orgId, admin } = await orgWithAdmin(t);
    const by = { kind: 'org_admin' as const, id: admin.accountId, orgId };
    const { clientId } = await registerClient(t.app.deps, by, {
      orgId,
      name: 'Signals',
      type: 'confidential',
      redirectUris: ['https://s.example.com/cb'],
    });
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        registerSignalReceiver(t.app.deps, by, {
          clientId,
          endpointUrl: `https://ssf${i}.example.com/`,
          events: ['https://schemas.openid.net/secevent/caep/event-type/session-revoked'],
        }),
      ),
    );
    expect(tally(results)).toEqual({ ok: LIMITS.receiversPerClient, codes: { 'apps.limit_reached': 95 } });
  });

  it('leaves exactly one working secret after 100 concurrent rotations: the last one issued', async () => {
    const { orgId, admin } = await orgWithAdmin(t);
    const by = { kind: 'org_admin' as const, id: admin.accountId, orgId };
    const { clientId, secret } = await registerClient(t.app.deps, by, {
      orgId,
      name: 'Rotated',
      type: 'confidential',
      redirectUris: ['https://r.example.com/cb'],
    });
    const issued = await Promise.all(
      Array.from({ length: 100 }, () => rotateClientSecret(t.app.deps, by, clientId)),
    );
    expect(new Set(issued).size).toBe(100);
    const stored = (await clientForProvider(t.app.deps, clientId))?.secret;
    expect(stored).not.toBe(secret);
    expect(issued).toContain(stored);
    const audits = await t.app.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM org_audit WHERE org_id = $1 AND action = 'app.secret_rotated'`,
      [orgId],
    );
    expect(audits[0]?.n).toBe(100);
  });
});
