/**
 * Browser end-to-end, in Japanese and English: an organisation admin gives a member who lost their phone a
 * temporary access pass from the member's console page; the member signs in with it at /sign-in/pass (the
 * link on the sign-in page), is sent to register methods (/security/required), and registers a passkey
 * (Chromium's virtual authenticator). Screenshots at 1280 and 390 px wide in /work/shots/actions/.
 */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/kernel/context.ts';
import { SESSION_COOKIE } from '../../src/web/plumbing.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { accountIn, addMember, orgWithAdmin } from '../support/orgs.ts';
import {
  expectPage,
  launchBrowser,
  navigateBy,
  newUserContext,
  PHONE,
  pathOf,
  SKIP_BROWSER,
  textOf,
  tr,
} from './browser.ts';

const SHOTS = process.env.MAMORI_SHOTS_DIR ?? '/work/shots/actions';

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

/** <SHOTS>/<lang>-<name>-1280.png and -390.png. */
async function shoot(page: Page, lang: Locale, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const before = page.viewportSize();
  await page.screenshot({
    path: join(SHOTS, `${lang}-${name}-1280.png`),
    fullPage: true,
    animations: 'disabled',
  });
  await page.setViewportSize(PHONE);
  await page.screenshot({
    path: join(SHOTS, `${lang}-${name}-390.png`),
    fullPage: true,
    animations: 'disabled',
  });
  if (before) await page.setViewportSize(before);
}

describe.skipIf(SKIP_BROWSER)('a temporary access pass from the admin to a passkey (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    const port = await freePort();
    t = await createTestApp({ env: { PUBLIC_URL: `http://localhost:${port}` } });
    await t.app.http.listen({ port, host: '127.0.0.1' });
    base = `http://localhost:${port}`;
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  async function flow(lang: Locale) {
    const org = await orgWithAdmin(t, {
      name: lang === 'ja' ? '株式会社サンプル' : 'Sample Ltd',
      locale: lang,
    });
    const m = await accountIn(t, org.domain, { locale: lang });
    const memberId = await addMember(t, org.orgId, m.email);

    // The admin opens the member's page and creates a one-time pass (the default: 8 characters, 1 hour).
    const adminCtx = await newUserContext(browser, lang);
    contexts.push(adminCtx);
    await adminCtx.addCookies([{ name: SESSION_COOKIE, value: org.admin.token, url: base }]);
    const admin = await adminCtx.newPage();
    await admin.goto(`${base}/org/members/${memberId}`, { waitUntil: 'load' });
    expect(await textOf(admin.locator('main h1'))).toBe('山田 太郎');
    expect(await admin.title()).toBe('山田 太郎 – Mamori');
    expect(await textOf(admin.locator('main'))).toContain(m.email);
    await shoot(admin, lang, 'member');
    await navigateBy(admin, admin.locator('main form[action$="/tap"] button[type="submit"]'));
    await expectPage(admin, lang, 'org.tap.done_title');
    const pass = await textOf(admin.getByTestId('secret'));
    expect(pass).toMatch(/^[A-Z2-9]{8}$/);
    expect(await textOf(admin.locator('main'))).toContain(tr(lang, 'org.action.shown_once'));
    await shoot(admin, lang, 'tap-created');

    // The member reads the email (no pass in it), then signs in with the pass from the sign-in page's link.
    await t.drain();
    const mail = t.sink.to(m.email).at(-1)!;
    expect(mail.subject).toBe(
      tr(lang, 'org.mail.tap.subject', { org: lang === 'ja' ? '株式会社サンプル' : 'Sample Ltd' }),
    );
    expect(mail.text).not.toContain(pass);
    const memberCtx = await newUserContext(browser, lang);
    contexts.push(memberCtx);
    const page = await memberCtx.newPage();
    const cdp = await memberCtx.newCDPSession(page);
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
    await page.goto(`${base}/sign-in`, { waitUntil: 'load' });
    await navigateBy(page, page.getByRole('link', { name: tr(lang, 'org.tap.signin.link') }));
    await expectPage(page, lang, 'org.tap.signin.title');
    await page.fill('#email', m.email);
    await page.fill('#pass', pass);
    await shoot(page, lang, 'sign-in-pass');
    await navigateBy(page, page.locator('main button[type="submit"]'));
    // Straight to registering methods (that page is another part of issue 9).
    expect(pathOf(page)).toBe('/security/required?next=/security');

    // Registers a passkey with the session the pass gave.
    await page.goto(`${base}/security/passkeys/add`, { waitUntil: 'load' });
    await expectPage(page, lang, 'passkey.add.title');
    const create = page.getByTestId('passkey-create');
    await expect.poll(() => create.isEnabled()).toBe(true);
    await navigateBy(page, create);
    // Back to what the organisation requires (the pass led there): the passkey meets it.
    expect(pathOf(page)).toBe('/security/required?next=%2Fsecurity&added=passkey');
    expect(await page.getByTestId('required-done').count()).toBe(1);
    await shoot(page, lang, 'passkey-added');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    const rows = await t.app.deps.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM security_methods WHERE account_id = $1 AND kind = 'passkey'",
      [memberId],
    );
    expect(rows[0]!.n).toBe(1);

    // The invitations page, for the record.
    await admin.goto(`${base}/org/invitations`, { waitUntil: 'load' });
    await expectPage(admin, lang, 'org.invite.title');
    await shoot(admin, lang, 'invitations');
  }

  it('ja', async () => {
    await flow('ja');
  });

  it('en', async () => {
    await flow('en');
  });
});
