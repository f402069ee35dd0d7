/**
 * Browser end-to-end of the apps pages, in Japanese and in English, in headless Chromium against the real app:
 * an organisation admin registers an application (its secret shown once, the connection details on its page)
 * and a webhook endpoint (its `whsec_` secret shown once); an operator looks at the list and a client.
 *
 * Screenshots (1280 and 390 px wide) go to /tmp/apps-console-shots/<lang>-<step>-<width>.png (not committed).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/kernel/context.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { enrolledOperator } from '../support/operator.ts';
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

const DIR = '/tmp/apps-console-shots';
const ORG_APPS = '/organisation/console/apps';

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
  // Nothing may stick out sideways on a phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${lang}-${name} is wider than a phone`).toBeLessThanOrEqual(0);
  await page.screenshot({
    path: join(DIR, `${lang}-${name}-390.png`),
    fullPage: true,
    animations: 'disabled',
  });
  if (before) await page.setViewportSize(before);
}

describe.skipIf(SKIP_BROWSER)('the apps console in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    t = await createTestApp({ env: { APPS_ALLOW_PRIVATE_NETWORKS: 'false' } });
    base = await t.app.http.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  for (const lang of ['ja', 'en'] as const) {
    it(`${lang}: an organisation admin registers an application and a webhook endpoint, each secret shown once`, async () => {
      const { admin } = await orgWithAdmin(t, { locale: lang });
      const context = await newUserContext(browser, lang);
      contexts.push(context);
      await syncClock(context, t);
      await context.addCookies([{ name: 'mamori_session', value: admin.token, url: base }]);
      const page = await context.newPage();

      // From the organisation console's navigation.
      await page.goto(`${base}/org`, { waitUntil: 'load' });
      await navigateBy(page, page.locator(`nav a[href="${ORG_APPS}"]`));
      await expectPage(page, lang, 'apps.console.title');
      expect(await textOf(page.locator('main'))).toContain(tr(lang, 'apps.console.none'));
      await shoot(page, lang, '1-apps-empty');

      const name = lang === 'ja' ? '勤怠管理システム' : 'Attendance system';
      await page.fill('#name', name);
      await page.fill(
        '#redirectUris',
        'https://kintai.example.com/callback\nhttps://kintai.example.com/silent',
      );
      await page.fill('#postLogoutRedirectUris', 'https://kintai.example.com/');
      await navigateBy(page, page.getByRole('button', { name: tr(lang, 'apps.console.submit_register') }));
      // The client's page, with its secret this once.
      expect(await textOf(page.locator('main h1'))).toBe(name);
      expect(await page.title()).toBe(`${name} – Mamori`);
      const secret = await textOf(page.getByTestId('new-secret'));
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const once = await textOf(page.getByTestId('secret-once'));
      expect(once).toContain(tr(lang, 'apps.console.secret.once'));
      expect(once).toContain(tr(lang, 'apps.console.secret.lost'));
      const facts = await textOf(page.getByTestId('developer-facts'));
      expect(facts).toContain(`${t.app.deps.config.publicUrl}/.well-known/openid-configuration`);
      expect(facts).toContain('acr_values=urn:mamori:acr:2fa');
      expect(facts).toContain('https://kintai.example.com/silent');
      const clientId = await textOf(page.getByTestId('client-id'));
      expect(clientId).toMatch(/^app_/);
      await shoot(page, lang, '2-client-secret-once');

      // Never again: the same page opened again shows no secret.
      await page.goto(`${base}${ORG_APPS}/clients/${clientId}`, { waitUntil: 'load' });
      expect(await page.content()).not.toContain(secret);
      expect(await page.getByTestId('new-secret').count()).toBe(0);
      await shoot(page, lang, '3-client');

      // The list, then webhooks.
      await navigateBy(page, page.locator('a', { hasText: tr(lang, 'apps.console.back_list') }));
      expect(await textOf(page.locator('tr[data-state="active"]'))).toContain(name);
      expect(await page.content()).not.toContain(secret);
      await shoot(page, lang, '4-apps-list');

      await navigateBy(page, page.getByTestId('apps-tab-webhooks'));
      await expectPage(page, lang, 'apps.console.webhooks.title');
      await page.fill('#url', 'https://hooks.example.com/mamori');
      await page.fill('#description', lang === 'ja' ? 'ヘルプデスク通知' : 'Help desk');
      await page.getByLabel(tr(lang, 'apps.console.webhook.password.changed')).check();
      await page.getByLabel(tr(lang, 'apps.console.webhook.signin.unusual')).check();
      await shoot(page, lang, '5-webhooks-form');
      await navigateBy(page, page.getByRole('button', { name: tr(lang, 'apps.console.webhooks.submit') }));
      const hookSecret = await textOf(page.getByTestId('new-secret'));
      expect(hookSecret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      expect(await textOf(page.getByTestId('secret-once'))).toContain(
        tr(lang, 'apps.console.secret.lost_webhook'),
      );
      expect(await textOf(page.locator('tr[data-state="active"]'))).toContain(
        'https://hooks.example.com/mamori',
      );
      await shoot(page, lang, '6-webhook-secret-once');

      await page.goto(`${base}${ORG_APPS}/webhooks`, { waitUntil: 'load' });
      expect(await page.content()).not.toContain(hookSecret);
      // A receiver for the client, from its page.
      await page.goto(`${base}${ORG_APPS}/clients/${clientId}`, { waitUntil: 'load' });
      await page.fill('#endpointUrl', 'https://ssf.example.com/events');
      await navigateBy(page, page.getByRole('button', { name: tr(lang, 'apps.console.receivers.submit') }));
      expect(await textOf(page.getByTestId('done'))).toBe(tr(lang, 'apps.console.receivers.added'));
      expect(await page.locator('tr[data-receiver]').count()).toBe(1);
      await shoot(page, lang, '7-client-receiver');
    }, 120_000);

    it(`${lang}: an operator sees every organisation's applications and a client's details`, async () => {
      const op = await enrolledOperator(t, { role: 'admin' });
      const context = await newUserContext(browser, lang);
      contexts.push(context);
      await syncClock(context, t);
      await context.addCookies([
        { name: 'mamori_operator', value: op.token, url: `${base}/operator` },
        { name: 'mamori_lang', value: lang, url: base },
      ]);
      const page = await context.newPage();
      await page.goto(`${base}/operator`, { waitUntil: 'load' });
      await navigateBy(page, page.locator('nav a[href="/operator/apps"]'));
      await expectPage(page, lang, 'apps.console.title');
      expect(await page.locator('tr[data-client]').count()).toBeGreaterThan(0);
      await shoot(page, lang, '8-operator-apps');
      await navigateBy(page, page.locator('tr[data-client] a').first());
      expect(await page.getByTestId('developer-facts').count()).toBe(1);
      await shoot(page, lang, '9-operator-client');
      await navigateBy(page, page.getByTestId('apps-tab-webhooks'));
      await expectPage(page, lang, 'apps.console.webhooks.title');
      await shoot(page, lang, '10-operator-webhooks');
    }, 120_000);
  }
});
