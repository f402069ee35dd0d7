/**
 * Browser end-to-end of registration enforcement (issue 9 §3), in Japanese and English, in headless Chromium:
 * a member of an organisation whose policy asks for at least 2 methods with a phone signs in with one method,
 * is interrupted, snoozes (the count is shown), signs in again once the snooze is over, adds a phone (the code
 * from the dev SMS outbox), is compliant and lands where they were going.
 * Screenshots (390 and 1280 px wide) go to /work/shots/enforce/ (SHOTS_DIR to change it).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/kernel/context.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { DAY, memberIn, setPolicy, UA, verifiedContact } from '../support/org-enforce.ts';
import { orgWithAdmin } from '../support/orgs.ts';
import {
  DESKTOP,
  expectPage,
  launchBrowser,
  navigateBy,
  PHONE,
  pathOf,
  SKIP_BROWSER,
  textOf,
  tr,
} from './browser.ts';

const SHOTS = process.env.SHOTS_DIR ?? '/work/shots/enforce';

describe.skipIf(SKIP_BROWSER)('organisation member: interrupted, snoozes, adds a phone (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
    t = await createTestApp();
    base = await t.app.http.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  const shot = async (page: Page, lang: Locale, name: string) => {
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
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
    await page.setViewportSize(DESKTOP);
  };

  for (const lang of ['ja', 'en'] as const) {
    it(`${lang}: interrupted → snooze → signs in again → adds a phone → compliant → next`, async () => {
      const { orgId, domain } = await orgWithAdmin(t, { locale: lang });
      await setPolicy(t, orgId, {});
      const m = await memberIn(t, orgId, domain, { locale: lang });
      await verifiedContact(t, m.token, `e2e.${lang}.${Date.now()}@example.com`);

      const context = await browser.newContext({
        locale: lang === 'ja' ? 'ja-JP' : 'en-GB',
        timezoneId: lang === 'ja' ? 'Asia/Tokyo' : 'Europe/London',
        extraHTTPHeaders: { 'Accept-Language': lang === 'ja' ? 'ja' : 'en-GB,en;q=0.9' },
        viewport: DESKTOP,
        // The device the account was set up from (a known device: no extra check at sign-in).
        userAgent: UA['user-agent'],
      });
      contexts.push(context);
      const page = await context.newPage();
      const signIn = async () => {
        await context.clearCookies();
        await page.goto(`${base}/sign-in?next=${encodeURIComponent('/security/activity')}`, {
          waitUntil: 'load',
        });
        await page.fill('#email', m.email);
        await page.fill('#password', m.password);
        await navigateBy(
          page,
          page.locator('main button[type="submit"]', { hasText: tr(lang, 'signin.submit') }).first(),
        );
      };

      // 1. Interrupted at sign-in: what is missing, the steps, the snooze with its count.
      await signIn();
      expect(pathOf(page)).toBe(`/security/required?next=${encodeURIComponent('/security/activity')}`);
      await expectPage(page, lang, 'org.member.title');
      expect(await textOf(page.getByTestId('required-lead'))).toBe(
        tr(lang, 'org.member.lead', { org: '株式会社サンプル' }),
      );
      const missing = await textOf(page.getByTestId('required-missing'));
      expect(missing).toContain(tr(lang, 'org.member.need.phone'));
      expect(await textOf(page.getByTestId('required-snooze'))).toContain(
        tr(lang, 'org.member.snoozes_left', { left: 3 }),
      );
      await shot(page, lang, '01-required');

      // 2. Snooze: on to where they were going.
      await navigateBy(page, page.getByTestId('required-snooze').locator('button'));
      expect(pathOf(page)).toBe('/security/activity');

      // 3. The snooze is over: interrupted again, one fewer left.
      t.clock.advance(DAY + 60_000);
      await signIn();
      expect(pathOf(page)).toMatch(/^\/security\/required\?/);
      expect(await textOf(page.getByTestId('required-snooze'))).toContain(
        tr(lang, 'org.member.snoozes_left', { left: 2 }),
      );
      await shot(page, lang, '02-required-again');

      // 4. Adds a phone from the step, verifies it by SMS, and comes back to the page: compliant.
      await navigateBy(page, page.locator('[data-kind="phone"] a'));
      expect(pathOf(page)).toBe('/security/phones/add');
      await page.selectOption('#country', 'JP');
      await page.fill('#number', lang === 'ja' ? '090-3141-5926' : '080-2718-2818');
      await navigateBy(
        page,
        page.locator('main button[type="submit"]', { hasText: tr(lang, 'add.send_code') }).first(),
      );
      expect(pathOf(page)).toMatch(/^\/security\/methods\/[^/]+\/verify$/);
      await page.fill('#code', await t.textedCode(lang === 'ja' ? '+819031415926' : '+818027182818'));
      await navigateBy(
        page,
        page.locator('main button[type="submit"]', { hasText: tr(lang, 'code.submit') }).first(),
      );
      expect(pathOf(page)).toBe(
        `/security/required?next=${encodeURIComponent('/security/activity')}&added=verified`,
      );
      expect(await page.getByTestId('required-done').count()).toBe(1);
      expect(await textOf(page.locator('.notice.ok').first())).toBe(
        tr(lang, 'org.member.met', { org: '株式会社サンプル' }),
      );
      await shot(page, lang, '03-compliant');
      await navigateBy(page, page.getByTestId('required-continue'));
      expect(pathOf(page)).toBe('/security/activity');

      // 5. The security page shows the organisation's policy as met.
      await page.goto(`${base}/security`, { waitUntil: 'load' });
      expect(await page.getByTestId('org-requirements').getAttribute('data-met')).toBe('true');
      await shot(page, lang, '04-security');
      await page.goto(`${base}/security/checkup`, { waitUntil: 'load' });
      expect(await page.getByTestId('org-requirements').getAttribute('data-met')).toBe('true');
      await shot(page, lang, '04-checkup');
      await page.goto(`${base}/security/phones/add`, { waitUntil: 'load' });
      expect(await textOf(page.getByTestId('org-sms-countries'))).toBe(
        tr(lang, 'org.member.countries', { countries: lang === 'ja' ? '日本' : 'Japan' }),
      );
      await shot(page, lang, '04-add-phone');
      await page.goto(`${base}/organisation/why`, { waitUntil: 'load' });
      await expectPage(page, lang, 'org.why.title');
      await shot(page, lang, '05-why');
    });
  }

  for (const lang of ['ja', 'en'] as const) {
    it(`${lang}: a member who cannot give the two proofs a reset needs is told whom to contact`, async () => {
      const { orgId, domain } = await orgWithAdmin(t, { locale: lang });
      await setPolicy(t, orgId, { resetMethods: 2, enforceRegistration: false });
      const m = await memberIn(t, orgId, domain, { locale: lang });
      const context = await browser.newContext({
        locale: lang === 'ja' ? 'ja-JP' : 'en-GB',
        extraHTTPHeaders: { 'Accept-Language': lang === 'ja' ? 'ja' : 'en-GB,en;q=0.9' },
        viewport: DESKTOP,
      });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(`${base}/forgot`, { waitUntil: 'load' });
      await page.fill('#email', m.email);
      await navigateBy(page, page.locator('main button[type="submit"]').first());
      await expectPage(page, lang, 'forgot.choose.title');
      t.clock.advance(61_000);
      await page.fill('#confirm', m.email);
      await navigateBy(page, page.locator('main button[type="submit"]').first());
      await t.drain();
      const mail = t.sink
        .to(m.email)
        .filter((x) => x.subject === tr(lang, 'mail.code.reset.subject'))
        .at(-1);
      await page.fill('#code', /(?<!\d)(\d{6})(?!\d)/.exec(mail?.text ?? '')?.[1] ?? '');
      await navigateBy(
        page,
        page.locator('main button[type="submit"]', { hasText: tr(lang, 'code.submit') }).first(),
      );
      expect(await textOf(page.getByTestId('reset-contact'))).toBe(
        tr(lang, 'error.policy.reset_methods', { contact: `it@${domain}` }),
      );
      await shot(page, lang, '06-reset-contact');
    });
  }
});
