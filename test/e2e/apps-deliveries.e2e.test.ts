/**
 * Browser end-to-end for the delivery log of applications, in Japanese and in English, in headless Chromium
 * against the real app: an organisation admin's endpoints (one up, one refusing connections), the log shows
 * "delivered" and "waiting to retry" with the error, "send again" queues a copy; the operator's log shows every
 * endpoint. Screenshots (1280 and 390 px wide) go to /tmp/shots/apps-deliveries/ (never committed).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/kernel/context.ts';
import { OPERATOR_COOKIE } from '../../src/operator/operator-auth.ts';
import { appDeliveries, drainApps, webhookEndpoint } from '../support/apps-delivery.ts';
import { createTestApp, type TestApp, verifiedEmail } from '../support/harness.ts';
import { enrolledOperator } from '../support/operator.ts';
import { orgWithAdmin } from '../support/orgs.ts';
import { downUrl, type Receiver, startReceiver } from '../support/receiver.ts';
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

const DIR = '/tmp/shots/apps-deliveries';

async function shoot(page: Page, lang: Locale, name: string): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  await page.screenshot({
    path: join(DIR, `${lang}-${name}-1280.png`),
    fullPage: true,
    animations: 'disabled',
  });
  const before = page.viewportSize();
  await page.setViewportSize(PHONE);
  // Nothing is wider than the phone: the table stacks into cards.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await page.screenshot({
    path: join(DIR, `${lang}-${name}-390.png`),
    fullPage: true,
    animations: 'disabled',
  });
  if (before) await page.setViewportSize(before);
}

describe.skipIf(SKIP_BROWSER)('the delivery log in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let rx: Receiver;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    t = await createTestApp();
    rx = await startReceiver({ now: () => t.clock.now() });
    base = await t.app.http.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await rx?.close();
    await t?.close();
  });

  for (const lang of ['ja', 'en'] as const) {
    it(`${lang}: an organisation admin reads the log and sends a delivery again; the operator sees it too`, async () => {
      const { orgId, admin } = await orgWithAdmin(t, { locale: lang });
      await webhookEndpoint(t, { url: `${rx.url}/hr-${lang}`, orgId, events: ['method.verified'] });
      const down = await webhookEndpoint(t, { url: await downUrl(), orgId, events: ['method.verified'] });
      t.clock.advance(61_000);
      await verifiedEmail(t, admin.token);
      await drainApps(t);
      const context = await newUserContext(browser, lang);
      contexts.push(context);
      await syncClock(context, t);
      await context.addCookies([{ name: 'mamori_session', value: admin.token, url: base }]);
      const page = await context.newPage();
      await page.goto(`${base}/org/apps/deliveries`, { waitUntil: 'load' });
      await expectPage(page, lang, 'apps.delivery.title');
      const rows = page.locator('[data-testid="delivery"]');
      expect(await rows.count()).toBe(2);
      const body = await textOf(page.locator('main'));
      expect(body).toContain('ECONNREFUSED');
      expect(await page.locator('[data-status="sent"]').count()).toBe(1);
      await shoot(page, lang, '1-log');

      const waiting = page.locator('[data-status="pending"]');
      await navigateBy(page, waiting.locator('button'));
      expect(await textOf(page.locator('main'))).toContain(tr(lang, 'apps.delivery.resent'));
      expect((await appDeliveries(t)).filter((d) => d.recipient === down.id)).toHaveLength(2);
      await shoot(page, lang, '2-resent');

      // The operator's log lists every endpoint's deliveries.
      const op = await enrolledOperator(t);
      const opContext = await newUserContext(browser, lang);
      contexts.push(opContext);
      await opContext.addCookies([{ name: OPERATOR_COOKIE, value: op.token, url: `${base}/operator` }]);
      const opPage = await opContext.newPage();
      await opPage.goto(`${base}/operator/apps/deliveries`, { waitUntil: 'load' });
      await expectPage(opPage, lang, 'apps.delivery.title');
      expect(await opPage.locator('[data-testid="delivery"]').count()).toBeGreaterThanOrEqual(3);
      await shoot(opPage, lang, '3-operator');
    }, 60_000);
  }
});
