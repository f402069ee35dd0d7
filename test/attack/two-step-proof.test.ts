import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  GOOD_PASSWORD,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';
import { formClient } from '../web/browser-less-client.ts';

/**
 * With two-step verification on, every change of password or security info — the second steps ('current'
 * operations) included — needs a second factor given against the account's current state. A second factor
 * given before a change made elsewhere does not carry over to a password-only step-up made after it.
 */
describe('two-step proof is bound to the current state (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  const stepUpByCode = async (token: string, methodId: string, email: string) => {
    t.clock.advance(61_000);
    const sent = await t.api('POST', '/api/v1/reauth/code', { methodId }, token);
    expect(sent.status).toBe(200);
    const code = await t.mailedCode(email);
    const v = await t.api('POST', '/api/v1/reauth/code/verify', { methodId, code }, token);
    expect(v.status).toBe(200);
    return v.body.sessionToken as string;
  };

  it('a second factor given before a change in another session does not make a later password-only step-up enough', async () => {
    const a = await signedUpAccount(t);
    const first = uniqueEmail('first');
    const firstId = await verifiedEmail(t, a.token, first);
    await verifiedEmail(t, a.token);
    // Another session, signed in before two-step was on.
    const other = (await t.api('POST', '/api/v1/sessions', { email: a.email, password: GOOD_PASSWORD })).body
      .sessionToken as string;
    expect((await t.api('PUT', '/api/v1/two-step', { enabled: true }, a.token)).status).toBe(204);
    // This session gives a second factor; the other one too, and then changes the security info.
    const mine = await stepUpByCode(a.token, firstId, first);
    const theirs = await stepUpByCode(other, firstId, first);
    await t.drain();
    await verifiedEmail(t, theirs);
    // This session's step-up is no longer current; a password-only step-up makes it current again, but the
    // second factor it gave was against the old state.
    const stepped = await t.api('POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, mine);
    expect(stepped.status).toBe(200);
    const token = stepped.body.sessionToken as string;
    const made = await t.api('POST', '/api/v1/recovery-code', undefined, token);
    expect([made.status, made.body.error?.code]).toEqual([403, 'auth.reauth_required']);
    const relabel = await t.api('PATCH', `/api/v1/methods/${firstId}`, { label: 'x' }, token);
    expect([relabel.status, relabel.body.error?.code]).toEqual([403, 'auth.reauth_required']);
    // A new second factor opens it again.
    const again = await stepUpByCode(token, firstId, first);
    expect((await t.api('POST', '/api/v1/recovery-code', undefined, again)).status).toBe(200);
  });

  it('web: a second step the session may no longer take sends it to step up, then back', async () => {
    const a = await signedUpAccount(t);
    const first = await verifiedEmail(t, a.token);
    await verifiedEmail(t, a.token);
    const signedIn = await t.api('POST', '/api/v1/sessions', { email: a.email, password: GOOD_PASSWORD });
    expect(signedIn.status).toBe(200);
    const c = formClient(t);
    c.jar.set('mamori_session', signedIn.body.sessionToken as string);
    // Two-step turned on in another session: this browser's step-up is no longer enough.
    t.clock.advance(61_000);
    expect((await t.api('PUT', '/api/v1/two-step', { enabled: true }, a.token)).status).toBe(204);
    await c.get(`/security/methods/${first}/edit`);
    const r = await c.post(`/security/methods/${first}/edit`, { label: 'work' });
    expect([r.statusCode, r.headers.location]).toEqual([
      303,
      `/security/reauth?next=${encodeURIComponent(`/security/methods/${first}/edit`)}`,
    ]);
  });
});
