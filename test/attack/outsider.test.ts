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

  it('while a replacement is pending, a recovery code younger than the wait does not reset the password', async () => {
    // Someone who knows only the password makes a recovery code, then asks for a replacement of all the
    // security info (docs/flows/replacement.md: "anyone who knows only the password could have made one
    // just before asking for the replacement"; "sensitive changes are refused meanwhile").
    const a = await signedUpAccount(t);
    const made = await t.api('POST', '/api/v1/recovery-code', {}, a.token);
    expect(made.status).toBe(200);
    const youngCode = made.body.recoveryCode as string;
    const contact = uniqueEmail('old');
    await verifiedEmail(t, a.token, contact);
    t.clock.advance(61_000);
    const newEmail = uniqueEmail('new');
    const added = await t.api('POST', '/api/v1/replacement/emails', { email: newEmail }, a.token);
    const code = await t.mailedCode(newEmail);
    await t.api('POST', `/api/v1/replacement/items/${added.body.itemId}/verify`, { code }, a.token);
    expect((await t.api('POST', '/api/v1/replacement/start', {}, a.token)).status).toBe(202);
    // The same young code is refused as a way to skip the wait...
    const skip = await t.api(
      'POST',
      '/api/v1/replacement/recovery-code',
      { recoveryCode: youngCode },
      a.token,
    );
    expect([skip.status, skip.body.error?.code]).toEqual([423, 'account.restricted']);
    // ...and must not change the password through "forgot password" during the wait either.
    const flowToken = (await t.api('POST', '/api/v1/password-reset', { email: a.email })).body.flowToken;
    const used = await t.api('POST', '/api/v1/password-reset/recovery-code', {
      flowToken,
      recoveryCode: youngCode,
    });
    const done = await t.api('POST', '/api/v1/password-reset/complete', {
      flowToken,
      password: NEW_PASSWORD,
    });
    expect([used, done].map((r) => [r.status, r.body.error?.code])).toContainEqual([
      423,
      'account.restricted',
    ]);
    expect(done.status).not.toBe(200);
    expect((await signIn(a.email, NEW_PASSWORD)).status).toBe(401);
    // The owner's session was not ended by a reset.
    expect((await t.api('GET', '/api/v1/me', undefined, a.token)).status).toBe(200);
  });

  it('while a replacement is pending, a recovery code as old as the wait resets the password and cancels it', async () => {
    const a = await signedUpAccount(t);
    const made = await t.api('POST', '/api/v1/recovery-code', {}, a.token);
    const oldCode = made.body.recoveryCode as string;
    t.clock.advance(31 * 24 * 3600_000);
    const fresh = await t.api('POST', '/api/v1/sessions', { email: a.email, password: GOOD_PASSWORD });
    const token = fresh.body.sessionToken as string;
    const newEmail = uniqueEmail('new');
    const added = await t.api('POST', '/api/v1/replacement/emails', { email: newEmail }, token);
    const code = await t.mailedCode(newEmail);
    await t.api('POST', `/api/v1/replacement/items/${added.body.itemId}/verify`, { code }, token);
    expect((await t.api('POST', '/api/v1/replacement/start', {}, token)).status).toBe(202);
    const flowToken = (await t.api('POST', '/api/v1/password-reset', { email: a.email })).body.flowToken;
    const used = await t.api('POST', '/api/v1/password-reset/recovery-code', {
      flowToken,
      recoveryCode: oldCode,
    });
    expect(used.status).toBe(200);
    const done = await t.api('POST', '/api/v1/password-reset/complete', {
      flowToken,
      password: NEW_PASSWORD,
    });
    expect(done.status).toBe(200);
    expect((await signIn(a.email, NEW_PASSWORD)).status).not.toBe(401);
    const rows = await t.app.deps.db.query<{ status: string; ended_how: string }>(
      'SELECT r.status, r.ended_how FROM replacements r JOIN accounts a ON a.id = r.account_id WHERE a.email = $1',
      [a.email],
    );
    expect(rows).toEqual([{ status: 'cancelled', ended_how: 'old_method' }]);
  });

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
