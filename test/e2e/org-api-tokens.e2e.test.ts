/**
 * Browser end-to-end for the organisation's API tokens (/org/tokens), in Japanese and in English, in headless
 * Chromium against the real app: an organisation admin creates a reader token (shown once), the token works on
 * the API, the list shows it without the secret, the admin revokes it and the API refuses it.
 *
 * Screenshots (1280 and 390 px wide) go to screenshots/org-api/<lang>-<step>-<width>.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/kernel/context.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { orgWithAdmin } from '../support/orgs.ts';
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

const DIR = fileURLToPath(new URL('../../screenshots/org-api/', import.meta.url));

async function shoot(page: Page, lang: Locale, name: string): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({
    path: join(DIR, `${lang}-${name}-1280.png`),
    fullPage: true,
    animations: 'disabled',
  });
  const before = page.viewportSize();
  await page.setViewportSize(PHONE);
  await page.screenshot({
    path: join(DIR, `${lang}-${name}-390.png`),
    fullPage: true,
    animations: 'disabled',
  });
  if (before) await page.setViewportSize(before);
}

describe.skipIf(SKIP_BROWSER)('organisation API tokens in the browser', () => {
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

  for (const lang of ['ja', 'en'] as const) {
    it(`${lang}: create a token (shown once), use it, revoke it`, async () => {
      const { orgId, admin } = await orgWithAdmin(t, { locale: lang });
      const context = await newUserContext(browser, lang);
      contexts.push(context);
      await syncClock(context, t);
      await context.addCookies([{ name: 'mamori_session', value: admin.token, url: base }]);
      const page = await context.newPage();
      await page.goto(`${base}/org/tokens`, { waitUntil: 'load' });
      await expectPage(page, lang, 'org.tokens.title');
      expect(await textOf(page.locator('body'))).toContain(tr(lang, 'org.tokens.none'));
      await shoot(page, lang, '1-empty');

      const name = lang === 'ja' ? '人事システム連携' : 'HR provisioning';
      await page.fill('#name', name);
      await page.selectOption('#role', 'reader');
      await navigateBy(page, page.getByRole('button', { name: tr(lang, 'org.tokens.submit') }));
      const token = (await textOf(page.getByTestId('new-token'))).trim();
      expect(token).toMatch(/^mot_[A-Za-z0-9_-]{43}$/);
      expect(await textOf(page.getByTestId('token-created'))).toContain(tr(lang, 'org.tokens.created_warn'));
      await shoot(page, lang, '2-created');

      const use = await t.api('GET', `/api/v1/orgs/${orgId}/members`, undefined, token);
      expect(use.status).toBe(200);

      await page.goto(`${base}/org/tokens`, { waitUntil: 'load' });
      expect(await page.content()).not.toContain(token);
      const row = page.locator('tr[data-state="active"]');
      expect(await textOf(row)).toContain(name);
      expect(await textOf(row)).toContain(tr(lang, 'org.role.reader'));
      await shoot(page, lang, '3-list');

      await navigateBy(page, row.getByRole('button', { name: tr(lang, 'org.tokens.revoke') }));
      expect(await textOf(page.locator('body'))).toContain(tr(lang, 'org.tokens.revoked_done'));
      expect(await page.locator('tr[data-state="revoked"]').count()).toBe(1);
      await shoot(page, lang, '4-revoked');
      const refused = await t.api('GET', `/api/v1/orgs/${orgId}/members`, undefined, token);
      expect(refused.status).toBe(401);
    }, 60_000);
  }
});
