import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';

/** The confirmation step of forgot-password must not tell whether the typed address was right. */
describe('forgot password: same answer whether the confirmation matches', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const choose = async (email: string, confirm: string) => {
    const start = await t.api('POST', '/api/v1/password-reset', { email });
    const flowToken = start.body.flowToken as string;
    const state = await t.api('POST', '/api/v1/password-reset/state', { flowToken });
    const methodId = (state.body.methods as { id: string }[])[0]!.id;
    return t.api('POST', '/api/v1/password-reset/choose', { flowToken, methodId, confirm });
  };

  it('even when the right address is inside its resend wait', async () => {
    const { email, token } = await signedUpAccount(t);
    const contact = uniqueEmail('contact');
    await verifiedEmail(t, token, contact);
    // The contact just received its verification code: it is inside the 60 s resend wait.
    const right = await choose(email, contact);
    const wrong = await choose(email, uniqueEmail('wrong'));
    expect(right.status).toBe(wrong.status);
    expect(Object.keys(right.body).sort()).toEqual(Object.keys(wrong.body).sort());
    expect(right.status).toBe(200);
  });
});
