import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, GOOD_PASSWORD, type TestApp } from '../support/harness.ts';
import { addContact, call, freshEmail, ipv4, mailsTo, tally } from './support.ts';

/**
 * Kind 4: a stranger must never be able to spend a budget that locks the owner out. A device the owner has
 * already used for the account (its `mamori_device` cookie, recorded at a successful sign-up, sign-in or
 * reset) draws from the owner's own budgets; everyone else shares the open ones, which strangers can fill.
 * On PostgreSQL, with the open send budget's wait off so that 120 concurrent requests can empty it.
 */
const RESET_CODE = /パスワード再設定のコード/;
const NEW_PASSWORD = 'a brand new passphrase 77';

/** A device cookie as the browser would keep it (any value of the cookie's format). */
const deviceCookie = () =>
  `mamori_device=${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')}`;

describe('the owner keeps a way in on a known device (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres', env: { CODE_RESEND_SECONDS: '0' } });
  });
  afterAll(() => t.close());

  /** Signs up and confirms from one device; returns the address and the device's cookie. */
  async function owner() {
    const email = freshEmail('owner');
    const ip = ipv4();
    const cookie = deviceCookie();
    const headers = { cookie };
    const r = await call(
      t,
      'POST',
      '/api/v1/signup',
      { email, password: GOOD_PASSWORD, displayName: '山田 太郎', locale: 'ja' },
      { ip, headers },
    );
    expect(r.status).toBe(202);
    const code = await t.mailedCode(email);
    const c = await call(
      t,
      'POST',
      '/api/v1/signup/confirm',
      { signupToken: r.body.signupToken, code },
      { ip, headers },
    );
    expect(c.status).toBe(200);
    // A contact address for resets (its verification code is 1 of its 10 open codes today).
    const contact = freshEmail('contact');
    await addContact(t, c.body.sessionToken as string, ip, contact);
    return { email, contact, cookie, ip };
  }

  /** A reset from `ip` (and device cookie, if any), confirming the account's own address. */
  async function resetTo(email: string, contact: string, ip: string, cookie?: string) {
    const headers: Record<string, string> = cookie ? { cookie } : {};
    const r = await call(t, 'POST', '/api/v1/password-reset', { email }, { ip, headers });
    const flowToken = r.body.flowToken as string;
    const s = await call(t, 'POST', '/api/v1/password-reset/state', { flowToken }, { ip, headers });
    const methods = s.body.methods as { id: string; kind: string }[];
    const m = methods.find((x) => x.kind === 'email')!;
    const chosen = await call(
      t,
      'POST',
      '/api/v1/password-reset/choose',
      { flowToken, methodId: m.id, confirm: contact },
      { ip, headers },
    );
    return { flowToken, chosen, headers };
  }

  it('strangers from 120 networks empty the open send budget; the owner on a known device still gets a reset code', async () => {
    const o = await owner();
    const strangers = await Promise.all(
      Array.from({ length: 120 }, () => resetTo(o.email, o.contact, ipv4())),
    );
    expect(tally(strangers.map((s) => s.chosen))).toEqual({ '200 ok': 120 });
    // The open budget (10 a day) is spent: its verification code and 9 reset codes went to the address.
    expect(await mailsTo(t, o.contact, RESET_CODE)).toHaveLength(9);

    // A stranger without the owner's cookie gets the same answer and no code.
    const late = await resetTo(o.email, o.contact, ipv4());
    expect(late.chosen.status).toBe(200);
    expect(await mailsTo(t, o.contact, RESET_CODE)).toHaveLength(9);
    // Nor does a stranger's own device cookie help.
    const own = await resetTo(o.email, o.contact, ipv4(), deviceCookie());
    expect(own.chosen.status).toBe(200);
    expect(await mailsTo(t, o.contact, RESET_CODE)).toHaveLength(9);

    // The owner, on the device that signed up, gets a code and resets the password.
    const mine = await resetTo(o.email, o.contact, o.ip, o.cookie);
    expect(mine.chosen.status).toBe(200);
    expect(await mailsTo(t, o.contact, RESET_CODE)).toHaveLength(10);
    const code = await t.mailedCode(o.contact);
    const v = await call(
      t,
      'POST',
      '/api/v1/password-reset/verify',
      { flowToken: mine.flowToken, code },
      { ip: o.ip, headers: mine.headers },
    );
    expect(v.status).toBe(204);
    const done = await call(
      t,
      'POST',
      '/api/v1/password-reset/complete',
      { flowToken: mine.flowToken, password: NEW_PASSWORD },
      { ip: o.ip, headers: mine.headers },
    );
    expect(done.status).toBe(200);
    const signedIn = await call(
      t,
      'POST',
      '/api/v1/sessions',
      { email: o.email, password: NEW_PASSWORD },
      { ip: o.ip, headers: mine.headers },
    );
    expect(signedIn.status).toBe(200);
  });

  it('one network cannot fill a contact’s open budget alone: 25 concurrent resets from it send 5 codes, another network still gets one', async () => {
    const o = await owner();
    const net = ipv4();
    const fromOne = await Promise.all(Array.from({ length: 25 }, () => resetTo(o.email, o.contact, net)));
    expect(tally(fromOne.map((s) => s.chosen))).toEqual({ '200 ok': 25 });
    // Half of the 10 a day (rounded up) per source network: the answers do not change.
    expect(await mailsTo(t, o.contact, RESET_CODE)).toHaveLength(5);
    const elsewhere = await resetTo(o.email, o.contact, ipv4());
    expect(elsewhere.chosen.status).toBe(200);
    expect(await mailsTo(t, o.contact, RESET_CODE)).toHaveLength(6);
  });

  it('strangers from 150 networks trigger the account sign-in throttle; the owner on a known device still signs in', async () => {
    const o = await owner();
    const signIn = (password: string, ip: string, cookie?: string) =>
      call(
        t,
        'POST',
        '/api/v1/sessions',
        { email: o.email, password },
        { ip, headers: cookie ? { cookie } : {} },
      );
    const guesses = await Promise.all(
      Array.from({ length: 150 }, (_, i) => signIn(`wrong password ${i}`, ipv4())),
    );
    const counts = tally(guesses);
    expect(counts['401 auth.invalid_credentials']).toBe(10);
    expect(counts['429 auth.throttled']).toBe(140);
    // Even with the right password, a device the account has never seen is throttled...
    expect((await signIn(GOOD_PASSWORD, ipv4())).body.error?.code).toBe('auth.throttled');
    expect((await signIn(GOOD_PASSWORD, ipv4(), deviceCookie())).body.error?.code).toBe('auth.throttled');
    // ...while the owner's device has its own allowance and signs in.
    const mine = await signIn(GOOD_PASSWORD, o.ip, o.cookie);
    expect(mine.status).toBe(200);
    expect(typeof mine.body.sessionToken).toBe('string');
  });

  it('a reset forgets every other known device: a device of whoever knew the old password shares the open throttle again', async () => {
    const o = await owner();
    // Someone who knew the password signed in from their own browser, which became a known device.
    const theirs = deviceCookie();
    const signIn = (password: string, ip: string, cookie?: string) =>
      call(
        t,
        'POST',
        '/api/v1/sessions',
        { email: o.email, password },
        { ip, headers: cookie ? { cookie } : {} },
      );
    expect((await signIn(GOOD_PASSWORD, ipv4(), theirs)).status).toBe(200);
    // The owner resets the password on their own device.
    t.clock.advance(61_000);
    const mine = await resetTo(o.email, o.contact, o.ip, o.cookie);
    const code = await t.mailedCode(o.contact);
    const opts = { ip: o.ip, headers: mine.headers };
    expect(
      (await call(t, 'POST', '/api/v1/password-reset/verify', { flowToken: mine.flowToken, code }, opts))
        .status,
    ).toBe(204);
    expect(
      (
        await call(
          t,
          'POST',
          '/api/v1/password-reset/complete',
          { flowToken: mine.flowToken, password: NEW_PASSWORD },
          opts,
        )
      ).status,
    ).toBe(200);
    // Strangers fill the account's throttle; the other browser is no longer known, the owner's still is.
    await Promise.all(Array.from({ length: 100 }, (_, i) => signIn(`wrong password ${i}`, ipv4())));
    expect((await signIn(NEW_PASSWORD, ipv4(), theirs)).body.error?.code).toBe('auth.throttled');
    expect((await signIn(NEW_PASSWORD, o.ip, o.cookie)).status).toBe(200);
  });

  it('a known device has its own throttle: 100 concurrent wrong passwords from it check 10', async () => {
    const o = await owner();
    const guesses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        call(
          t,
          'POST',
          '/api/v1/sessions',
          { email: o.email, password: `wrong password ${i}` },
          { ip: ipv4(), headers: { cookie: o.cookie } },
        ),
      ),
    );
    expect(tally(guesses)).toEqual({ '401 auth.invalid_credentials': 10, '429 auth.throttled': 90 });
  });
});
