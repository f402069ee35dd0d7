/**
 * Browser end-to-end, in Japanese and in English: forgot password with the recovery code. The code typed is
 * spent at that step, so the new one is shown right there ("write it down"), before the new password; a
 * person who stops there keeps a working code. Screenshots at 1280 and 390 px into $SHOTS_DIR (default
 * /tmp/shots-reccode)/<lang>/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/kernel/context.ts';
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
  navigateBy,
  newUserContext,
  PHONE,
  SKIP_BROWSER,
  syncClock,
  textOf,
  tr,
} from './browser.ts';

const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots-reccode';

async function shoot(page: Page, lang: Locale, name: string): Promise<void> {
  mkdirSync(join(SHOTS, lang), { recursive: true });
  const before = page.viewportSize();
  for (const phone of [false, true]) {
    if (phone) await page.setViewportSize(PHONE);
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.screenshot({
      path: join(SHOTS, lang, `${name}${phone ? '-390' : '-1280'}.png`),
      fullPage: true,
      animations: 'disabled',
      caret: 'hide',
    });
  }
  if (before) await page.setViewportSize(before);
}

describe.skipIf(SKIP_BROWSER)('browser: forgot password with the recovery code (Chromium)', () => {
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

  it.each<Locale>(['ja', 'en'])(
    'the new recovery code is shown as soon as the old one is spent (%s)',
    async (lang) => {
      const a = await signedUpAccount(t, { locale: lang });
      await verifiedEmail(t, a.token, uniqueEmail('contact'));
      const old = (await t.api('POST', '/api/v1/recovery-code', undefined, a.token)).body
        .recoveryCode as string;
      const context = await newUserContext(browser, lang);
      contexts.push(context);
      await syncClock(context, t);
      const page = await context.newPage();
      const main = page.locator('main');
      await page.goto(`${base}/forgot`, { waitUntil: 'load' });
      await page.locator('#email').fill(a.email);
      await navigateBy(page, main.getByRole('button', { name: tr(lang, 'common.next'), exact: true }));
      await page.goto(`${base}/forgot/none`, { waitUntil: 'load' });
      await page.locator('#recoveryCode').fill(old.toLowerCase());
      await navigateBy(page, main.locator('form[action="/forgot/recovery-code"] button[type="submit"]'));

      await expectPage(page, lang, 'reccode.reset.title');
      expect(await textOf(main)).toContain(tr(lang, 'recovery.once'));
      const shown = await textOf(page.getByTestId('recovery-code'));
      expect(shown).toMatch(/^[A-Z0-9]{5}(-[A-Z0-9]{5}){4}$/);
      expect(shown).not.toBe(old);
      await shoot(page, lang, 'reset-new-recovery-code');

      await navigateBy(page, main.getByRole('link', { name: tr(lang, 'reccode.reset.next'), exact: true }));
      await expectPage(page, lang, 'forgot.new.title');
      await page.locator('#password').fill(`a fresh passphrase in ${lang} 2026`);
      await navigateBy(page, main.getByRole('button', { name: tr(lang, 'forgot.new.submit'), exact: true }));
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      expect(await textOf(main)).toContain(tr(lang, 'signin.notice.reset'));
      await shoot(page, lang, 'reset-done');

      // The code shown is the one that works now; the one typed does not.
      const flowToken = (await t.api('POST', '/api/v1/password-reset', { email: a.email })).body.flowToken;
      const spent = await t.api('POST', '/api/v1/password-reset/recovery-code', {
        flowToken,
        recoveryCode: old,
      });
      expect(spent.body.error?.code).toBe('code.invalid');
      const works = await t.api('POST', '/api/v1/password-reset/recovery-code', {
        flowToken,
        recoveryCode: shown,
      });
      expect(works.status).toBe(200);
    },
  );
});
