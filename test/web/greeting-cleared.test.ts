import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t as tr } from '../../src/i18n/index.ts';
import { createTestApp, signedUpAccount, type TestApp } from '../support/harness.ts';
import { signedIn, visibleText } from './page-text.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

// Found in the newcomer browser walkthrough: emptying the greeting (the hint says "Leave empty to stop
// showing it") answered "Saved. It will appear at the top of our next emails to you." — nothing will appear.
describe('the greeting page says only what happened when the greeting is emptied', () => {
  for (const lang of ['ja', 'en'] as const) {
    it(`does not promise a greeting that was just removed (${lang})`, async () => {
      const a = await signedUpAccount(t, { locale: lang });
      const c = signedIn(t, a.token, lang);
      await c.get('/security/phrase');
      expect((await c.post('/security/phrase', { phrase: `teapot greeting ${lang}` })).statusCode).toBe(200);
      const cleared = await c.post('/security/phrase', { phrase: '' });
      expect(cleared.statusCode).toBeLessThan(400);
      expect(visibleText(cleared.body)).not.toContain(tr(lang, 'phrase.saved'));
      expect(visibleText(cleared.body)).toContain(tr(lang, 'phrase.removed'));
    });
  }
});
