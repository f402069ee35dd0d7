import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPassword, commonPasswords } from './password-policy.ts';

describe('checkPassword', () => {
  it.each([
    'password',
    '12345678',
    'qwertyuiop',
    'PASSWORD',
    'Password',
    'ｐａｓｓｗｏｒｄ',
    'iloveyou',
    'sunshine',
  ])('refuses the common password %j', (password) => {
    expect(checkPassword(password, {})).toEqual({ ok: false, code: 'password.common', params: {} });
  });

  it('accepts a long random passphrase', () => {
    expect(checkPassword('correct horse battery staple 柿 2024', {})).toEqual({ ok: true });
    expect(checkPassword(randomBytes(24).toString('base64url'), {})).toEqual({ ok: true });
  });

  it('counts code points after NFKC', () => {
    // NFKC: パスワード1234 — 9 code points.
    expect(checkPassword('パスワード１２３４', {})).toEqual({ ok: true });
    // Half-width kana with sound marks compose: ﾊﾟｽﾜｰﾄﾞ12 (9 code units) is パスワード12 (7).
    expect(checkPassword('ﾊﾟｽﾜｰﾄﾞ12', {})).toEqual({
      ok: false,
      code: 'password.too_short',
      params: { min: 8 },
    });
    // Characters outside the BMP count once.
    expect(checkPassword('😀😀😀😀', {})).toMatchObject({ code: 'password.too_short' });
    expect(checkPassword('😀😀😀😀😀😀😀😀', {})).toEqual({ ok: true });
  });

  it('refuses fewer than 8 characters', () => {
    expect(checkPassword('x7#kQ2m', {})).toEqual({
      ok: false,
      code: 'password.too_short',
      params: { min: 8 },
    });
    expect(checkPassword('', {})).toMatchObject({ code: 'password.too_short' });
    expect(checkPassword('x7#kQ2mZ', {})).toEqual({ ok: true });
  });

  it('accepts 256 characters and refuses 257', () => {
    const base = 'vR7!qL2#'.repeat(32);
    expect(checkPassword(base, {})).toEqual({ ok: true });
    expect(checkPassword(`${base}x`, {})).toEqual({
      ok: false,
      code: 'password.too_long',
      params: { max: 256 },
    });
    expect(checkPassword('あ'.repeat(256), {})).toEqual({ ok: true });
    expect(checkPassword('あ'.repeat(257), {})).toMatchObject({ code: 'password.too_long' });
    expect(checkPassword('x'.repeat(100_000), {})).toMatchObject({ code: 'password.too_long' });
  });

  it('refuses the email address, its local part or the display name, ignoring case', () => {
    const ctx = { email: 'Taro.Yamada@example.com', displayName: 'Yamada Taro' };
    const refused = { ok: false, code: 'password.contains_email', params: {} };
    expect(checkPassword('taro.yamada@example.com', ctx)).toEqual(refused);
    expect(checkPassword('TARO.YAMADA', ctx)).toEqual(refused);
    expect(checkPassword('yamada taro', ctx)).toEqual(refused);
    expect(checkPassword('ｔａｒｏ．ｙａｍａｄａ', ctx)).toEqual(refused);
    expect(checkPassword('taro.yamada!', ctx)).toEqual({ ok: true });
    expect(checkPassword('taro.yamada', {})).toEqual({ ok: true });
  });

  it('ignores an empty display name', () => {
    expect(checkPassword('kT9#mW2$vB', { displayName: '' })).toEqual({ ok: true });
  });

  it('never throws, and any refusal has a known code', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' })), fc.string(), (password, name) => {
        const result = checkPassword(password, { email: `${name}@example.com`, displayName: name });
        if (!result.ok) {
          expect([
            'password.too_short',
            'password.too_long',
            'password.common',
            'password.contains_email',
          ]).toContain(result.code);
        }
      }),
    );
  });
});

describe('commonPasswords', () => {
  it('has at least 10,000 lower-cased entries', () => {
    const list = commonPasswords();
    expect(list.size).toBeGreaterThanOrEqual(10_000);
    for (const entry of list) {
      expect(entry).toBe(entry.toLowerCase());
      expect(entry).not.toBe('');
    }
  });

  it('is loaded once', () => {
    expect(commonPasswords()).toBe(commonPasswords());
  });
});
