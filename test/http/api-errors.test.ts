import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedUpAccount, type TestApp, uniqueEmail } from '../support/harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const fieldsOf = (body: { error?: unknown }) =>
  (body.error as { fields?: { in: string; path: string; code: string }[] }).fields;

describe('API validation errors name the wrong fields', () => {
  it('refuses an unknown property with a 400 naming it, instead of silently dropping it', async () => {
    const r = await t.api('POST', '/api/v1/password-reset', { email: uniqueEmail(), isAdmin: true });
    expect(r.status).toBe(400);
    expect(r.body.error?.code).toBe('request.invalid');
    expect(fieldsOf(r.body)).toEqual([{ in: 'body', path: '/isAdmin', code: 'unknown' }]);
  });

  it('refuses an unknown property inside a nested object too', async () => {
    const { token } = await signedUpAccount(t);
    const r = await t.api(
      'PUT',
      '/api/v1/notices/preferences',
      { categories: { terms: false, surprise: true } },
      token,
    );
    expect(r.status).toBe(400);
    expect(fieldsOf(r.body)).toEqual([{ in: 'body', path: '/categories/surprise', code: 'unknown' }]);
  });

  it('lists every wrong field at once, with why, and says which in both languages', async () => {
    const body = { email: ['a@example.com'], password: 'x'.repeat(2000) };
    const en = await t.api('POST', '/api/v1/signup', body, undefined, { 'accept-language': 'en' });
    expect(en.status).toBe(400);
    expect(fieldsOf(en.body)).toEqual([
      { in: 'body', path: '/displayName', code: 'required' },
      { in: 'body', path: '/email', code: 'type' },
      { in: 'body', path: '/password', code: 'too_long' },
    ]);
    expect(en.body.error?.message).toBe('The request is not valid. Check: displayName, email, password.');
    const ja = await t.api('POST', '/api/v1/signup', body, undefined, { 'accept-language': 'ja' });
    expect(ja.body.error?.message).toBe(
      'リクエストの内容が正しくありません。確認が必要な項目：displayName、email、password',
    );
    // Nothing typed is echoed back: not the address, not the long password.
    expect(JSON.stringify(en.body)).not.toContain('a@example.com');
    expect(JSON.stringify(en.body)).not.toContain('xxxx');
  });

  it('names a wrong query parameter and path parameter by where it is', async () => {
    const { token } = await signedUpAccount(t);
    const q = await t.api('GET', '/api/v1/activity?filter=everything', undefined, token);
    expect(q.status).toBe(400);
    expect(fieldsOf(q.body)).toEqual([{ in: 'querystring', path: '/filter', code: 'not_allowed' }]);
    const p = await t.api('DELETE', `/api/v1/sessions/${'x'.repeat(100)}`, undefined, token);
    expect(p.status).toBe(400);
    expect(fieldsOf(p.body)).toEqual([{ in: 'params', path: '/id', code: 'too_long' }]);
  });

  it('never names a property whose name is not a plain identifier (no echo of hostile text)', async () => {
    const r = await t.api('POST', '/api/v1/password-reset', {
      email: uniqueEmail(),
      '<script>alert(1)</script>': 1,
    });
    expect(r.status).toBe(400);
    expect(fieldsOf(r.body)).toEqual([{ in: 'body', path: '/*', code: 'unknown' }]);
    expect(JSON.stringify(r.body)).not.toContain('script');
  });
});

describe('API errors for a signed-in account follow Accept-Language', () => {
  it('answers in the language the request asks for, else in the account language', async () => {
    const { token } = await signedUpAccount(t, { locale: 'ja' });
    const en = await t.api('DELETE', '/api/v1/sessions/ses_unknown', undefined, token, {
      'accept-language': 'en-US,en;q=0.9',
    });
    expect(en.status).toBe(404);
    expect(en.body.error?.code).toBe('session.not_found');
    expect(en.body.error?.message).toMatch(/^[\x20-\x7e]+$/);
    const ja = await t.api('DELETE', '/api/v1/sessions/ses_unknown', undefined, token, {
      'accept-language': 'ja',
    });
    expect(ja.body.error?.message).toMatch(/[\u3040-\u30ff]/);
    const account = await t.api('DELETE', '/api/v1/sessions/ses_unknown', undefined, token);
    expect(account.body.error?.message).toBe(ja.body.error?.message);

    const { token: enToken } = await signedUpAccount(t, { locale: 'en' });
    const jaForEn = await t.api('DELETE', '/api/v1/sessions/ses_unknown', undefined, enToken, {
      'accept-language': 'ja-JP',
    });
    expect(jaForEn.body.error?.message).toBe(ja.body.error?.message);
    const enAccount = await t.api('DELETE', '/api/v1/sessions/ses_unknown', undefined, enToken);
    expect(enAccount.body.error?.message).toBe(en.body.error?.message);
    // A language Mamori does not speak leaves the account's language.
    const fr = await t.api('DELETE', '/api/v1/sessions/ses_unknown', undefined, enToken, {
      'accept-language': 'fr-FR,fr;q=0.9',
    });
    expect(fr.body.error?.message).toBe(en.body.error?.message);
  });
});
