/**
 * Browser end-to-end, in Japanese and in English: what a user reads is what happened. A code the server did
 * not send is not reported as sent (and the button counts down to the real wait); a reset code page says
 * "if it matches" and shows the wait; the second proof with only an authenticator app asks for nothing to
 * be typed; the checkup, the first recovery code, the greeting, the country list, the pending replacement,
 * "Messages we sent" and an unsubscribe link read true in the reader's language. Screenshots at 1280 and
 * 390 px into screenshots/<lang>/truth-<part>-<nn>-<name>[-phone].png (only this suite's shots are replaced).
 */

import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nameInSentence } from '../../src/i18n/index.ts';
import type { Locale } from '../../src/kernel/context.ts';
import { maskEmail } from '../../src/kernel/mask.ts';
import { createNotice, runNoticeDelivery, sendNotice } from '../../src/notices/notices.ts';
import { createOperator, type Operator } from '../../src/operator/operator-auth.ts';
import {
  createTestApp,
  GOOD_PASSWORD,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';
import { hasOathtool, oathtoolCode } from '../support/oathtool.ts';
import {
  BROWSER_REQUIRED,
  expectPage,
  launchBrowser,
  mailedCode,
  navigateBy,
  newUserContext,
  PHONE,
  pattern,
  SKIP_BROWSER,
  syncClock,
  textOf,
  tr,
} from './browser.ts';

const SHOTS_ROOT = fileURLToPath(new URL('../../screenshots/', import.meta.url));

class TruthShots {
  private n = 0;
  private readonly dir: string;
  private readonly part: string;
  constructor(lang: Locale, part: string) {
    this.part = part;
    this.dir = join(SHOTS_ROOT, lang);
    mkdirSync(this.dir, { recursive: true });
    for (const f of readdirSync(this.dir))
      if (f.startsWith(`truth-${part}-`) && f.endsWith('.png')) rmSync(join(this.dir, f), { force: true });
  }
  /** The page at 1280 px, then at 390 px. */
  async take(page: Page, name: string): Promise<void> {
    this.n++;
    const before = page.viewportSize();
    for (const phone of [false, true]) {
      if (phone) await page.setViewportSize(PHONE);
      const file = join(
        this.dir,
        `truth-${this.part}-${String(this.n).padStart(2, '0')}-${name}${phone ? '-phone' : ''}.png`,
      );
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
    }
    if (before) await page.setViewportSize(before);
  }
}

describe.skipIf(SKIP_BROWSER || (!hasOathtool && !BROWSER_REQUIRED))(
  'browser: pages tell the truth (Chromium)',
  () => {
    let t: TestApp;
    let browser: Browser;
    let base: string;
    let admin: Operator;
    const contexts: BrowserContext[] = [];

    beforeAll(async () => {
      browser = await launchBrowser();
      t = await createTestApp();
      base = await t.app.http.listen({ port: 0, host: '127.0.0.1' });
      admin = await createOperator(t.app.deps, {
        name: 'truth.admin',
        password: 'operator passphrase 1234',
        role: 'admin',
      });
    });
    afterAll(async () => {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser?.close();
      await t?.close();
    });

    async function open(
      lang: Locale,
      sessionToken?: string,
    ): Promise<{ page: Page; context: BrowserContext }> {
      const context = await newUserContext(browser, lang);
      contexts.push(context);
      await syncClock(context, t);
      if (sessionToken)
        await context.addCookies([{ name: 'mamori_session', value: sessionToken, url: base }]);
      return { page: await context.newPage(), context };
    }
    const go = async (page: Page, path: string) => {
      const res = await page.goto(`${base}${path}`, { waitUntil: 'load' });
      expect(res?.ok(), `GET ${path}`).toBe(true);
    };
    const button = (page: Page, text: string) =>
      page.locator('main').getByRole('button', { name: text, exact: true });

    /** An account in `lang` with a contact address, a second one, an authenticator app and two-step on. */
    async function owner(lang: Locale) {
      const email = uniqueEmail(`truth-${lang}`);
      const r = await t.api('POST', '/api/v1/signup', {
        email,
        password: GOOD_PASSWORD,
        displayName: lang === 'ja' ? '山田 花子' : 'Alice Smith',
        locale: lang,
        timeZone: lang === 'ja' ? 'Asia/Tokyo' : 'Europe/London',
      });
      const code = await t.mailedCode(email);
      const token = (await t.api('POST', '/api/v1/signup/confirm', { signupToken: r.body.signupToken, code }))
        .body.sessionToken as string;
      t.clock.advance(61_000);
      const contact = uniqueEmail('contact');
      const contactId = await verifiedEmail(t, token, contact);
      const totp = await t.api('POST', '/api/v1/methods/totp', { label: '' }, token);
      const key = totp.body.manualKey as string;
      const confirmed = await t.api(
        'POST',
        `/api/v1/methods/totp/${totp.body.methodId}/confirm`,
        { code: oathtoolCode(key, t.clock.now()) },
        token,
      );
      expect(confirmed.status, JSON.stringify(confirmed.body)).toBeLessThan(300);
      expect((await t.api('PUT', '/api/v1/two-step', { enabled: true }, token)).status).toBeLessThan(300);
      return { email, token, contact, contactId, key };
    }

    it.each<Locale>(['ja', 'en'])('codes: nothing is reported sent that was not (%s)', async (lang) => {
      const shots = new TruthShots(lang, 'codes');
      const o = await owner(lang);
      t.clock.advance(61_000);

      // 1. Sign-in on a new device: a code for another purpose reached the contact 25 s earlier.
      expect((await t.api('POST', '/api/v1/reauth/code', { methodId: o.contactId }, o.token)).status).toBe(
        200,
      );
      t.clock.advance(25_000);
      const { page, context } = await open(lang);
      await go(page, '/sign-in');
      await page.locator('#email').fill(o.email);
      await page.locator('#password').fill(GOOD_PASSWORD);
      await navigateBy(page, button(page, tr(lang, 'signin.submit')));
      await expectPage(page, lang, 'second.title');
      await syncClock(context, t);
      const masked = maskEmail(o.contact);
      await navigateBy(page, button(page, tr(lang, 'reauth.send_to', { method: masked })));
      const main = await textOf(page.locator('main'));
      expect(main).not.toContain(tr(lang, 'second.code_sent', { method: masked }));
      expect(main).toContain(tr(lang, 'code.not_sent_wait', { method: masked, seconds: 35 }));
      const resend = button(page, tr(lang, 'code.resend_in', { wait: lang === 'ja' ? '35秒' : '35 s' }));
      await expect.poll(() => resend.isDisabled()).toBe(true);
      await shots.take(page, 'second-factor-not-sent');

      // When the wait is over, the button works and the code is really sent.
      t.clock.advance(36_000);
      await context.clock.setFixedTime(t.clock.now());
      const ready = button(page, tr(lang, 'code.resend'));
      await expect.poll(() => ready.isEnabled(), { timeout: 5000 }).toBe(true);
      await navigateBy(page, ready);
      expect(await textOf(page.locator('main'))).toContain(tr(lang, 'second.code_sent', { method: masked }));
      const signinCode = await mailedCode(t, o.contact, lang, 'mail.code.signin.subject');
      expect(signinCode).toMatch(/^\d{6}$/);
      await shots.take(page, 'second-factor-sent');

      // 2. Forgot password: "if it matches", with the real wait, then an authenticator app as the second proof.
      t.clock.advance(61_000);
      const forgot = (await open(lang)).page;
      await go(forgot, '/forgot');
      await forgot.locator('#email').fill(o.email);
      await navigateBy(forgot, button(forgot, tr(lang, 'common.next')));
      await expectPage(forgot, lang, 'forgot.choose.title');
      await forgot.getByLabel(tr(lang, 'forgot.choose.email', { masked }), { exact: true }).check();
      await forgot.locator('#confirm').fill(o.contact);
      await navigateBy(forgot, button(forgot, tr(lang, 'forgot.choose.submit')));
      await expectPage(forgot, lang, 'forgot.code.title');
      const lead = await textOf(forgot.locator('main .lead'));
      expect(lead).toBe(tr(lang, 'forgot.code.lead', { masked, minutes: 10 }));
      expect(
        await button(forgot, tr(lang, 'code.resend_in', { wait: lang === 'ja' ? '1分' : '1 min' })).count(),
      ).toBe(1);
      await shots.take(forgot, 'forgot-code');
      await forgot.locator('#code').fill(await mailedCode(t, o.contact, lang, 'mail.code.reset.subject'));
      await navigateBy(forgot, button(forgot, tr(lang, 'code.submit')));
      await expectPage(forgot, lang, 'forgot.choose.title');
      const second = await textOf(forgot.locator('main'));
      expect(second).toContain(
        tr(lang, 'forgot.choose.totp', { masked: nameInSentence(lang, tr(lang, 'method.kind.totp')) }),
      );
      // The sign-in address is the other choice; nothing to type for an authenticator app, and the page says so.
      expect(await textOf(forgot.locator('#confirm-hint'))).toBe(tr(lang, 'forgot.choose.confirm_hint_totp'));
      await forgot
        .getByLabel(
          tr(lang, 'forgot.choose.totp', { masked: nameInSentence(lang, tr(lang, 'method.kind.totp')) }),
          { exact: true },
        )
        .check();
      await shots.take(forgot, 'forgot-second-proof-totp');
      await navigateBy(forgot, button(forgot, tr(lang, 'common.next')));
      const label = await textOf(forgot.locator('label[for="code"]'));
      expect(label).toBe(
        tr(lang, 'second.totp_label', { method: nameInSentence(lang, tr(lang, 'method.kind.totp')) }),
      );
      await shots.take(forgot, 'forgot-totp-code');
    });

    it.each<Locale>(['ja', 'en'])('pages read true in the reader’s language (%s)', async (lang) => {
      const shots = new TruthShots(lang, 'pages');
      // A fresh account without two-step verification.
      const email = uniqueEmail(`pages-${lang}`);
      const r = await t.api('POST', '/api/v1/signup', {
        email,
        password: GOOD_PASSWORD,
        displayName: lang === 'ja' ? '佐藤 花子' : 'Bob Jones',
        locale: lang,
        timeZone: lang === 'ja' ? 'Asia/Tokyo' : 'Europe/London',
      });
      const token = (
        await t.api('POST', '/api/v1/signup/confirm', {
          signupToken: r.body.signupToken,
          code: await t.mailedCode(email),
        })
      ).body.sessionToken as string;
      t.clock.advance(61_000);
      const contact = uniqueEmail('contact');
      await verifiedEmail(t, token, contact);
      const { page } = await open(lang, token);

      // The checkup of a new account claims no confirmation that never happened.
      await go(page, '/security/checkup');
      await expectPage(page, lang, 'checkup.title');
      expect(await textOf(page.locator('[data-check="confirmed"]'))).toMatch(
        pattern(lang, 'checkup.item.confirmed.new'),
      );
      expect(await textOf(page.getByTestId('confirmed-at').first())).toMatch(
        pattern(lang, 'checkup.method_verified'),
      );
      await shots.take(page, 'checkup');

      // The first recovery code says nothing about earlier codes.
      await go(page, '/security');
      await navigateBy(page, button(page, tr(lang, 'security.recovery_create')));
      await expectPage(page, lang, 'recovery.title');
      expect(await textOf(page.locator('main'))).not.toContain(tr(lang, 'recovery.old_invalid'));
      const recoveryCode = await textOf(page.getByTestId('recovery-code'));
      await shots.take(page, 'recovery-code-first');

      // The personal greeting says what it is, and what it must not be.
      await go(page, '/security/phrase');
      await expectPage(page, lang, 'phrase.title');
      expect(await textOf(page.locator('.notice.warn'))).toBe(tr(lang, 'phrase.warning'));
      await shots.take(page, 'greeting');

      // Countries in the reader's order.
      await go(page, '/security/phones/add');
      const options = await page.locator('#country option').allTextContents();
      if (lang === 'ja') {
        const at = (n: string) => options.findIndex((o) => o.startsWith(`${n} (`));
        for (const n of ['中国', '韓国', '台湾']) expect(at(n), n).toBeLessThan(at('ロシア'));
      }
      await page.locator('#country').focus();
      await shots.take(page, 'add-phone');

      // A pending replacement does not offer a recovery code too new to skip the wait, and says why.
      const newEmail = uniqueEmail('new');
      const added = await t.api('POST', '/api/v1/replacement/emails', { email: newEmail }, token);
      const code = await t.mailedCode(newEmail);
      await t.api('POST', `/api/v1/replacement/items/${added.body.itemId}/verify`, { code }, token);
      expect((await t.api('POST', '/api/v1/replacement/start', {}, token)).status).toBe(202);
      await go(page, '/security/replacement');
      await expectPage(page, lang, 'replacement.pending.title');
      expect(await page.locator('#recoveryCode').count()).toBe(0);
      expect(await textOf(page.getByTestId('recovery-unavailable'))).toMatch(
        pattern(lang, 'replacement.pending.recovery_too_new'),
      );
      expect(recoveryCode).toMatch(/^[A-Z0-9-]+$/);
      await shots.take(page, 'replacement-pending');
      await navigateBy(page, button(page, tr(lang, 'replacement.pending.cancel')));
      expect(await textOf(page.locator('.notice.ok'))).toBe(tr(lang, 'replacement.done.cancelled'));

      // "Messages we sent" lists the replacement emails by name.
      await go(page, '/security/messages');
      await expectPage(page, lang, 'messages.title');
      const listed = await textOf(page.locator('main table'));
      expect(listed).toContain(tr(lang, 'messages.kind.replacement_started'));
      expect(listed).toContain(tr(lang, 'messages.kind.replacement_cancelled'));
      await shots.take(page, 'messages');

      // An unsubscribe link opened in a browser set to the other language speaks the email's language.
      const notice = await createNotice(t.app.deps, admin, {
        category: 'other',
        subjectJa: `メンテナンスのお知らせ ${lang}`,
        bodyJa: '12月1日の夜にメンテナンスを行います。',
        subjectEn: `Planned maintenance ${lang}`,
        bodyEn: 'We will do maintenance on the night of 1 December.',
      });
      await sendNotice(t.app.deps, admin, notice.id);
      await runNoticeDelivery(t.app.deps);
      await t.drain();
      const mail = t.sink.to(email).find((m) => m.text.includes('/unsubscribe?token='))!;
      const link = mail.text.match(/http:\/\/mamori\.test(\/unsubscribe\?token=\S+)/)![1]!;
      const stranger = (await open(lang === 'ja' ? 'en' : 'ja')).page;
      await go(stranger, link);
      await expectPage(stranger, lang, 'notices.unsub.title');
      await shots.take(stranger, 'unsubscribe');
      await navigateBy(stranger, button(stranger, tr(lang, 'notices.unsub.submit')));
      await expectPage(stranger, lang, 'notices.unsub.done_title');
    });
  },
);
