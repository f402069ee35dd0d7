import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, GOOD_PASSWORD, type TestApp, uniqueEmail } from '../support/harness.ts';
import { formClient } from './browser-less-client.ts';

describe('web UI without JavaScript', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('speaks Japanese by default and English when the browser or the switcher asks', async () => {
    const ja = await t.app.http.inject({ url: '/sign-in' });
    expect(ja.body).toContain('<html lang="ja">');
    expect(ja.body).toContain('<h1>サインイン</h1>');
    const en = await t.app.http.inject({ url: '/sign-in', headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('<h1>Sign in</h1>');
    const c = formClient(t);
    await c.get('/sign-in?lang=en');
    const switched = await c.get('/sign-up?lang=en');
    expect(switched.body).toContain('<h1>Create your account</h1>');
  });

  it('keeps the language chosen with the switcher, also from a page shown after a form post', async () => {
    const c = formClient(t, { 'accept-language': 'en-GB' });
    const start = await c.get('/forgot');
    expect(start.body).toContain('<html lang="en">');
    const link = start.body.match(/href="(\/lang\/ja\?next=[^"]+)"/)![1]!;
    const switched = await c.follow(await c.get(link.replace(/&amp;/g, '&')));
    expect(switched.body).toContain('<html lang="ja">');
    expect((await c.get('/sign-in')).body).toContain('<html lang="ja">');
    const afterPost = await c.post('/forgot', { email: uniqueEmail('lang') });
    const page = await c.follow(afterPost);
    const back = page.body.match(/href="\/lang\/en\?next=([^"]+)"/)![1]!;
    expect(decodeURIComponent(back)).toBe('/forgot');
  });

  it('sends security headers: a strict CSP, no framing, no caching of pages', async () => {
    const r = await t.app.http.inject({ url: '/sign-in' });
    expect(r.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(r.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('refuses a form posted without its CSRF token, with a localised page, and changes nothing', async () => {
    const c = formClient(t);
    await c.get('/sign-up');
    const email = uniqueEmail('csrf');
    const r = await c.post(
      '/sign-up',
      { email, password: GOOD_PASSWORD, displayName: 'X', locale: 'ja' },
      false,
    );
    expect(r.statusCode).toBe(403);
    expect(r.body).toContain('フォームの有効期限が切れました');
    expect(await t.app.deps.db.query('SELECT 1 FROM accounts WHERE email_key = $1', [email])).toHaveLength(0);
  });

  it('signs up, confirms, adds a contact email and verifies it with forms only', async () => {
    const c = formClient(t);
    await c.get('/sign-up');
    const email = uniqueEmail('form');
    const signup = await c.post('/sign-up', {
      email,
      password: GOOD_PASSWORD,
      displayName: '佐藤 花子',
      locale: 'ja',
    });
    expect(signup.statusCode).toBe(303);
    const confirm = await c.follow(signup);
    expect(confirm.body).toContain('メールアドレスの確認');
    const wrong = await c.post('/sign-up/confirm', {
      code: '000000' === (await t.mailedCode(email)) ? '111111' : '000000',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('aria-invalid="true"');
    expect(wrong.body).toContain('コードが正しくありません。あと4回入力できます。');
    const ok = await c.post('/sign-up/confirm', { code: await t.mailedCode(email) });
    const security = await c.follow(ok);
    expect(security.body).toContain('<h1>セキュリティ</h1>');
    expect(security.body).toContain('アカウントの準備ができました');

    await c.get('/security/emails/add');
    const contact = uniqueEmail('second');
    const added = await c.post('/security/emails/add', { email: contact, label: '個人用' });
    const verifyPage = await c.follow(added);
    expect(verifyPage.body).toContain(contact);
    const verified = await c.follow(
      await c.post(String(added.headers.location), { code: await t.mailedCode(contact) }),
    );
    expect(verified.body.match(/<main[\s\S]*<\/main>/)?.[0]).toContain(
      '確認が完了し、セキュリティ情報に追加されました',
    );
    expect(verified.body).toContain('個人用');
  });

  it('offers a typo suggestion instead of correcting silently', async () => {
    const c = formClient(t);
    await c.get('/sign-up');
    const email = uniqueEmail('typo');
    await c.post('/sign-up', { email, password: GOOD_PASSWORD, displayName: 'T', locale: 'en' });
    await c.follow(await c.post('/sign-up/confirm', { code: await t.mailedCode(email) }));
    await c.get('/security/emails/add?lang=en');
    const r = await c.post('/security/emails/add', { email: 'someone@gmial.com' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('Did you mean someone@gmail.com?');
    const methods = await t.app.deps.db.query(`SELECT 1 FROM security_methods WHERE value LIKE 'someone@%'`);
    expect(methods).toHaveLength(0);
  });

  it('serves the dev mailbox (HTML and JSON) with the messages sent', async () => {
    const page = await t.app.http.inject({ url: '/dev/mailbox' });
    expect(page.statusCode).toBe(200);
    const json = await t.app.http.inject({ url: '/dev/sms.json' });
    expect(JSON.parse(json.body)).toHaveProperty('messages');
  });

  it('has no dev mailbox in production', async () => {
    const prod = await createTestApp({
      env: {
        NODE_ENV: 'production',
        PUBLIC_URL: 'https://account.example.com',
        SMS_PROVIDER: 'twilio',
        TWILIO_ACCOUNT_SID: 'AC1',
        TWILIO_AUTH_TOKEN: 't',
        TWILIO_FROM: '+15005550006',
      },
    });
    try {
      expect((await prod.app.http.inject({ url: '/dev/mailbox' })).statusCode).toBe(404);
      expect((await prod.app.http.inject({ url: '/dev/mailbox.json' })).statusCode).toBe(404);
    } finally {
      await prod.close();
    }
  });

  it('answers /healthz and /readyz, and serves the OpenAPI document', async () => {
    expect(JSON.parse((await t.app.http.inject({ url: '/healthz' })).body)).toEqual({ status: 'ok' });
    expect(JSON.parse((await t.app.http.inject({ url: '/readyz' })).body)).toEqual({ status: 'ready' });
    const doc = JSON.parse((await t.app.http.inject({ url: '/api/openapi.json' })).body);
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/signup',
        '/api/v1/sessions',
        '/api/v1/methods/emails',
        '/api/v1/password-reset',
      ]),
    );
  });

  it('never follows a sign-in redirect to another site', async () => {
    const c = formClient(t);
    await c.get('/sign-up');
    const email = uniqueEmail('redir');
    await c.post('/sign-up', { email, password: GOOD_PASSWORD, displayName: 'R', locale: 'en' });
    await c.post('/sign-up/confirm', { code: await t.mailedCode(email) });
    await c.post('/sign-out', {});
    await c.get('/sign-in');
    const r = await c.post('/sign-in?next=//evil.example/x', { email, password: GOOD_PASSWORD });
    expect(r.headers.location).toBe('/security');
  });
});
