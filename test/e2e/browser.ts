/**
 * Helpers for the browser end-to-end tests: Debian's Chromium driven by playwright-core (never a
 * downloaded browser), localised text lookups, form submission that waits for the next document, and
 * screenshots into screenshots/<lang>/<nn>-<name>.png.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { type MessageKey, type Params, t } from '../../src/i18n/index.ts';
import type { Locale } from '../../src/kernel/context.ts';
import type { TestApp } from '../support/harness.ts';
import { codeIn } from '../support/smtp-sink.ts';

export const CHROMIUM = '/usr/bin/chromium';

const flag = (v: string | undefined) => v !== undefined && v !== '' && v !== '0' && v !== 'false';

/** CI (or MAMORI_REQUIRE_ALL) must run the browser tests: a missing Chromium is then a failure, not a skip. */
export const BROWSER_REQUIRED = flag(process.env.CI) || flag(process.env.MAMORI_REQUIRE_ALL);
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const SKIP_BROWSER = !HAVE_CHROMIUM && !BROWSER_REQUIRED;

if (SKIP_BROWSER) {
  console.warn(
    `[e2e] SKIPPED: ${CHROMIUM} not found. Install it with "apt-get install -y chromium fonts-ipafont-gothic" ` +
      '(set CI=1 or MAMORI_REQUIRE_ALL=1 to make this a failure).',
  );
}

export async function launchBrowser(): Promise<Browser> {
  if (!HAVE_CHROMIUM) {
    throw new Error(
      `${CHROMIUM} not found, and CI/MAMORI_REQUIRE_ALL requires the browser tests. ` +
        'Install it with "apt-get install -y chromium fonts-ipafont-gothic".',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** A fresh browser profile as a Japanese (Tokyo) or British user would have it. */
export async function newUserContext(browser: Browser, lang: Locale): Promise<BrowserContext> {
  return browser.newContext(
    lang === 'ja'
      ? {
          locale: 'ja-JP',
          timezoneId: 'Asia/Tokyo',
          extraHTTPHeaders: { 'Accept-Language': 'ja' },
          viewport: DESKTOP,
        }
      : {
          locale: 'en-GB',
          timezoneId: 'Europe/London',
          extraHTTPHeaders: { 'Accept-Language': 'en-GB,en;q=0.9' },
          viewport: DESKTOP,
        },
  );
}

/** The browser's clock follows the server's ManualClock, so the resend countdown shows what a user would see. */
export async function syncClock(context: BrowserContext, app: TestApp): Promise<void> {
  await context.clock.setFixedTime(app.clock.now());
}

export const tr = (lang: Locale, key: MessageKey, params?: Params): string => t(lang, key, params);

/** A message as a pattern: its `{placeholders}` match anything. */
export function pattern(lang: Locale, key: MessageKey): RegExp {
  const parts = tr(lang, key)
    .split(/\{\w+\}/)
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(parts.join('.+?'));
}

/** Clicks something that submits a form or follows a link, and waits for the next document to load. */
export async function navigateBy(page: Page, target: Locator): Promise<void> {
  const committed = page.waitForEvent('framenavigated', {
    predicate: (f) => f === page.mainFrame(),
    timeout: 15_000,
  });
  await target.click();
  await committed;
  await page.waitForLoadState('load');
}

/** The page is in `lang`, with the heading (and document title) a user would read. */
export async function expectPage(page: Page, lang: Locale, heading: MessageKey, params?: Params) {
  expect(await page.locator('html').getAttribute('lang')).toBe(lang);
  const h1 = tr(lang, heading, params);
  expect(await textOf(page.locator('main h1'))).toBe(h1);
  expect(await page.title()).toBe(`${h1} – Mamori`);
}

export function pathOf(page: Page): string {
  const u = new URL(page.url());
  return `${u.pathname}${u.search}`;
}

/** The text as rendered (what a user reads), whitespace collapsed. */
export async function textOf(l: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: assertions are on the rendered text, as a user reads it
  return (await l.innerText()).replace(/\s+/g, ' ').trim();
}

/** The code in the newest mail to `to` with the given subject (in the account's language). */
export async function mailedCode(
  app: TestApp,
  to: string,
  lang: Locale,
  subject: MessageKey,
): Promise<string> {
  await app.drain();
  const want = tr(lang, subject);
  const mails = app.sink.to(to);
  const mail = mails.filter((m) => m.subject === want).at(-1);
  if (!mail)
    throw new Error(`no mail "${want}" to ${to}; got ${JSON.stringify(mails.map((m) => m.subject))}`);
  return codeIn(mail.text);
}

const SHOTS_ROOT = fileURLToPath(new URL('../../screenshots/', import.meta.url));

/** Numbered full-page screenshots of one language, at the desktop size and at a phone size. */
export class Screenshots {
  private n = 0;
  readonly taken: string[] = [];
  constructor(private readonly lang: Locale) {
    const dir = join(SHOTS_ROOT, lang);
    mkdirSync(dir, { recursive: true });
    // Only this suite's numbered shots are replaced; other suites' (passkey-*, 2sv-*) stay.
    for (const f of readdirSync(dir)) if (/^\d\d-/.test(f)) rmSync(join(dir, f), { force: true });
  }

  async take(page: Page, name: string): Promise<void> {
    this.n++;
    const file = join(SHOTS_ROOT, this.lang, `${String(this.n).padStart(2, '0')}-${name}.png`);
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
    this.taken.push(file);
  }

  /** The same page at 390×844, then back to the desktop size. */
  async phone(page: Page, name: string): Promise<void> {
    const before = page.viewportSize() ?? DESKTOP;
    await page.setViewportSize(PHONE);
    await this.take(page, `${name}-phone`);
    await page.setViewportSize(before);
  }
}
