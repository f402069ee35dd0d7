/**
 * Browser end-to-end for passkeys, in Japanese and in English: sign up, add a passkey, sign out, sign in
 * with the passkey and no password. Headless Chromium with a CDP virtual authenticator (internal, resident
 * keys, user verification). WebAuthn needs a secure context whose host is the RP ID, so this app's
 * PUBLIC_URL is http://localhost:<port> (localhost is a secure context) instead of the harness default.
 * Screenshots go to screenshots/<lang>/passkey-*.png.
 */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/kernel/context.ts';
import { createTestApp, type TestApp, uniqueEmail } from '../support/harness.ts';
import {
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

const SHOTS_ROOT = fileURLToPath(new URL('../../screenshots/', import.meta.url));

/** A port nobody listens on now: the app's PUBLIC_URL must name it before the app starts. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** screenshots/<lang>/passkey-<name>.png, next to (and without removing) the other flows' screenshots. */
async function shoot(page: Page, lang: Locale, name: string, phone = false): Promise<string> {
  const dir = join(SHOTS_ROOT, lang);
  mkdirSync(dir, { recursive: true });
  const before = page.viewportSize();
  if (phone) await page.setViewportSize(PHONE);
  const file = join(dir, `passkey-${name}${phone ? '-phone' : ''}.png`);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
  if (phone && before) await page.setViewportSize(before);
  return file;
}

interface Persona {
  lang: Locale;
  displayName: string;
  passkeyName: string;
}

describe.skipIf(SKIP_BROWSER)('passkeys in the browser (Chromium, virtual authenticator)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  const taken: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser(); // first: fails fast when Chromium is required but missing
    const port = await freePort();
    t = await createTestApp({ env: { PUBLIC_URL: `http://localhost:${port}` } });
    await t.app.http.listen({ port, host: '127.0.0.1' });
    base = `http://localhost:${port}`;
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
    console.info(`[e2e] ${taken.length} passkey screenshots in screenshots/{ja,en}/`);
  });

  async function open(lang: Locale, o: { javaScriptEnabled?: boolean } = {}) {
    const context = await newUserContext(browser, lang);
    if (o.javaScriptEnabled === false) {
      await context.close();
      const noJs = await browser.newContext({
        ...(lang === 'ja'
          ? { locale: 'ja-JP', extraHTTPHeaders: { 'Accept-Language': 'ja' } }
          : { locale: 'en-GB', extraHTTPHeaders: { 'Accept-Language': 'en-GB,en;q=0.9' } }),
        viewport: { width: 1280, height: 900 },
        javaScriptEnabled: false,
      });
      contexts.push(noJs);
      return { context: noJs, page: await noJs.newPage() };
    }
    contexts.push(context);
    return { context, page: await context.newPage() };
  }

  async function virtualAuthenticator(context: BrowserContext, page: Page) {
    const cdp: CDPSession = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    return { cdp, authenticatorId };
  }

  async function go(page: Page, path: string) {
    const res = await page.goto(`${base}${path}`, { waitUntil: 'load' });
    expect(res?.ok(), `GET ${path}`).toBe(true);
  }

  async function passkeyFlow(p: Persona) {
    const { lang } = p;
    const { context, page } = await open(lang);
    const { cdp, authenticatorId } = await virtualAuthenticator(context, page);
    const button = (key: Parameters<typeof tr>[1]) =>
      page.locator('main button[type="submit"]', { hasText: tr(lang, key) }).first();

    // Sign up and confirm the address.
    const email = uniqueEmail(`passkey-${lang}`);
    await go(page, '/sign-up');
    await page.fill('#displayName', p.displayName);
    await page.fill('#email', email);
    await page.fill('#password', 'correct horse battery staple 42');
    await page.selectOption('#locale', lang);
    await navigateBy(page, button('signup.submit'));
    await page.fill('#code', await mailedCode(t, email, lang, 'mail.code.signup.subject'));
    await navigateBy(page, button('code.submit'));
    expect(pathOf(page)).toBe('/security?done=welcome');

    // Add a passkey.
    await go(page, '/security/passkeys/add');
    await expectPage(page, lang, 'passkey.add.title');
    expect(await textOf(page.locator('p.lead'))).toBe(tr(lang, 'passkey.add.lead'));
    expect(await textOf(page.locator('label[for="passkey-name"]'))).toBe(tr(lang, 'passkey.name.label'));
    const create = page.getByTestId('passkey-create');
    await expect.poll(() => create.isEnabled()).toBe(true); // the script enables it
    expect(await page.inputValue('#passkey-name')).not.toBe(''); // a suggested name
    await page.fill('#passkey-name', p.passkeyName);
    taken.push(await shoot(page, lang, 'add'));
    taken.push(await shoot(page, lang, 'add', true));
    await navigateBy(page, create);
    expect(pathOf(page)).toBe('/security?done=passkey');
    await expectPage(page, lang, 'security.title');
    taken.push(await shoot(page, lang, 'added'));

    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]).toMatchObject({ isResidentCredential: true, rpId: 'localhost' });
    const rows = await t.app.deps.db.query<{ value: string; label: string; account_id: string }>(
      `SELECT m.value, m.label, m.account_id FROM security_methods m JOIN accounts a ON a.id = m.account_id
       WHERE a.email = $1 AND m.kind = 'passkey'`,
      [email],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.label).toBe(p.passkeyName);
    expect(Buffer.from(credentials[0]!.credentialId, 'base64').toString('base64url')).toBe(rows[0]!.value);
    expect(Buffer.from(credentials[0]!.userHandle ?? '', 'base64').toString()).toBe(rows[0]!.account_id);
    // Every contact was told.
    await t.drain();
    expect(t.sink.to(email).at(-1)?.text).toContain(p.passkeyName);

    // Sign out, then sign in with the passkey alone.
    await navigateBy(page, page.getByTestId('sign-out'));
    expect(pathOf(page)).toMatch(/^\/sign-in/);
    expect(await page.context().cookies()).not.toContainEqual(
      expect.objectContaining({ name: 'mamori_session' }),
    );
    await go(page, '/sign-in/passkey');
    await expectPage(page, lang, 'passkey.signin.title');
    expect(await textOf(page.locator('p.lead'))).toBe(tr(lang, 'passkey.signin.lead'));
    const signIn = page.getByTestId('passkey-sign-in');
    await expect.poll(() => signIn.isEnabled()).toBe(true);
    expect(await page.locator('input[type="password"]').count()).toBe(0);
    taken.push(await shoot(page, lang, 'sign-in'));
    taken.push(await shoot(page, lang, 'sign-in', true));
    await navigateBy(page, signIn);
    expect(pathOf(page)).toBe('/security');
    await expectPage(page, lang, 'security.title');
    expect(await textOf(page.getByTestId('primary-email'))).toBe(email);
    taken.push(await shoot(page, lang, 'signed-in'));

    const after = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(after.credentials[0]!.signCount).toBeGreaterThan(credentials[0]!.signCount);
    const events = await t.app.deps.db.query<{ kind: string; detail: Record<string, string> }>(
      `SELECT kind, detail FROM activity WHERE account_id = $1 ORDER BY created_at DESC, seq DESC LIMIT 1`,
      [rows[0]!.account_id],
    );
    expect(events[0]).toMatchObject({ kind: 'signin.success', detail: { with: 'passkey' } });

    // A device without a passkey for this site: the page says so and nothing happens.
    const other = await open(lang);
    await virtualAuthenticator(other.context, other.page);
    await other.page.goto(`${base}/sign-in/passkey`, { waitUntil: 'load' });
    const otherButton = other.page.getByTestId('passkey-sign-in');
    await expect.poll(() => otherButton.isEnabled()).toBe(true);
    await otherButton.click();
    const error = other.page.locator('#passkey-error');
    await expect.poll(() => error.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await textOf(error)).toBe(tr(lang, 'passkey.signin.cancelled'));
    expect(pathOf(other.page)).toBe('/sign-in/passkey');
    taken.push(await shoot(other.page, lang, 'sign-in-no-passkey'));
  }

  it('adds a passkey and signs in with it, no password (Japanese)', async () => {
    await passkeyFlow({ lang: 'ja', displayName: '山田 花子', passkeyName: '自宅のパソコン' });
  });

  it('adds a passkey and signs in with it, no password (English)', async () => {
    await passkeyFlow({ lang: 'en', displayName: 'Alice Smith', passkeyName: 'Home laptop' });
  });

  it('says that passkeys need JavaScript when it is off', async () => {
    for (const lang of ['ja', 'en'] as const) {
      const { page } = await open(lang, { javaScriptEnabled: false });
      await go(page, '/sign-in/passkey');
      await expectPage(page, lang, 'passkey.signin.title');
      expect(await textOf(page.locator('main .notice.warn'))).toBe(tr(lang, 'passkey.noscript.signin'));
      expect(await page.getByTestId('passkey-sign-in').isDisabled()).toBe(true);
      taken.push(await shoot(page, lang, 'sign-in-noscript'));
    }
  });
});
