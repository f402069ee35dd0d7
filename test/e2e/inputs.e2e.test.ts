/**
 * Browser end-to-end for issue 8, kinds 5 and 7, in Japanese and in English, in headless Chromium:
 *
 *  - kind 5: a five-digit code says "enter the 6 digits" (and spends no try), the code typed in full-width
 *    digits with a hyphen works; the reference check reads `mmr xxxx xxxx` and says when text is not one;
 *  - kind 7: at 390 px the sessions and activity tables are stacked cards with no sideways scroll, the
 *    sessions page names the device (`Safari 17 · iOS 17.5`), the checkup score is a sized bar with words.
 *
 * Screenshots at 390 px and 1280 px go to /tmp/shots-inputs/<lang>-<name>-<width>.png.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/kernel/context.ts';
import { OPERATOR_COOKIE } from '../../src/operator/operator-auth.ts';
import { firstOperatorLink } from '../../src/operator/operator-setup.ts';
import {
  createTestApp,
  GOOD_PASSWORD,
  signedUpAccount,
  signInFully,
  type TestApp,
  uniqueEmail,
} from '../support/harness.ts';
import { enrolledOperator } from '../support/operator.ts';
import {
  DESKTOP,
  launchBrowser,
  navigateBy,
  newUserContext,
  PHONE,
  pathOf,
  SKIP_BROWSER,
  syncClock,
  textOf,
  tr,
} from './browser.ts';

const SHOTS = '/tmp/shots-inputs';
const SAFARI_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

const wide = (s: string) => s.replace(/[A-Za-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe.skipIf(SKIP_BROWSER)('input as a person types it, and pages at phone width (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
    t = await createTestApp({ env: { DATA_DIR: mkdtempSync(join(tmpdir(), 'mamori-e2e-inputs-')) } });
    base = await t.app.http.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  async function signedIn(lang: Locale, token: string): Promise<Page> {
    const context = await newUserContext(browser, lang);
    contexts.push(context);
    await syncClock(context, t);
    await context.addCookies([{ name: 'mamori_session', value: token, url: base }]);
    return context.newPage();
  }
  const go = async (page: Page, path: string) => {
    const res = await page.goto(`${base}${path}`, { waitUntil: 'load' });
    expect(res?.ok(), `GET ${path}`).toBe(true);
  };
  /** Screenshots at both widths; at 390 px, the page must not scroll sideways. */
  const shoot = async (page: Page, lang: Locale, name: string) => {
    for (const size of [PHONE, DESKTOP]) {
      await page.setViewportSize(size);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${name} scrolls sideways at ${size.width} px`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${SHOTS}/${lang}-${name}-${size.width}.png`, fullPage: true });
    }
    await page.setViewportSize(DESKTOP);
  };

  for (const lang of ['ja', 'en'] as const) {
    it(`${lang}: codes and references typed as people type them`, async () => {
      const acct = await signedUpAccount(t, { locale: lang });
      const email = uniqueEmail('contact');
      const add = await t.api('POST', '/api/v1/methods/emails', { email }, acct.token);
      expect(add.status).toBe(202);
      const code = await t.mailedCode(email);
      const page = await signedIn(lang, acct.token);

      await go(page, `/security/methods/${add.body.methodId}/verify`);
      await page.fill('input[name="code"]', code.slice(0, 5));
      await navigateBy(page, page.locator('main button[type="submit"]').first());
      expect(await textOf(page.locator('main'))).toContain(tr(lang, 'error.code.format'));
      await shoot(page, lang, 'code-format');
      await page.fill('input[name="code"]', `${wide(code.slice(0, 3))}－${wide(code.slice(3))}`);
      await navigateBy(page, page.locator('main button[type="submit"]').first());
      expect(pathOf(page)).toBe('/security?done=verified');

      await t.drain();
      const ref = t.sink
        .to(acct.email)
        .at(-1)!
        .text.match(/MMR-([A-Z0-9]{4})-([A-Z0-9]{4})/)!;
      await go(page, '/messages/check');
      await page.fill('input[name="reference"]', `mmr ${ref[1]!.toLowerCase()} ${ref[2]}`);
      await navigateBy(page, page.locator('main button[type="submit"]'));
      expect(await textOf(page.locator('main'))).toMatch(
        new RegExp(
          tr(lang, 'check.genuine', { date: '@' })
            .split('@')[0]!
            .replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
        ),
      );
      await page.fill('input[name="reference"]', 'hello');
      await navigateBy(page, page.locator('main button[type="submit"]'));
      const main = await textOf(page.locator('main'));
      expect(main).toContain(tr(lang, 'error.reference.invalid'));
      expect(main).not.toContain(tr(lang, 'check.not_genuine'));
      await shoot(page, lang, 'reference-invalid');
    });

    it(`${lang}: sessions, activity and checkup read well at 390 px`, async () => {
      const acct = await signedUpAccount(t, { locale: lang });
      const other = await signInFully(t, acct.email, GOOD_PASSWORD, { 'user-agent': SAFARI_IOS });
      expect(other.status).toBe(200);
      const page = await signedIn(lang, acct.token);

      await go(page, '/security/sessions');
      const rows = page.getByTestId('session');
      const texts = await rows.allInnerTexts();
      expect(texts.join('\n')).toContain('Safari 17 · iOS 17.5');
      expect(texts.join('\n')).not.toContain('Mozilla/5.0');
      await page.setViewportSize(PHONE);
      // Stacked cards: each row's device, address and last activity are in view, labelled.
      const first = rows.filter({ hasText: 'Safari 17' }).first();
      const box = await first.boundingBox();
      expect(box!.width).toBeLessThanOrEqual(PHONE.width);
      const labels = await first
        .locator('td')
        .evaluateAll((tds) => tds.map((td) => getComputedStyle(td, '::before').content));
      expect(labels).toContain(JSON.stringify(tr(lang, 'sessions.last_seen')));
      await shoot(page, lang, 'sessions');

      await go(page, '/security/activity');
      await page.setViewportSize(PHONE);
      const row = page.getByTestId('activity').first();
      expect((await row.boundingBox())!.width).toBeLessThanOrEqual(PHONE.width);
      await shoot(page, lang, 'activity');

      await go(page, '/security/checkup');
      const bar = page.getByTestId('checkup-bar');
      await page.setViewportSize(PHONE);
      expect((await bar.boundingBox())!.width).toBeGreaterThan(250);
      expect((await bar.boundingBox())!.height).toBeGreaterThanOrEqual(12);
      const score = Number(await page.getByTestId('checkup-score').getAttribute('data-score'));
      const rating = score < 50 ? 'low' : score < 80 ? 'fair' : 'good';
      expect(await textOf(page.locator('.score-line'))).toBe(
        `${tr(lang, 'checkup.score_value', { score })}${tr(lang, 'checkup.rating_sep')}${tr(lang, `checkup.rating.${rating}`)}`
          .replace(/\s+/g, ' ')
          .trim(),
      );
      await shoot(page, lang, 'checkup');
    });

    it(`${lang}: the first-operator setup page, and the console asks before sending to every user`, async () => {
      const context = await newUserContext(browser, lang);
      contexts.push(context);
      await syncClock(context, t);
      const page = await context.newPage();
      await t.app.deps.db.query('DELETE FROM operator_sessions');
      await t.app.deps.db.query('DELETE FROM operator_audit');
      await t.app.deps.db.query('DELETE FROM operators');
      const link = await firstOperatorLink(t.app.deps);
      await go(page, link!.url.replace('http://mamori.test', ''));
      expect(await textOf(page.locator('main h1'))).toBe(tr(lang, 'operator.setup.title'));
      await shoot(page, lang, 'operator-setup');

      const op = await enrolledOperator(t, { role: 'admin' });
      await context.addCookies([{ name: OPERATOR_COOKIE, value: op.token, url: `${base}/operator` }]);
      await go(page, '/operator/notices');
      expect(await page.locator('nav.op-nav a[href="/operator/notices"]').count()).toBe(1);
      await page.fill('#subjectJa', 'メンテナンスのお知らせ');
      await page.fill('#bodyJa', '12月1日の深夜に短時間のメンテナンスを行います。');
      await page.fill('#subjectEn', 'Maintenance');
      await page.fill('#bodyEn', 'We will do a short maintenance on the night of 1 December.');
      await navigateBy(page, page.locator('main form[action="/operator/notices"] button[type="submit"]'));
      expect(pathOf(page)).toMatch(/^\/operator\/notices\/ntc_/);
      await navigateBy(page, page.locator('main form[action$="/send"] button[type="submit"]'));
      expect(await textOf(page.locator('#confirm-error'))).toBe(tr(lang, 'notices.op.confirm_required'));
      await shoot(page, lang, 'notice-confirm');
      await page.check('#confirm');
      await navigateBy(page, page.locator('main form[action$="/send"] button[type="submit"]'));
      expect(await page.locator('#confirm-error').count()).toBe(0);
      expect(await textOf(page.getByTestId('notice-status'))).not.toBe(tr(lang, 'notices.op.status.draft'));
      // The audit log, in words, as cards at phone width.
      await go(page, '/operator/audit');
      expect(await textOf(page.getByTestId('audit'))).toContain(
        tr(lang, 'operator.audit.action.notice.send'),
      );
      await shoot(page, lang, 'operator-audit');
    });
  }
});
