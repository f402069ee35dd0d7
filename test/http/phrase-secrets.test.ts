import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t as tr } from '../../src/i18n/index.ts';
import {
  createTestApp,
  GOOD_PASSWORD,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';

/**
 * The personal phrase is printed in every email: it must never be the password, the sign-in address or a
 * phone number of the account; and the password must never be the phrase.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const putPhrase = (token: string, phrase: string, lang: 'ja' | 'en' = 'en') =>
  t.api('PUT', '/api/v1/phrase', { phrase }, token, { 'accept-language': lang });
const storedPhrase = async (email: string) =>
  (
    await t.app.deps.db.query<{ personal_phrase: string }>(
      'SELECT personal_phrase FROM accounts WHERE email = $1',
      [email],
    )
  )[0]!.personal_phrase;

describe('the personal phrase is never a secret of the account', () => {
  it('refuses the current password, also full-width or with spaces around it, and emails nothing', async () => {
    const a = await signedUpAccount(t);
    const contact = uniqueEmail('contact');
    await verifiedEmail(t, a.token, contact);
    await t.drain();
    t.sink.clear();
    const fullWidth = GOOD_PASSWORD.replace(/[a-z0-9 ]/g, (c) =>
      c === ' ' ? '\u3000' : String.fromCharCode(c.charCodeAt(0) + 0xfee0),
    );
    for (const [phrase, lang] of [
      [GOOD_PASSWORD, 'en'],
      [`  ${GOOD_PASSWORD}  `, 'ja'],
      [fullWidth, 'en'],
    ] as const) {
      const r = await putPhrase(a.token, phrase, lang);
      expect([r.status, r.body.error?.code], phrase).toEqual([400, 'phrase.is_password']);
      expect(r.body.error?.message).toBe(tr(lang, 'error.phrase.is_password'));
    }
    expect(await storedPhrase(a.email)).toBe('');
    await t.drain();
    expect(t.sink.to(contact)).toHaveLength(0);
    // Something else is fine.
    expect((await putPhrase(a.token, 'さくら 2026')).status).toBe(204);
  });

  it('refuses the sign-in address and a phone number of the account inside the phrase', async () => {
    const a = await signedUpAccount(t);
    const withEmail = await putPhrase(a.token, `hi ${a.email.toUpperCase()}!`, 'ja');
    expect([withEmail.status, withEmail.body.error?.code]).toEqual([400, 'phrase.contains_email']);
    expect(withEmail.body.error?.message).toBe(tr('ja', 'error.phrase.contains_email'));
    const added = await t.api(
      'POST',
      '/api/v1/methods/phones',
      { country: 'JP', number: '090-2345-6789' },
      a.token,
    );
    expect(added.status).toBe(202);
    for (const phrase of ['電話 090-2345-6789', 'tel +81 90 2345 6789', '０９０２３４５６７８９']) {
      const r = await putPhrase(a.token, phrase);
      expect([r.status, r.body.error?.code], phrase).toEqual([400, 'phrase.contains_phone']);
    }
    expect(await storedPhrase(a.email)).toBe('');
    // Other digits are fine.
    expect((await putPhrase(a.token, 'ねこ 2026-04-01')).status).toBe(204);
  });

  it('refuses a new password equal to the phrase (change, and forgot password)', async () => {
    const a = await signedUpAccount(t);
    const contact = uniqueEmail('contact');
    await verifiedEmail(t, a.token, contact);
    const phrase = 'my lovely green teapot 2026';
    expect((await putPhrase(a.token, phrase)).status).toBe(204);
    for (const password of [phrase, ` ${phrase.replace('2026', '２０２６')} `]) {
      const r = await t.api('POST', '/api/v1/password', { password }, a.token, { 'accept-language': 'ja' });
      expect([r.status, r.body.error?.code]).toEqual([400, 'password.same_as_phrase']);
      expect(r.body.error?.message).toBe(tr('ja', 'error.password.same_as_phrase'));
    }
    // The same rule through forgot password, with the recovery code.
    const code = (await t.api('POST', '/api/v1/recovery-code', {}, a.token)).body.recoveryCode as string;
    const flowToken = (await t.api('POST', '/api/v1/password-reset', { email: a.email })).body.flowToken;
    expect(
      (await t.api('POST', '/api/v1/password-reset/recovery-code', { flowToken, recoveryCode: code })).status,
    ).toBe(200);
    const done = await t.api('POST', '/api/v1/password-reset/complete', { flowToken, password: phrase });
    expect([done.status, done.body.error?.code]).toEqual([400, 'password.same_as_phrase']);
  });
});
