/**
 * Hostile registrations: redirect URIs that would widen where codes go, URLs that would make Mamori call its
 * own network (SSRF), names that hide or reorder text, unknown events. The checks are exercised as functions
 * (each rule, both client types, with and without private networks) and through the service and the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerClient } from '../../src/apps/registry/clients.ts';
import { checkName } from '../../src/apps/registry/inputs.ts';
import { registerSignalReceiver } from '../../src/apps/registry/receivers.ts';
import { checkEndpointUrl, checkRedirectUri, checkRedirectUris } from '../../src/apps/registry/uris.ts';
import { registerWebhookEndpoint } from '../../src/apps/registry/webhooks.ts';
import { AppError } from '../../src/kernel/errors.ts';
import { adminBrowser, ORG_APPS, postPairs } from '../http/apps-registry-support.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { orgWithAdmin } from '../support/orgs.ts';

const codeOf = (f: () => unknown): string | null => {
  try {
    f();
    return null;
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
};

const long = `https://example.com/${'a'.repeat(2000)}`;

/** [uri, accepted for a confidential client, accepted for a public client]. */
const REDIRECTS: [string, boolean, boolean][] = [
  ['https://app.example.com/callback', true, true],
  ['https://app.example.com:8443/cb?tenant=a', true, true],
  ['https://xn--r8jz45g.example/cb', true, true],
  ['https://[2001:db8::1]/cb', true, true],
  ['http://localhost/cb', false, true],
  ['http://localhost:51234/cb', false, true],
  ['http://127.0.0.1:8080/cb', false, true],
  ['http://[::1]:3000/cb', false, true],
  ['com.example.app:/callback', false, true],
  ['com.example.app:/oauth2redirect/example-provider', false, true],
  // Refused for both.
  ['http://app.example.com/cb', false, false],
  ['http://localhost.evil.com/cb', false, false],
  ['http://127.0.0.2/cb', false, false],
  ['https://app.example.com/cb#frag', false, false],
  ['https://app.example.com/cb#', false, false],
  ['https://user:pw@app.example.com/cb', false, false],
  ['https://app.example.com@evil.com/cb', false, false],
  ['https://evil.com\\@app.example.com/cb', false, false],
  ['https://*.example.com/cb', false, false],
  ['https://app.example.com/c b', false, false],
  ['https://アプリ.example/cb', false, false],
  ['https://app.example.com/cb\u202e', false, false],
  ['//app.example.com/cb', false, false],
  ['/callback', false, false],
  ['javascript:alert(1)', false, false],
  ['data:text/html,<script>alert(1)</script>', false, false],
  ['file:///etc/passwd', false, false],
  ['myapp:/cb', false, false],
  ['com.example.app://host/cb', false, false],
  ['com.example.app:cb', false, false],
  ['https://', false, false],
  ['', false, false],
  [long, false, false],
];

describe('redirect URI rules', () => {
  for (const [uri, confidential, pub] of REDIRECTS) {
    it(`${JSON.stringify(uri.slice(0, 60))}: confidential ${confidential ? 'yes' : 'no'}, public ${pub ? 'yes' : 'no'}`, () => {
      expect(codeOf(() => checkRedirectUri(uri, 'confidential'))).toBe(
        confidential ? null : 'apps.redirect_uri_invalid',
      );
      expect(codeOf(() => checkRedirectUri(uri, 'public'))).toBe(pub ? null : 'apps.redirect_uri_invalid');
    });
  }

  it('keeps each URI exactly as typed (no normalisation that could widen it)', () => {
    expect(checkRedirectUri('https://App.Example.com:443/a/../cb?x=%41', 'confidential')).toBe(
      'https://App.Example.com:443/a/../cb?x=%41',
    );
  });

  it('takes 1 to 10 distinct URIs, refuses non-strings and more', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `https://a.example.com/${i}`);
    expect(checkRedirectUris([...ten, ten[0]], 'confidential', 1)).toEqual(ten);
    expect(codeOf(() => checkRedirectUris([...ten, 'https://a.example.com/x'], 'confidential', 1))).toBe(
      'apps.redirect_uris_count',
    );
    expect(codeOf(() => checkRedirectUris([], 'confidential', 1))).toBe('apps.redirect_uris_count');
    expect(codeOf(() => checkRedirectUris('https://a.example.com/', 'confidential', 1))).toBe(
      'apps.redirect_uri_invalid',
    );
    expect(
      codeOf(() => checkRedirectUris([{ toString: () => 'https://a.example.com/' }], 'confidential', 1)),
    ).toBe('apps.redirect_uri_invalid');
  });
});

/** [url, code when private networks are not allowed, code when they are]. */
const ENDPOINTS: [string, string | null, string | null][] = [
  ['https://hooks.example.com/in', null, null],
  ['https://hooks.example.com:8443/in?k=v', null, null],
  ['http://hooks.example.com/in', 'apps.url_invalid', null],
  ['https://localhost/in', 'apps.url_not_allowed', null],
  ['https://api.localhost/in', 'apps.url_not_allowed', null],
  ['https://printer.local/in', 'apps.url_not_allowed', null],
  ['https://db.internal/in', 'apps.url_not_allowed', null],
  ['https://127.0.0.1/in', 'apps.url_not_allowed', null],
  ['https://127.1/in', 'apps.url_not_allowed', null],
  ['https://2130706433/in', 'apps.url_not_allowed', null],
  ['https://0x7f000001/in', 'apps.url_not_allowed', null],
  ['https://0177.0.0.1/in', 'apps.url_not_allowed', null],
  ['https://0.0.0.0/in', 'apps.url_not_allowed', null],
  ['https://10.1.2.3/in', 'apps.url_not_allowed', null],
  ['https://172.16.0.1/in', 'apps.url_not_allowed', null],
  ['https://172.31.255.255/in', 'apps.url_not_allowed', null],
  ['https://192.168.1.1/in', 'apps.url_not_allowed', null],
  ['https://100.64.0.1/in', 'apps.url_not_allowed', null],
  ['https://169.254.169.254/latest/meta-data/', 'apps.url_not_allowed', null],
  ['https://[::1]/in', 'apps.url_not_allowed', null],
  ['https://[::]/in', 'apps.url_not_allowed', null],
  ['https://[fe80::1]/in', 'apps.url_not_allowed', null],
  ['https://[fd00::1]/in', 'apps.url_not_allowed', null],
  ['https://[::ffff:127.0.0.1]/in', 'apps.url_not_allowed', null],
  ['https://[::ffff:a9fe:a9fe]/in', 'apps.url_not_allowed', null],
  ['https://[64:ff9b::7f00:1]/in', 'apps.url_not_allowed', null],
  ['https://172.32.0.1/in', null, null],
  ['https://8.8.8.8/in', null, null],
  ['https://[2606:4700::1111]/in', null, null],
  ['https://user@hooks.example.com/in', 'apps.url_invalid', 'apps.url_invalid'],
  ['https://hooks.example.com/in#x', 'apps.url_invalid', 'apps.url_invalid'],
  ['ftp://hooks.example.com/in', 'apps.url_invalid', 'apps.url_invalid'],
  ['gopher://127.0.0.1:6379/_FLUSHALL', 'apps.url_invalid', 'apps.url_invalid'],
  ['file:///etc/passwd', 'apps.url_invalid', 'apps.url_invalid'],
  ['https://hooks_example.com/in', 'apps.url_invalid', 'apps.url_invalid'],
  [long, 'apps.url_invalid', 'apps.url_invalid'],
];

describe('endpoint URL rules (webhooks, receivers, back-channel logout)', () => {
  for (const [url, strict, relaxed] of ENDPOINTS) {
    it(`${JSON.stringify(url.slice(0, 60))}: ${strict ?? 'accepted'} / with private networks ${relaxed ?? 'accepted'}`, () => {
      expect(codeOf(() => checkEndpointUrl(url, false))).toBe(strict);
      expect(codeOf(() => checkEndpointUrl(url, true))).toBe(relaxed);
    });
  }
});

describe('names', () => {
  it('refuses blank, invisible, reordering and over-long names; keeps Japanese as typed', () => {
    expect(checkName('  勤怠　管理  ')).toBe('勤怠 管理');
    expect(checkName('ｱﾌﾟﾘ①')).toBe('ｱﾌﾟﾘ①');
    for (const bad of ['', '   ', '\u200b', 'evil\u202eppa', 'a\u0000b', 'x'.repeat(101), 42, null])
      expect(codeOf(() => checkName(bad))).toBe('apps.name_invalid');
    expect(checkName('x'.repeat(100))).toHaveLength(100);
  });
});

describe('through the service and the pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { APPS_ALLOW_PRIVATE_NETWORKS: 'false' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses hostile registrations with typed codes and stores nothing', async () => {
    const { orgId, admin } = await orgWithAdmin(t);
    const by = { kind: 'org_admin' as const, id: admin.accountId, orgId };
    const attempt = async (f: () => Promise<unknown>) => {
      try {
        await f();
        return null;
      } catch (e) {
        if (e instanceof AppError) return e.code;
        throw e;
      }
    };
    const base = {
      orgId,
      name: 'App',
      type: 'confidential' as const,
      redirectUris: ['https://a.example.com/cb'],
    };
    expect(await attempt(() => registerClient(t.app.deps, by, { ...base, type: 'sneaky' as 'public' }))).toBe(
      'apps.client_type_invalid',
    );
    expect(
      await attempt(() =>
        registerClient(t.app.deps, by, { ...base, backchannelLogoutUri: 'https://10.0.0.5/logout' }),
      ),
    ).toBe('apps.url_not_allowed');
    expect(
      await attempt(() =>
        registerClient(t.app.deps, by, { ...base, postLogoutRedirectUris: ['https://a.example.com/bye#x'] }),
      ),
    ).toBe('apps.redirect_uri_invalid');
    expect(
      await attempt(() =>
        registerWebhookEndpoint(t.app.deps, by, {
          orgId,
          url: 'https://hooks.example.com/',
          description: '',
          events: ['password.changed', 'everything.*'],
        }),
      ),
    ).toBe('apps.events_invalid');
    expect(
      await attempt(() =>
        registerWebhookEndpoint(t.app.deps, by, {
          orgId,
          url: 'https://hooks.example.com/',
          description: '',
          events: [],
        }),
      ),
    ).toBe('apps.events_invalid');
    expect(
      await attempt(() =>
        registerWebhookEndpoint(t.app.deps, by, {
          orgId,
          url: 'https://hooks.example.com/',
          description: 'a\u202eb',
          events: ['password.changed'],
        }),
      ),
    ).toBe('apps.description_invalid');
    const { clientId } = await registerClient(t.app.deps, by, base);
    expect(
      await attempt(() =>
        registerSignalReceiver(t.app.deps, by, {
          clientId,
          endpointUrl: 'https://ssf.example.com/',
          authToken: 'short',
          events: ['https://schemas.openid.net/secevent/caep/event-type/session-revoked'],
        }),
      ),
    ).toBe('apps.auth_token_invalid');
    expect(
      await attempt(() =>
        registerSignalReceiver(t.app.deps, by, {
          clientId,
          endpointUrl: 'https://ssf.example.com/',
          events: ['https://schemas.openid.net/secevent/caep/event-type/made-up'],
        }),
      ),
    ).toBe('apps.events_invalid');
    expect(
      await t.app.deps.db.query('SELECT 1 FROM webhook_endpoints WHERE org_id = $1', [orgId]),
    ).toHaveLength(0);
    expect(
      await t.app.deps.db.query('SELECT 1 FROM signal_receivers WHERE client_id = $1', [clientId]),
    ).toHaveLength(0);
    expect(await t.app.deps.db.query('SELECT 1 FROM app_clients WHERE org_id = $1', [orgId])).toHaveLength(1);
  });

  it('shows a name with markup as text, never as markup', async () => {
    const { admin } = await orgWithAdmin(t);
    const c = adminBrowser(t, admin.token, 'en');
    await c.get(ORG_APPS);
    const res = await c.post(`${ORG_APPS}/clients`, {
      name: '<img src=x onerror=alert(1)>"\'',
      type: 'public',
      redirectUris: 'http://localhost/cb',
    });
    expect(res.statusCode).toBe(303);
    const page = await c.follow(res);
    expect(page.body).not.toContain('<img src=x');
    expect(page.body).toContain('&lt;img src=x onerror=alert(1)');
  });

  it('answers a metadata-service webhook URL on the page with the reason, and registers nothing', async () => {
    const { orgId, admin } = await orgWithAdmin(t);
    const c = adminBrowser(t, admin.token, 'ja');
    const hooks = `${ORG_APPS}/webhooks`;
    const res = await postPairs(t, c, hooks, hooks, [
      ['url', 'https://169.254.169.254/latest/meta-data/'],
      ['events', 'password.changed'],
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('プライベートネットワークを指しています');
    expect(res.body).not.toContain('data-testid="new-secret"');
    expect(
      await t.app.deps.db.query('SELECT 1 FROM webhook_endpoints WHERE org_id = $1', [orgId]),
    ).toHaveLength(0);
  });
});
