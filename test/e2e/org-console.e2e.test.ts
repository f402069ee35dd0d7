/**
 * Browser end-to-end for the organisation console, in Japanese and in English, in headless Chromium against
 * the real app: an operator creates 「株式会社サンプル」, attaches its domain (attesting it is verified) and
 * names an admin; the admin (with two-step verification) sets the policy (2 methods, a phone required, SMS
 * only to Japan, re-confirm every 180 days, enforced at sign-in with 3 snoozes of 1 day), reads the members
 * report and downloads the CSV. Screenshots (1280 and 390 px wide) go to /work/shots/console/ (or
 * SHOTS_DIR).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/kernel/context.ts';
import { organisationPolicy } from '../../src/organisations/org-admin.ts';
import { listOrgAudit } from '../../src/organisations/store/audit.ts';
import { createTestApp, signedUpAccount, type TestApp } from '../support/harness.ts';
import { enrolledOperator } from '../support/operator.ts';
import { withTwoStep } from '../support/orgs.ts';
import {
  DESKTOP,
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

const SHOTS = process.env.SHOTS_DIR ?? '/work/shots/console';

describe.skipIf(SKIP_BROWSER)('organisation console in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  const taken: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    t = await createTestApp();
    base = await t.app.http.listen({ port: 0, host: '127.0.0.1' });
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
    console.info(`[e2e] ${taken.length} console screenshots in ${SHOTS}`);
  });

  let n = 0;
  /** A full-page shot at 1280 px, then at 390 px (where nothing may overflow the page sideways). */
  async function shoot(page: Page, lang: Locale, name: string): Promise<void> {
    for (const [size, suffix] of [
      [DESKTOP, ''],
      [PHONE, '-phone'],
    ] as const) {
      await page.setViewportSize(size);
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      const file = join(SHOTS, `${lang}-${String(++n).padStart(2, '0')}-${name}${suffix}.png`);
      await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
      taken.push(file);
      if (size === PHONE) {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(overflow, `${name} at 390 px`).toBeLessThanOrEqual(PHONE.width);
      }
    }
    await page.setViewportSize(DESKTOP);
  }

  async function context(lang: Locale): Promise<BrowserContext> {
    const c = await newUserContext(browser, lang);
    contexts.push(c);
    await syncClock(c, t);
    return c;
  }
  const go = async (page: Page, path: string) => {
    const res = await page.goto(`${base}${path}`, { waitUntil: 'load' });
    expect(res?.status(), `GET ${path}`).toBe(200);
  };
  const submit = (page: Page, form: string) =>
    page.locator(`form[data-testid="${form}"] button[type="submit"]`);

  for (const lang of ['ja', 'en'] as const) {
    it(`${lang}: operator sets up 株式会社サンプル, the admin sets the policy, reads the report and downloads the CSV`, async () => {
      const domain = lang === 'ja' ? 'sample.co.jp' : 'en.sample.co.jp';
      const name = lang === 'ja' ? '山田 花子' : 'Hanako Yamada';
      const admin = await signedUpAccount(t, { email: `admin@${domain}`, locale: lang, displayName: name });
      await signedUpAccount(t, { email: `sato@${domain}`, locale: lang, displayName: '佐藤 一郎' });
      await signedUpAccount(t, { email: `tricky@${domain}`, locale: lang, displayName: '=1+2' });

      // 1. The operator
      const op = await enrolledOperator(t, { role: 'admin' });
      const opContext = await context(lang);
      await opContext.addCookies([{ name: 'mamori_operator', value: op.token, url: `${base}/operator` }]);
      const opPage = await opContext.newPage();
      await go(opPage, '/operator/organisations');
      expect(await textOf(opPage.locator('main h1'))).toBe(tr(lang, 'operator.orgs.title'));
      await opPage.fill('#org-name', '株式会社サンプル');
      await opPage.fill('#org-contact', `it@${domain}`);
      await navigateBy(opPage, submit(opPage, 'create-org'));
      expect(opPage.url()).toMatch(/\/operator\/organisations\/org_/);
      const orgId = opPage.url().split('/').at(-1)!;
      await opPage.fill('#domain', domain);
      await opPage.check('[data-testid="attest"]');
      await navigateBy(opPage, submit(opPage, 'attach-domain'));
      expect(await textOf(opPage.getByTestId('op-org-done'))).toBe(
        tr(lang, 'operator.org.attached', { domain, count: 3 }),
      );
      await opPage.fill('#admin-email', admin.email);
      await opPage.selectOption('#admin-role', 'org_admin');
      await navigateBy(opPage, submit(opPage, 'name-admin'));
      expect(await textOf(opPage.getByTestId('op-org-done'))).toBe(
        tr(lang, 'operator.org.named', { email: admin.email, role: tr(lang, 'org.role.org_admin') }),
      );
      await shoot(opPage, lang, 'operator-organisation');
      await go(opPage, '/operator/organisations');
      await shoot(opPage, lang, 'operator-organisations');

      // 2. The admin, with two-step verification
      const two = await withTwoStep(t, admin);
      const adminContext = await context(lang);
      await adminContext.addCookies([{ name: 'mamori_session', value: two.token, url: base }]);
      const page = await adminContext.newPage();
      await go(page, '/org');
      expect(await textOf(page.locator('main h1'))).toBe('株式会社サンプル');
      expect(await textOf(page.getByTestId('members'))).toBe('3');

      await go(page, '/org/policy');
      await expectPage(page, lang, 'org.policy.title');
      for (const k of ['passkey', 'totp', 'phone', 'email']) await page.check(`[data-testid="allowed-${k}"]`);
      await page.fill('#smsCountries', 'JP');
      await page.fill('#minMethods', '2');
      await page.check('[data-testid="required-phone"]');
      await page.fill('#reconfirmDays', '180');
      await page.check('[data-testid="enforce"]');
      await page.fill('#snoozeDays', '1');
      await page.fill('#maxSnoozes', '3');
      await navigateBy(page, submit(page, 'policy-form'));
      expect(await textOf(page.getByTestId('policy-saved'))).toBe(
        tr(lang, 'org.policy.saved', { version: 2 }),
      );
      const diff = await textOf(page.getByTestId('policy-diff'));
      expect(diff).toContain(tr(lang, 'org.policy.field.minMethods'));
      expect(diff).toContain(lang === 'ja' ? '日本 JP' : 'Japan JP');
      await shoot(page, lang, 'policy-saved');
      const saved = await organisationPolicy(t.app.deps, orgId);
      expect(saved.policy).toMatchObject({
        minMethods: 2,
        required: ['phone'],
        smsCountries: ['JP'],
        reconfirmDays: 180,
        enforceRegistration: true,
        snoozeDays: 1,
        maxSnoozes: 3,
      });

      // An invalid value is marked at its field.
      await page.fill('#minMethods', '7');
      await navigateBy(page, submit(page, 'policy-form'));
      expect(await page.locator('#minMethods').getAttribute('aria-invalid')).toBe('true');
      expect(await textOf(page.locator('#minMethods-error'))).toBe(
        tr(lang, 'org.policy.problem.range', { min: 1, max: 5 }),
      );
      await shoot(page, lang, 'policy-invalid');

      // 3. The overview and the members report
      await go(page, '/org');
      await shoot(page, lang, 'overview');
      await go(page, '/org/members');
      await expectPage(page, lang, 'org.members.title');
      expect(await page.locator('table[data-testid="members"] tbody tr').count()).toBe(3);
      expect(await page.locator('tr[data-met="false"]').count()).toBe(3);
      await shoot(page, lang, 'members');
      await page.selectOption('#f-role', 'member');
      await navigateBy(page, page.locator('form[data-testid="member-filters"] button'));
      expect(page.url()).toContain('role=member');
      expect(await page.locator('table[data-testid="members"] tbody tr').count()).toBe(2);

      // 4. The CSV
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('members-csv').click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^members-\d{4}-\d{2}-\d{2}\.csv$/);
      const bytes = readFileSync((await download.path())!);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
      expect(lines[0]?.split(',')[0]).toBe(tr(lang, 'org.col.email'));
      expect(lines).toHaveLength(3);
      expect(lines.find((l) => l.startsWith('tricky@'))).toContain(",'=1+2,");
      expect((await listOrgAudit(t.app.deps.db, orgId, 1))[0]?.action).toBe('report.exported');

      // 5. Counts over time and the audit log
      await go(page, '/org/reports');
      await shoot(page, lang, 'reports');
      await go(page, '/org/audit');
      expect(await textOf(page.locator('table[data-testid="org-audit"]'))).toContain(
        tr(lang, 'org.audit.policy.changed'),
      );
      await shoot(page, lang, 'audit');
    }, 180_000);
  }
});
