/**
 * Helpers for the two-step verification browser tests (two-step.e2e.test.ts): the skip rule extended to
 * Debian's oathtool, screenshots into screenshots/<lang>/2sv-*.png (next to, and without removing, the
 * other flows' screenshots), and the sign-up + contact-address set-up every scenario starts from.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { MessageKey } from '../../src/i18n/index.ts';
import type { Locale } from '../../src/kernel/context.ts';
import type { TestApp } from '../support/harness.ts';
import { hasOathtool } from '../support/oathtool.ts';
import {
  BROWSER_REQUIRED,
  expectPage,
  mailedCode,
  navigateBy,
  PHONE,
  pathOf,
  SKIP_BROWSER,
  textOf,
  tr,
} from './browser.ts';

/** Like the other browser tests: skipped without Chromium or oathtool, a failure under CI/MAMORI_REQUIRE_ALL. */
export const SKIP_TWO_STEP = SKIP_BROWSER || (!hasOathtool && !BROWSER_REQUIRED);

if (!SKIP_BROWSER && SKIP_TWO_STEP) {
  console.warn(
    '[e2e] two-step SKIPPED: oathtool not found. Install it with "apt-get install -y oathtool" ' +
      '(set CI=1 or MAMORI_REQUIRE_ALL=1 to make this a failure).',
  );
}

export function requireOathtool(): void {
  if (!hasOathtool)
    throw new Error(
      'oathtool not found, and CI/MAMORI_REQUIRE_ALL requires the browser tests. ' +
        'Install it with "apt-get install -y oathtool".',
    );
}

const SHOTS_ROOT = fileURLToPath(new URL('../../screenshots/', import.meta.url));

/** Numbered screenshots/<lang>/2sv-<nn>-<name>[-phone].png; only this file's old 2sv-* shots are removed. */
export class TwoStepShots {
  private n = 0;
  readonly taken: string[] = [];
  private readonly dir: string;
  constructor(lang: Locale) {
    this.dir = join(SHOTS_ROOT, lang);
    mkdirSync(this.dir, { recursive: true });
    for (const f of readdirSync(this.dir))
      if (f.startsWith('2sv-') && f.endsWith('.png')) rmSync(join(this.dir, f), { force: true });
  }

  async take(page: Page, name: string, o: { phone?: boolean } = {}): Promise<void> {
    this.n++;
    const before = page.viewportSize();
    if (o.phone) await page.setViewportSize(PHONE);
    const file = join(
      this.dir,
      `2sv-${String(this.n).padStart(2, '0')}-${name}${o.phone ? '-phone' : ''}.png`,
    );
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
    if (o.phone && before) await page.setViewportSize(before);
    this.taken.push(file);
  }

  /** Desktop, then the same page at 390×844. */
  async both(page: Page, name: string): Promise<void> {
    await this.take(page, name);
    await this.take(page, name, { phone: true });
  }
}

/** The form button (in main) with this text. */
export const button = (page: Page, lang: Locale, key: MessageKey, params?: Record<string, string | number>) =>
  page.locator('main button[type="submit"]', { hasText: tr(lang, key, params) }).first();

/** The link (anywhere on the page) with exactly this text. */
export const link = (page: Page, lang: Locale, key: MessageKey): Locator =>
  page.getByRole('link', { name: tr(lang, key), exact: true });

export interface Owner {
  lang: Locale;
  displayName: string;
  email: string;
  password: string;
  contact: string;
}

/**
 * Signs up through the pages (so the account's first sign-in is this browser), confirms the address, then
 * adds and verifies the contact address. Ends on /security?done=verified.
 */
export async function signUpWithContact(t: TestApp, page: Page, base: string, o: Owner): Promise<void> {
  const { lang } = o;
  await page.goto(`${base}/sign-up`, { waitUntil: 'load' });
  await page.fill('#displayName', o.displayName);
  await page.fill('#email', o.email);
  await page.fill('#password', o.password);
  await page.selectOption('#locale', lang);
  await navigateBy(page, button(page, lang, 'signup.submit'));
  expect(pathOf(page)).toBe('/sign-up/confirm');
  await page.fill('#code', await mailedCode(t, o.email, lang, 'mail.code.signup.subject'));
  await navigateBy(page, button(page, lang, 'code.submit'));
  expect(pathOf(page)).toBe('/security?done=welcome');

  await navigateBy(page, link(page, lang, 'security.add_email'));
  expect(pathOf(page)).toBe('/security/emails/add');
  await page.fill('#email', o.contact);
  await navigateBy(page, button(page, lang, 'add.send_code'));
  expect(pathOf(page)).toMatch(/^\/security\/methods\/[^/]+\/verify$/);
  await page.fill('#code', await mailedCode(t, o.contact, lang, 'mail.code.add_email.subject'));
  await navigateBy(page, button(page, lang, 'code.submit'));
  expect(pathOf(page)).toBe('/security?done=verified');
  await expectPage(page, lang, 'security.title');
  expect(await textOf(page.locator('.notice.ok'))).toBe(tr(lang, 'security.done.verified'));
}

/** The sign-in form, filled and sent; the caller checks where it lands. */
export async function signInWithPassword(
  page: Page,
  base: string,
  lang: Locale,
  email: string,
  password: string,
): Promise<void> {
  await page.goto(`${base}/sign-in`, { waitUntil: 'load' });
  await expectPage(page, lang, 'signin.title');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await navigateBy(page, button(page, lang, 'signin.submit'));
}

export async function signOut(page: Page, lang: Locale): Promise<void> {
  await navigateBy(page, page.getByTestId('sign-out'));
  expect(pathOf(page)).toBe('/sign-in?done=signed_out');
  expect(await textOf(page.locator('.notice.ok'))).toBe(tr(lang, 'signin.notice.signed_out'));
}

/** Subjects of the mails to `to` with the given (localised) subject. */
export async function mailsWithSubject(t: TestApp, to: string, lang: Locale, subject: MessageKey) {
  await t.drain();
  return t.sink.to(to).filter((m) => m.subject === tr(lang, subject));
}

/** Firefox on Windows: another device than the headless Chromium on Linux the owner uses. */
export const INTRUDER_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
/** A public address (Google DNS, United States): a country the account has never signed in from. */
export const INTRUDER_IP = '8.8.8.8';
