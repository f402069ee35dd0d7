import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  GOOD_PASSWORD,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';

/**
 * Attacks made from outside, over HTTP only, against promises of README.md, docs/api.md and docs/flows/.
 * Each test asserts the promised behaviour.
 */

const NEW_PASSWORD = 'a brand new passphrase 77';

describe('outsider attacks (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  const signIn = (email: string, password: string) => t.api('POST', '/api/v1/sessions', { email, password });

  it('once two-step verification is on, a password-only step-up no longer opens sensitive changes', async () => {
    // docs/flows/two-step.md: "With it on, sensitive changes need a second-factor proof from the last 10
    // minutes (a password alone does not do)."
    const a = await signedUpAccount(t);
    t.clock.advance(11 * 60_000);
    const stepped = await t.api('POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, a.token);
    expect(stepped.status).toBe(200);
    const token = stepped.body.sessionToken as string;
    await verifiedEmail(t, token);
    await verifiedEmail(t, token);
    expect((await t.api('PUT', '/api/v1/two-step', { enabled: true }, token)).status).toBe(204);
    // The only proof this session ever gave is the password.
    const change = await t.api('POST', '/api/v1/password', { password: NEW_PASSWORD }, token);
    expect([change.status, change.body.error?.code]).toEqual([403, 'auth.reauth_required']);
    const code = await t.api('POST', '/api/v1/recovery-code', {}, token);
    expect([code.status, code.body.error?.code]).toEqual([403, 'auth.reauth_required']);
    expect((await signIn(a.email, NEW_PASSWORD)).status).toBe(401);
  });

  it('the JSON API refuses form-encoded bodies: a cross-site form cannot make it send codes', async () => {
    // docs/api.md: "Requests and responses are JSON" (415 for other content types). A form body is what any
    // web page can make a visitor's browser send without a CORS preflight.
    const email = uniqueEmail('crosssite');
    const forms = await Promise.all(
      ['/api/v1/signup', '/api/v1/password-reset'].map((url) =>
        t.app.http.inject({
          method: 'POST',
          url,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({
            email,
            password: GOOD_PASSWORD,
            displayName: 'Cross Site',
            locale: 'en',
          }).toString(),
        }),
      ),
    );
    for (const r of forms) {
      expect(r.statusCode).toBe(415);
      expect(JSON.parse(r.body).error.code).toBe('request.unsupported_media_type');
    }
    await t.drain();
    expect(t.sink.to(email)).toHaveLength(0);
  });
});
