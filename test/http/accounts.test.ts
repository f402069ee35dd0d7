import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  GOOD_PASSWORD,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
} from '../support/harness.ts';

describe('sign-up and sign-in (HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('signs up, confirms the address with the mailed code, and gets a session', async () => {
    const email = uniqueEmail('ja');
    const r = await t.api('POST', '/api/v1/signup', {
      email,
      password: GOOD_PASSWORD,
      displayName: '山田 太郎',
      locale: 'ja',
    });
    expect(r.status).toBe(202);
    expect(r.body.maskedEmail).toMatch(/^ja\*{5}@example\.com$|^j\*{5}@example\.com$|^ja\*{5}@/);
    await t.drain();
    const mail = t.sink.to(email)[0]!;
    expect(mail.subject).toBe('Mamori の確認コード');
    expect(mail.from).toContain('security@mamori.test');
    expect(mail.text).toMatch(/メッセージ参照番号：MMR-[A-Z0-9]{4}-[A-Z0-9]{4}/);
    const code = mail.text.match(/(?<!\d)\d{6}(?!\d)/)![0];
    const c = await t.api('POST', '/api/v1/signup/confirm', { signupToken: r.body.signupToken, code });
    expect(c.status).toBe(200);
    const me = await t.api('GET', '/api/v1/me', undefined, c.body.sessionToken as string);
    expect(me.body).toMatchObject({ email, displayName: '山田 太郎', locale: 'ja' });
  });

  it('cannot sign in before the address is confirmed: a new code is sent instead', async () => {
    const email = uniqueEmail();
    await t.api('POST', '/api/v1/signup', { email, password: GOOD_PASSWORD, displayName: 'A', locale: 'en' });
    const s = await t.api('POST', '/api/v1/sessions', { email, password: GOOD_PASSWORD });
    expect(s.status).toBe(202);
    expect(s.body.confirmEmail).toBeTruthy();
    expect(s.body.sessionToken).toBeUndefined();
  });

  it('answers the same for an address that already has an account, and tells the owner', async () => {
    const { email } = await signedUpAccount(t);
    t.sink.clear();
    const r = await t.api('POST', '/api/v1/signup', {
      email,
      password: 'another long passphrase 9',
      displayName: 'Eve',
      locale: 'en',
    });
    const fresh = await t.api('POST', '/api/v1/signup', {
      email: uniqueEmail(),
      password: 'another long passphrase 9',
      displayName: 'Eve',
      locale: 'en',
    });
    expect(r.status).toBe(fresh.status);
    expect(Object.keys(r.body).sort()).toEqual(Object.keys(fresh.body).sort());
    await t.drain();
    const toOwner = t.sink.to(email);
    expect(toOwner).toHaveLength(1);
    expect(toOwner[0]!.subject).toBe('お使いのアドレスでアカウントの作成が試みられました');
    expect(toOwner[0]!.text).not.toMatch(/(?<!\d)\d{6}(?!\d)/);
    // The original password still works: the attempt changed nothing.
    const s = await t.api('POST', '/api/v1/sessions', { email, password: GOOD_PASSWORD });
    expect(s.status).toBe(200);
  });

  it('refuses common, short and too long passwords with the reason, and stores nothing', async () => {
    for (const [password, code] of [
      ['password', 'password.common'],
      ['qwertyuiop', 'password.common'],
      ['short', 'password.too_short'],
      ['x'.repeat(257), 'password.too_long'],
    ] as const) {
      const email = uniqueEmail();
      const r = await t.api('POST', '/api/v1/signup', { email, password, displayName: 'A', locale: 'en' });
      expect(r.status).toBe(400);
      expect(r.body.error?.code).toBe(code);
      const rows = await t.app.deps.db.query('SELECT 1 FROM accounts WHERE email_key = $1', [email]);
      expect(rows).toHaveLength(0);
    }
  });

  it('gives the same error for an unknown account and a wrong password', async () => {
    const { email } = await signedUpAccount(t);
    const wrong = await t.api('POST', '/api/v1/sessions', { email, password: 'not the password at all' });
    const unknown = await t.api('POST', '/api/v1/sessions', {
      email: uniqueEmail('nobody'),
      password: 'not the password at all',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('signs out: the token stops working', async () => {
    const { token } = await signedUpAccount(t);
    expect((await t.api('GET', '/api/v1/me', undefined, token)).status).toBe(200);
    expect((await t.api('DELETE', '/api/v1/sessions/current', undefined, token)).status).toBe(204);
    const after = await t.api('GET', '/api/v1/me', undefined, token);
    expect(after.status).toBe(401);
    expect(after.body.error?.code).toBe('auth.required');
  });
});
