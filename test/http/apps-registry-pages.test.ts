/**
 * Registering applications, webhook endpoints and signal receivers in the organisation console
 * (/organisation/console/apps): what an organisation admin sees and gets (a secret once, the connection
 * details), what is stored (sealed secrets, exact URIs) and what the audit log says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientForProvider } from '../../src/apps/registry/clients.ts';
import { webhookSigningSecrets } from '../../src/apps/registry/webhooks.ts';
import type { StoreKind } from '../support/databases.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { orgWithAdmin } from '../support/orgs.ts';
import { visibleText } from '../web/page-text.ts';
import {
  adminBrowser,
  ORG_APPS,
  postPairs,
  registerOnPage,
  shownSecret,
  storedClientSecret,
} from './apps-registry-support.ts';

describe.each<StoreKind>(['pglite', 'postgres'])('registry pages on %s', (store) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store, env: { APPS_ALLOW_PRIVATE_NETWORKS: 'false' } });
  });
  afterAll(async () => {
    await t.close();
  });

  async function orgAudit(
    orgId: string,
  ): Promise<{ action: string; actor_kind: string; target: string; detail: Record<string, string> }[]> {
    return t.app.deps.db.query(
      'SELECT action, actor_kind, target, detail FROM org_audit WHERE org_id = $1 ORDER BY created_at, id',
      [orgId],
    );
  }

  describe('applications in the organisation console', () => {
    it('registers a confidential client: the secret once, the developer details, sealed at rest, audited', async () => {
      const { orgId, admin } = await orgWithAdmin(t);
      const c = adminBrowser(t, admin.token, 'ja');
      const list = await c.get(ORG_APPS);
      expect(list.statusCode).toBe(200);
      expect(visibleText(list.body)).toContain('アプリを登録する');
      expect(list.body).toContain(`href="${ORG_APPS}/deliveries"`);

      const { res, clientId, secret } = await registerOnPage(c, ORG_APPS, { name: '勤怠管理システム' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(clientId).toMatch(/^app_[A-Za-z0-9_-]{16}$/);
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const text = visibleText(res.body);
      expect(text).toContain('表示されるのはこの一度だけです');
      expect(text).toContain('http://mamori.test/.well-known/openid-configuration');
      expect(text).toContain('acr_values=urn:mamori:acr:2fa');
      expect(text).toContain('https://kintai.example.com/callback');

      // Sealed at rest, never the clear value; the provider reads the clear one.
      const raw = await t.app.deps.db.query<{
        secret: string;
        org_id: string;
        metadata: { redirect_uris: string[] };
      }>('SELECT secret, org_id, metadata FROM app_clients WHERE client_id = $1', [clientId]);
      expect(raw[0]?.secret).not.toContain(secret);
      expect(raw[0]?.org_id).toBe(orgId);
      expect(raw[0]?.metadata.redirect_uris).toEqual([
        'https://kintai.example.com/callback',
        'https://kintai.example.com/cb2',
      ]);
      expect(await storedClientSecret(t, clientId!)).toBe(secret);
      expect((await clientForProvider(t.app.deps, clientId!))?.secret).toBe(secret);

      // Never again: not on the page, not in the list.
      const detail = await c.get(`${ORG_APPS}/clients/${clientId}`);
      expect(detail.statusCode).toBe(200);
      expect(detail.body).not.toContain(secret!);
      expect(shownSecret(detail.body)).toBeUndefined();
      const again = await c.get(ORG_APPS);
      expect(again.body).toContain(clientId!);
      expect(again.body).not.toContain(secret!);

      const audit = await orgAudit(orgId);
      expect(audit.find((e) => e.action === 'app.registered')).toMatchObject({
        actor_kind: 'admin',
        target: '勤怠管理システム',
        detail: { clientId, type: 'confidential' },
      });
      expect(JSON.stringify(audit)).not.toContain(secret!);
    });

    it('registers a public native client without a secret and with loopback and private-use redirect URIs', async () => {
      const { admin } = await orgWithAdmin(t);
      const c = adminBrowser(t, admin.token, 'en');
      const { res, page, clientId, secret } = await registerOnPage(c, ORG_APPS, {
        name: 'Field app',
        type: 'public',
        redirectUris: 'com.example.fieldapp:/callback\nhttp://127.0.0.1:51234/cb\nhttp://[::1]/cb',
      });
      expect(res.statusCode).toBe(303);
      expect(secret).toBeUndefined();
      expect(visibleText(page.body)).toContain('it has no secret and must use PKCE');
      const client = await clientForProvider(t.app.deps, clientId!);
      expect(client?.secret).toBeNull();
      expect(client?.metadata).toMatchObject({
        token_endpoint_auth_method: 'none',
        application_type: 'native',
        redirect_uris: ['com.example.fieldapp:/callback', 'http://127.0.0.1:51234/cb', 'http://[::1]/cb'],
      });
    });

    it('changes the redirect URIs, issues a new secret (the old one stops), adds and disables a receiver, disables the client', async () => {
      const { orgId, admin } = await orgWithAdmin(t);
      const c = adminBrowser(t, admin.token, 'ja');
      const { clientId, secret } = await registerOnPage(c, ORG_APPS);
      const path = `${ORG_APPS}/clients/${clientId}`;

      await c.get(path);
      const saved = await c.post(path, {
        name: '勤怠管理システム（新）',
        redirectUris: 'https://new.example.com/callback',
        postLogoutRedirectUris: 'https://new.example.com/bye',
        backchannelLogoutUri: 'https://new.example.com/backchannel',
      });
      expect(saved.statusCode).toBe(303);
      const after = await c.follow(saved);
      expect(visibleText(after.body)).toContain('変更を保存しました');
      const client = await clientForProvider(t.app.deps, clientId!);
      expect(client?.name).toBe('勤怠管理システム（新）');
      expect(client?.metadata.redirect_uris).toEqual(['https://new.example.com/callback']);
      expect(client?.metadata.backchannel_logout_uri).toBe('https://new.example.com/backchannel');

      const rotated = await c.post(`${path}/rotate`, {});
      expect(rotated.statusCode).toBe(200);
      const next = shownSecret(rotated.body);
      expect(next).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(next).not.toBe(secret);
      expect(await storedClientSecret(t, clientId!)).toBe(next);

      const added = await postPairs(t, c, path, `${path}/receivers`, [
        ['endpointUrl', 'https://ssf.example.com/events'],
        ['authToken', 'receiver-token-0123456789abcdef'],
        ['events', 'https://schemas.openid.net/secevent/caep/event-type/session-revoked'],
        ['events', 'https://schemas.openid.net/secevent/risc/event-type/account-disabled'],
      ]);
      expect(added.statusCode).toBe(303);
      const withReceiver = await c.get(path);
      expect(withReceiver.body).toContain('https://ssf.example.com/events');
      expect(withReceiver.body).not.toContain('receiver-token-0123456789abcdef');
      const stored = await t.app.deps.db.query<{ id: string; auth_token: string; events: string[] }>(
        'SELECT id, auth_token, events FROM signal_receivers WHERE client_id = $1',
        [clientId],
      );
      expect(stored[0]?.auth_token).not.toContain('receiver-token');
      expect(stored[0]?.events).toEqual([
        'https://schemas.openid.net/secevent/caep/event-type/session-revoked',
        'https://schemas.openid.net/secevent/risc/event-type/account-disabled',
      ]);
      const off = await c.post(`${path}/receivers/${stored[0]?.id}/disable`, {});
      expect(off.statusCode).toBe(303);
      expect((await c.follow(off)).body).toContain('data-state="disabled"');

      const disabled = await c.post(`${path}/disable`, {});
      expect(disabled.statusCode).toBe(303);
      const page = await c.follow(disabled);
      expect(page.body).toContain('data-testid="client-disabled"');
      expect(page.body).not.toContain('data-testid="edit-client"');
      expect((await clientForProvider(t.app.deps, clientId!))?.disabled).toBe(true);
      // A secret of a disabled client cannot be reissued.
      const late = await c.post(`${path}/rotate`, {});
      expect(late.statusCode).toBe(409);

      const actions = (await orgAudit(orgId)).map((e) => e.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          'app.registered',
          'app.updated',
          'app.secret_rotated',
          'receiver.registered',
          'receiver.disabled',
          'app.disabled',
        ]),
      );
      const updated = (await orgAudit(orgId)).find((e) => e.action === 'app.updated');
      expect(updated?.detail.redirectUrisAfter).toBe('https://new.example.com/callback');
    });

    it('shows a form error in the page language and keeps what was typed', async () => {
      const { admin } = await orgWithAdmin(t);
      const c = adminBrowser(t, admin.token, 'en');
      const { res } = await registerOnPage(c, ORG_APPS, {
        name: 'Typo app',
        redirectUris: 'https://ok.example.com/cb\nhttp://evil.example.com/cb',
      });
      expect(res.statusCode).toBe(400);
      const text = visibleText(res.body);
      expect(text).toContain('Each redirect URI must be a complete https:// address');
      expect(res.body).toContain('http://evil.example.com/cb');
      expect(res.body).toContain('value="Typo app"');
    });
  });

  describe('a secret-issuing form sent again (the browser reloading the page that showed the secret)', () => {
    it('issues nothing the second time, and says the secret was shown once', async () => {
      const { orgId, admin } = await orgWithAdmin(t);
      const c = adminBrowser(t, admin.token, 'en');
      const hooks = `${ORG_APPS}/webhooks`;
      const page = await c.get(hooks);
      const once = page.body.match(/name="once" value="([^"]+)"/)?.[1] ?? '';
      expect(once.length).toBeGreaterThan(16);
      const pairs: [string, string][] = [
        ['once', once],
        ['url', 'https://hooks.example.com/reload'],
        ['description', ''],
        ['events', 'password.changed'],
      ];
      const first = await postPairs(t, c, hooks, hooks, pairs);
      expect(shownSecret(first.body)).toBeTruthy();
      const again = await postPairs(t, c, hooks, hooks, pairs);
      expect(again.statusCode).toBe(303);
      const shown = await c.follow(again);
      expect(visibleText(shown.body)).toContain('This form had already been sent, so nothing more was done.');
      const rows = await t.app.deps.db.query('SELECT id FROM webhook_endpoints WHERE org_id = $1', [orgId]);
      expect(rows).toHaveLength(1);
      // A new drawing of the page carries a new token: registering another endpoint works.
      expect(shown.body.match(/name="once" value="([^"]+)"/)?.[1]).not.toBe(once);
    });

    it('sent 100 times at once, the same form issues exactly one secret', async () => {
      const { orgId, admin } = await orgWithAdmin(t);
      const c = adminBrowser(t, admin.token, 'en');
      const hooks = `${ORG_APPS}/webhooks`;
      const once = (await c.get(hooks)).body.match(/name="once" value="([^"]+)"/)?.[1] ?? '';
      const pairs: [string, string][] = [
        ['once', once],
        ['url', 'https://hooks.example.com/burst'],
        ['description', ''],
        ['events', 'password.changed'],
      ];
      const answers = await Promise.all(
        Array.from({ length: 100 }, () => postPairs(t, c, hooks, hooks, pairs)),
      );
      expect(answers.filter((a) => shownSecret(a.body))).toHaveLength(1);
      const rows = await t.app.deps.db.query('SELECT id FROM webhook_endpoints WHERE org_id = $1', [orgId]);
      expect(rows).toHaveLength(1);
    });
  });

  describe('webhook endpoints in the organisation console', () => {
    it('registers an endpoint with a Standard Webhooks secret shown once, rotates it keeping the previous one 24 hours, disables it', async () => {
      const { orgId, admin } = await orgWithAdmin(t);
      const c = adminBrowser(t, admin.token, 'ja');
      const hooks = `${ORG_APPS}/webhooks`;
      const res = await postPairs(t, c, hooks, hooks, [
        ['url', 'https://hooks.example.com/mamori'],
        ['description', 'ヘルプデスク通知'],
        ['events', 'password.changed'],
        ['events', 'signin.unusual'],
      ]);
      expect(res.statusCode).toBe(200);
      const secret = shownSecret(res.body)!;
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
      const bytes = Buffer.from(secret.slice(6), 'base64').length;
      expect(bytes).toBeGreaterThanOrEqual(24);
      expect(bytes).toBeLessThanOrEqual(64);
      expect(visibleText(res.body)).toContain('表示されるのはこの一度だけです');

      const rows = await t.app.deps.db.query<{ id: string; events: string[]; secret: string }>(
        'SELECT id, events, secret FROM webhook_endpoints WHERE org_id = $1',
        [orgId],
      );
      expect(rows[0]?.events).toEqual(['signin.unusual', 'password.changed']);
      expect(rows[0]?.secret).not.toContain(secret.slice(6));
      const id = rows[0]!.id;
      expect(await webhookSigningSecrets(t.app.deps, id)).toEqual([secret]);

      const list = await c.get(hooks);
      expect(list.body).toContain('https://hooks.example.com/mamori');
      expect(list.body).not.toContain(secret);

      const rotated = await c.post(`${hooks}/${id}/rotate`, {});
      expect(rotated.statusCode).toBe(200);
      const next = shownSecret(rotated.body)!;
      expect(next).not.toBe(secret);
      expect(await webhookSigningSecrets(t.app.deps, id)).toEqual([next, secret]);
      expect(visibleText(rotated.body)).toContain('以前のシークレットも');
      const until = await t.app.deps.db.query<{ previous_until: Date }>(
        'SELECT previous_until FROM webhook_endpoints WHERE id = $1',
        [id],
      );
      expect(until[0]?.previous_until.getTime()).toBe(t.clock.now().getTime() + 24 * 3_600_000);

      // A second endpoint, disabled on the page: nothing more is signed for it.
      const other = await postPairs(t, c, hooks, hooks, [
        ['url', 'https://hooks2.example.com/mamori'],
        ['events', 'admin.action'],
      ]);
      expect(other.statusCode).toBe(200);
      const otherId = (
        await t.app.deps.db.query<{ id: string }>('SELECT id FROM webhook_endpoints WHERE url = $1', [
          'https://hooks2.example.com/mamori',
        ])
      )[0]!.id;
      const off = await c.post(`${hooks}/${otherId}/disable`, {});
      expect(off.statusCode).toBe(303);
      const offPage = await c.follow(off);
      expect(offPage.body).toContain(`data-endpoint="${otherId}" data-state="disabled"`);
      expect(offPage.body).toContain(`data-endpoint="${id}" data-state="active"`);
      expect(await webhookSigningSecrets(t.app.deps, otherId)).toBeNull();

      // A key in an endpoint's query is not for the audit log's readers.
      const keyed = await postPairs(t, c, hooks, hooks, [
        ['url', 'https://hooks3.example.com/in?key=s3cr3t-query-key'],
        ['events', 'admin.action'],
      ]);
      expect(keyed.statusCode).toBe(200);
      const audit = JSON.stringify(await orgAudit(orgId));
      expect(audit).toContain('https://hooks3.example.com/in?…');
      expect(audit).not.toContain('s3cr3t-query-key');

      // 24 hours after the rotation only the new secret signs.
      t.clock.advance(24 * 3_600_000 + 1000);
      expect(await webhookSigningSecrets(t.app.deps, id)).toEqual([next]);
      const actions = (await orgAudit(orgId)).map((e) => e.action);
      expect(actions).toEqual(
        expect.arrayContaining(['webhook.registered', 'webhook.secret_rotated', 'webhook.disabled']),
      );
    });

    it('links the apps pages from the organisation console navigation', async () => {
      const { admin } = await orgWithAdmin(t);
      const page = await adminBrowser(t, admin.token, 'en').get('/org');
      expect(page.body).toContain(`href="${ORG_APPS}"`);
    });
  });
});
