/**
 * Browser end-to-end for "I don't have any of these" (replace all security info after a 30-day wait), in
 * Japanese and in English: enter and verify new info, start the wait, be refused a password change, then
 * cancel from the link mailed to an old address, and "this wasn't me". Screenshots into
 * screenshots/<lang>/replace-<nn>-<name>.png (only this suite's replace-* shots are replaced).
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/kernel/context.ts';
import { beginReplacement, SYSTEM_CTX } from '../../src/replacement/replacement-service.ts';
import {
  createTestApp,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';
import {
  expectPage,
  launchBrowser,
  mailedCode,
  navigateBy,
  newUserContext,
  PHONE,
  pathOf,
  pattern,
  SKIP_BROWSER,
  syncClock,
  textOf,
  tr,
} from './browser.ts';

const SHOTS_ROOT = fileURLToPath(new URL('../../screenshots/', import.meta.url));

class ReplaceShots {
  private n = 0;
  readonly taken: string[] = [];
  private readonly dir: string;
  constructor(lang: Locale) {
    this.dir = join(SHOTS_ROOT, lang);
    mkdirSync(this.dir, { recursive: true });
    for (const f of readdirSync(this.dir))
      if (f.startsWith('replace-') && f.endsWith('.png')) rmSync(join(this.dir, f), { force: true });
  }
  async take(page: Page, name: string, o: { phone?: boolean } = {}): Promise<void> {
    this.n++;
    const before = page.viewportSize();
    if (o.phone) await page.setViewportSize(PHONE);
    const file = join(
      this.dir,
      `replace-${String(this.n).padStart(2, '0')}-${name}${o.phone ? '-phone' : ''}.png`,
    );
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
    if (o.phone && before) await page.setViewportSize(before);
    this.taken.push(file);
  }
}

describe.skipIf(SKIP_BROWSER)('browser: replace all security info (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    t = await createTestApp();
    base = await t.app.http.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  async function open(lang: Locale, sessionToken?: string): Promise<Page> {
    const context = await newUserContext(browser, lang);
    contexts.push(context);
    await syncClock(context, t);
    if (sessionToken) await context.addCookies([{ name: 'mamori_session', value: sessionToken, url: base }]);
    return context.newPage();
  }

  async function go(page: Page, path: string, ok = true): Promise<void> {
    const res = await page.goto(`${base}${path}`, { waitUntil: 'load' });
    if (ok) expect(res?.ok(), `GET ${path}`).toBe(true);
  }

  const button = (page: Page, text: string) =>
    page.locator('main').getByRole('button', { name: text, exact: true });

  /** The path of the newest link of this kind mailed to `to`. */
  async function mailedLink(to: string, kind: 'cancel' | 'not-me'): Promise<string> {
    await t.drain();
    // Messages of one delivery round arrive in any order: take the newest one that carries such a link.
    const re = new RegExp(`/replacement/${kind}\\?token=[A-Za-z0-9_-]+`);
    const mail = t.sink
      .to(to)
      .filter((x) => re.test(x.text))
      .at(-1);
    const m = mail?.text.match(re);
    if (!m) throw new Error(`no ${kind} link mailed to ${to}`);
    return m[0];
  }

  async function flow(lang: Locale): Promise<void> {
    const shots = new ReplaceShots(lang);
    const account = await signedUpAccount(t, {
      locale: lang,
      displayName: lang === 'ja' ? '山田 花子' : 'Alice Smith',
    });
    const contact = uniqueEmail('old');
    await verifiedEmail(t, account.token, contact);
    const newEmail = uniqueEmail('new');
    const page = await open(lang, account.token);

    // Entry page
    await go(page, '/security/replace');
    await expectPage(page, lang, 'replacement.entry.title');
    expect(await textOf(page.locator('main'))).toContain(tr(lang, 'replacement.entry.need_verified'));
    await shots.take(page, 'entry');

    // Add a new address, verify it with its code
    await page.locator('#email').fill(newEmail);
    await navigateBy(page, button(page, tr(lang, 'add.send_code')).first());
    await expectPage(page, lang, 'replacement.verify.title');
    await shots.take(page, 'verify');
    await page.locator('#code').fill('000000');
    await navigateBy(page, button(page, tr(lang, 'code.submit')));
    expect(await textOf(page.locator('.field-error'))).toMatch(pattern(lang, 'error.code.wrong'));
    const code = await mailedCode(t, newEmail, lang, 'mail.code.replace.subject');
    await page.locator('#code').fill(code);
    await navigateBy(page, button(page, tr(lang, 'code.submit')));
    expect(pathOf(page)).toBe('/security/replace');
    const item = page.locator('[data-testid="replacement-item"]');
    await expect.poll(() => item.count()).toBe(1);
    expect(await textOf(item)).toContain(newEmail);
    expect(await textOf(item)).toContain(tr(lang, 'replacement.entry.verified'));
    await shots.take(page, 'added');
    await shots.take(page, 'added', { phone: true });

    // Confirm: the wait starts
    await navigateBy(page, page.locator('[data-testid="replace-continue"]'));
    await expectPage(page, lang, 'replacement.confirm.title', { days: 30 });
    await shots.take(page, 'confirm');
    await navigateBy(page, button(page, tr(lang, 'replacement.confirm.submit')));
    expect(pathOf(page)).toBe('/security/replacement?done=started');
    await expectPage(page, lang, 'replacement.pending.title');
    const date = await textOf(page.locator('[data-testid="replacement-date"]'));
    expect(date).toMatch(lang === 'ja' ? /2026\/12\/24/ : /24 Dec 2026/);
    await shots.take(page, 'pending');
    await shots.take(page, 'pending', { phone: true });

    // A restricted change is refused, with the date
    await go(page, '/security/password');
    await page.locator('#password').fill('a brand new passphrase 77');
    await page.locator('main form button[type="submit"]').first().click();
    await page.waitForLoadState('load');
    const refused = await textOf(page.locator('main'));
    expect(refused).toMatch(pattern(lang, 'error.account.restricted'));
    expect(refused).toMatch(lang === 'ja' ? /2026\/12\/24/ : /24 Dec 2026/);
    await shots.take(page, 'restricted');

    // The old address cancels it from the mailed link, without signing in
    const cancelPath = await mailedLink(contact, 'cancel');
    const stranger = await open(lang);
    await go(stranger, cancelPath);
    await expectPage(stranger, lang, 'replacement.cancel.title');
    await shots.take(stranger, 'cancel-link');
    await navigateBy(stranger, button(stranger, tr(lang, 'replacement.cancel.submit')));
    await expectPage(stranger, lang, 'replacement.cancel.done_title');
    await shots.take(stranger, 'cancelled');
    await go(page, '/security/replacement');
    expect(await textOf(page.locator('main'))).toContain(tr(lang, 'replacement.pending.none'));
    await go(stranger, cancelPath, false);
    expect(await textOf(stranger.locator('main'))).toContain(tr(lang, 'replacement.cancel.invalid'));
    await shots.take(stranger, 'link-used');

    // "This wasn't me": cancels, signs everyone out, leads to a password reset
    const accountId = (await t.api('GET', '/api/v1/me', undefined, account.token)).body.id as string;
    await t.app.deps.db.tx((tx) =>
      beginReplacement(
        t.app.deps,
        tx,
        accountId,
        { emails: [uniqueEmail('x')], phones: [] },
        SYSTEM_CTX,
        'self',
      ),
    );
    const notMePath = await mailedLink(contact, 'not-me');
    await go(stranger, notMePath);
    await expectPage(stranger, lang, 'replacement.not_me.title');
    await shots.take(stranger, 'not-me');
    await navigateBy(stranger, button(stranger, tr(lang, 'replacement.not_me.submit')));
    await expectPage(stranger, lang, 'replacement.cancel.done_title');
    expect(await stranger.locator('[data-testid="reset-password"]').getAttribute('href')).toBe('/forgot');
    await shots.take(stranger, 'not-me-done');
    // The owner's (or the intruder's) session has ended.
    await go(page, '/security/replacement');
    expect(pathOf(page)).toMatch(/^\/sign-in/);
    console.info(`[e2e] ${shots.taken.length} replace-* screenshots in screenshots/${lang}/`);
  }

  it('Japanese', async () => {
    await flow('ja');
  });
  it('English', async () => {
    await flow('en');
  });
});
