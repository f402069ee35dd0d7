/**
 * A newcomer's walk through organisations, in Japanese and English, in headless Chromium against the real
 * app: the operator sets up 「株式会社サンプル」; the admin sets the story's policy and looks at the members,
 * the CSV and the audit log; a member with one method snoozes until none are left, then adds a +81 phone;
 * the admin requires re-registration, gives a temporary access pass and resets a password, and each member
 * signs in and is led to what they must do; an invitation is sent and accepted; the "why" page. Every page
 * is shot at 1280 and 390 px wide into /work/shots/newcomer-org/ (SHOTS_DIR to change it), nothing may
 * overflow sideways at 390 px, and every email sent is written next to the shots to be read.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/kernel/context.ts';
import { createTestApp, signedUpAccount, type TestApp } from '../support/harness.ts';
import { enrolledOperator } from '../support/operator.ts';
import { DAY, memberIn, setPolicy, UA, verifiedContact, verifiedPhone } from '../support/org-enforce.ts';
import { orgWithAdmin, withTwoStep } from '../support/orgs.ts';
import {
  DESKTOP,
  expectPage,
  launchBrowser,
  navigateBy,
  PHONE,
  pathOf,
  SKIP_BROWSER,
  textOf,
  tr,
} from './browser.ts';

const SHOTS = process.env.SHOTS_DIR ?? '/work/shots/newcomer-org';
const ORG = '株式会社サンプル';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe.skipIf(SKIP_BROWSER)('a newcomer walks the organisation story (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
    const port = await freePort();
    t = await createTestApp({ env: { PUBLIC_URL: `http://localhost:${port}` } });
    await t.app.http.listen({ port, host: '127.0.0.1' });
    base = `http://localhost:${port}`;
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  let n = 0;
  /** <lang>-<nn>-<name>-1280.png and -390.png; nothing may be wider than the phone. */
  async function shoot(page: Page, lang: Locale, name: string): Promise<void> {
    const nn = String(++n).padStart(2, '0');
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.setViewportSize(DESKTOP);
    await page.screenshot({ path: join(SHOTS, `${lang}-${nn}-${name}-1280.png`), fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: join(SHOTS, `${lang}-${nn}-${name}-390.png`), fullPage: true });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(wide, `${name} at 390 px`).toBeLessThanOrEqual(PHONE.width);
    await page.setViewportSize(DESKTOP);
  }

  async function context(lang: Locale): Promise<BrowserContext> {
    const c = await browser.newContext({
      locale: lang === 'ja' ? 'ja-JP' : 'en-GB',
      timezoneId: lang === 'ja' ? 'Asia/Tokyo' : 'Europe/London',
      extraHTTPHeaders: { 'Accept-Language': lang === 'ja' ? 'ja' : 'en-GB,en;q=0.9' },
      viewport: DESKTOP,
      // The device the accounts were set up from (a known device: no extra check at sign-in).
      userAgent: UA['user-agent'],
    });
    contexts.push(c);
    return c;
  }
  const go = async (page: Page, path: string) => {
    const res = await page.goto(`${base}${path}`, { waitUntil: 'load' });
    expect(res?.status(), `GET ${path}`).toBe(200);
  };
  const submit = (page: Page, form: string) =>
    page.locator(`form[data-testid="${form}"] button[type="submit"]`);
  const main = (page: Page) => textOf(page.locator('main'));

  /** Signs in through the form (a fresh browser profile each time), going to `next`. */
  async function signIn(page: Page, lang: Locale, email: string, password: string, next = '/security') {
    await page.context().clearCookies();
    await go(page, `/sign-in?next=${encodeURIComponent(next)}`);
    await page.fill('#email', email);
    await page.fill('#password', password);
    await navigateBy(
      page,
      page.locator('main button[type="submit"]', { hasText: tr(lang, 'signin.submit') }).first(),
    );
  }

  /** Every mail sent so far to these addresses, as text, next to the screenshots. */
  async function keepMails(lang: Locale, to: string[]) {
    await t.drain();
    const out: string[] = [];
    for (const a of to)
      for (const m of t.sink.to(a))
        out.push(`To: ${a}\nSubject: ${m.subject}\n\n${m.text}\n${'-'.repeat(60)}`);
    writeFileSync(join(SHOTS, `${lang}-mails.txt`), out.join('\n'));
    return out.join('\n');
  }

  for (const lang of ['ja', 'en'] as const) {
    it(`${lang}: operator, admin and members walk the whole story`, async () => {
      n = 0;
      const domain = `${lang}.newcomer.example.jp`;
      const acct = (local: string, displayName: string) =>
        signedUpAccount(t, { email: `${local}@${domain}`, locale: lang, displayName });
      const admin = await acct('admin', lang === 'ja' ? '山田 花子' : 'Hanako Yamada');
      const one = await acct('sato', '佐藤 一郎');
      const lost = await acct('tanaka', '田中 三郎');
      const forgot = await acct('ito', '伊藤 四郎');
      // The member with one method: a contact email.
      await verifiedContact(t, one.token, `sato.${lang}@example.com`);
      // The member who will have to re-register: a phone.
      const rereg = await acct('suzuki', '鈴木 次郎');
      await verifiedPhone(t, rereg.token, '090-1111-2222');

      const emails = [admin, one, rereg, lost, forgot].map((a) => a.email);

      // 1. The operator creates the organisation, attaches the domain and names the admin.
      const op = await enrolledOperator(t, { role: 'admin' });
      const opCtx = await context(lang);
      await opCtx.addCookies([{ name: 'mamori_operator', value: op.token, url: `${base}/operator` }]);
      const opPage = await opCtx.newPage();
      await go(opPage, '/operator/organisations');
      await shoot(opPage, lang, 'operator-organisations-empty');
      await opPage.fill('#org-name', ORG);
      await opPage.fill('#org-contact', `it@${domain}`);
      await navigateBy(opPage, submit(opPage, 'create-org'));
      await opPage.fill('#domain', domain);
      await opPage.check('[data-testid="attest"]');
      await navigateBy(opPage, submit(opPage, 'attach-domain'));
      await opPage.fill('#admin-email', admin.email);
      await opPage.selectOption('#admin-role', 'org_admin');
      await navigateBy(opPage, submit(opPage, 'name-admin'));
      expect(await textOf(opPage.getByTestId('op-org-done'))).toBe(
        tr(lang, 'operator.org.named', { email: admin.email, role: tr(lang, 'org.role.org_admin') }),
      );
      await shoot(opPage, lang, 'operator-organisation');

      // 2. The admin (two-step verification on) sets the policy, looks at members, CSV and audit log.
      const two = await withTwoStep(t, admin);
      const adminCtx = await context(lang);
      await adminCtx.addCookies([{ name: 'mamori_session', value: two.token, url: base }]);
      const ap = await adminCtx.newPage();
      await go(ap, '/org');
      expect(await textOf(ap.locator('main h1'))).toBe(ORG);
      await shoot(ap, lang, 'admin-overview-before');
      await go(ap, '/org/policy');
      await expectPage(ap, lang, 'org.policy.title');
      await shoot(ap, lang, 'admin-policy-blank');
      for (const k of ['passkey', 'totp', 'phone', 'email']) await ap.check(`[data-testid="allowed-${k}"]`);
      await ap.fill('#smsCountries', 'JP');
      await ap.fill('#minMethods', '2');
      await ap.check('[data-testid="required-phone"]');
      await ap.fill('#reconfirmDays', '180');
      await ap.check('[data-testid="enforce"]');
      await ap.fill('#snoozeDays', '1');
      await ap.fill('#maxSnoozes', '3');
      await navigateBy(ap, submit(ap, 'policy-form'));
      expect(await textOf(ap.getByTestId('policy-saved'))).toBe(tr(lang, 'org.policy.saved', { version: 2 }));
      await shoot(ap, lang, 'admin-policy-saved');
      await go(ap, '/org');
      await shoot(ap, lang, 'admin-overview');
      await go(ap, '/org/members');
      await expectPage(ap, lang, 'org.members.title');
      await shoot(ap, lang, 'admin-members');
      const [download] = await Promise.all([
        ap.waitForEvent('download'),
        ap.getByTestId('members-csv').click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^members-\d{4}-\d{2}-\d{2}\.csv$/);
      await download.saveAs(join(SHOTS, `${lang}-members.csv`));
      await go(ap, '/org/audit');
      await shoot(ap, lang, 'admin-audit');
      await go(ap, '/org/reports');
      await shoot(ap, lang, 'admin-reports');

      // 4. The admin requires re-registration of a member who had a phone.
      const idOf = async (token: string) =>
        (await t.api('GET', '/api/v1/me', undefined, token)).body.id as string;
      const reregId = await idOf(rereg.token);
      const oneId = await idOf(one.token);
      await go(ap, `/org/members/${reregId}`);
      await shoot(ap, lang, 'admin-member-page');
      await ap.locator('main form[action$="/reregister"] input[name="confirm"]').check();
      await navigateBy(ap, ap.locator(`main form[action$="/reregister"] button[type="submit"]`));
      await expectPage(ap, lang, 'org.action.reregister.done_title');
      await shoot(ap, lang, 'admin-reregister-done');

      // 5. A temporary access pass for a member who lost their phone.
      const lostId = await idOf(lost.token);
      await go(ap, `/org/members/${lostId}`);
      await navigateBy(ap, ap.locator('main form[action$="/tap"] button[type="submit"]'));
      await expectPage(ap, lang, 'org.tap.done_title');
      const pass = await textOf(ap.getByTestId('secret'));
      await shoot(ap, lang, 'admin-tap-created');

      // 5b. The member who lost their phone signs in with the pass (a wrong one first), then adds a passkey.
      const lc = await context(lang);
      const lp = await lc.newPage();
      const cdp = await lc.newCDPSession(lp);
      await cdp.send('WebAuthn.enable');
      const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      });
      await go(lp, '/sign-in');
      await navigateBy(lp, lp.getByRole('link', { name: tr(lang, 'org.tap.signin.link') }));
      await expectPage(lp, lang, 'org.tap.signin.title');
      await lp.fill('#email', lost.email);
      await lp.fill('#pass', 'WRONG234');
      await navigateBy(lp, lp.locator('main button[type="submit"]'));
      expect(await main(lp)).toContain(tr(lang, 'org.tap.signin.wrong'));
      expect(await main(lp)).not.toContain(tr(lang, 'error.auth.invalid_credentials'));
      await shoot(lp, lang, 'tap-signin-wrong');
      await lp.fill('#pass', pass);
      await navigateBy(lp, lp.locator('main button[type="submit"]'));
      expect(pathOf(lp)).toBe('/security/required?next=/security');
      await expectPage(lp, lang, 'org.member.title');
      await shoot(lp, lang, 'tap-required');
      await navigateBy(lp, lp.locator('[data-kind="passkey"] a'));
      await expectPage(lp, lang, 'passkey.add.title');
      const create = lp.getByTestId('passkey-create');
      await expect.poll(() => create.isEnabled()).toBe(true);
      await navigateBy(lp, create);
      // Back on the required page, which says the passkey was added (the phone is still missing).
      expect(pathOf(lp)).toBe('/security/required?next=%2Fsecurity&added=passkey');
      expect(await textOf(lp.getByTestId('required-added'))).toBe(tr(lang, 'passkey.add.done'));
      expect(await lp.locator('[data-kind="passkey"]').count()).toBe(0);
      await shoot(lp, lang, 'tap-passkey-added');
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      expect(credentials).toHaveLength(1);

      // 6. A temporary password.
      const forgotId = await idOf(forgot.token);
      await go(ap, `/org/members/${forgotId}`);
      await ap.locator('main form[action$="/password"] input[name="confirm"]').check();
      await navigateBy(ap, ap.locator('main form[action$="/password"] button[type="submit"]'));
      await expectPage(ap, lang, 'org.action.password.done_title');
      const temporary = await textOf(ap.getByTestId('secret'));
      await shoot(ap, lang, 'admin-password-done');

      // 7. An invitation.
      const invitee = `new.${lang}@example.com`;
      await go(ap, '/org/invitations');
      await ap.fill('#invite-email', invitee);
      await navigateBy(ap, ap.locator('main form[action="/org/invitations"] button[type="submit"]'));
      expect(await main(ap)).toContain(tr(lang, 'org.invite.sent'));
      await shoot(ap, lang, 'admin-invitations');

      // 3. A member with one method: interrupted, snoozes until none are left, then adds a +81 phone.
      const mc = await context(lang);
      const mp = await mc.newPage();
      for (let left = 3; left >= 1; left--) {
        await signIn(mp, lang, one.email, one.password);
        expect(pathOf(mp)).toMatch(/^\/security\/required\?/);
        await expectPage(mp, lang, 'org.member.title');
        expect(await textOf(mp.getByTestId('required-snooze'))).toContain(
          tr(lang, 'org.member.snoozes_left', { left }),
        );
        if (left === 3) await shoot(mp, lang, 'member-required');
        await navigateBy(mp, mp.getByTestId('required-snooze').locator('button'));
        expect(pathOf(mp)).toBe('/security');
        t.clock.advance(DAY + 60_000);
      }
      await signIn(mp, lang, one.email, one.password);
      expect(pathOf(mp)).toMatch(/^\/security\/required\?/);
      expect(await mp.getByTestId('required-snooze').locator('button').count()).toBe(0);
      await shoot(mp, lang, 'member-no-snoozes-left');
      // Tries to go elsewhere: brought back.
      await mp.goto(`${base}/security/activity`, { waitUntil: 'load' });
      await shoot(mp, lang, 'member-elsewhere');
      await go(mp, '/security/phones/add');
      await shoot(mp, lang, 'member-add-phone');
      await mp.selectOption('#country', 'JP');
      await mp.fill('#number', '090-3141-5926');
      await navigateBy(
        mp,
        mp.locator('main button[type="submit"]', { hasText: tr(lang, 'add.send_code') }).first(),
      );
      await mp.fill('#code', await t.textedCode('+819031415926'));
      await navigateBy(
        mp,
        mp.locator('main button[type="submit"]', { hasText: tr(lang, 'code.submit') }).first(),
      );
      await shoot(mp, lang, 'member-after-phone');

      // Days later the admin's session has ended: the console sends them to sign in, and back here after.
      await go(ap, `/org/members/${oneId}`);
      expect(pathOf(ap)).toBe(`/sign-in?next=${encodeURIComponent(`/org/members/${oneId}`)}`);
      await expectPage(ap, lang, 'signin.title');
      await shoot(ap, lang, 'admin-session-ended');

      // 4b. The re-registering member signs in.
      const rc = await context(lang);
      const rp = await rc.newPage();
      await signIn(rp, lang, rereg.email, rereg.password);
      expect(pathOf(rp)).toMatch(/^\/security\/required\?/);
      expect(await textOf(rp.getByTestId('required-lead'))).toBe(
        tr(lang, 'org.member.lead_reregister', { org: ORG }),
      );
      expect(await textOf(rp.getByTestId('required-no-snooze'))).toBe(
        tr(lang, 'org.member.no_snooze_reregister'),
      );
      await shoot(rp, lang, 'reregister-signin');

      // 6b. The member with a temporary password must change it.
      const fc = await context(lang);
      const fp = await fc.newPage();
      await signIn(fp, lang, forgot.email, temporary);
      expect(pathOf(fp)).toMatch(/^\/security\/new-password-required/);
      await expectPage(fp, lang, 'org.newpw.title');
      await shoot(fp, lang, 'new-password-required');
      await fp.fill('#password', 'a brand new passphrase 9876');
      await navigateBy(fp, fp.locator('main button[type="submit"]').first());
      await shoot(fp, lang, 'new-password-after');

      // 7b. The invitee follows the emailed link, signs up … here: the join page signed out.
      await t.drain();
      const inviteMail = t.sink.to(invitee).at(-1);
      expect(inviteMail?.subject).toBeTruthy();
      const link = /https?:\/\/\S+\/organisation\/join\?token=\S+/.exec(inviteMail?.text ?? '')?.[0];
      expect(link).toBeTruthy();
      const ic = await context(lang);
      const ip = await ic.newPage();
      await ip.goto(link!, { waitUntil: 'load' });
      await expectPage(ip, lang, 'org.invite.join_title');
      expect(await main(ip)).toContain(
        tr(lang, 'org.invite.join_lead', {
          org: ORG,
          email: 'ne*****@example.com',
          role: tr(lang, 'org.role.member'),
        }),
      );
      if (lang === 'en') expect(inviteMail?.text).toContain('with the role “Member”');
      await shoot(ip, lang, 'invite-join-signed-out');
      const newcomer = await signedUpAccount(t, { email: invitee, locale: lang, displayName: '高橋 五郎' });
      await navigateBy(ip, ip.locator('main a.button'));
      await ip.fill('#email', newcomer.email);
      await ip.fill('#password', newcomer.password);
      await navigateBy(
        ip,
        ip.locator('main button[type="submit"]', { hasText: tr(lang, 'signin.submit') }).first(),
      );
      expect(pathOf(ip)).toMatch(/^\/organisation\/join\?token=/);
      await shoot(ip, lang, 'invite-join-signed-in');
      await navigateBy(ip, ip.locator('main form button[type="submit"]'));
      await expectPage(ip, lang, 'org.invite.joined_title');
      await shoot(ip, lang, 'invite-joined');
      // The policy applies from now: "continue" leads to what it requires, not past it.
      expect(await textOf(ip.locator('main .notice'))).toBe(
        tr(lang, 'org.invite.joined', { role: tr(lang, 'org.role.member') }),
      );
      await navigateBy(ip, ip.getByTestId('joined-continue'));
      expect(pathOf(ip)).toBe('/security/required?next=%2Fsecurity');
      await expectPage(ip, lang, 'org.member.title');
      await go(ip, '/organisation/why');
      await expectPage(ip, lang, 'org.why.title');
      await shoot(ip, lang, 'why');

      await keepMails(lang, [...emails, invitee]);
    }, 300_000);
  }
  for (const lang of ['ja', 'en'] as const) {
    it(`${lang}: a member who cannot comply is told whom to contact and may go on`, async () => {
      const small = await createTestApp({ env: { MAX_SECURITY_METHODS: '2' } });
      try {
        const port = await freePort();
        await small.app.http.listen({ port, host: '127.0.0.1' });
        const { orgId, domain } = await orgWithAdmin(small, { locale: lang });
        await setPolicy(small, orgId, { minMethods: 3, required: [] });
        const m = await memberIn(small, orgId, domain, { locale: lang });
        const c = await context(lang);
        const page = await c.newPage();
        await page.goto(`http://127.0.0.1:${port}/sign-in?next=%2Fsecurity%2Factivity`, {
          waitUntil: 'load',
        });
        await page.fill('#email', m.email);
        await page.fill('#password', m.password);
        await navigateBy(
          page,
          page.locator('main button[type="submit"]', { hasText: tr(lang, 'signin.submit') }).first(),
        );
        await expectPage(page, lang, 'org.member.title');
        expect(await textOf(page.getByTestId('required-stuck'))).toBe(
          tr(lang, 'org.member.stuck', { contact: `it@${domain}` }),
        );
        // Here the deployment's limit on methods is the cause, not the kinds the organisation allows.
        expect(await textOf(page.getByTestId('required-stuck'))).not.toMatch(
          /organisation allows|組織が許可/,
        );
        await shoot(page, lang, 'member-stuck');
        await navigateBy(page, page.getByTestId('required-continue'));
        expect(pathOf(page)).toBe('/security/activity');
      } finally {
        await small.close();
      }
    });
  }
});
