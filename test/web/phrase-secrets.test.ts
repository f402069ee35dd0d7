import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t as tr } from '../../src/i18n/index.ts';
import { createTestApp, GOOD_PASSWORD, signedUpAccount, type TestApp } from '../support/harness.ts';
import { signedIn, visibleText } from './page-text.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('the greeting page never saves a secret of the account', () => {
  for (const lang of ['ja', 'en'] as const) {
    it(`refuses the password and the sign-in address as the greeting, and the greeting as the password (${lang})`, async () => {
      const a = await signedUpAccount(t, { locale: lang });
      const c = signedIn(t, a.token, lang);
      await c.get('/security/phrase');
      const asPassword = await c.post('/security/phrase', { phrase: GOOD_PASSWORD });
      expect(asPassword.statusCode).toBe(400);
      expect(visibleText(asPassword.body)).toContain(tr(lang, 'error.phrase.is_password'));
      const withEmail = await c.post('/security/phrase', { phrase: `Hello ${a.email}` });
      expect(withEmail.statusCode).toBe(400);
      expect(visibleText(withEmail.body)).toContain(tr(lang, 'error.phrase.contains_email'));

      const phrase = `teapot greeting ${lang} 2026`;
      expect((await c.post('/security/phrase', { phrase })).statusCode).toBe(200);
      await c.get('/security/password');
      const samePassword = await c.post('/security/password', { password: phrase });
      expect(samePassword.statusCode).toBe(400);
      expect(visibleText(samePassword.body)).toContain(tr(lang, 'error.password.same_as_phrase'));
    });
  }
});
