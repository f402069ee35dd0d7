import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotice, runNoticeDelivery, sendNotice } from '../../src/notices/notices.ts';
import { createOperator } from '../../src/operator/operator-auth.ts';
import {
  createTestApp,
  GOOD_PASSWORD,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';
import { formClient } from './browser-less-client.ts';
import { signedIn, visibleText } from './page-text.ts';

/** Japanese and English as a native reader expects them: times, waits, counts, lists, the language. */
describe('language and time on pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  /** An account signed up through the API with a time zone; returns its session token. */
  async function account(locale: 'ja' | 'en', timeZone: string) {
    const email = uniqueEmail(locale);
    const r = await t.api('POST', '/api/v1/signup', {
      email,
      password: GOOD_PASSWORD,
      displayName: locale === 'ja' ? '山田 太郎' : 'Alex Smith',
      locale,
      timeZone,
    });
    const code = await t.mailedCode(email);
    const c = await t.api('POST', '/api/v1/signup/confirm', { signupToken: r.body.signupToken, code });
    t.clock.advance(61_000);
    return { email, token: c.body.sessionToken as string };
  }

  it('shows times in the reader’s time zone, with one way of naming zones on every page', async () => {
    const a = await account('en', 'Europe/London');
    await t.drain();
    const reference = t.sink
      .to(a.email)
      .at(-1)!
      .text.match(/MMR-[A-Z0-9]{4}-[A-Z0-9]{4}/)![0];
    const c = signedIn(t, a.token, 'en');
    await c.get('/messages/check');
    const checked = visibleText((await c.post('/messages/check', { reference })).body);
    // Sent 2026-11-24 01:00 UTC: London is on UTC in November.
    expect(checked).toContain('24 Nov 2026, 01:00 UTC');
    expect(checked).not.toMatch(/GMT|JST|UTC\+9/);
    const listed = visibleText((await c.get('/security/messages')).body);
    expect(listed).toContain('24 Nov 2026, 01:00 UTC');
    expect(listed).not.toMatch(/GMT/);

    const anonymous = formClient(t, { 'accept-language': 'en' });
    await anonymous.get('/messages/check');
    const anon = visibleText((await anonymous.post('/messages/check', { reference })).body);
    expect(anon).toContain('24 Nov 2026, 01:00 UTC');
    const ja = formClient(t, { 'accept-language': 'ja' });
    await ja.get('/messages/check');
    expect(visibleText((await ja.post('/messages/check', { reference })).body)).toContain(
      '2026/11/24 10:00 JST',
    );
  });

  it('says a 10-minute lock in minutes, not in seconds', async () => {
    for (const lang of ['ja', 'en'] as const) {
      const a = await account(lang, 'Asia/Tokyo');
      const added = await t.api('POST', '/api/v1/methods/emails', { email: uniqueEmail('lock') }, a.token);
      const c = signedIn(t, a.token, lang);
      await c.get(`/security/methods/${added.body.methodId}/verify`);
      let page = '';
      for (let i = 0; i < 5; i++)
        page = visibleText(
          (await c.post(`/security/methods/${added.body.methodId}/verify`, { code: '000000' })).body,
        );
      expect(page).toContain(lang === 'ja' ? '10分後にもう一度お試しください' : 'Try again in 10 minutes');
      expect(page).not.toMatch(/600/);
    }
  });

  it('counts with plural forms: “1 verified way”, never “way(s)”', async () => {
    const a = await account('en', 'Asia/Tokyo');
    await verifiedEmail(t, a.token, uniqueEmail('one'));
    const page = visibleText((await signedIn(t, a.token, 'en').get('/security/two-step')).body);
    expect(page).toContain('You have 1 verified way to prove it is you.');
    expect(page).not.toContain('(s)');
  });

  it('lists countries in Japanese by their reading: 中国, 韓国 and 台湾 before ロシア', async () => {
    const a = await account('ja', 'Asia/Tokyo');
    const page = (await signedIn(t, a.token, 'ja').get('/security/phones/add')).body;
    const names = [...page.matchAll(/<option value="[A-Z]{2}"[^>]*>([^<(]+) \(/g)].map((m) => m[1]!.trim());
    expect(names[0]).toBe('日本');
    for (const n of ['中国', '韓国', '台湾', '香港'])
      expect(names.indexOf(n), n).toBeLessThan(names.indexOf('ロシア'));
    expect(names.indexOf('韓国')).toBeLessThan(names.indexOf('カンボジア'));
  });

  it('opens an unsubscribe link in the language of the email, whatever the browser says', async () => {
    const a = await account('en', 'Europe/London');
    const admin = await createOperator(t.app.deps, {
      name: 'lang.admin',
      password: 'operator passphrase 1234',
      role: 'admin',
    });
    const notice = await createNotice(t.app.deps, admin, {
      category: 'billing',
      subjectJa: '料金改定のお知らせ',
      bodyJa: '来月から料金が変わります。',
      subjectEn: 'New prices',
      bodyEn: 'Prices change next month.',
    });
    await sendNotice(t.app.deps, admin, notice.id);
    await runNoticeDelivery(t.app.deps);
    await t.drain();
    const mail = t.sink.to(a.email).find((m) => m.subject === 'New prices')!;
    const link = mail.text.match(/http:\/\/mamori\.test(\/unsubscribe\?token=\S+)/)![1]!;
    const browser = formClient(t, { 'accept-language': 'ja' });
    const page = await browser.get(link);
    expect(page.body).toContain('<html lang="en">');
    expect(visibleText(page.body)).toContain('Stop receiving notices about “Billing and payments”?');
    const done = await t.app.http.inject({
      method: 'POST',
      url: link,
      headers: { 'accept-language': 'ja', 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(done.body).toContain('<html lang="en">');
    expect(visibleText(done.body)).toContain(
      'You will no longer receive notices about “Billing and payments”.',
    );
    // The visitor's own choice still wins.
    expect((await browser.get(`${link}&lang=ja`)).body).toContain('<html lang="ja">');
  });
});
