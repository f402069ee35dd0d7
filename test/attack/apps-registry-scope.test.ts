/**
 * Who may touch a registration: an organisation admin reaches only their organisation's clients, endpoints and
 * receivers (another organisation's look unknown: 404), members and lesser roles none; every change needs the
 * CSRF token; creating, issuing secrets and moving redirect URIs need a fresh proof.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientForProvider,
  getClient,
  registerClient,
  updateClient,
} from '../../src/apps/registry/clients.ts';
import { registerSignalReceiver } from '../../src/apps/registry/receivers.ts';
import { registerWebhookEndpoint, webhookSigningSecrets } from '../../src/apps/registry/webhooks.ts';
import { AppError } from '../../src/kernel/errors.ts';
import { adminBrowser, ORG_APPS, postPairs, shownSecret } from '../http/apps-registry-support.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { accountIn, addMember, orgWithAdmin } from '../support/orgs.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { APPS_ALLOW_PRIVATE_NETWORKS: 'false' } });
});
afterAll(async () => {
  await t.close();
});

async function codeOf(f: () => Promise<unknown>): Promise<string | null> {
  try {
    await f();
    return null;
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}

/** Organisation A with a client, a receiver and a webhook endpoint. */
async function orgWithRegistrations() {
  const a = await orgWithAdmin(t, { name: '株式会社エー' });
  const by = { kind: 'org_admin' as const, id: a.admin.accountId, orgId: a.orgId };
  const { clientId, secret } = await registerClient(t.app.deps, by, {
    orgId: a.orgId,
    name: 'エー社の秘密アプリ',
    type: 'confidential',
    redirectUris: ['https://a.example.com/cb'],
  });
  const receiver = await registerSignalReceiver(t.app.deps, by, {
    clientId,
    endpointUrl: 'https://ssf.a.example.com/',
    events: ['https://schemas.openid.net/secevent/caep/event-type/session-revoked'],
  });
  const hook = await registerWebhookEndpoint(t.app.deps, by, {
    orgId: a.orgId,
    url: 'https://hooks.a.example.com/',
    description: 'エー社',
    events: ['password.changed'],
  });
  return {
    ...a,
    by,
    clientId,
    secret: secret!,
    receiverId: receiver.id,
    hookId: hook.id,
    hookSecret: hook.secret,
  };
}

describe('another organisation’s registrations', () => {
  it('look unknown to an admin of another organisation, on every page and every change', async () => {
    const a = await orgWithRegistrations();
    const b = await orgWithAdmin(t, { name: '株式会社ビー' });
    const c = adminBrowser(t, b.admin.token, 'ja');
    const client = `${ORG_APPS}/clients/${a.clientId}`;
    const own = await c.get(ORG_APPS);
    expect(own.statusCode).toBe(200);
    expect(own.body).not.toContain(a.clientId);
    expect(own.body).not.toContain('エー社の秘密アプリ');
    expect((await c.get(`${ORG_APPS}/webhooks`)).body).not.toContain('hooks.a.example.com');

    const get = await c.get(client);
    expect(get.statusCode).toBe(404);
    expect(get.body).not.toContain('エー社の秘密アプリ');
    const unknown = await c.get(`${ORG_APPS}/clients/app_doesnotexist00000`);
    expect(unknown.statusCode).toBe(404);

    const posts: [string, Record<string, string>][] = [
      [client, { name: 'stolen', redirectUris: 'https://evil.example.com/cb' }],
      [`${client}/rotate`, {}],
      [`${client}/disable`, {}],
      [`${client}/receivers`, { endpointUrl: 'https://evil.example.com/ssf' }],
      [`${client}/receivers/${a.receiverId}/disable`, {}],
      [`${ORG_APPS}/webhooks/${a.hookId}/rotate`, {}],
      [`${ORG_APPS}/webhooks/${a.hookId}/disable`, {}],
    ];
    await c.get(ORG_APPS);
    for (const [url, form] of posts) {
      const r = await c.post(url, form);
      expect(r.statusCode, url).toBe(404);
      expect(shownSecret(r.body), url).toBeUndefined();
    }
    const after = await clientForProvider(t.app.deps, a.clientId);
    expect(after).toMatchObject({ name: 'エー社の秘密アプリ', secret: a.secret, disabled: false });
    expect(after?.metadata.redirect_uris).toEqual(['https://a.example.com/cb']);
    expect(await webhookSigningSecrets(t.app.deps, a.hookId)).toEqual([a.hookSecret]);
    const receivers = await t.app.deps.db.query<{ disabled_at: Date | null }>(
      'SELECT disabled_at FROM signal_receivers WHERE client_id = $1',
      [a.clientId],
    );
    expect(receivers).toEqual([{ disabled_at: null }]);
    expect(
      await t.app.deps.db.query(`SELECT 1 FROM signal_receivers WHERE endpoint_url LIKE '%evil%'`),
    ).toHaveLength(0);
  });

  it('are out of reach in the service too, even when the caller names the other organisation', async () => {
    const a = await orgWithRegistrations();
    const b = await orgWithAdmin(t);
    const byB = { kind: 'org_admin' as const, id: b.admin.accountId, orgId: b.orgId };
    expect(
      await codeOf(() =>
        registerClient(t.app.deps, byB, {
          orgId: a.orgId,
          name: 'planted',
          type: 'public',
          redirectUris: ['https://evil.example.com/cb'],
        }),
      ),
    ).toBe('apps.not_found');
    expect(
      await codeOf(() =>
        registerWebhookEndpoint(t.app.deps, byB, {
          orgId: null,
          url: 'https://evil.example.com/',
          description: '',
          events: ['admin.action'],
        }),
      ),
    ).toBe('apps.not_found');
    expect(await codeOf(() => getClient(t.app.deps, byB, a.clientId))).toBe('apps.not_found');
    expect(
      await codeOf(() =>
        updateClient(t.app.deps, byB, a.clientId, { redirectUris: ['https://evil.example.com/cb'] }),
      ),
    ).toBe('apps.not_found');
    expect(await t.app.deps.db.query(`SELECT 1 FROM app_clients WHERE name = 'planted'`)).toHaveLength(0);
  });
});

describe('roles', () => {
  it('refuses members, readers and authentication admins', async () => {
    const { orgId, domain } = await orgWithAdmin(t);
    for (const role of ['member', 'reader', 'auth_admin'] as const) {
      const acc = await accountIn(t, domain);
      await addMember(t, orgId, acc.email, role);
      const r = await adminBrowser(t, acc.token, 'ja').get(ORG_APPS);
      expect(r.statusCode, role).toBe(403);
    }
  });

  it('sends a signed-out visitor to sign in', async () => {
    const r = await t.app.http.inject({ method: 'GET', url: ORG_APPS });
    expect(r.statusCode).toBe(303);
    expect(String(r.headers.location)).toContain('/sign-in');
  });
});

describe('CSRF and fresh proof', () => {
  it('refuses a change without the CSRF token', async () => {
    const { orgId, admin } = await orgWithAdmin(t);
    const c = adminBrowser(t, admin.token, 'ja');
    const r = await postPairs(
      t,
      c,
      ORG_APPS,
      `${ORG_APPS}/clients`,
      [
        ['name', 'csrf'],
        ['type', 'confidential'],
        ['redirectUris', 'https://csrf.example.com/cb'],
      ],
      { csrf: false },
    );
    expect(r.statusCode).toBe(403);
    const w = await postPairs(
      t,
      c,
      ORG_APPS,
      `${ORG_APPS}/webhooks`,
      [
        ['url', 'https://x.example.com/'],
        ['events', 'admin.action'],
        ['_csrf', 'forged'],
      ],
      { csrf: false },
    );
    expect(w.statusCode).toBe(403);
    expect(await t.app.deps.db.query('SELECT 1 FROM app_clients WHERE org_id = $1', [orgId])).toHaveLength(0);
    expect(
      await t.app.deps.db.query('SELECT 1 FROM webhook_endpoints WHERE org_id = $1', [orgId]),
    ).toHaveLength(0);
  });

  it('asks to prove it is you again before registering, issuing secrets or moving redirect URIs with a stale proof', async () => {
    const a = await orgWithRegistrations();
    const c = adminBrowser(t, a.admin.token, 'ja');
    await c.get(ORG_APPS);
    // The step-up window is 10 minutes: 11 minutes later the session is alive but its proof is stale.
    t.clock.advance(11 * 60_000);
    const client = `${ORG_APPS}/clients/${a.clientId}`;
    const attempts: [string, Record<string, string>, string][] = [
      [
        `${ORG_APPS}/clients`,
        { name: 'late', type: 'confidential', redirectUris: 'https://late.example.com/cb' },
        ORG_APPS,
      ],
      [client, { name: 'moved', redirectUris: 'https://evil.example.com/cb' }, client],
      [`${client}/rotate`, {}, client],
      [`${client}/receivers`, { endpointUrl: 'https://late.example.com/ssf' }, client],
      [
        `${ORG_APPS}/webhooks`,
        { url: 'https://late.example.com/', events: 'admin.action' },
        `${ORG_APPS}/webhooks`,
      ],
      [`${ORG_APPS}/webhooks/${a.hookId}/rotate`, {}, `${ORG_APPS}/webhooks`],
    ];
    for (const [url, form, back] of attempts) {
      const r = await c.post(url, form);
      expect(r.statusCode, url).toBe(303);
      expect(r.headers.location, url).toBe(`/security/reauth?next=${encodeURIComponent(back)}`);
      expect(shownSecret(r.body), url).toBeUndefined();
    }
    const after = await clientForProvider(t.app.deps, a.clientId);
    expect(after).toMatchObject({ name: 'エー社の秘密アプリ', secret: a.secret });
    expect(after?.metadata.redirect_uris).toEqual(['https://a.example.com/cb']);
    expect(await webhookSigningSecrets(t.app.deps, a.hookId)).toEqual([a.hookSecret]);
    expect(await t.app.deps.db.query(`SELECT 1 FROM app_clients WHERE name = 'late'`)).toHaveLength(0);
    expect(await t.app.deps.db.query(`SELECT 1 FROM webhook_endpoints WHERE url LIKE '%late%'`)).toHaveLength(
      0,
    );
    expect(
      await t.app.deps.db.query(`SELECT 1 FROM signal_receivers WHERE endpoint_url LIKE '%late%'`),
    ).toHaveLength(0);
    // Looking still works with a stale proof.
    expect((await c.get(client)).statusCode).toBe(200);
  });
});
