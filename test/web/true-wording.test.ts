import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nameInSentence, t as tr } from '../../src/i18n/index.ts';
import { OPERATOR_COOKIE } from '../../src/operator/operator-auth.ts';
import {
  createTestApp,
  GOOD_PASSWORD,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';
import { enrolledOperator } from '../support/operator.ts';
import { formClient } from './browser-less-client.ts';
import { signedIn, visibleText } from './page-text.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const subjects = (t: TestApp, to: string) => t.sink.to(to).map((m) => m.subject);

describe('a code page never claims a send that a wait refused', () => {
  it('forgot password: the right confirmation within a minute of the last code sends nothing, and the page says so', async () => {
    for (const lang of ['ja', 'en'] as const) {
      const account = await signedUpAccount(t, { locale: lang });
      const contact = uniqueEmail('contact');
      const methodId = await verifiedEmail(t, account.token, contact);
      await t.drain();
      const before = subjects(t, contact).length;
      // No clock advance: the address received its verification code a moment ago.
      const c = formClient(t, { 'accept-language': lang });
      await c.get(`/forgot?lang=${lang}`);
      await c.follow(await c.post('/forgot', { email: account.email }));
      const chosen = await c.post('/forgot/choose', { methodId, confirm: contact });
      expect(chosen.statusCode).toBe(200);
      await t.drain();
      expect(subjects(t, contact)).toHaveLength(before);
      const text = visibleText(chosen.body);
      expect(text).not.toMatch(/just sent|お送りしました|送信しました/);
      expect(text).toMatch(lang === 'en' ? /at most one a minute/ : /1分に1通まで/);
      // "Send again" after the step's wait: still uniform, still no claim of a send.
      t.clock.advance(61_000);
      const again = await c.post('/forgot/resend', {});
      expect(visibleText(again.body)).not.toMatch(/we have sent|お送りしました|送信しました/);
    }
  });

  it('sign-up with an address that already has an account: the confirm page does not claim a code was sent', async () => {
    for (const lang of ['ja', 'en'] as const) {
      const owner = await signedUpAccount(t, { locale: lang });
      const c = formClient(t, { 'accept-language': lang });
      await c.get(`/sign-up?lang=${lang}`);
      const page = await c.follow(
        await c.post('/sign-up', {
          email: owner.email,
          password: GOOD_PASSWORD,
          displayName: 'T',
          locale: lang,
        }),
      );
      const text = visibleText(page.body);
      expect(text).not.toMatch(/code we sent|お送りした/);
      t.clock.advance(61_000);
      const resent = await c.post('/sign-up/resend', {});
      expect(visibleText(resent.body)).not.toMatch(/We have sent a new code|新しいコードを送信しました/);
    }
  });
});

describe('message references', () => {
  it('the check asks for a reference when none is typed, and never says text messages carry one', async () => {
    for (const lang of ['ja', 'en'] as const) {
      const c = formClient(t, { 'accept-language': lang });
      await c.get(`/messages/check?lang=${lang}`);
      const empty = await c.post('/messages/check', { reference: '  ' });
      const emptyText = visibleText(empty.body);
      expect(emptyText).not.toMatch(/not a message reference|参照番号の形式ではありません/);
      expect(emptyText).toMatch(lang === 'en' ? /Enter the reference/ : /参照番号.*を入力してください/);
      const wrong = await c.post('/messages/check', { reference: 'hello' });
      const wrongText = visibleText(wrong.body);
      expect(wrongText).toMatch(/not a message reference|参照番号の形式ではありません/);
      expect(wrongText).not.toMatch(/email and text message|SMS の末尾|メールと SMS/);
    }
  });

  it('"Messages we sent" shows no reference for a text message, says only emails carry one, and stacks into labelled cards', async () => {
    const account = await signedUpAccount(t);
    const added = await t.api(
      'POST',
      '/api/v1/methods/phones',
      { country: 'JP', number: '090-1234-5678' },
      account.token,
    );
    expect(added.status).toBeLessThan(300);
    await t.drain();
    for (const lang of ['ja', 'en'] as const) {
      const page = await signedIn(t, account.token, lang).get('/security/messages');
      const rows = page.body.split('data-testid="sent-message"').slice(1);
      const sms = rows.filter((r) => r.split('</tr>')[0]!.includes('SMS'));
      const email = rows.filter((r) => !r.split('</tr>')[0]!.includes('SMS'));
      expect(sms.length).toBeGreaterThan(0);
      expect(email.length).toBeGreaterThan(0);
      for (const r of sms) expect(r.split('</tr>')[0]).not.toMatch(/MMR-/);
      for (const r of email) expect(r.split('</tr>')[0]).toMatch(/MMR-/);
      expect(visibleText(page.body)).toMatch(
        lang === 'en' ? /text messages carry no reference/i : /SMS には参照番号はありません/,
      );
      expect(page.body).toMatch(/<table class="stack"/);
      expect(page.body).toContain(`data-label="${lang === 'en' ? 'Reference' : '参照番号'}"`);
    }
  });
});

describe('the security page right after sign-up', () => {
  it('does not claim a reset is impossible (the sign-in address is a reset method) nor that there is no info at all', async () => {
    for (const lang of ['ja', 'en'] as const) {
      const account = await signedUpAccount(t, { locale: lang });
      const text = visibleText((await signedIn(t, account.token, lang).get('/security?done=welcome')).body);
      expect(text).not.toMatch(/cannot reset your password|再設定できません/);
      expect(text).not.toMatch(/not added any security info yet|セキュリティ情報はまだ登録されていません/);
      expect(text).toMatch(lang === 'en' ? /stops working/ : /使えなくなった/);
      expect(text).toMatch(lang === 'en' ? /besides your sign-in address/ : /サインイン用のアドレス以外/);
    }
  });
});

describe('"I don\'t have any of these"', () => {
  it('from the sign-in second step: a true heading, no "try an old password", back to the second step, the recovery code linked', async () => {
    for (const lang of ['ja', 'en'] as const) {
      const c = formClient(t, { 'accept-language': lang });
      const page = await c.get(`/forgot/none?from=${encodeURIComponent('/sign-in/verify')}&lang=${lang}`);
      expect(page.statusCode).toBe(200);
      const text = visibleText(page.body);
      expect(text).not.toMatch(/No way to send a code|コードを送れる連絡先がありません/);
      expect(text).toMatch(
        lang === 'en' ? /If you can't use any of your methods/ : /登録した方法が使えない場合/,
      );
      expect(text).not.toMatch(/passwords you have used before|以前使っていたパスワード/);
      expect(page.body).toMatch(/<a href="\/sign-in\/verify">/);
      expect(page.body).toContain('href="/sign-in/verify#recoveryCode"');
    }
  });

  it('from the reset: the old-password hint stays, Back goes to the reset, and an outside "from" is ignored', async () => {
    const c = formClient(t, { 'accept-language': 'en' });
    const plain = await c.get('/forgot/none?lang=en');
    expect(visibleText(plain.body)).toMatch(/passwords you have used before/);
    expect(plain.body).toMatch(/<a href="\/forgot">/);
    const evil = await c.get(`/forgot/none?from=${encodeURIComponent('https://evil.example/x')}`);
    expect(evil.body).not.toContain('evil.example');
    expect(evil.body).toMatch(/<a href="\/forgot">/);
  });

  it('the second step links to it with where it came from', async () => {
    const account = await signedUpAccount(t, { locale: 'en' });
    await verifiedEmail(t, account.token, uniqueEmail('second'));
    t.clock.advance(61_000);
    await verifiedEmail(t, account.token, uniqueEmail('third'));
    expect((await t.api('PUT', '/api/v1/two-step', { enabled: true }, account.token)).status).toBe(204);
    const c = formClient(t, { 'accept-language': 'en' });
    await c.get('/sign-in');
    await c.post('/sign-in', { email: account.email, password: GOOD_PASSWORD });
    const verify = await c.get('/sign-in/verify');
    expect(verify.statusCode).toBe(200);
    expect(verify.body).toContain('href="/forgot/none?from=/sign-in/verify"');
  });
});

describe('"Secure my account" from an email', () => {
  it('lands on a sign-in page that says why', async () => {
    for (const lang of ['ja', 'en'] as const) {
      const page = await formClient(t, { 'accept-language': lang }).get(
        `/sign-in?next=${encodeURIComponent('/security/secure')}&lang=${lang}`,
      );
      expect(visibleText(page.body)).toMatch(
        lang === 'en' ? /Sign in to secure your account/ : /アカウントを保護するには、サインインしてください/,
      );
      const plain = await formClient(t, { 'accept-language': lang }).get(`/sign-in?lang=${lang}`);
      expect(visibleText(plain.body)).not.toMatch(/Sign in to secure your account|アカウントを保護するには/);
    }
  });
});

describe('wording a new user noticed', () => {
  it('a Japanese name filled into Japanese text takes no spaces; a Latin one keeps them', () => {
    expect(tr('ja', 'mail.method_added.body', { method: '認証アプリ' })).toBe(
      'Mamori アカウントのセキュリティ情報に認証アプリが追加されました。',
    );
    expect(tr('ja', 'mail.method_added.body', { method: '認証アプリ（iPhone）' })).toContain(
      'に認証アプリ（iPhone）が',
    );
    expect(tr('ja', 'mail.method_added.body', { method: 'ta*****@gmail.com' })).toContain(
      'に ta*****@gmail.com が',
    );
    expect(tr('en', 'mail.method_added.body', { method: 'Authenticator app' })).not.toMatch(
      /^Authenticator app was/,
    );
  });

  it('event names, the name error, the sign-up email and the phone SMS read naturally', () => {
    expect(tr('ja', 'activity.kind.two_step.on')).toBe('2段階認証をオンにしました');
    expect(tr('ja', 'activity.kind.two_step.off')).toBe('2段階認証をオフにしました');
    expect(tr('ja', 'messages.kind.two_step_on')).toBe('2段階認証をオンにしました');
    expect(tr('ja', 'messages.kind.two_step_off')).toBe('2段階認証をオフにしました');
    expect(tr('en', 'messages.kind.two_step_on')).toBe('Two-step verification turned on');
    expect(tr('en', 'messages.kind.two_step_off')).toBe('Two-step verification turned off');
    expect(tr('ja', 'error.account.display_name_invalid')).toBe('名前を入力してください（64文字以内）。');
    for (const lang of ['ja', 'en'] as const)
      expect(tr(lang, 'mail.code.signup.intro', { account: 'ta*****@gmail.com' })).not.toContain('ta*****');
    expect(tr('ja', 'sms.code.add_phone', { code: '123456', minutes: 10 })).toContain(
      '電話番号を登録するための確認コードは',
    );
  });

  it('the reset code page speaks of a spam folder only for an email, and an authenticator code is "from your authenticator app"', async () => {
    const account = await signedUpAccount(t, { locale: 'en' });
    const added = await t.api(
      'POST',
      '/api/v1/methods/phones',
      { country: 'JP', number: '090-5555-0156' },
      account.token,
    );
    const phone = { id: added.body.methodId as string };
    const verified = await t.api(
      'POST',
      `/api/v1/methods/${phone.id}/verify`,
      { code: await t.textedCode('+819055550156') },
      account.token,
    );
    expect(verified.status).toBeLessThan(300);
    t.clock.advance(61_000);
    const c = formClient(t, { 'accept-language': 'en' });
    await c.get('/forgot?lang=en');
    await c.follow(await c.post('/forgot', { email: account.email }));
    const chosen = await c.post('/forgot/choose', { methodId: phone.id, confirm: '0156' });
    expect(chosen.statusCode).toBe(200);
    expect(visibleText(chosen.body)).not.toMatch(/spam/i);
    expect(tr('en', 'second.totp_label', { method: nameInSentence('en', 'Authenticator app') })).toBe(
      'Code from your authenticator app',
    );
  });
});

describe('the checkup', () => {
  it('states the first check date of a new account as a fact, with dates that do not break', async () => {
    for (const lang of ['ja', 'en'] as const) {
      const account = await signedUpAccount(t, { locale: lang });
      await verifiedEmail(t, account.token, uniqueEmail('checkup'));
      const c = signedIn(t, account.token, lang);
      const page = await c.get('/security/checkup');
      const text = visibleText(page.body);
      expect(text).not.toMatch(/お願いします|you will be asked/);
      expect(text).toMatch(
        lang === 'en'
          ? /the first check is due on \d{1,2} \w{3} \d{4}/
          : /最初の確認は \d{4}\/\d{2}\/\d{2} です/,
      );
      expect(page.body).toMatch(
        lang === 'en'
          ? /<span class="nowrap">\d{1,2} \w{3} \d{4}<\/span>/
          : /<span class="nowrap">\d{4}\/\d{2}\/\d{2}<\/span>/,
      );
      const confirm = await c.get('/security/confirm-info');
      expect(visibleText(confirm.body)).not.toContain('その後の見直しはまだ');
    }
  });
});

describe('small dead ends', () => {
  it('the language switch keeps the page, but a 404 echoes nothing of the path an attacker chose', async () => {
    const c = formClient(t, { 'accept-language': 'en' });
    const page = await c.get('/sign-in');
    expect(page.body).toContain(`href="/lang/ja?next=${encodeURIComponent('/sign-in')}"`);
    const missing = await c.get('/no-such-page');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).not.toContain('no-such-page');
    expect(missing.body).toContain(`href="/lang/ja?next=${encodeURIComponent('/')}"`);
    const odd = await c.get('/%2F%2Fevil.example');
    expect(odd.body).not.toContain('evil.example');
  });

  it('the operator console logo leads to the console', async () => {
    const c = formClient(t, { 'accept-language': 'en' });
    c.jar.set(OPERATOR_COOKIE, (await enrolledOperator(t, { role: 'admin' })).token);
    for (const path of ['/operator', '/operator/outbox', '/operator/notices']) {
      const page = await c.get(path);
      expect(page.statusCode).toBe(200);
      expect(page.body).toMatch(/<a class="brand" href="\/operator">/);
    }
    const user = await formClient(t, { 'accept-language': 'en' }).get('/sign-in');
    expect(user.body).toMatch(/<a class="brand" href="\/sign-in">/);
  });

  it('the time-zone list offers current zone names, labelled in the language of the page with their offset', async () => {
    const account = await signedUpAccount(t, { locale: 'en' });
    for (const lang of ['ja', 'en'] as const) {
      const page = (await signedIn(t, account.token, lang).get('/account')).body;
      const select = page.split('id="timeZone"')[1]!.split('</select>')[0]!;
      for (const legacy of ['Asia/Calcutta', 'Asia/Saigon', 'Europe/Kiev'])
        expect(select).not.toContain(`value="${legacy}"`);
      const kolkata = select.split('value="Asia/Kolkata"')[1]!.split('</option>')[0]!;
      expect(kolkata).toContain('UTC+05:30');
      expect(kolkata).toMatch(lang === 'en' ? /India/ : /インド/);
      expect(select).toContain('value="Europe/Kyiv"');
    }
    // Choosing one saves it, and the page shows it chosen.
    const c = signedIn(t, account.token, 'en');
    await c.get('/account');
    const saved = await c.post('/account', { displayName: 'T', locale: 'en', timeZone: 'Asia/Kolkata' });
    expect(saved.statusCode).toBeLessThan(400);
    expect((await c.get('/account')).body).toMatch(/<option value="Asia\/Kolkata" selected/);
  });
});
