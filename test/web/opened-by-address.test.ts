import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedUpAccount, type TestApp } from '../support/harness.ts';
import { signedIn } from './page-text.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

// Found in the newcomer browser walkthrough: a signed-in user opening /sign-up was offered "Create your
// account", and the answers to the authenticator-setup and new-recovery-code buttons, opened by address
// (a bookmark, a reopened tab), were a 405 error page with no way on.
describe('pages opened by address lead somewhere useful', () => {
  it('sends a signed-in user from the sign-up page to the security page, as the sign-in page does', async () => {
    const a = await signedUpAccount(t);
    const r = await signedIn(t, a.token).get('/sign-up');
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/security');
  });

  for (const path of ['/security/totp', '/security/recovery-code'])
    it(`opens the security page for GET ${path} instead of an error`, async () => {
      const a = await signedUpAccount(t);
      const r = await signedIn(t, a.token).get(path);
      expect(r.statusCode).toBe(303);
      expect(r.headers.location).toBe('/security');
    });
});
