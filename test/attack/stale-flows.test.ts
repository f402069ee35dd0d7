import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY } from '../../src/kernel/clock.ts';
import {
  createTestApp,
  GOOD_PASSWORD,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';
import { oathtoolCode } from '../support/oathtool.ts';
import { type CreationOptionsJSON, SoftAuthenticator } from '../support/soft-authenticator.ts';

/**
 * Kind: a flow or a code outlives the state it was issued against. Every pending flow and code is bound to
 * the account's security stamp, which every change of password or security info moves on; a flow whose
 * stamp is old is refused, checked with the account row locked when it completes (PostgreSQL).
 */

const P2 = 'second passphrase of mine 22';
const P3 = 'third passphrase of mine 333';
const OTHER_UA = { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0) stranger-device' };

describe('no flow outlives the state it was issued against (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  const signIn = (email: string, password: string, headers: Record<string, string> = {}) =>
    t.api('POST', '/api/v1/sessions', { email, password }, undefined, headers);

  /** An account with one verified contact; the session has a fresh step-up. */
  async function owner() {
    const a = await signedUpAccount(t);
    const contact = uniqueEmail('contact');
    const methodId = await verifiedEmail(t, a.token, contact);
    await t.drain();
    const stepped = await t.api('POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, a.token);
    expect(stepped.status).toBe(200);
    return { ...a, token: stepped.body.sessionToken as string, contact, methodId };
  }

  /** Starts a reset and sends the code to the contact; returns the flow token and the code. */
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

  async function resetAtNewPassword(a: { email: string; contact: string; methodId: string }) {
    const { flowToken, code } = await resetAtCode(a);
    expect((await t.api('POST', '/api/v1/password-reset/verify', { flowToken, code })).status).toBe(204);
    return flowToken;
  }

  const complete = (flowToken: string, password: string) =>
    t.api('POST', '/api/v1/password-reset/complete', { flowToken, password });

  it('a reset at the new-password step dies when the owner then changes the password', async () => {
    const a = await owner();
    const flow = await resetAtNewPassword(a);
    expect((await t.api('POST', '/api/v1/password', { password: P2 }, a.token)).status).toBe(200);
    const stale = await complete(flow, P3);
    expect([stale.status, stale.body.error?.code]).toEqual([400, 'reset.flow_invalid']);
    expect((await signIn(a.email, P3)).status).toBe(401);
    expect((await signIn(a.email, P2)).status).toBe(200);
  });

  it('a reset at the new-password step dies when another reset completes first', async () => {
    const a = await owner();
    const first = await resetAtNewPassword(a);
    const second = await resetAtNewPassword(a);
    expect((await complete(second, P2)).status).toBe(200);
    expect((await complete(first, P3)).body.error?.code).toBe('reset.flow_invalid');
    expect((await signIn(a.email, P3)).status).toBe(401);
    expect((await signIn(a.email, P2)).status).toBe(200);
  });

  it('a reset at the new-password step dies when the owner uses "secure my account"', async () => {
    const a = await owner();
    const flow = await resetAtNewPassword(a);
    expect((await t.api('POST', '/api/v1/secure', { password: P2 }, a.token)).status).toBe(200);
    expect((await complete(flow, P3)).body.error?.code).toBe('reset.flow_invalid');
    expect((await signIn(a.email, P3)).status).toBe(401);
  });

  it('a reset code sent before a password change no longer verifies', async () => {
    const a = await owner();
    const { flowToken, code } = await resetAtCode(a);
    expect((await t.api('POST', '/api/v1/password', { password: P2 }, a.token)).status).toBe(200);
    const v = await t.api('POST', '/api/v1/password-reset/verify', { flowToken, code });
    expect([v.status, v.body.error?.code]).toEqual([400, 'reset.flow_invalid']);
  });

  it('a step-up code sent before a change made in another session no longer verifies', async () => {
    const a = await owner();
    const other = (await signIn(a.email, GOOD_PASSWORD)).body.sessionToken as string;
    t.clock.advance(61_000);
    expect((await t.api('POST', '/api/v1/reauth/code', { methodId: a.methodId }, other)).status).toBe(200);
    const code = await t.mailedCode(a.contact);
    // The owner changes the password in the first session and keeps the other one signed in.
    const changed = await t.api(
      'POST',
      '/api/v1/password',
      { password: P2, endOtherSessions: false },
      a.token,
    );
    expect(changed.status).toBe(200);
    const v = await t.api('POST', '/api/v1/reauth/code/verify', { methodId: a.methodId, code }, other);
    expect([v.status, v.body.error?.code]).toEqual([400, 'code.not_found']);
  });

  it("another session's step-up ends with a change; the session that made it keeps its own", async () => {
    const a = await owner();
    const second = await t.api('POST', '/api/v1/sessions', { email: a.email, password: GOOD_PASSWORD });
    const other = second.body.sessionToken as string; // fresh: a sign-in is a proof
    const mine = await verifiedEmail(t, a.token); // a change made by the first session
    expect(mine).toBeTruthy();
    const refused = await t.api('POST', '/api/v1/methods/emails', { email: uniqueEmail() }, other);
    expect([refused.status, refused.body.error?.code]).toEqual([403, 'auth.reauth_required']);
    expect((await t.api('POST', '/api/v1/methods/emails', { email: uniqueEmail() }, a.token)).status).toBe(
      202,
    );
  });

  it('"still mine?" cannot vouch for security info added after the session last proved itself', async () => {
    const a = await owner();
    // A second session (say, on a shared computer), signed in before the change.
    const other = (await signIn(a.email, GOOD_PASSWORD)).body.sessionToken as string;
    // Security info is added in the first session (by whoever holds it).
    const added = await verifiedEmail(t, a.token, uniqueEmail('added'));
    const confirmedAt = async () =>
      (
        await t.app.deps.db.query<{ confirmed_at: Date | null }>(
          'SELECT confirmed_at FROM security_methods WHERE id = $1',
          [added],
        )
      )[0]!.confirmed_at;
    // The other session's "yes, all of this is still mine" was issued against the old state: refused,
    // and the new method is not marked as confirmed by the owner.
    const refused = await t.api('POST', '/api/v1/checkup/periodic/confirm', {}, other);
    expect([refused.status, refused.body.error?.code]).toEqual([403, 'auth.reauth_required']);
    expect(await confirmedAt()).toBeNull();
    // After proving itself again (and so seeing the current info), it may confirm.
    const stepped = await t.api('POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, other);
    expect(stepped.status).toBe(200);
    const ok = await t.api(
      'POST',
      '/api/v1/checkup/periodic/confirm',
      {},
      stepped.body.sessionToken as string,
    );
    expect(ok.status).toBe(200);
    expect(await confirmedAt()).not.toBeNull();
    // The session that made the change keeps its own view and may confirm too.
    expect((await t.api('POST', '/api/v1/checkup/periodic/confirm', {}, a.token)).status).toBe(200);
  });

  it('an authenticator set up before a change of security info cannot be confirmed after it', async () => {
    const a = await owner();
    const started = await t.api('POST', '/api/v1/methods/totp', { label: 'old phone' }, a.token);
    expect(started.status).toBe(202);
    // Meanwhile a second contact is verified in another session: a change of security info.
    const other = (await signIn(a.email, GOOD_PASSWORD)).body.sessionToken as string;
    await verifiedEmail(t, other);
    // The first session proves itself again; the secret issued before the change stays void.
    const stepped = await t.api('POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, a.token);
    const token = stepped.body.sessionToken as string;
    const confirm = await t.api(
      'POST',
      `/api/v1/methods/totp/${started.body.methodId}/confirm`,
      { code: oathtoolCode(started.body.manualKey as string, t.clock.now()) },
      token,
    );
    expect([confirm.status, confirm.body.error?.code]).toEqual([404, 'contact.not_found']);
  });

  it('a pending sign-in waiting for its second proof dies when the security info changes', async () => {
    const a = await owner();
    const pending = await signIn(a.email, GOOD_PASSWORD, OTHER_UA);
    expect(pending.status).toBe(202);
    const pendingToken = (pending.body.secondFactor as { pendingToken: string }).pendingToken;
    t.clock.advance(61_000);
    const sent = await t.api('POST', '/api/v1/sessions/second-factor/send', {
      pendingToken,
      methodId: a.methodId,
    });
    expect(sent.status).toBe(200);
    const code = await t.mailedCode(a.contact);
    await verifiedEmail(t, a.token); // the owner adds a contact meanwhile
    const done = await t.api(
      'POST',
      '/api/v1/sessions/second-factor',
      { pendingToken, methodId: a.methodId, code },
      undefined,
      OTHER_UA,
    );
    expect([done.status, done.body.error?.code]).toEqual([400, 'signin.flow_invalid']);
  });

  it('a sign-up confirmation dies when a newer sign-up replaced the password', async () => {
    const email = uniqueEmail('taken');
    const body = { email, password: GOOD_PASSWORD, displayName: '山田', locale: 'ja' };
    const first = await t.api('POST', '/api/v1/signup', body);
    const firstCode = await t.mailedCode(email);
    t.clock.advance(61_000);
    const second = await t.api('POST', '/api/v1/signup', { ...body, password: P2 });
    const secondCode = await t.mailedCode(email);
    const stale = await t.api('POST', '/api/v1/signup/confirm', {
      signupToken: first.body.signupToken,
      code: firstCode,
    });
    expect([stale.status, stale.body.error?.code]).toEqual([400, 'code.not_found']);
    const ok = await t.api('POST', '/api/v1/signup/confirm', {
      signupToken: second.body.signupToken,
      code: secondCode,
    });
    expect(ok.status).toBe(200);
  });

  it('a trusted device asks for the second proof again after a change of security info', async () => {
    const a = await owner();
    const started = await t.api('POST', '/api/v1/methods/totp', { label: 'phone' }, a.token);
    const key = started.body.manualKey as string;
    const confirm = await t.api(
      'POST',
      `/api/v1/methods/totp/${started.body.methodId}/confirm`,
      { code: oathtoolCode(key, t.clock.now()) },
      a.token,
    );
    expect(confirm.status).toBe(204);
    expect((await t.api('PUT', '/api/v1/two-step', { enabled: true }, a.token)).status).toBe(204);
    const pending = await signIn(a.email, GOOD_PASSWORD);
    const pendingToken = (pending.body.secondFactor as { pendingToken: string }).pendingToken;
    t.clock.advance(31_000);
    const done = await t.api('POST', '/api/v1/sessions/second-factor', {
      pendingToken,
      methodId: started.body.methodId,
      code: oathtoolCode(key, t.clock.now()),
      trustDevice: true,
    });
    expect(done.status).toBe(200);
    const device = done.body.trustedDeviceToken as string;
    const trusted = () =>
      t.api('POST', '/api/v1/sessions', {
        email: a.email,
        password: GOOD_PASSWORD,
        trustedDeviceToken: device,
      });
    expect((await trusted()).status).toBe(200);
    await verifiedEmail(t, done.body.sessionToken as string); // a change of security info
    expect((await trusted()).status).toBe(202);
  });

  it('passkey registration options issued before a change of security info are refused', async () => {
    const a = await owner();
    const options = await t.api('POST', '/api/v1/methods/passkeys/options', undefined, a.token);
    expect(options.status).toBe(200);
    const other = (await signIn(a.email, GOOD_PASSWORD)).body.sessionToken as string;
    await verifiedEmail(t, other);
    const stepped = await t.api('POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, a.token);
    const token = stepped.body.sessionToken as string;
    const auth = new SoftAuthenticator('http://mamori.test');
    const response = auth.create(options.body.options as unknown as CreationOptionsJSON);
    const late = await t.api(
      'POST',
      '/api/v1/methods/passkeys',
      { token: options.body.token, response },
      token,
    );
    expect([late.status, late.body.error?.code]).toEqual([400, 'request.invalid']);
    const passkeys = (await t.api('GET', '/api/v1/methods', undefined, token)).body.methods as {
      kind: string;
    }[];
    expect(passkeys.filter((m) => m.kind === 'passkey')).toHaveLength(0);
  });

  it("a recovery-form link dies when the owner's password or security info changed after the request", async () => {
    const a = await owner();
    const id = (
      await t.app.deps.db.query<{ id: string }>('SELECT id FROM accounts WHERE email = $1', [a.email])
    )[0]!.id;
    /** An approved request with its one-time link, made against the account's current stamp. */
    const approvedLink = async () => {
      const raw = randomBytes(32).toString('base64url');
      const now = t.clock.now();
      await t.app.deps.db.query(
        `INSERT INTO recovery_requests (id, flow_hash, account_id, account_key, contact_email, contact_key, locale,
           status, created_at, expires_at, ip, user_agent, country, reset_token_hash, reset_expires_at, stamp)
         SELECT $1, $2, id, email_key, $3, $3, 'ja', 'approved', $4, $5, '203.0.113.1', 'test', 'JP', $6, $5,
           security_stamp FROM accounts WHERE id = $7`,
        [
          `rfq_${raw.slice(0, 10)}`,
          raw,
          uniqueEmail('helper'),
          now,
          new Date(now.getTime() + DAY),
          createHash('sha256').update(raw).digest('base64url'),
          id,
        ],
      );
      return raw;
    };
    const stale = await approvedLink();
    await verifiedEmail(t, a.token); // the owner is back and changes the security info
    const fresh = await approvedLink();
    const refused = await t.api('POST', '/api/v1/recovery-form/reset', { token: stale, password: P3 });
    expect([refused.status, refused.body.error?.code]).toEqual([404, 'recovery_form.not_found']);
    expect((await signIn(a.email, P3)).status).toBe(401);
    const used = await t.api('POST', '/api/v1/recovery-form/reset', { token: fresh, password: P2 });
    expect(used.status, JSON.stringify(used.body)).toBe(200);
  });

  it('a replacement is cancelled, not applied, when the account changed during the wait', async () => {
    const a = await owner();
    t.clock.advance(61_000);
    const newEmail = uniqueEmail('new');
    const added = await t.api('POST', '/api/v1/replacement/emails', { email: newEmail }, a.token);
    const code = await t.mailedCode(newEmail);
    await t.api('POST', `/api/v1/replacement/items/${added.body.itemId}/verify`, { code }, a.token);
    expect((await t.api('POST', '/api/v1/replacement/start', {}, a.token)).status).toBe(202);
    // Every user path that changes security info is refused or cancels the replacement during the wait
    // (restrictions.test.ts, outsider.test.ts); a change made anyway (an operator's repair in the database)
    // moves the stamp on, and the scheduler must not apply a replacement planned against the old state.
    await t.app.deps.db.query('UPDATE accounts SET security_stamp = security_stamp + 1 WHERE email = $1', [
      a.email,
    ]);
    t.clock.advance(31 * DAY);
    await t.app.replacementScheduler.runOnce(); // (other tests' replacements may take effect here)
    const rows = await t.app.deps.db.query<{ status: string; ended_how: string }>(
      'SELECT r.status, r.ended_how FROM replacements r JOIN accounts a ON a.id = r.account_id WHERE a.email = $1',
      [a.email],
    );
    expect(rows).toEqual([{ status: 'cancelled', ended_how: 'changed' }]);
    const left = await t.app.deps.db.query<{ value: string }>(
      `SELECT m.value FROM security_methods m JOIN accounts a ON a.id = m.account_id WHERE a.email = $1`,
      [a.email],
    );
    expect(left.map((m) => m.value)).toEqual([a.contact]);
  });

  it('100 concurrent completions of one reset: exactly one sets the password', async () => {
    const a = await owner();
    const flow = await resetAtNewPassword(a);
    const passwords = Array.from({ length: 100 }, (_, i) => `concurrent passphrase number ${i}`);
    const results = await Promise.all(passwords.map((p) => complete(flow, p)));
    const winners = results.flatMap((r, i) => (r.status === 200 ? [passwords[i]!] : []));
    expect(winners).toHaveLength(1);
    for (const r of results) expect([200, 400]).toContain(r.status);
    expect((await signIn(a.email, winners[0]!)).status).not.toBe(401);
    expect((await signIn(a.email, passwords.find((p) => p !== winners[0])!)).status).toBe(401);
  });

  it('a reset racing a password change (6 accounts at once): at most one wins, a stale one never sets the password', async () => {
    const accounts = [];
    for (let i = 0; i < 6; i++) {
      const a = await owner();
      accounts.push({ ...a, flow: await resetAtNewPassword(a) });
    }
    const outcomes = await Promise.all(
      accounts.map(async (a) => {
        const [reset, change] = await Promise.all([
          complete(a.flow, P3),
          t.api('POST', '/api/v1/password', { password: P2 }, a.token),
        ]);
        return { a, reset: reset.status, change: change.status };
      }),
    );
    for (const o of outcomes) {
      const wins = [o.reset, o.change].filter((s) => s === 200).length;
      expect(wins, o.a.email).toBeLessThanOrEqual(1);
      const byReset = (await signIn(o.a.email, P3)).status !== 401;
      const byChange = (await signIn(o.a.email, P2)).status !== 401;
      expect(byReset, o.a.email).toBe(o.reset === 200);
      expect(byChange, o.a.email).toBe(o.change === 200);
      expect(byReset || byChange || (await signIn(o.a.email, GOOD_PASSWORD)).status !== 401).toBe(true);
    }
  });
});
