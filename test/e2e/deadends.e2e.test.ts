/**
 * Browser end-to-end, in Japanese and in English: no dead ends (issue 8, kind 4). The verified sign-in
 * address is a reset destination; the device that reset is not sent back to a lost contact; the second step
 * of a sign-in offers the recovery code, "I don't have any of these" and, after choosing a method, "use
 * another way". Screenshots at 1280 and 390 px into $SHOTS_DIR (default /tmp/shots-deadends)/<lang>/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/kernel/context.ts';
import { maskEmail } from '../../src/kernel/mask.ts';
import {
  createTestApp,
  GOOD_PASSWORD,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';
import {
  expectPage,
  launchBrowser,
  mailedCode,
  navigateBy,
  newUserContext,
  PHONE,
  SKIP_BROWSER,
  syncClock,
  textOf,
  tr,
} from './browser.ts';

const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots-deadends';
const NEW_PASSWORD = 'a completely new passphrase 77';

class Shots {
  private n = 0;
  constructor(
    private readonly lang: Locale,
    private readonly part: string,
  ) {
    mkdirSync(join(SHOTS, lang), { recursive: true });
  }
  async take(page: Page, name: string): Promise<void> {
    this.n++;
    const before = page.viewportSize();
    for (const phone of [false, true]) {
      if (phone) await page.setViewportSize(PHONE);
      const file = join(
        SHOTS,
        this.lang,
        `${this.part}-${String(this.n).padStart(2, '0')}-${name}${phone ? '-390' : '-1280'}.png`,
      );
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
    }
    if (before) await page.setViewportSize(before);
  }
}

describe.skipIf(SKIP_BROWSER)('browser: no dead ends (Chromium)', () => {
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

  async function open(lang: Locale): Promise<{ page: Page; context: BrowserContext }> {
    const context = await newUserContext(browser, lang);
    contexts.push(context);
    await syncClock(context, t);
    return { page: await context.newPage(), context };
  }
  const go = async (page: Page, path: string) => {
    const res = await page.goto(`${base}${path}`, { waitUntil: 'load' });
    expect(res?.ok(), `GET ${path}`).toBe(true);
  };
  const button = (page: Page, text: string) =>
    page.locator('main').getByRole('button', { name: text, exact: true });
  const link = (page: Page, text: string) =>
    page.locator('main').getByRole('link', { name: text, exact: true });

  async function account(lang: Locale) {
    const email = uniqueEmail(`deadends-${lang}`);
    const r = await t.api('POST', '/api/v1/signup', {
      email,
      password: GOOD_PASSWORD,
      displayName: lang === 'ja' ? '山田 花子' : 'Alice Smith',
      locale: lang,
    });
    const code = await t.mailedCode(email);
    const token = (await t.api('POST', '/api/v1/signup/confirm', { signupToken: r.body.signupToken, code }))
      .body.sessionToken as string;
    t.clock.advance(61_000);
    return { email, token };
  }

  async function signIn(page: Page, lang: Locale, email: string, password: string) {
    await go(page, '/sign-in');
    await page.locator('#email').fill(email);
    await page.locator('#password').fill(password);
    await navigateBy(page, button(page, tr(lang, 'signin.submit')));
  }

  it.each<Locale>(['ja', 'en'])(
    'reset through the sign-in address, then that device signs in without a code (%s)',
    async (lang) => {
      const shots = new Shots(lang, 'reset');
      const a = await account(lang);
      // A contact the owner has lost: the next sign-in must not ask for a code there.
      const lost = uniqueEmail('lost');
      await verifiedEmail(t, a.token, lost);
      t.clock.advance(61_000);
      const { page } = await open(lang);
      await go(page, '/forgot');
      await page.locator('#email').fill(a.email);
      await navigateBy(page, button(page, tr(lang, 'common.next')));
      await expectPage(page, lang, 'forgot.choose.title');
      const signinLabel = tr(lang, 'deadends.forgot.signin', { masked: maskEmail(a.email) });
      expect(await textOf(page.locator('main fieldset'))).toContain(signinLabel);
      expect(await textOf(page.locator('main'))).not.toContain(a.email);
      await shots.take(page, 'choose-signin-address');
      await page.getByLabel(signinLabel).check();
      await page.locator('#confirm').fill(a.email);
      await navigateBy(page, button(page, tr(lang, 'forgot.choose.submit')));
      await expectPage(page, lang, 'forgot.code.title');
      await page.locator('#code').fill(await mailedCode(t, a.email, lang, 'mail.code.reset.subject'));
      await navigateBy(page, button(page, tr(lang, 'code.submit')));
      await expectPage(page, lang, 'forgot.new.title');
      await page.locator('#password').fill(NEW_PASSWORD);
      await navigateBy(page, button(page, tr(lang, 'forgot.new.submit')));
      await expectPage(page, lang, 'signin.title');
      await shots.take(page, 'reset-done');
      // The same browser signs in with the new password and gets in: no code to the lost contact.
      await signIn(page, lang, a.email, NEW_PASSWORD);
      expect(new URL(page.url()).pathname).not.toMatch(/^\/sign-in/);
      await shots.take(page, 'signed-in-without-code');
    },
  );

  it.each<Locale>(['ja', 'en'])(
    'the second step offers the recovery code, "I don\'t have any of these" and "use another way" (%s)',
    async (lang) => {
      const shots = new Shots(lang, 'second');
      const a = await account(lang);
      const contact = uniqueEmail('contact');
      await verifiedEmail(t, a.token, contact);
      const made = await t.api('POST', '/api/v1/recovery-code', undefined, a.token);
      const recoveryCode = made.body.recoveryCode as string;
      t.clock.advance(61_000);
      const { page } = await open(lang);
      await signIn(page, lang, a.email, GOOD_PASSWORD);
      await expectPage(page, lang, 'challenge.title');
      // A second browser at the same step (before the first one signs in and makes the device familiar).
      const other = (await open(lang)).page;
      await signIn(other, lang, a.email, GOOD_PASSWORD);
      await expectPage(other, lang, 'challenge.title');
      const main = page.locator('main');
      expect(await textOf(main)).toContain(tr(lang, 'deadends.second.recovery_title'));
      expect(await link(page, tr(lang, 'deadends.second.none')).getAttribute('href')).toBe(
        '/forgot/none?from=/sign-in/verify',
      );
      await shots.take(page, 'choices');
      // Choose the email, then go back to the list.
      await navigateBy(page, button(page, tr(lang, 'reauth.send_to', { method: maskEmail(contact) })));
      expect(await textOf(main)).toContain(tr(lang, 'second.code_sent', { method: maskEmail(contact) }));
      await shots.take(page, 'code-sent');
      await navigateBy(page, link(page, tr(lang, 'second.other_way')));
      expect(await textOf(main)).toContain(tr(lang, 'deadends.second.recovery_title'));
      // A wrong recovery code: said so on the page, the other ways still there.
      await page.locator('#recoveryCode').fill('AAAAA-BBBBB-CCCCC-DDDDD-EEEEE');
      await navigateBy(page, button(page, tr(lang, 'deadends.second.recovery_submit')));
      expect(await textOf(main)).toContain(tr(lang, 'error.code.invalid'));
      expect(await link(page, tr(lang, 'deadends.second.none')).count()).toBe(1);
      await shots.take(page, 'recovery-code-wrong');
      await page.locator('#recoveryCode').fill(recoveryCode);
      await navigateBy(page, button(page, tr(lang, 'deadends.second.recovery_submit')));
      await expectPage(page, lang, 'deadends.second.new_code_title');
      const shown = await textOf(page.getByTestId('recovery-code'));
      expect(shown).toMatch(/^[A-Z0-9]{5}(-[A-Z0-9]{5}){4}$/);
      expect(shown).not.toBe(recoveryCode);
      await shots.take(page, 'new-recovery-code');
      await navigateBy(page, link(page, tr(lang, 'deadends.second.continue')));
      expect(new URL(page.url()).pathname).not.toMatch(/^\/sign-in/);
      // "I don't have any of these" leads to the recovery options.
      await navigateBy(other, link(other, tr(lang, 'deadends.second.none')));
      await expectPage(other, lang, 'forgot.none.title');
      expect(await link(other, tr(lang, 'recovery_form.entry_link')).count()).toBe(1);
      await shots.take(other, 'none-of-these');
    },
  );

  it.each<Locale>(['ja', 'en'])(
    'sign-up: every error at once, a typo fixed in one click, the address as typed, and a way to change it (%s)',
    async (lang) => {
      const shots = new Shots(lang, 'signup');
      const { page } = await open(lang);
      await go(page, '/sign-up');
      await page.locator('#email').fill('someone@mailinator.com');
      await page.locator('#password').fill('short');
      await navigateBy(page, button(page, tr(lang, 'signup.submit')));
      const all = await textOf(page.locator('main'));
      expect(all).toContain(tr(lang, 'error.account.email_disposable', { domain: 'mailinator.com' }));
      expect(all).toContain(tr(lang, 'error.account.display_name_invalid'));
      expect(all).toContain(tr(lang, 'error.password.too_short', { min: 8 }));
      await shots.take(page, 'every-error');

      const typed = uniqueEmail(`signup-${lang}`).replace('@example.com', '@outlok.com');
      const suggested = typed.replace('@outlok.com', '@outlook.com');
      await page.locator('#displayName').fill(lang === 'ja' ? '山田 花子' : 'Alice Smith');
      await page.locator('#email').fill(typed);
      await page.locator('#password').fill(GOOD_PASSWORD);
      await navigateBy(page, button(page, tr(lang, 'signup.submit')));
      expect(await textOf(page.getByTestId('typo'))).toContain(
        tr(lang, 'deadends.signup.typo_lead', { suggestion: suggested }),
      );
      await shots.take(page, 'typo-suggestion');
      await navigateBy(page, button(page, tr(lang, 'deadends.signup.typo_use', { suggestion: suggested })));
      await expectPage(page, lang, 'confirm.title');
      expect(await textOf(page.locator('main .lead'))).toContain(suggested);
      await shots.take(page, 'confirm-as-typed');
      // Wrong address after all: back to the form, filled in.
      await navigateBy(page, link(page, tr(lang, 'deadends.signup.change')));
      await expectPage(page, lang, 'signup.title');
      expect(await page.locator('#email').inputValue()).toBe(suggested);
      expect(await page.locator('#displayName').inputValue()).toBe(
        lang === 'ja' ? '山田 花子' : 'Alice Smith',
      );
      await shots.take(page, 'change-address');
      const code = await mailedCode(t, suggested, lang, 'mail.code.signup.subject');
      expect(code).toMatch(/^\d{6}$/);
    },
  );

  it.each<Locale>(['ja', 'en'])(
    'account settings: name, language and time zone; the language switch offers to save it (%s)',
    async (lang) => {
      const shots = new Shots(lang, 'account');
      const other: Locale = lang === 'ja' ? 'en' : 'ja';
      const a = await account(lang);
      const { page, context } = await open(lang);
      await context.addCookies([{ name: 'mamori_session', value: a.token, url: base }]);
      await go(page, '/security');
      await navigateBy(page, page.getByTestId('account-link'));
      await expectPage(page, lang, 'deadends.account.title');
      await shots.take(page, 'settings');
      await page.locator('#displayName').fill(lang === 'ja' ? '山田 次郎' : 'Bob Smith');
      await page.locator('#timeZone').selectOption(lang === 'ja' ? 'Asia/Seoul' : 'America/New_York');
      await navigateBy(page, button(page, tr(lang, 'deadends.account.submit')));
      expect(await textOf(page.locator('main'))).toContain(tr(lang, 'deadends.account.saved'));
      await shots.take(page, 'saved');
      expect((await t.api('GET', '/api/v1/me', undefined, a.token)).body).toMatchObject({
        displayName: lang === 'ja' ? '山田 次郎' : 'Bob Smith',
        timeZone: lang === 'ja' ? 'Asia/Seoul' : 'America/New_York',
        locale: lang,
      });
      // The header switch: the page changes language, and offers to send emails in it too.
      await go(page, '/security');
      await navigateBy(page, page.locator('nav.lang a'));
      expect(await page.locator('html').getAttribute('lang')).toBe(other);
      const offer = page.getByTestId('lang-offer');
      expect(await textOf(offer)).toContain(tr(other, 'deadends.lang.offer'));
      await shots.take(page, 'language-offer');
      await navigateBy(page, offer.getByRole('button', { name: tr(other, 'deadends.lang.save') }));
      expect(await page.getByTestId('lang-offer').count()).toBe(0);
      expect((await t.api('GET', '/api/v1/me', undefined, a.token)).body.locale).toBe(other);
      // The next email is in the language just saved.
      const contact = uniqueEmail('contact');
      expect((await t.api('POST', '/api/v1/methods/emails', { email: contact }, a.token)).status).toBe(202);
      expect(await mailedCode(t, contact, other, 'mail.code.add_email.subject')).toMatch(/^\d{6}$/);
    },
  );
});
