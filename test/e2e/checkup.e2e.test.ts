/**
 * Browser end-to-end for the security checkup, the periodic "is this still yours?" check and the notice
 * preferences, in Japanese and in English, in headless Chromium against the real app:
 *
 *  1. the checkup page with its score and one-click paths; a recovery code created from it raises the score;
 *  2. the periodic check once the period is over: confirming returns to where the user was going, and the
 *     date shows per method;
 *  3. the notice preferences (security messages cannot be switched off), and the unsubscribe link's page.
 *
 * Screenshots go to screenshots/<lang>/checkup-*.png.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageKey } from '../../src/i18n/index.ts';
import { DAY } from '../../src/kernel/clock.ts';
import type { Locale } from '../../src/kernel/context.ts';
import { unsubscribeToken } from '../../src/notices/preferences.ts';
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
  pathOf,
  SKIP_BROWSER,
  syncClock,
  textOf,
  tr,
} from './browser.ts';

const SHOTS_ROOT = fileURLToPath(new URL('../../screenshots/', import.meta.url));

/** screenshots/<lang>/checkup-<nn>-<name>[-phone].png; only this file's old checkup-* shots are removed. */
class CheckupShots {
  private n = 0;
  readonly taken: string[] = [];
  private readonly dir: string;
  constructor(lang: Locale) {
    this.dir = join(SHOTS_ROOT, lang);
    mkdirSync(this.dir, { recursive: true });
    for (const f of readdirSync(this.dir))
      if (f.startsWith('checkup-') && f.endsWith('.png')) rmSync(join(this.dir, f), { force: true });
  }
  async take(page: Page, name: string, o: { phone?: boolean } = {}): Promise<void> {
    this.n++;
    const before = page.viewportSize();
    if (o.phone) await page.setViewportSize(PHONE);
    const file = join(
      this.dir,
      `checkup-${String(this.n).padStart(2, '0')}-${name}${o.phone ? '-phone' : ''}.png`,
    );
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
    if (o.phone && before) await page.setViewportSize(before);
    this.taken.push(file);
  }
}

const button = (page: Page, lang: Locale, key: MessageKey) =>
  page.locator('main button[type="submit"]', { hasText: tr(lang, key) }).first();

describe.skipIf(SKIP_BROWSER)(
  'security checkup, periodic check and notice preferences in the browser',
  () => {
    let t: TestApp;
    let browser: Browser;
    let base: string;
    const contexts: BrowserContext[] = [];
    const shots = new Map<Locale, CheckupShots>();

    beforeAll(async () => {
      browser = await launchBrowser();
      t = await createTestApp();
      base = await t.app.http.listen({ port: 0, host: '127.0.0.1' });
      shots.set('ja', new CheckupShots('ja'));
      shots.set('en', new CheckupShots('en'));
    });
    afterAll(async () => {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser?.close();
      await t?.close();
      for (const [lang, s] of shots)
        console.info(`[e2e] ${s.taken.length} checkup screenshots in screenshots/${lang}/checkup-*`);
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

    for (const lang of ['ja', 'en'] as const) {
      it(`${lang}: checkup, periodic check, notice preferences and unsubscribe`, async () => {
        const shot = shots.get(lang)!;
        const acct = await signedUpAccount(t, {
          locale: lang,
          displayName: lang === 'ja' ? '山田 花子' : 'Hanako Yamada',
        });
        await verifiedEmail(t, acct.token, uniqueEmail('info').replace(/^info\d+\.[a-z0-9]+/, 'info'));
        const page = await signedIn(lang, acct.token);

        // 1. The checkup
        await go(page, '/security/checkup');
        await expectPage(page, lang, 'checkup.title');
        const score = page.getByTestId('checkup-score');
        expect(await score.getAttribute('data-score')).toBe('25');
        expect(await textOf(score)).toBe(tr(lang, 'checkup.score_value', { score: 25 }));
        const roleItem = page.locator('[data-check="no_role_address"]');
        expect(await roleItem.getAttribute('data-ok')).toBe('false');
        expect(await textOf(roleItem)).toContain('info@');
        await shot.take(page, 'score');
        await shot.take(page, 'score', { phone: true });

        await navigateBy(page, button(page, lang, 'checkup.action.recovery_code'));
        expect(await page.getByTestId('recovery-code').count()).toBe(1);
        await go(page, '/security/checkup');
        expect(await page.getByTestId('checkup-score').getAttribute('data-score')).toBe('35');
        expect(await page.locator('[data-check="recovery_code"]').getAttribute('data-ok')).toBe('true');

        // 2. The periodic check, once the period is over
        const id = (await t.api('GET', '/api/v1/me', undefined, acct.token)).body.id as string;
        await t.app.deps.db.query('UPDATE accounts SET created_at = $2 WHERE id = $1', [
          id,
          new Date(t.clock.now().getTime() - 100 * DAY),
        ]);
        await go(page, '/security/checkup');
        expect(await page.locator('[data-check="confirmed"]').getAttribute('data-ok')).toBe('false');
        await navigateBy(
          page,
          page.getByRole('link', { name: tr(lang, 'checkup.action.confirm'), exact: true }),
        );
        expect(pathOf(page)).toBe('/security/confirm-info');
        await go(page, '/security/confirm-info?next=/security/checkup');
        await expectPage(page, lang, 'confirm_info.title');
        expect(await textOf(page.getByTestId('confirmed-at').first())).toMatch(
          new RegExp(
            tr(lang, 'checkup.method_verified', { date: 'X' })
              .replace(/[()（）]/g, '.')
              .replace('X', '.+'),
          ),
        );
        await shot.take(page, 'confirm-info');
        await shot.take(page, 'confirm-info', { phone: true });
        await navigateBy(page, button(page, lang, 'confirm_info.submit'));
        expect(pathOf(page)).toBe('/security/checkup?done=confirmed');
        expect(await textOf(page.locator('.notice.ok'))).toBe(tr(lang, 'confirm_info.done'));
        expect(await page.locator('[data-check="confirmed"]').getAttribute('data-ok')).toBe('true');
        expect(await textOf(page.getByTestId('confirmed-at').first())).toMatch(
          new RegExp(tr(lang, 'checkup.method_confirmed', { date: 'X' }).replace('X', '.+')),
        );
        await shot.take(page, 'confirmed');

        // 3. Notice preferences
        await go(page, '/security/notices');
        await expectPage(page, lang, 'notices.prefs.title');
        expect(await textOf(page.getByTestId('security-always'))).toBe(
          tr(lang, 'notices.prefs.security_always'),
        );
        await page.getByTestId('notice-billing').uncheck();
        await navigateBy(page, button(page, lang, 'notices.prefs.save'));
        expect(pathOf(page)).toBe('/security/notices?done=saved');
        expect(await page.getByTestId('notice-billing').isChecked()).toBe(false);
        expect(await page.getByTestId('notice-terms').isChecked()).toBe(true);
        await shot.take(page, 'notices');
        await shot.take(page, 'notices', { phone: true });

        // The unsubscribe link of a notice email, opened in a browser without a session.
        const anon = await newUserContext(browser, lang);
        contexts.push(anon);
        const p2 = await anon.newPage();
        const token = unsubscribeToken(t.app.deps.config.secret, id, 'terms');
        await go(p2, `/unsubscribe?token=${encodeURIComponent(token)}`);
        await expectPage(p2, lang, 'notices.unsub.title');
        await shot.take(p2, 'unsubscribe');
        await navigateBy(p2, button(p2, lang, 'notices.unsub.submit'));
        await expectPage(p2, lang, 'notices.unsub.done_title');
        expect(await textOf(p2.locator('.notice.ok'))).toBe(
          tr(lang, 'notices.unsub.done', { category: tr(lang, 'notices.category.terms') }),
        );
        await shot.take(p2, 'unsubscribed');
        await go(page, '/security/notices');
        expect(await page.getByTestId('notice-terms').isChecked()).toBe(false);
      });
    }
  },
);
