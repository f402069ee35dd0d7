/**
 * Browser end-to-end: the whole account life cycle as a user clicks through it, in Japanese and in
 * English, in headless Chromium against the real app (real SMTP sink, ManualClock). Every page is
 * screenshotted into screenshots/<lang>/ for a visual review.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/kernel/context.ts';
import { maskEmail } from '../../src/kernel/mask.ts';
import { createTestApp, signedUpAccount, type TestApp, uniqueEmail } from '../support/harness.ts';
import {
  expectPage,
  launchBrowser,
  mailedCode,
  navigateBy,
  newUserContext,
  pathOf,
  pattern,
  Screenshots,
  SKIP_BROWSER,
  syncClock,
  textOf,
  tr,
} from './browser.ts';

const MINUTE = 60_000;

interface Persona {
  lang: Locale;
  displayName: string;
  email: string;
  password: string;
  newPassword: string;
  contact: string;
  contactLabel: string;
  phoneTyped: string;
  phoneDigits: string;
  e164: string;
  /** How the activity page writes the day of the ManualClock's start (2026-11-24 10:00 JST). */
  day: RegExp;
}

describe.skipIf(SKIP_BROWSER)('browser end-to-end (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const shots = new Map<Locale, Screenshots>();
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchBrowser(); // first: fails fast (before starting anything) when Chromium is required but missing
    t = await createTestApp();
    base = await t.app.http.listen({ port: 0, host: '127.0.0.1' });
    shots.set('ja', new Screenshots('ja'));
    shots.set('en', new Screenshots('en'));
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
    for (const [lang, s] of shots)
      console.info(`[e2e] ${s.taken.length} screenshots in screenshots/${lang}/`);
  });

  async function open(lang: Locale): Promise<{ context: BrowserContext; page: Page }> {
    const context = await newUserContext(browser, lang);
    contexts.push(context);
    await syncClock(context, t);
    const page = await context.newPage();
    return { context, page };
  }

  async function go(page: Page, path: string): Promise<void> {
    const res = await page.goto(`${base}${path}`, { waitUntil: 'load' });
    expect(res?.ok(), `GET ${path}`).toBe(true);
  }

  const methodRows = (page: Page) => page.locator('[data-testid="method"]');

  async function fullFlow(p: Persona): Promise<void> {
    const { lang } = p;
    const shot = shots.get(lang)!;
    const { context, page } = await open(lang);
    const button = (key: Parameters<typeof tr>[1]) =>
      page.locator('main button[type="submit"]', { hasText: tr(lang, key) }).first();
    const link = (key: Parameters<typeof tr>[1]) =>
      page.getByRole('link', { name: tr(lang, key), exact: true });

    // Sign up
    await go(page, '/sign-up');
    await expectPage(page, lang, 'signup.title');
    expect(await page.locator('#locale').inputValue()).toBe(lang);
    if (lang === 'en') {
      // The header's language link switches the page; switch to Japanese and back to English.
      await navigateBy(page, page.locator('nav.lang a[hreflang="ja"]'));
      await expectPage(page, 'ja', 'signup.title');
      expect(pathOf(page)).toBe('/sign-up');
      // The choice sticks: the next page is in Japanese too, although the browser asks for English.
      await go(page, '/sign-in');
      await expectPage(page, 'ja', 'signin.title');
      await go(page, '/sign-up');
      await navigateBy(page, page.locator('nav.lang a[hreflang="en"]'));
      expect(pathOf(page)).toBe('/sign-up');
      await expectPage(page, 'en', 'signup.title');
      expect(await textOf(page.locator('nav.lang strong'))).toBe('English');
    }
    expect(await textOf(page.locator('p.lead'))).toBe(tr(lang, 'signup.lead'));
    await shot.take(page, 'sign-up');
    await shot.phone(page, 'sign-up');
    await page.fill('#displayName', p.displayName);
    await page.fill('#email', p.email);
    await page.fill('#password', p.password);
    await page.selectOption('#locale', lang);
    await navigateBy(page, button('signup.submit'));

    // Confirm the address with the mailed code
    expect(pathOf(page)).toBe('/sign-up/confirm');
    await expectPage(page, lang, 'confirm.title');
    // The address as typed: the person's own input, shown in full so a mistake can be seen and changed.
    expect(await textOf(page.locator('p.lead'))).toBe(
      tr(lang, 'confirm.lead', { email: p.email, minutes: 10 }),
    );
    expect(await textOf(page.locator('label[for="code"]'))).toBe(tr(lang, 'code.label'));
    // The resend button counts down (browser clock = server clock): disabled for now.
    const resend = page.locator('button[data-resend-at]');
    expect(await resend.isDisabled()).toBe(true);
    expect(await textOf(resend)).toMatch(pattern(lang, 'code.resend_in'));
    await shot.take(page, 'sign-up-confirm');
    await shot.phone(page, 'sign-up-confirm');
    await page.fill('#code', await mailedCode(t, p.email, lang, 'mail.code.signup.subject'));
    await navigateBy(page, button('code.submit'));

    // Security overview, first visit
    expect(pathOf(page)).toBe('/security?done=welcome');
    await expectPage(page, lang, 'security.title');
    expect(await textOf(page.locator('.notice.ok'))).toBe(tr(lang, 'security.done.welcome'));
    expect(await textOf(page.locator('.notice.warn'))).toBe(tr(lang, 'security.no_methods'));
    expect(await textOf(page.getByTestId('primary-email'))).toBe(p.email);
    expect(await textOf(page.locator('main'))).toContain(p.displayName);
    expect(await methodRows(page).count()).toBe(0);
    expect(await textOf(page.getByTestId('sign-out'))).toBe(tr(lang, 'nav.sign_out'));
    await shot.take(page, 'security-welcome');
    await shot.phone(page, 'security-welcome');

    // Add a contact email
    await navigateBy(page, link('security.add_email'));
    expect(pathOf(page)).toBe('/security/emails/add');
    await expectPage(page, lang, 'add_email.title');
    await page.fill('#email', p.contact);
    await page.fill('#label', p.contactLabel);
    await shot.take(page, 'add-email');
    await navigateBy(page, button('add.send_code'));
    expect(pathOf(page)).toMatch(/^\/security\/methods\/[^/]+\/verify$/);
    await expectPage(page, lang, 'verify.title');
    expect(await textOf(page.locator('p.lead'))).toBe(
      tr(lang, 'verify.lead_email', { destination: p.contact, minutes: 10 }),
    );
    await shot.take(page, 'verify-email');
    await shot.phone(page, 'verify-email');
    await page.fill('#code', await mailedCode(t, p.contact, lang, 'mail.code.add_email.subject'));
    await navigateBy(page, button('code.submit'));
    expect(pathOf(page)).toBe('/security?done=verified');
    await expectPage(page, lang, 'security.title');
    expect(await textOf(page.locator('.notice.ok'))).toBe(tr(lang, 'security.done.verified'));
    expect(await textOf(page.locator('.notice.warn'))).toBe(tr(lang, 'security.one_method'));
    expect(await methodRows(page).count()).toBe(1);
    const emailRow = methodRows(page).first();
    expect(await textOf(emailRow.locator('.m-value'))).toBe(`${p.contact}${tr(lang, 'method.verified')}`);
    expect(await textOf(emailRow.locator('.m-meta'))).toContain(
      `${tr(lang, 'method.kind.email')} · ${p.contactLabel}`,
    );
    await shot.take(page, 'security-one-method');

    // Add a phone
    await navigateBy(page, link('security.add_phone'));
    expect(pathOf(page)).toBe('/security/phones/add');
    await expectPage(page, lang, 'add_phone.title');
    expect(await textOf(page.locator('#number-hint'))).toBe(tr(lang, 'add_phone.hint'));
    await page.selectOption('#country', 'JP');
    await page.fill('#number', p.phoneTyped);
    await shot.take(page, 'add-phone');
    await navigateBy(page, button('add.send_code'));
    expect(pathOf(page)).toMatch(/^\/security\/methods\/[^/]+\/verify$/);
    await expectPage(page, lang, 'verify.title');
    expect(await textOf(page.locator('p.lead'))).toMatch(pattern(lang, 'verify.lead_phone'));
    expect((await textOf(page.locator('p.lead'))).replace(/\D/g, '')).toContain(p.phoneDigits);
    await shot.take(page, 'verify-phone');
    await page.fill('#code', await t.textedCode(p.e164));
    await navigateBy(page, button('code.submit'));
    expect(pathOf(page)).toBe('/security?done=verified');
    expect(await textOf(page.locator('.notice.ok'))).toBe(tr(lang, 'security.done.verified'));
    expect(await page.locator('.notice.warn').count()).toBe(0);
    expect(await methodRows(page).count()).toBe(2);
    const phoneRow = methodRows(page).filter({ hasText: tr(lang, 'method.kind.phone') });
    expect((await textOf(phoneRow.locator('.m-value'))).replace(/\D/g, '')).toContain(p.phoneDigits);
    await shot.take(page, 'security-two-methods');
    await shot.phone(page, 'security-two-methods');

    // Activity lists what just happened, in the user's language and time zone
    await navigateBy(page, link('security.activity'));
    expect(pathOf(page)).toBe('/security/activity');
    await expectPage(page, lang, 'activity.title');
    const rows = page.getByTestId('activity');
    const kinds = await rows.evaluateAll((trs) => trs.map((r) => r.getAttribute('data-kind')));
    for (const k of ['account.created', 'account.email_confirmed', 'method.added', 'method.verified'])
      expect(kinds).toContain(k);
    expect(kinds.filter((k) => k === 'method.verified')).toHaveLength(2);
    const table = await textOf(page.locator('main table'));
    for (const k of [
      'activity.kind.account.created',
      'activity.kind.account.email_confirmed',
      'activity.kind.method.added',
      'activity.kind.method.verified',
    ] as const)
      expect(table).toContain(tr(lang, k));
    expect(await textOf(rows.first().locator('td').first())).toMatch(p.day);
    await shot.take(page, 'activity');

    // The other security pages (looked at, not changed)
    await navigateBy(page, link('common.back'));
    await navigateBy(page, link('security.sessions'));
    await expectPage(page, lang, 'sessions.title');
    expect(await textOf(page.getByTestId('session'))).toContain(tr(lang, 'sessions.current'));
    await shot.take(page, 'sessions');
    await navigateBy(page, link('common.back'));
    await navigateBy(page, link('security.change_password'));
    await expectPage(page, lang, 'password.title');
    await shot.take(page, 'change-password');
    await navigateBy(page, link('common.back'));
    await navigateBy(page, emailRow.getByRole('link', { name: tr(lang, 'method.edit'), exact: true }));
    await expectPage(page, lang, 'edit.title');
    expect(await page.locator('#label').inputValue()).toBe(p.contactLabel);
    await shot.take(page, 'edit-label');
    await navigateBy(page, link('common.back'));
    await navigateBy(page, phoneRow.getByRole('link', { name: tr(lang, 'method.remove'), exact: true }));
    await expectPage(page, lang, 'remove.title');
    expect(await textOf(page.locator('main'))).toContain(tr(lang, 'remove.left', { count: 1 }));
    await shot.take(page, 'remove-method');
    await navigateBy(page, link('common.cancel'));
    expect(pathOf(page)).toBe('/security');

    // Sign out
    await navigateBy(page, page.getByTestId('sign-out'));
    expect(pathOf(page)).toBe('/sign-in?done=signed_out');
    await expectPage(page, lang, 'signin.title');
    expect(await textOf(page.locator('.notice.ok'))).toBe(tr(lang, 'signin.notice.signed_out'));
    expect(await page.getByTestId('sign-out').count()).toBe(0);
    await shot.take(page, 'signed-out');

    // Forgot password
    await navigateBy(page, link('signin.forgot'));
    expect(pathOf(page)).toBe('/forgot');
    await expectPage(page, lang, 'forgot.title');
    await page.fill('#email', p.email);
    await shot.take(page, 'forgot');
    await navigateBy(page, button('common.next'));
    await expectPage(page, lang, 'forgot.choose.title');
    expect(await textOf(page.locator('p.lead'))).toBe(
      tr(lang, 'forgot.choose.lead', { account: maskEmail(p.email) }),
    );
    const choices = page.locator('label.radio');
    // The verified sign-in address, the contact address and the phone.
    expect(await choices.count()).toBe(3);
    expect(
      await choices
        .filter({ hasText: tr(lang, 'deadends.forgot.signin', { masked: maskEmail(p.email) }) })
        .count(),
    ).toBe(1);
    const emailChoice = choices.filter({
      hasText: tr(lang, 'forgot.choose.email', { masked: maskEmail(p.contact) }),
    });
    expect(await emailChoice.count()).toBe(1);
    expect(await choices.filter({ hasText: pattern(lang, 'forgot.choose.phone') }).count()).toBe(1);
    // The contact address got its code a moment ago; wait out the resend wait before asking for another.
    t.clock.advance(61_000);
    await syncClock(context, t);
    await emailChoice.locator('input[type="radio"]').check();
    await page.fill('#confirm', p.contact);
    await shot.take(page, 'forgot-choose');
    await navigateBy(page, button('forgot.choose.submit'));
    await expectPage(page, lang, 'forgot.code.title');
    expect(await textOf(page.locator('p.lead'))).toBe(
      tr(lang, 'forgot.code.lead', { masked: maskEmail(p.contact), minutes: 10 }),
    );
    await shot.take(page, 'forgot-code');
    await page.fill('#code', await mailedCode(t, p.contact, lang, 'mail.code.reset.subject'));
    await navigateBy(page, button('code.submit'));
    expect(pathOf(page)).toBe('/forgot');
    await expectPage(page, lang, 'forgot.new.title');
    await page.fill('#password', p.newPassword);
    await shot.take(page, 'forgot-new-password');
    await navigateBy(page, button('forgot.new.submit'));
    expect(pathOf(page)).toBe('/sign-in?done=reset');
    await expectPage(page, lang, 'signin.title');
    expect(await textOf(page.locator('.notice.ok'))).toBe(tr(lang, 'signin.notice.reset'));
    await shot.take(page, 'sign-in-after-reset');

    // The old password no longer works; the new one does
    await page.fill('#email', p.email);
    await page.fill('#password', p.password);
    await navigateBy(page, button('signin.submit'));
    await expectPage(page, lang, 'signin.title');
    expect(await textOf(page.locator('.notice.error'))).toBe(tr(lang, 'error.auth.invalid_credentials'));
    expect(await page.locator('#email').inputValue()).toBe(p.email);
    await shot.take(page, 'sign-in-wrong-password');
    await page.fill('#password', p.newPassword);
    await navigateBy(page, button('signin.submit'));
    expect(pathOf(page)).toBe('/security');
    await expectPage(page, lang, 'security.title');
    expect(await methodRows(page).count()).toBe(2);
    await shot.take(page, 'security-signed-in');

    // Step-up: after 10 minutes, changing security info asks to prove it is you again
    t.clock.advance(11 * MINUTE);
    await syncClock(context, t);
    await go(page, '/security/phones/add');
    expect(pathOf(page)).toBe(`/security/reauth?next=${encodeURIComponent('/security/phones/add')}`);
    await expectPage(page, lang, 'reauth.title');
    expect(await textOf(page.locator('p.lead'))).toBe(tr(lang, 'reauth.lead', { minutes: 10 }));
    await shot.take(page, 'reauth');
    await page.fill('#password', p.newPassword);
    await navigateBy(page, button('reauth.submit'));
    expect(pathOf(page)).toBe('/security/phones/add');
    await expectPage(page, lang, 'add_phone.title');

    // Not found, and the "none of these" help page
    const missing = await page.goto(`${base}/no-such-page`, { waitUntil: 'load' });
    expect(missing?.status()).toBe(404);
    await expectPage(page, lang, 'page.error.title');
    expect(await textOf(page.locator('main [role="alert"]'))).toBe(tr(lang, 'error.request.not_found'));
    await shot.take(page, 'not-found');
    await go(page, '/forgot/none');
    await expectPage(page, lang, 'forgot.none.title');
    await shot.take(page, 'forgot-none');
    await context.close();
  }

  it('ja: sign-up → contact email → phone → activity → sign-out → password reset → sign-in', async () => {
    await fullFlow({
      lang: 'ja',
      displayName: '山田 太郎',
      email: uniqueEmail('yamada'),
      password: 'sakura no hana ga saku 2026',
      newPassword: 'fuji san ni noboru asa 9',
      contact: uniqueEmail('yamada.home'),
      contactLabel: '個人用',
      phoneTyped: '090-1234-5678',
      phoneDigits: '9012345678',
      e164: '+819012345678',
      day: /^2026\/11\/24 10:00/,
    });
  });

  it('en: sign-up (language switch) → contact email → phone → activity → sign-out → password reset → sign-in', async () => {
    await fullFlow({
      lang: 'en',
      displayName: 'Alice Smith',
      email: uniqueEmail('alice'),
      password: 'a quiet walk by the thames 7',
      newPassword: 'marmalade on toast at noon 3',
      contact: uniqueEmail('alice.home'),
      contactLabel: 'Personal',
      phoneTyped: '080 1234 5678',
      phoneDigits: '8012345678',
      e164: '+818012345678',
      day: /^24 Nov 2026/,
    });
  });

  it('ja: a typo in a new address is pointed out (nothing is added), and a wrong code is flagged at the field', async () => {
    const lang: Locale = 'ja';
    const shot = shots.get(lang)!;
    const { email, token } = await signedUpAccount(t, { locale: lang, displayName: '佐藤 花子' });
    const { context, page } = await open(lang);
    await context.addCookies([{ name: 'mamori_session', value: token, url: base }]);
    const button = (key: Parameters<typeof tr>[1]) =>
      page.locator('main button[type="submit"]', { hasText: tr(lang, key) }).first();

    await go(page, '/security/emails/add');
    await expectPage(page, lang, 'add_email.title');
    await page.fill('#email', 'someone@gmial.com');
    await navigateBy(page, button('add.send_code'));
    await expectPage(page, lang, 'add_email.title');
    const notice = page.locator('.notice.warn');
    expect(await textOf(notice.locator('p'))).toBe(
      tr(lang, 'add_email.typo', { suggestion: 'someone@gmail.com' }),
    );
    const use = notice.locator('button', {
      hasText: tr(lang, 'add_email.use_suggestion', { suggestion: 'someone@gmail.com' }),
    });
    const keep = notice.locator('button', {
      hasText: tr(lang, 'add_email.keep', { email: 'someone@gmial.com' }),
    });
    expect(await use.count()).toBe(1);
    expect(await keep.count()).toBe(1);
    expect(await page.locator('#email').inputValue()).toBe('someone@gmial.com');
    expect(await page.locator('#email').getAttribute('aria-invalid')).toBeNull();
    await shot.take(page, 'add-email-typo');
    await shot.phone(page, 'add-email-typo');

    // Nothing was added behind the user's back, and no code was mailed
    await go(page, '/security');
    expect(await methodRows(page).count()).toBe(0);
    expect(await textOf(page.locator('main'))).toContain(tr(lang, 'security.methods_empty'));
    await t.drain();
    expect(t.sink.to('someone@gmial.com')).toHaveLength(0);
    expect(t.sink.to('someone@gmail.com')).toHaveLength(0);

    // Taking the suggestion adds the corrected address
    await go(page, '/security/emails/add');
    await page.fill('#email', 'someone@gmial.com');
    await navigateBy(page, button('add.send_code'));
    await navigateBy(page, page.locator('.notice.warn button', { hasText: 'someone@gmail.com' }).first());
    expect(pathOf(page)).toMatch(/^\/security\/methods\/[^/]+\/verify$/);
    await expectPage(page, lang, 'verify.title');
    expect(await textOf(page.locator('p.lead'))).toContain('someone@gmail.com');

    // A wrong code: the localised error sits next to the field, which is marked invalid
    const right = await mailedCode(t, 'someone@gmail.com', lang, 'mail.code.add_email.subject');
    const wrong = right.replace(/^./, (d) => String((Number(d) + 1) % 10));
    await page.fill('#code', wrong);
    await navigateBy(page, button('code.submit'));
    await expectPage(page, lang, 'verify.title');
    const code = page.locator('#code');
    expect(await code.getAttribute('aria-invalid')).toBe('true');
    expect((await code.getAttribute('aria-describedby'))?.split(' ')).toContain('code-error');
    const error = page.locator('#code-error');
    expect(await error.getAttribute('role')).toBe('alert');
    expect(await textOf(error)).toMatch(pattern(lang, 'error.code.wrong'));
    expect(await textOf(error)).toMatch(/^コードが正しくありません。あと\d+回入力できます。$/);
    // The error is right below the field (between it and the submit button).
    const [fieldBox, errorBox, submitBox] = await Promise.all([
      code.boundingBox(),
      error.boundingBox(),
      button('code.submit').boundingBox(),
    ]);
    expect(errorBox!.y).toBeGreaterThan(fieldBox!.y + fieldBox!.height - 1);
    expect(errorBox!.y).toBeLessThan(submitBox!.y);
    await shot.take(page, 'verify-wrong-code');
    await shot.phone(page, 'verify-wrong-code');

    await page.fill('#code', right);
    await navigateBy(page, button('code.submit'));
    expect(pathOf(page)).toBe('/security?done=verified');
    expect(await methodRows(page).count()).toBe(1);
    expect(await textOf(methodRows(page).locator('.m-value'))).toContain('someone@gmail.com');
    expect(await textOf(page.getByTestId('primary-email'))).toBe(email);
    await context.close();
  });
});
