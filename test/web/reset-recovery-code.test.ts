import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t as tr } from '../../src/i18n/index.ts';
import {
  createTestApp,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';
import { formClient } from './browser-less-client.ts';
import { signedIn, visibleText } from './page-text.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('forgot password with the recovery code, in the browser', () => {
  for (const lang of ['ja', 'en'] as const) {
    it(`shows the new recovery code as soon as the old one is spent (${lang})`, async () => {
      const account = await signedUpAccount(t, { locale: lang });
      await verifiedEmail(t, account.token, uniqueEmail('contact'));
      const old = (await t.api('POST', '/api/v1/recovery-code', {}, account.token)).body
        .recoveryCode as string;

      const c = formClient(t, { 'accept-language': lang });
      c.jar.set('mamori_lang', lang);
      await c.get('/forgot');
      await c.post('/forgot', { email: account.email });
      await c.get('/forgot/none');
      const shown = await c.post('/forgot/recovery-code', { recoveryCode: old });
      expect(shown.statusCode).toBe(200);
      const text = visibleText(shown.body);
      expect(text).toContain(tr(lang, 'reccode.reset.title'));
      expect(text).toContain(tr(lang, 'recovery.once')); // write it down
      const fresh = shown.body.match(/data-testid="recovery-code"><code>([^<]+)<\/code>/)?.[1];
      expect(fresh).toMatch(/^[2-9A-Z]{5}(-[2-9A-Z]{5}){4}$/);
      expect(fresh).not.toBe(old);

      // Left half-way: /security and the checkup tell the truth (a code exists and works).
      const me = signedIn(t, account.token, lang);
      expect(visibleText((await me.get('/security')).body)).not.toContain(tr(lang, 'security.recovery_none'));
      expect((await me.get('/security/checkup')).body).toMatch(/data-check="recovery_code" data-ok="true"/);

      // The page's button goes on to the new password; after it, no second code is made.
      expect(shown.body).toContain('href="/forgot"');
      const next = await c.get('/forgot');
      expect(next.body).toContain('name="password"');
      const done = await c.post('/forgot/new-password', { password: `a new passphrase for ${lang} 2026` });
      expect([done.statusCode, done.headers.location]).toEqual([303, '/sign-in?done=reset']);

      // The code shown is the one that works now.
      const flowToken = (await t.api('POST', '/api/v1/password-reset', { email: account.email })).body
        .flowToken;
      const again = await t.api('POST', '/api/v1/password-reset/recovery-code', {
        flowToken,
        recoveryCode: fresh,
      });
      expect(again.status).toBe(200);
    });
  }
});
