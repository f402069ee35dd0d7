/**
 * Browser end-to-end: the account recovery form as a person who lost every method fills it in (the browser
 * solves the proof of work), then a reviewer approves it in the operator console and the one-time link sets a
 * new password. Japanese and English. Screenshots: screenshots/<lang>/recovery-*.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/accounts/password-hasher.ts';
import type { Locale } from '../../src/kernel/context.ts';
import { createOperator } from '../../src/operator/operator-auth.ts';
import { createTestApp, signedUpAccount, type TestApp, uniqueEmail } from '../support/harness.ts';
import { nextOperatorCode } from '../support/operator.ts';
import {
  expectPage,
  launchBrowser,
  mailedCode,
  navigateBy,
  newUserContext,
  PHONE,
  pathOf,
  SKIP_BROWSER,
  syncClock,
  textOf,
  tr,
} from './browser.ts';

const SHOTS = fileURLToPath(new URL('../../screenshots/', import.meta.url));
const OLD_PASSWORD = 'the passphrase I used last year';
const NEW_PASSWORD = 'recovered with a fresh passphrase 3';
const OPERATOR = { name: 'reviewer.e2e', password: 'operator passphrase e2e 1' };

async function shot(page: Page, lang: Locale, name: string, phone = false): Promise<void> {
  mkdirSync(join(SHOTS, lang), { recursive: true });
  const before = page.viewportSize();
  if (phone) await page.setViewportSize(PHONE);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({
    path: join(SHOTS, lang, `recovery-${name}${phone ? '-phone' : ''}.png`),
    fullPage: true,
    animations: 'disabled',
    caret: 'hide',
  });
  if (phone && before) await page.setViewportSize(before);
}

describe.skipIf(SKIP_BROWSER)('account recovery form and reviewer approval (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  /** The operator's authenticator key, from the enrolment page of its first sign-in. */
  let operatorKey = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    t = await createTestApp();
    base = await t.app.http.listen({ port: 0, host: '127.0.0.1' });
    await createOperator(t.app.deps, OPERATOR);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  async function open(lang: Locale, o: { javaScriptEnabled?: boolean } = {}) {
    const context =
      o.javaScriptEnabled === false
        ? await browser.newContext({
            locale: lang === 'ja' ? 'ja-JP' : 'en-GB',
            extraHTTPHeaders: { 'Accept-Language': lang === 'ja' ? 'ja' : 'en-GB,en;q=0.9' },
            viewport: { width: 1280, height: 900 },
            javaScriptEnabled: false,
          })
        : await newUserContext(browser, lang);
    contexts.push(context);
    await syncClock(context, t);
    return context.newPage();
  }

  async function go(page: Page, path: string) {
    const res = await page.goto(`${base}${path}`, { waitUntil: 'load' });
    expect(res?.ok(), `GET ${path}`).toBe(true);
  }

  for (const lang of ['ja', 'en'] as const) {
    it(`${lang}: form → reviewer approves → one-time link sets a new password`, async () => {
      const displayName = lang === 'ja' ? '高橋 美咲' : 'Emily Clarke';
      const account = await signedUpAccount(t, { locale: lang, displayName });
      const id = (
        await t.app.deps.db.query<{ id: string }>('SELECT id FROM accounts WHERE email = $1', [account.email])
      )[0]!.id;
      await t.app.deps.db.query(
        'INSERT INTO password_history (account_id, password_hash, created_at) VALUES ($1, $2, $3)',
        [id, await hashPassword(OLD_PASSWORD), new Date(t.clock.now().getTime() - 90 * 86_400_000)],
      );
      const contact = uniqueEmail(`friend-${lang}`);

      // Without JavaScript the proof-of-work step says plainly what it needs.
      const noJs = await open(lang, { javaScriptEnabled: false });
      await go(noJs, '/recovery-form');
      await expectPage(noJs, lang, 'recovery_form.title');
      expect(await textOf(noJs.locator('main .rf-pow'))).toContain(tr(lang, 'recovery_form.pow.noscript'));
      await shot(noJs, lang, 'no-javascript');

      const page = await open(lang);
      const button = (key: Parameters<typeof tr>[1]) =>
        page.locator('main button[type="submit"]', { hasText: tr(lang, key) }).first();
      await go(page, '/recovery-form');
      await expectPage(page, lang, 'recovery_form.title');
      await page.waitForFunction(
        () => (document.querySelector('input[name="pow"]') as HTMLInputElement | null)?.value !== '',
        undefined,
        { timeout: 30_000 },
      );
      expect(await textOf(page.locator('[data-pow-status]'))).toBe(tr(lang, 'recovery_form.pow.done'));
      await page.fill('#account', account.email);
      await page.fill('#contactEmail', account.email.toUpperCase());
      await shot(page, lang, 'start');
      await shot(page, lang, 'start', true);
      await navigateBy(page, button('recovery_form.send_code'));
      // Same address as the account: refused next to the field, with a fresh puzzle solved again.
      expect(await textOf(page.locator('#contactEmail-error'))).toBe(tr(lang, 'recovery_form.contact_same'));
      await page.waitForFunction(
        () => (document.querySelector('input[name="pow"]') as HTMLInputElement | null)?.value !== '',
      );
      await page.fill('#contactEmail', contact);
      await navigateBy(page, button('recovery_form.send_code'));

      expect(pathOf(page)).toBe('/recovery-form/code');
      await expectPage(page, lang, 'recovery_form.code.title');
      await shot(page, lang, 'code');
      const code = await mailedCode(t, contact, lang, 'mail.code.recovery_form.subject');
      await page.fill('#code', code);
      await navigateBy(page, button('code.submit'));

      expect(pathOf(page)).toBe('/recovery-form/evidence');
      await expectPage(page, lang, 'recovery_form.evidence.title');
      await page.fill('#displayName', displayName);
      await page.fill('#password1', OLD_PASSWORD);
      await page.check('input[name="devices"][value="linux"]');
      await shot(page, lang, 'evidence');
      await shot(page, lang, 'evidence', true);
      await navigateBy(page, button('recovery_form.evidence.submit'));
      await expectPage(page, lang, 'recovery_form.sent.title');
      await shot(page, lang, 'sent');
      await t.drain();
      const received = t.sink.to(contact).at(-1);
      expect(received?.subject).toBe(tr(lang, 'recovery_form.mail.received.subject'));

      // The reviewer, in the console.
      const op = await open(lang);
      const opButton = (key: Parameters<typeof tr>[1]) =>
        op.locator('main button[type="submit"]', { hasText: tr(lang, key) }).first();
      await go(op, '/operator');
      expect(pathOf(op)).toBe('/operator/sign-in');
      await expectPage(op, lang, 'operator.signin.title');
      await shot(op, lang, 'operator-sign-in');
      await op.fill('#name', OPERATOR.name);
      await op.fill('#password', OPERATOR.password);
      await navigateBy(op, opButton('operator.signin.submit'));
      // The password alone opens nothing: the first sign-in adds an authenticator app, later ones ask for its code.
      if (!operatorKey) {
        expect(pathOf(op)).toBe('/operator/sign-in/enrol');
        await expectPage(op, lang, 'operator.enrol.title');
        operatorKey = (await textOf(op.locator('[data-testid="manual-key"]'))).trim();
        await shot(op, lang, 'operator-enrol');
        await op.fill('#code', nextOperatorCode(t, operatorKey));
        await navigateBy(op, opButton('totp.submit'));
      } else {
        expect(pathOf(op)).toBe('/operator/sign-in/code');
        await expectPage(op, lang, 'operator.code.title');
        await shot(op, lang, 'operator-code');
        await op.fill('#code', nextOperatorCode(t, operatorKey));
        await navigateBy(op, opButton('operator.code.submit'));
      }
      await expectPage(op, lang, 'operator.queue.title');
      const masked = `${account.email.slice(0, 2)}*****@example.com`;
      const row = op.locator('[data-testid="queue-item"]', { hasText: masked });
      expect(await row.count()).toBe(1);
      await shot(op, lang, 'operator-queue');
      await navigateBy(op, row.getByRole('link', { name: tr(lang, 'operator.review') }));
      await expectPage(op, lang, 'operator.request.title');
      const evidence = await textOf(op.locator('[data-testid="evidence"]'));
      expect(evidence).toContain(tr(lang, 'operator.match.match'));
      expect(await op.content()).not.toContain(OLD_PASSWORD);
      expect(await textOf(op.locator('[data-testid="due"]'))).not.toBe('—');
      await op.fill(
        '#reason',
        lang === 'ja' ? '以前のパスワードとお名前が一致' : 'Old password and name match',
      );
      await shot(op, lang, 'operator-request');
      await navigateBy(op, opButton('operator.decide.approve'));
      expect(await textOf(op.locator('main .notice.ok'))).toBe(tr(lang, 'operator.decide.done'));
      await shot(op, lang, 'operator-decided');
      await go(op, '/operator/audit');
      expect(await textOf(op.locator('[data-testid="audit"]'))).toContain(
        tr(lang, 'operator.audit.action.request.approve'),
      );
      await shot(op, lang, 'operator-audit');

      // The answer, at the contact address: a one-time link.
      await t.drain();
      const approved = t.sink.to(contact).at(-1)!;
      expect(approved.subject).toBe(tr(lang, 'recovery_form.mail.approved.subject'));
      const link = /http:\/\/mamori\.test(\/recovery-form\/reset\/[A-Za-z0-9_-]+)/.exec(approved.text)![1]!;
      await go(page, link);
      await expectPage(page, lang, 'recovery_form.reset.title');
      await shot(page, lang, 'reset');
      await page.fill('#password', NEW_PASSWORD);
      await navigateBy(page, button('recovery_form.reset.submit'));
      await expectPage(page, lang, 'recovery_form.done.title');
      await shot(page, lang, 'done');
      // The link worked once.
      const again = await page.goto(`${base}${link}`);
      expect(again?.status()).toBe(404);
      expect(
        (await t.api('POST', '/api/v1/sessions', { email: account.email, password: NEW_PASSWORD })).status,
      ).not.toBe(401);
      // This browser is new to the account, but it just proved the owner: signing in here asks for no code
      // to the address the owner said was lost (docs/flows/recovery-form.md).
      await go(page, '/sign-in');
      await page.fill('#email', account.email);
      await page.fill('#password', NEW_PASSWORD);
      await navigateBy(page, button('signin.submit'));
      expect(pathOf(page)).not.toMatch(/^\/sign-in/);
    });
  }
});
