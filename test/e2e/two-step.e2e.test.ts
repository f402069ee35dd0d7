/**
 * Browser end-to-end for two-step verification and unusual sign-ins, in Japanese and in English, in
 * headless Chromium against the real app (real SMTP sink, ManualClock):
 *
 *  1. an authenticator app added with the key shown on the page, its code computed by Debian's oathtool;
 *  2. two-step verification turned on, a recovery code created;
 *  3. the second proof at sign-in ("don't ask again on this device"), the trusted device listed, removed;
 *  4. a sign-in with the right password from another country and device (X-Forwarded-For through a trusted
 *     proxy): the extra check, one alert per address, "This wasn't me" → step-up → "Secure your account",
 *     and the intruder's session gone.
 *
 * Screenshots of every new page go to screenshots/<lang>/2sv-*.png.
 */

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeDevice, deviceLabel } from '../../src/activity/device.ts';
import { countryName } from '../../src/activity/geo.ts';
import { nameInSentence } from '../../src/i18n/index.ts';
import type { Locale } from '../../src/kernel/context.ts';
import { maskEmail } from '../../src/kernel/mask.ts';
import { createTestApp, type TestApp, uniqueEmail } from '../support/harness.ts';
import { oathtoolCode } from '../support/oathtool.ts';
import {
  expectPage,
  launchBrowser,
  mailedCode,
  navigateBy,
  newUserContext,
  pathOf,
  syncClock,
  textOf,
  tr,
} from './browser.ts';
import {
  button,
  INTRUDER_IP,
  INTRUDER_UA,
  link,
  mailsWithSubject,
  type Owner,
  requireOathtool,
  SKIP_TWO_STEP,
  signInWithPassword,
  signOut,
  signUpWithContact,
  TwoStepShots,
} from './two-step-helpers.ts';

const MINUTE = 60_000;
/** Chromium's own device, as the pages name it (headless Chromium on Linux). */
const CHROMIUM_DEVICE = /Chrom(e|ium)/;

describe.skipIf(SKIP_TWO_STEP)('two-step verification and unusual sign-ins in the browser (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const shots = new Map<Locale, TwoStepShots>();
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    requireOathtool(); // first: fail fast when the tests are required but a tool is missing
    browser = await launchBrowser();
    // The app sits behind a proxy on 127.0.0.1: X-Forwarded-For from there is the client's address.
    t = await createTestApp({ env: { TRUSTED_PROXIES: '127.0.0.1' } });
    base = await t.app.http.listen({ port: 0, host: '127.0.0.1' });
    shots.set('ja', new TwoStepShots('ja'));
    shots.set('en', new TwoStepShots('en'));
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
    for (const [lang, s] of shots)
      console.info(`[e2e] ${s.taken.length} two-step screenshots in screenshots/${lang}/2sv-*`);
  });

  async function open(lang: Locale): Promise<{ context: BrowserContext; page: Page }> {
    const context = await newUserContext(browser, lang);
    contexts.push(context);
    await syncClock(context, t);
    return { context, page: await context.newPage() };
  }

  /** Another browser on another continent: other user agent, X-Forwarded-For 8.8.8.8 (through the proxy). */
  async function openIntruder(lang: Locale): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      locale: lang === 'ja' ? 'ja-JP' : 'en-US',
      timezoneId: 'America/New_York',
      userAgent: INTRUDER_UA,
      viewport: { width: 1280, height: 900 },
    });
    await context.setExtraHTTPHeaders({
      'x-forwarded-for': INTRUDER_IP,
      'accept-language': lang === 'ja' ? 'ja' : 'en-US,en;q=0.9',
    });
    contexts.push(context);
    await syncClock(context, t);
    return { context, page: await context.newPage() };
  }

  /** Moves the app's clock, and every open browser's clock with it. */
  async function advance(ms: number): Promise<void> {
    t.clock.advance(ms);
    for (const c of contexts) await syncClock(c, t).catch(() => undefined);
  }

  async function go(page: Page, path: string): Promise<void> {
    const res = await page.goto(`${base}${path}`, { waitUntil: 'load' });
    expect(res?.ok(), `GET ${path}`).toBe(true);
  }

  const methodRows = (page: Page) => page.locator('[data-testid="method"]');

  async function activityKinds(page: Page): Promise<(string | null)[]> {
    return page.getByTestId('activity').evaluateAll((trs) => trs.map((r) => r.getAttribute('data-kind')));
  }

  // 1–3: authenticator app, two-step verification, the second proof and the trusted device
  async function twoStepFlow(o: Owner): Promise<void> {
    const { lang } = o;
    const shot = shots.get(lang)!;
    const { context, page } = await open(lang);
    await signUpWithContact(t, page, base, o);

    // 1. Add an authenticator app: the key shown on the page, the code from oathtool
    expect(await methodRows(page).count()).toBe(1);
    await navigateBy(page, button(page, lang, 'security.add_totp'));
    expect(pathOf(page)).toMatch(/^\/security\/totp\/[^/]+$/);
    await expectPage(page, lang, 'totp.title');
    const steps = page.locator('main ol.steps li');
    expect(await steps.count()).toBe(2);
    expect(await textOf(steps.nth(0))).toBe(tr(lang, 'totp.step_install'));
    expect(await textOf(steps.nth(1))).toBe(tr(lang, 'totp.step_scan'));
    const qr = page.getByRole('img', { name: tr(lang, 'totp.qr_label') });
    expect(await qr.locator('svg').isVisible()).toBe(true);
    const qrBox = await qr.locator('svg').boundingBox();
    expect(qrBox!.width).toBeGreaterThanOrEqual(150);
    expect(await textOf(page.locator('main p.hint').first())).toBe(tr(lang, 'totp.manual'));
    const key = await textOf(page.getByTestId('manual-key'));
    expect(key).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
    expect(key.replace(/\s/g, '').length).toBeGreaterThanOrEqual(26); // ≥ 128-bit secret
    expect(await textOf(page.locator('label[for="code"]'))).toBe(tr(lang, 'totp.step_code'));
    expect(await page.locator('#code').getAttribute('autocomplete')).toBe('one-time-code');
    expect(await page.locator('#code').getAttribute('inputmode')).toBe('numeric');
    await shot.both(page, 'totp');

    // A wrong code is flagged at the field; the page (and the same key) stays.
    const code = oathtoolCode(key, t.clock.now());
    const wrong = code.replace(/^./, (d) => String((Number(d) + 5) % 10));
    await page.fill('#code', wrong);
    await navigateBy(page, button(page, lang, 'totp.submit'));
    await expectPage(page, lang, 'totp.title');
    expect(await page.locator('#code').getAttribute('aria-invalid')).toBe('true');
    expect(await textOf(page.locator('#code-error'))).toBe(tr(lang, 'error.code.invalid'));
    expect(await textOf(page.getByTestId('manual-key'))).toBe(key);
    await shot.take(page, 'totp-wrong-code');

    await page.fill('#code', code);
    await navigateBy(page, button(page, lang, 'totp.submit'));
    expect(pathOf(page)).toBe('/security?done=totp');
    await expectPage(page, lang, 'security.title');
    expect(await textOf(page.locator('.notice.ok'))).toBe(tr(lang, 'security.done.totp'));
    expect(await methodRows(page).count()).toBe(2);
    const appRow = methodRows(page).filter({ hasText: tr(lang, 'method.kind.totp') });
    expect(await appRow.count()).toBe(1);
    expect(await textOf(appRow.locator('.m-value'))).toBe(
      `${tr(lang, 'method.kind.totp')}${tr(lang, 'method.verified')}`,
    );
    expect(await textOf(appRow.locator('.m-meta'))).toMatch(
      new RegExp(`^${tr(lang, 'method.kind.totp')} · `),
    );
    expect(await page.locator('.notice.warn').count()).toBe(0); // two verified ways now
    expect(await textOf(page.getByTestId('two-step-state'))).toBe(tr(lang, 'security.two_step_off'));
    // Every address was told about the new security info.
    for (const to of [o.email, o.contact]) {
      const added = await mailsWithSubject(t, to, lang, 'mail.method_added.subject');
      expect(
        added.filter((m) => m.text.includes(tr(lang, 'method.kind.totp'))),
        to,
      ).toHaveLength(1);
    }
    await shot.take(page, 'security-totp-ready');

    // 2. Turn on two-step verification
    await navigateBy(page, link(page, lang, 'security.manage_two_step'));
    expect(pathOf(page)).toBe('/security/two-step');
    await expectPage(page, lang, 'twostep.title');
    expect(await textOf(page.locator('p.lead'))).toBe(tr(lang, 'twostep.off_lead'));
    expect(await page.locator('main .notice').count()).toBe(0);
    const turnOn = button(page, lang, 'twostep.turn_on');
    expect(await turnOn.isEnabled()).toBe(true);
    await shot.take(page, 'two-step-off');
    await navigateBy(page, turnOn);
    expect(pathOf(page)).toBe('/security?done=two_step_on');
    expect(await textOf(page.locator('.notice.ok'))).toBe(tr(lang, 'security.done.two_step_on'));
    expect(await textOf(page.getByTestId('two-step-state'))).toBe(tr(lang, 'security.two_step_on'));
    expect(await mailsWithSubject(t, o.contact, lang, 'mail.two_step_on.subject')).toHaveLength(1);
    await shot.take(page, 'security-two-step-on');
    await navigateBy(page, link(page, lang, 'security.manage_two_step'));
    expect(await textOf(page.locator('p.lead'))).toBe(tr(lang, 'twostep.on_lead'));
    expect(await page.locator('main button.danger', { hasText: tr(lang, 'twostep.turn_off') }).count()).toBe(
      1,
    );
    await shot.take(page, 'two-step-on');
    await navigateBy(page, link(page, lang, 'common.back'));

    // … and create a recovery code, shown once
    expect(await textOf(page.locator('main'))).toContain(tr(lang, 'security.recovery_none'));
    await navigateBy(page, button(page, lang, 'security.recovery_create'));
    // Two-step is on now: the password this session proved is not enough, the authenticator is asked for.
    expect(pathOf(page)).toMatch(/^\/security\/reauth\?next=/);
    await expectPage(page, lang, 'reauth.title');
    await shot.take(page, 'reauth-after-two-step-on');
    const stepUp = page.locator('main form', { has: page.locator('input[name="code"]') }).first();
    await advance(30_000);
    await stepUp.locator('input[name="code"]').fill(oathtoolCode(key, t.clock.now()));
    await navigateBy(page, stepUp.locator('button[type="submit"]'));
    if (pathOf(page) !== '/security/recovery-code')
      await navigateBy(page, button(page, lang, 'security.recovery_create'));
    expect(pathOf(page)).toBe('/security/recovery-code');
    await expectPage(page, lang, 'recovery.title');
    expect(await textOf(page.locator('main .notice.warn'))).toBe(tr(lang, 'recovery.once'));
    const recovery = await textOf(page.getByTestId('recovery-code'));
    expect(recovery).toMatch(/^[2-9A-HJKMNP-TV-Z]{5}(-[2-9A-HJKMNP-TV-Z]{5}){4}$/);
    expect(recovery.replace(/-/g, '')).toHaveLength(25);
    // The account had no recovery code before: nothing "no longer works".
    expect(await textOf(page.locator('main'))).not.toContain(tr(lang, 'recovery.old_invalid'));
    await shot.both(page, 'recovery-code');
    expect(await mailsWithSubject(t, o.contact, lang, 'mail.recovery_code_created.subject')).toHaveLength(1);
    await navigateBy(page, page.getByRole('link', { name: tr(lang, 'recovery.done'), exact: true }));
    expect(pathOf(page)).toBe('/security');
    expect(await textOf(page.locator('main'))).not.toContain(tr(lang, 'security.recovery_none'));

    // 3. Sign out and in again: a second proof is asked for
    await signOut(page, lang);
    await signInWithPassword(page, base, lang, o.email, o.password);
    expect(pathOf(page)).toBe('/sign-in/verify');
    await expectPage(page, lang, 'second.title');
    expect(await textOf(page.locator('p.lead'))).toBe(tr(lang, 'second.lead'));
    const appForm = page.locator('main form', { has: page.locator('input[name="code"]') });
    expect(await appForm.count()).toBe(1);
    const appCode = appForm.locator('input[name="code"]');
    const appCodeId = await appCode.getAttribute('id');
    expect(await textOf(page.locator(`label[for="${appCodeId}"]`))).toBe(
      tr(lang, 'second.totp_label', { method: nameInSentence(lang, tr(lang, 'method.kind.totp')) }),
    );
    const trust = appForm.locator('input[type="checkbox"][name="trustDevice"]');
    expect(await trust.isChecked()).toBe(false);
    expect(await textOf(appForm.locator('label.radio'))).toBe(tr(lang, 'second.trust', { days: 30 }));
    // The other ways: a code by email, then the recovery code (the account has one).
    expect(await page.locator('main h2').allInnerTexts()).toEqual([
      tr(lang, 'second.or_code'),
      tr(lang, 'deadends.second.recovery_title'),
    ]);
    expect(
      await button(page, lang, 'reauth.send_to', { method: maskEmail(o.contact) }).count(),
      'a code can be sent to the contact address instead',
    ).toBe(1);
    expect(await page.getByTestId('sign-out').count()).toBe(0);
    await shot.both(page, 'second-proof');

    // The authenticator's next step (the enrolment's step cannot be used twice), with "don't ask again".
    await advance(30_000);
    await appCode.fill(oathtoolCode(key, t.clock.now()));
    await trust.check();
    await navigateBy(page, appForm.locator('button[type="submit"]'));
    expect(pathOf(page)).toBe('/security');
    await expectPage(page, lang, 'security.title');
    const td = (await context.cookies()).find((c) => c.name === 'mamori_td');
    expect(td?.httpOnly).toBe(true);

    // This device is trusted now: no second proof.
    await signOut(page, lang);
    await signInWithPassword(page, base, lang, o.email, o.password);
    expect(pathOf(page)).toBe('/security');
    expect(await textOf(page.getByTestId('two-step-state'))).toBe(tr(lang, 'security.two_step_on'));

    // The trusted device is listed; removing it brings the second proof back.
    await navigateBy(page, link(page, lang, 'security.devices'));
    expect(pathOf(page)).toBe('/security/devices');
    await expectPage(page, lang, 'devices.title');
    expect(await textOf(page.locator('p.lead'))).toBe(tr(lang, 'devices.lead', { days: 30 }));
    const devices = page.getByTestId('trusted-device');
    expect(await devices.count()).toBe(1);
    const cells = devices.first().locator('td');
    expect(await textOf(cells.nth(0))).toMatch(CHROMIUM_DEVICE);
    expect(await textOf(cells.nth(1))).toBe('127.0.0.1');
    expect(await textOf(cells.nth(2))).toMatch(lang === 'ja' ? /^2026\/12\/24/ : /^24 Dec 2026/);
    // Only one device: no "remove all" button.
    expect(await button(page, lang, 'devices.revoke_all').count()).toBe(0);
    await shot.both(page, 'trusted-devices');
    await navigateBy(page, devices.first().locator('button', { hasText: tr(lang, 'devices.revoke') }));
    expect(pathOf(page)).toBe('/security/devices');
    expect(await devices.count()).toBe(0);
    expect(await textOf(page.locator('main'))).toContain(tr(lang, 'devices.none'));
    await shot.take(page, 'trusted-devices-none');

    await signOut(page, lang);
    await signInWithPassword(page, base, lang, o.email, o.password);
    expect(pathOf(page)).toBe('/sign-in/verify');
    await expectPage(page, lang, 'second.title');

    // This time the second proof is a code mailed to the contact address (past its 60 s resend wait).
    await advance(61_000);
    await navigateBy(page, button(page, lang, 'reauth.send_to', { method: maskEmail(o.contact) }));
    expect(pathOf(page)).toMatch(/^\/sign-in\/verify\/send\?method=/);
    await expectPage(page, lang, 'second.title');
    expect(await textOf(page.locator('main p', { hasText: maskEmail(o.contact) }).first())).toBe(
      tr(lang, 'second.code_sent', { method: maskEmail(o.contact) }),
    );
    expect(await textOf(page.locator('main label.radio'))).toBe(tr(lang, 'second.trust', { days: 30 }));
    await shot.take(page, 'second-proof-email');
    await page.fill('#code', await mailedCode(t, o.contact, lang, 'mail.code.signin.subject'));
    await navigateBy(page, button(page, lang, 'code.submit'));
    expect(pathOf(page)).toBe('/security');

    // What happened is in the activity, in this order (newest first).
    await go(page, '/security/activity');
    const kinds = await activityKinds(page);
    for (const k of [
      'method.verified',
      'two_step.on',
      'recovery_code.created',
      'signin.second_factor',
      'device.trusted',
      'device.revoked',
    ])
      expect(kinds, k).toContain(k);
    expect(kinds.indexOf('device.revoked')).toBeLessThan(kinds.indexOf('device.trusted'));
    expect(kinds.filter((k) => k === 'signin.second_factor')).toHaveLength(2);
    // Same browser, same (local) network as at sign-up: never unusual.
    expect(kinds).not.toContain('signin.unusual');
    expect(await page.getByTestId('unusual').count()).toBe(0);
    await context.close();
  }

  // 4. "This wasn't me"
  async function notMeFlow(o: Owner & { newPassword: string; country: string }): Promise<void> {
    const { lang } = o;
    const shot = shots.get(lang)!;
    const owner = await open(lang);
    await signUpWithContact(t, owner.page, base, o);
    expect(await textOf(owner.page.getByTestId('two-step-state'))).toBe(tr(lang, 'security.two_step_off'));

    // Someone else signs in with the right password, from another country and device.
    const intruder = await openIntruder(lang);
    const ip = intruder.page;
    await signInWithPassword(ip, base, lang, o.email, o.password);
    expect(pathOf(ip)).toBe('/sign-in/verify');
    await expectPage(ip, lang, 'challenge.title');
    expect(await textOf(ip.locator('p.lead'))).toBe(tr(lang, 'challenge.lead'));
    expect(await ip.locator('input[name="code"]').count()).toBe(0);
    expect(await ip.locator('input[name="trustDevice"]').count()).toBe(0);
    const sendToContact = button(ip, lang, 'reauth.send_to', { method: maskEmail(o.contact) });
    expect(await sendToContact.count()).toBe(1);
    expect(await ip.getByTestId('sign-out').count()).toBe(0);
    expect((await intruder.context.cookies()).map((c) => c.name)).not.toContain('mamori_session');
    await shot.both(ip, 'challenge');

    // Exactly one alert to each of the owner's addresses, naming the country, address and device.
    const device = deviceLabel(describeDevice(INTRUDER_UA), lang);
    for (const to of [o.email, o.contact]) {
      const alerts = await mailsWithSubject(t, to, lang, 'mail.unusual_signin.subject');
      expect(alerts, `alerts to ${to}`).toHaveLength(1);
      expect(alerts[0]!.text).toContain(INTRUDER_IP);
      expect(alerts[0]!.text).toContain(o.country);
      expect(alerts[0]!.text).toContain(device);
    }

    // The intruder completes the check with the mailed code (they can read that mailbox too).
    await advance(61_000); // the contact address got its verification code a moment ago
    await navigateBy(ip, sendToContact);
    await expectPage(ip, lang, 'challenge.title');
    expect(await textOf(ip.locator('main p', { hasText: maskEmail(o.contact) }).first())).toBe(
      tr(lang, 'second.code_sent', { method: maskEmail(o.contact) }),
    );
    expect(await ip.locator('input[name="trustDevice"]').count()).toBe(0);
    await shot.take(ip, 'challenge-code');
    await ip.fill('#code', await mailedCode(t, o.contact, lang, 'mail.code.signin.subject'));
    await navigateBy(ip, button(ip, lang, 'code.submit'));
    expect(pathOf(ip)).toBe('/security');
    await expectPage(ip, lang, 'security.title');

    // The owner reads the alert a while later: the unusual sign-in is on top of the recent activity.
    await advance(11 * MINUTE);
    const page = owner.page;
    await go(page, '/security');
    await navigateBy(page, link(page, lang, 'security.activity'));
    expect(pathOf(page)).toBe('/security/activity');
    await expectPage(page, lang, 'activity.title');
    const unusual = page.getByTestId('unusual');
    expect(await unusual.count()).toBe(1);
    const [cardBox, tableBox] = await Promise.all([
      unusual.boundingBox(),
      page.locator('main table').boundingBox(),
    ]);
    expect(cardBox!.y).toBeLessThan(tableBox!.y);
    expect(await textOf(unusual.locator('h2'))).toBe(tr(lang, 'activity.unusual.title'));
    const where = await textOf(unusual.locator('p').first());
    expect(where).toContain(o.country);
    expect(where).toContain(INTRUDER_IP);
    expect(where).toContain(device);
    expect(await textOf(unusual.locator('p.hint'))).toBe(tr(lang, 'activity.unusual.question'));
    const me = unusual.locator('button', { hasText: tr(lang, 'activity.unusual.me') });
    const notMe = unusual.locator('button.danger', { hasText: tr(lang, 'activity.unusual.not_me') });
    expect(await me.count()).toBe(1);
    expect(await notMe.count()).toBe(1);
    const unusualRow = page.locator('[data-testid="activity"][data-kind="signin.unusual"]');
    expect(await unusualRow.count()).toBe(1);
    expect(await textOf(unusualRow.locator('td').nth(2))).toBe(`${o.country} ${INTRUDER_IP}`);
    await shot.both(page, 'activity-unusual');

    // "This wasn't me" → prove it is you (the proof from sign-up is stale) → secure the account.
    await navigateBy(page, notMe);
    if (pathOf(page).startsWith('/security/reauth')) {
      expect(pathOf(page)).toBe(`/security/reauth?next=${encodeURIComponent('/security/secure')}`);
      await expectPage(page, lang, 'reauth.title');
      await shot.take(page, 'not-me-reauth');
      await page.fill('#password', o.password);
      await navigateBy(page, button(page, lang, 'reauth.submit'));
    }
    expect(pathOf(page)).toBe('/security/secure');
    await expectPage(page, lang, 'secure.title');
    expect(await textOf(page.locator('p.lead'))).toBe(tr(lang, 'secure.lead'));
    const plan = await page.locator('main ol li').allInnerTexts();
    expect(plan.map((s) => s.trim())).toEqual([
      tr(lang, 'secure.step_password'),
      tr(lang, 'secure.step_sessions'),
      tr(lang, 'secure.step_devices'),
      tr(lang, 'secure.step_review'),
    ]);
    await shot.both(page, 'secure');
    await page.fill('#password', o.newPassword);
    await navigateBy(page, button(page, lang, 'secure.submit'));
    await expectPage(page, lang, 'secure.done_title');
    expect(await textOf(page.locator('main .notice.ok'))).toBe(
      tr(lang, 'secure.done', { sessions: 1, devices: 0 }),
    );
    expect(await textOf(page.locator('main p', { hasText: tr(lang, 'secure.review') }))).toBe(
      tr(lang, 'secure.review'),
    );
    const review = page.getByTestId('review-method');
    expect(await review.count()).toBe(1);
    expect(await textOf(review.locator('.m-value'))).toBe(o.contact);
    expect(await review.getByRole('link', { name: tr(lang, 'secure.not_mine'), exact: true }).count()).toBe(
      1,
    );
    await shot.both(page, 'secured');
    for (const to of [o.email, o.contact])
      expect(await mailsWithSubject(t, to, lang, 'mail.account_secured.subject')).toHaveLength(1);

    // The intruder's session is gone, and the old password no longer works.
    const back = await ip.goto(`${base}/security`, { waitUntil: 'load' });
    expect(back?.ok()).toBe(true);
    expect(pathOf(ip)).toBe(`/sign-in?next=${encodeURIComponent('/security')}`);
    await expectPage(ip, lang, 'signin.title');
    await ip.fill('#email', o.email);
    await ip.fill('#password', o.password);
    await navigateBy(ip, button(ip, lang, 'signin.submit'));
    await expectPage(ip, lang, 'signin.title');
    expect(await textOf(ip.locator('.notice.error'))).toBe(tr(lang, 'error.auth.invalid_credentials'));

    // The owner is still signed in; the event is answered and the account marked as secured.
    await navigateBy(page, page.getByRole('link', { name: tr(lang, 'secure.finish'), exact: true }));
    expect(pathOf(page)).toBe('/security');
    await go(page, '/security/activity');
    expect(await page.getByTestId('unusual').count()).toBe(0);
    const kinds = await activityKinds(page);
    for (const k of ['signin.unusual', 'signin.challenged', 'signin.second_factor', 'account.secured'])
      expect(kinds, k).toContain(k);
    expect(kinds.indexOf('account.secured')).toBeLessThan(kinds.indexOf('signin.unusual'));
    expect(kinds[0]).toBe('signin.wrong_password'); // the intruder's try with the old password
    const reviewed = await t.app.deps.db.query<{ review: string | null }>(
      `SELECT a.review FROM activity a JOIN accounts c ON c.id = a.account_id
       WHERE c.email = $1 AND a.kind = 'signin.unusual'`,
      [o.email],
    );
    expect(reviewed).toEqual([{ review: 'not_me' }]);
    await owner.context.close();
    await intruder.context.close();
  }

  it('ja: authenticator app (oathtool) → two-step on → recovery code → second proof, trusted device', async () => {
    await twoStepFlow({
      lang: 'ja',
      displayName: '山田 太郎',
      email: uniqueEmail('2sv-yamada'),
      password: 'sakura no hana ga saku 2026',
      contact: uniqueEmail('2sv-yamada.home'),
    });
  });

  it('en: authenticator app (oathtool) → two-step on → recovery code → second proof, trusted device', async () => {
    await twoStepFlow({
      lang: 'en',
      displayName: 'Alice Smith',
      email: uniqueEmail('2sv-alice'),
      password: 'a quiet walk by the thames 7',
      contact: uniqueEmail('2sv-alice.home'),
    });
  });

  it('ja: unusual sign-in → challenge + alerts → "this wasn\'t me" → account secured, intruder out', async () => {
    await notMeFlow({
      lang: 'ja',
      displayName: '佐藤 花子',
      email: uniqueEmail('2sv-sato'),
      password: 'yuki no furu yoru ni 1984',
      newPassword: 'atarashii kagi wo kakeru 55',
      contact: uniqueEmail('2sv-sato.home'),
      country: countryName('US', 'ja'),
    });
  });

  it('en: unusual sign-in → challenge + alerts → "this wasn\'t me" → account secured, intruder out', async () => {
    await notMeFlow({
      lang: 'en',
      displayName: 'Bob Jones',
      email: uniqueEmail('2sv-bob'),
      password: 'tea and biscuits at four 12',
      newPassword: 'a brand new lock on the door 8',
      contact: uniqueEmail('2sv-bob.home'),
      country: countryName('US', 'en'),
    });
  });
});
