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
 * Probes (outside tester): flows interleaved with changes of password or security info. Each pending thing
 * (a re-sent code, a pending contact, a reset at any step, a pending sign-in) must die with the state it was
 * issued against, also when it is "refreshed" (re-sent) after the change.
 */

const P2 = 'second passphrase of mine 22';
const P3 = 'third passphrase of mine 333';
const OTHER_UA = { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0) stranger-device' };

describe('probe: stale flows interleaved with changes (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  const signIn = (email: string, password: string, headers: Record<string, string> = {}) =>
    t.api('POST', '/api/v1/sessions', { email, password }, undefined, headers);

  async function owner() {
    const a = await signedUpAccount(t);
    const contact = uniqueEmail('contact');
    const methodId = await verifiedEmail(t, a.token, contact);
    await t.drain();
    const stepped = await t.api('POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, a.token);
    expect(stepped.status).toBe(200);
    return { ...a, token: stepped.body.sessionToken as string, contact, methodId };
  }

  async function resetAtCode(a: { email: string; contact: string; methodId: string }) {
    const start = await t.api('POST', '/api/v1/password-reset', { email: a.email });
    const flowToken = start.body.flowToken as string;
    t.clock.advance(61_000);
    const chose = await t.api('POST', '/api/v1/password-reset/choose', {
      flowToken,
      methodId: a.methodId,
      confirm: a.contact,
    });
    expect(chose.status).toBe(200);
    return { flowToken, code: await t.mailedCode(a.contact) };
  }

  const complete = (flowToken: string, password: string) =>
    t.api('POST', '/api/v1/password-reset/complete', { flowToken, password });

  const methods = async (token: string) =>
    (await t.api('GET', '/api/v1/methods', undefined, token)).body.methods as {
      id: string;
      kind: string;
      verified?: boolean;
      status?: string;
    }[];

  it('a contact code sent before a password change does not verify the contact after it', async () => {
    const a = await owner();
    const pending = uniqueEmail('pending');
    const added = await t.api('POST', '/api/v1/methods/emails', { email: pending }, a.token);
    expect(added.status).toBe(202);
    const code = await t.mailedCode(pending);
    const changed = await t.api('POST', '/api/v1/password', { password: P2 }, a.token);
    expect(changed.status).toBe(200);
    const token = (changed.body.sessionToken as string | undefined) ?? a.token;
    const v = await t.api('POST', `/api/v1/methods/${added.body.methodId}/verify`, { code }, token);
    expect(v.status).not.toBe(200);
  });

  it('a contact code sent before a change made in another session does not verify the contact after it', async () => {
    const a = await owner();
    const pending = uniqueEmail('pending');
    const added = await t.api('POST', '/api/v1/methods/emails', { email: pending }, a.token);
    expect(added.status).toBe(202);
    const code = await t.mailedCode(pending);
    const other = (await signIn(a.email, GOOD_PASSWORD)).body.sessionToken as string;
    await verifiedEmail(t, other); // a change of security info in another session
    const stepped = await t.api('POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, a.token);
    const token = stepped.body.sessionToken as string;
    const v = await t.api('POST', `/api/v1/methods/${added.body.methodId}/verify`, { code }, token);
    expect(v.status).not.toBe(200);
  });

  it('a pending contact re-sent after a change in another session does not become verified', async () => {
    const a = await owner();
    const pending = uniqueEmail('pending');
    const added = await t.api('POST', '/api/v1/methods/emails', { email: pending }, a.token);
    expect(added.status).toBe(202);
    await t.drain();
    // Another session of the owner changes the password, keeping this one signed in.
    const other = (await signIn(a.email, GOOD_PASSWORD)).body.sessionToken as string;
    const changed = await t.api('POST', '/api/v1/password', { password: P2, endOtherSessions: false }, other);
    expect(changed.status).toBe(200);
    t.clock.advance(61_000);
    // This session proves itself again (with the new password), then asks for the code again.
    const after = await t.api('POST', '/api/v1/reauth', { password: P2 }, a.token);
    expect(after.status).toBe(200);
    const token = after.body.sessionToken as string;
    const resent = await t.api('POST', `/api/v1/methods/${added.body.methodId}/resend`, undefined, token);
    if (resent.status === 200 || resent.status === 202) {
      const code = await t.mailedCode(pending);
      const v = await t.api('POST', `/api/v1/methods/${added.body.methodId}/verify`, { code }, token);
      expect(v.status).not.toBe(200);
    }
    const list = await methods(token);
    const m = list.find((x) => x.id === added.body.methodId);
    expect(m?.verified === true || m?.status === 'verified').toBe(false);
  });

  it('a reset code re-sent after a password change does not verify', async () => {
    const a = await owner();
    const { flowToken } = await resetAtCode(a);
    expect((await t.api('POST', '/api/v1/password', { password: P2 }, a.token)).status).toBe(200);
    t.clock.advance(61_000);
    const resent = await t.api('POST', '/api/v1/password-reset/resend', { flowToken });
    if (resent.status === 200) {
      await t.drain();
      const fresh = await t.mailedCode(a.contact);
      const v = await t.api('POST', '/api/v1/password-reset/verify', { flowToken, code: fresh });
      expect(v.status).not.toBe(204);
      const done = await complete(flowToken, P3);
      expect(done.status).not.toBe(200);
    }
    expect((await signIn(a.email, P3)).status).toBe(401);
  });

  it('a pending sign-in whose code is sent only after a change of security info still dies', async () => {
    const a = await owner();
    const pending = await signIn(a.email, GOOD_PASSWORD, OTHER_UA);
    expect(pending.status).toBe(202);
    const pendingToken = (pending.body.secondFactor as { pendingToken: string }).pendingToken;
    await verifiedEmail(t, a.token); // a change of security info before any code was sent
    t.clock.advance(61_000);
    const sent = await t.api('POST', '/api/v1/sessions/second-factor/send', {
      pendingToken,
      methodId: a.methodId,
    });
    if (sent.status === 200) {
      const code = await t.mailedCode(a.contact);
      const done = await t.api(
        'POST',
        '/api/v1/sessions/second-factor',
        { pendingToken, methodId: a.methodId, code },
        undefined,
        OTHER_UA,
      );
      expect(done.status).not.toBe(200);
    }
  });

  it('a reset with the recovery code at the new-password step dies when the owner makes a new recovery code', async () => {
    const a = await owner();
    const made = await t.api('POST', '/api/v1/recovery-code', undefined, a.token);
    expect(made.status).toBe(200);
    const recoveryCode = made.body.recoveryCode as string;
    const start = await t.api('POST', '/api/v1/password-reset', { email: a.email });
    const flowToken = start.body.flowToken as string;
    const used = await t.api('POST', '/api/v1/password-reset/recovery-code', { flowToken, recoveryCode });
    expect(used.status).toBe(200);
    const stepped = await t.api('POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, a.token);
    const again = await t.api(
      'POST',
      '/api/v1/recovery-code',
      undefined,
      stepped.body.sessionToken as string,
    );
    expect(again.status).toBe(200);
    const done = await complete(flowToken, P3);
    expect([done.status, done.body.error?.code]).toEqual([400, 'reset.flow_invalid']);
    expect((await signIn(a.email, P3)).status).toBe(401);
  });

  it('one recovery code opens one reset flow, even when the first flow has not completed', async () => {
    const a = await owner();
    const made = await t.api('POST', '/api/v1/recovery-code', undefined, a.token);
    const recoveryCode = made.body.recoveryCode as string;
    const f1 = (await t.api('POST', '/api/v1/password-reset', { email: a.email })).body.flowToken as string;
    const f2 = (await t.api('POST', '/api/v1/password-reset', { email: a.email })).body.flowToken as string;
    expect(
      (await t.api('POST', '/api/v1/password-reset/recovery-code', { flowToken: f1, recoveryCode })).status,
    ).toBe(200);
    const second = await t.api('POST', '/api/v1/password-reset/recovery-code', {
      flowToken: f2,
      recoveryCode,
    });
    expect(second.status).not.toBe(200);
  });

  it('a reset at the new-password step dies when the owner removes the contact it was proven with', async () => {
    const a = await owner();
    const other = await verifiedEmail(t, a.token);
    expect(other).toBeTruthy();
    const { flowToken, code } = await resetAtCode(a);
    expect((await t.api('POST', '/api/v1/password-reset/verify', { flowToken, code })).status).toBe(204);
    const stepped = await t.api('POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, a.token);
    const token = stepped.body.sessionToken as string;
    const removed = await t.api('DELETE', `/api/v1/methods/${a.methodId}`, undefined, token);
    expect([200, 204]).toContain(removed.status);
    const done = await complete(flowToken, P3);
    expect([done.status, done.body.error?.code]).toEqual([400, 'reset.flow_invalid']);
  });

  it('a reset at the new-password step dies when the owner turns two-step verification on', async () => {
    const a = await owner();
    await verifiedEmail(t, a.token);
    const { flowToken, code } = await resetAtCode(a);
    expect((await t.api('POST', '/api/v1/password-reset/verify', { flowToken, code })).status).toBe(204);
    const stepped = await t.api('POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, a.token);
    const on = await t.api('PUT', '/api/v1/two-step', { enabled: true }, stepped.body.sessionToken as string);
    expect(on.status).toBe(204);
    const done = await complete(flowToken, P3);
    expect([done.status, done.body.error?.code]).toEqual([400, 'reset.flow_invalid']);
  });

  it('a step-up code sent before the password change made in the same session does not step up after it', async () => {
    const a = await owner();
    t.clock.advance(61_000);
    expect((await t.api('POST', '/api/v1/reauth/code', { methodId: a.methodId }, a.token)).status).toBe(200);
    const code = await t.mailedCode(a.contact);
    const changed = await t.api('POST', '/api/v1/password', { password: P2 }, a.token);
    expect(changed.status).toBe(200);
    const token = (changed.body.sessionToken as string | undefined) ?? a.token;
    const v = await t.api('POST', '/api/v1/reauth/code/verify', { methodId: a.methodId, code }, token);
    expect(v.status).not.toBe(200);
  });

  it('a replacement item code sent before a change made in another session does not verify after it', async () => {
    const a = await owner();
    const newEmail = uniqueEmail('new');
    const added = await t.api('POST', '/api/v1/replacement/emails', { email: newEmail }, a.token);
    expect(added.status).toBe(202);
    const code = await t.mailedCode(newEmail);
    const other = (await signIn(a.email, GOOD_PASSWORD)).body.sessionToken as string;
    const changed = await t.api('POST', '/api/v1/password', { password: P2, endOtherSessions: false }, other);
    expect(changed.status).toBe(200);
    const stepped = await t.api('POST', '/api/v1/reauth', { password: P2 }, a.token);
    expect(stepped.status).toBe(200);
    const v = await t.api(
      'POST',
      `/api/v1/replacement/items/${added.body.itemId}/verify`,
      { code },
      stepped.body.sessionToken as string,
    );
    expect(v.status).not.toBe(200);
  });

  it('a sign-up re-sent on the first token after a stranger’s sign-up replaced the password confirms nothing with the stranger’s password', async () => {
    const email = uniqueEmail('victim');
    const mine = await t.api('POST', '/api/v1/signup', {
      email,
      password: GOOD_PASSWORD,
      displayName: '山田',
      locale: 'ja',
    });
    await t.drain();
    t.clock.advance(61_000);
    // A stranger signs up with the same (unconfirmed) address and a password of theirs.
    const stranger = await t.api('POST', '/api/v1/signup', {
      email,
      password: P3,
      displayName: 'stranger',
      locale: 'ja',
    });
    expect(stranger.status).toBe(202);
    await t.drain();
    t.clock.advance(61_000);
    // The owner, still on the first page, asks for the code again and enters it.
    const resent = await t.api('POST', '/api/v1/signup/resend', { signupToken: mine.body.signupToken });
    if (resent.status === 200 || resent.status === 202) {
      const code = await t.mailedCode(email);
      await t.api('POST', '/api/v1/signup/confirm', { signupToken: mine.body.signupToken, code });
    }
    // Whatever happened, the stranger's password never opens a confirmed account.
    const s = await signIn(email, P3);
    expect(s.status === 200 || s.body.secondFactor !== undefined).toBe(false);
  });
});
