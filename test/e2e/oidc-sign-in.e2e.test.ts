/**
 * Browser end-to-end for "sign in with Mamori" (OpenID Connect), in Japanese and in English: a tiny app (a
 * relying party served by this test with openid-client) → Mamori's sign-in with two-step verification →
 * consent → back to the app, which shows the user. Screenshots of the provider's pages (consent, error,
 * logout) at 1280 and 390 wide go to /tmp/mamori-oidc-shots (never committed).
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/kernel/context.ts';
import { maskEmail } from '../../src/kernel/mask.ts';
import { createOidcTestApp, type OidcTestApp, registerClient, relyingParty } from '../support/oidc.ts';
import { accountIn, withTwoStep } from '../support/orgs.ts';
import {
  DESKTOP,
  expectPage,
  launchBrowser,
  mailedCode,
  navigateBy,
  newUserContext,
  PHONE,
  pathOf,
  SKIP_BROWSER,
  textOf,
  tr,
} from './browser.ts';

const SHOTS = '/tmp/mamori-oidc-shots';

/** A relying party: `/` starts a sign-in, `/cb` finishes it and shows who signed in. */
async function startApp(issuer: string) {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  const origin = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  const client = await registerClient(globalT, {
    redirectUris: [`${origin}/cb`],
    postLogout: [`${origin}/signed-out`],
    name: 'Kumo Notes',
  });
  const rp = await relyingParty(issuer, client);
  const pending = new Map<string, { verifier: string; nonce: string }>();
  server.on('request', (req, res) => {
    const handle = async () => {
      const url = new URL(req.url ?? '/', origin);
      if (url.pathname === '/') {
        const verifier = oidc.randomPKCECodeVerifier();
        const nonce = oidc.randomNonce();
        const state = oidc.randomState();
        pending.set(state, { verifier, nonce });
        const to = oidc.buildAuthorizationUrl(rp, {
          redirect_uri: `${origin}/cb`,
          scope: 'openid email profile',
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
          nonce,
          state,
          ui_locales: url.searchParams.get('lang') ?? '',
          acr_values: 'urn:mamori:acr:2fa',
        });
        res.writeHead(303, { location: to.toString() }).end();
        return;
      }
      if (url.pathname === '/signed-out') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><html><body><h1 id="bye">Kumo Notes: signed out</h1></body></html>');
        return;
      }
      const p = pending.get(url.searchParams.get('state') ?? '');
      if (!p) throw new Error('unknown state');
      const tokens = await oidc.authorizationCodeGrant(rp, url, {
        pkceCodeVerifier: p.verifier,
        expectedNonce: p.nonce,
        expectedState: url.searchParams.get('state') ?? '',
      });
      const claims = tokens.claims();
      const info = await oidc.fetchUserInfo(rp, tokens.access_token, claims?.sub as string);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html><body><h1 id="hello">Kumo Notes: ${info.name} (${info.email})</h1>` +
          `<p id="acr">${claims?.acr}</p><p id="amr">${([] as string[]).concat((claims?.amr as string[] | undefined) ?? []).join(' ')}</p></body></html>`,
      );
    };
    handle().catch((e: unknown) => {
      res.writeHead(500).end(String(e));
    });
  });
  return {
    origin,
    clientId: client.clientId,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

let globalT: OidcTestApp;

describe.skipIf(SKIP_BROWSER)('sign in to an app with Mamori in the browser (Chromium)', () => {
  let browser: Browser;
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    globalT = await createOidcTestApp();
    app = await startApp(globalT.issuer);
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await globalT?.close();
  });

  async function shots(page: Page, lang: Locale, name: string) {
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.screenshot({ path: join(SHOTS, `${lang}-${name}-1280.png`), fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: join(SHOTS, `${lang}-${name}-390.png`), fullPage: true });
    // Nothing wider than the phone's screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.setViewportSize(DESKTOP);
  }

  it.each<Locale>(['ja', 'en'])(
    '%s: app → Mamori sign-in with two-step → consent → back to the app',
    async (lang) => {
      const t = globalT;
      const a = await accountIn(t, 'example.com', { locale: lang });
      const two = await withTwoStep(t, a);
      t.clock.advance(61_000);
      const context = await newUserContext(browser, lang);
      const page = await context.newPage();

      await page.goto(`${app.origin}/?lang=${lang}`, { waitUntil: 'load' });
      expect(pathOf(page)).toMatch(/^\/sign-in\?next=%2Foidc%2Finteraction%2F/);
      await page.locator('#email').fill(a.email);
      await page.locator('#password').fill(a.password);
      await navigateBy(
        page,
        page.locator('main button[type="submit"]', { hasText: tr(lang, 'signin.submit') }),
      );
      expect(pathOf(page)).toMatch(/^\/sign-in\/verify/);
      await navigateBy(
        page,
        page.locator('main button', {
          hasText: tr(lang, 'reauth.send_to', { method: maskEmail(two.contacts[0] as string) }),
        }),
      );
      await page.fill(
        '#code',
        await mailedCode(t, two.contacts[0] as string, lang, 'mail.code.signin.subject'),
      );
      await navigateBy(
        page,
        page.locator('main button[type="submit"]', { hasText: tr(lang, 'code.submit') }),
      );

      // The consent page, in the language the app asked for.
      expect(pathOf(page)).toMatch(/^\/oidc\/interaction\/[\w-]+$/);
      await expectPage(page, lang, 'oidc.consent.title', { app: 'Kumo Notes' });
      const consent = await textOf(page.getByTestId('oidc-consent'));
      expect(consent).toContain(tr(lang, 'oidc.consent.scope.email', { email: a.email }));
      expect(consent).toContain(tr(lang, 'oidc.consent.scope.profile'));
      expect(consent).not.toContain(tr(lang, 'oidc.consent.scope.phone'));
      await shots(page, lang, 'consent');

      await navigateBy(page, page.getByTestId('oidc-allow'));
      await page.waitForURL(new RegExp(`^${app.origin}/cb\\?`), { timeout: 15_000 });
      expect(await textOf(page.locator('#hello'))).toBe(`Kumo Notes: 山田 太郎 (${a.email})`);
      expect(await textOf(page.locator('#acr'))).toBe('urn:mamori:acr:2fa');
      expect(await textOf(page.locator('#amr'))).toBe('pwd mail mfa');

      // RP-initiated logout: Mamori's confirmation page, then back to the app's registered page.
      await page.goto(
        `${t.issuer}/oidc/session/end?client_id=${app.clientId}&post_logout_redirect_uri=${encodeURIComponent(`${app.origin}/signed-out`)}&ui_locales=${lang}`,
        { waitUntil: 'load' },
      );
      await expectPage(page, lang, 'oidc.logout.title');
      await shots(page, lang, 'logout');
      await navigateBy(page, page.getByTestId('oidc-logout-yes'));
      await page.waitForURL(`${app.origin}/signed-out`, { timeout: 15_000 });
      expect(await textOf(page.locator('#bye'))).toBe('Kumo Notes: signed out');

      // A request Mamori refuses (an unregistered redirect URI): an error page in Mamori's look, a way on.
      await page.goto(
        `${t.issuer}/oidc/auth?client_id=nope&response_type=code&scope=openid&redirect_uri=https://evil.example/&ui_locales=${lang}`,
        { waitUntil: 'load' },
      );
      await expectPage(page, lang, 'oidc.error.title');
      await shots(page, lang, 'error');
      await context.close();
    },
  );
});
