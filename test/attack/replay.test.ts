import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, GOOD_PASSWORD, type TestApp } from '../support/harness.ts';
import { oathtoolCode } from '../support/oathtool.ts';
import { account, addContact, call, freshEmail, tally } from './support.ts';

/**
 * A right authenticator code whose time step was already used (a replay, or the loser of two tabs sending
 * the same code) is `code.used`: it never signs in, never steps up, never proves a reset, and it is not a
 * wrong guess, so it spends none of the owner's wrong-code budget (10 an hour). On PostgreSQL.
 */
const SECOND = 1000;

describe('a used authenticator code is not a wrong guess (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  /** An account with a contact and a verified authenticator app; two-step on when asked. */
  async function owner(twoStep: boolean) {
    const a = await account(t);
    const contact = freshEmail('contact');
    await addContact(t, a.token, a.ip, contact);
    const start = await call(
      t,
      'POST',
      '/api/v1/methods/totp',
      { label: 'phone' },
      { ip: a.ip, token: a.token },
    );
    const key = start.body.manualKey as string;
    const totpId = start.body.methodId as string;
    const confirm = await call(
      t,
      'POST',
      `/api/v1/methods/totp/${totpId}/confirm`,
      { code: oathtoolCode(key, t.clock.now()) },
      { ip: a.ip, token: a.token },
    );
    expect(confirm.status).toBe(204);
    if (twoStep) {
      const on = await call(t, 'PUT', '/api/v1/two-step', { enabled: true }, { ip: a.ip, token: a.token });
      expect(on.status).toBe(204);
    }
    t.clock.advance(31 * SECOND); // the next code is a new one
    return { ...a, contact, key, totpId, code: () => oathtoolCode(key, t.clock.now()) };
  }

  it('sign-in second step: 100 concurrent submissions of one code sign in once, none counts as a wrong code; 15 replays are code.used, and the next code works', async () => {
    const o = await owner(true);
    const pending = async () => {
      const s = await call(
        t,
        'POST',
        '/api/v1/sessions',
        { email: o.email, password: GOOD_PASSWORD },
        { ip: o.ip },
      );
      return (s.body.secondFactor as { pendingToken: string }).pendingToken;
    };
    const code = o.code();
    // Pending sign-ins made a few at a time (each right password briefly takes the account's throttle).
    const tokens: string[] = [];
    while (tokens.length < 100) tokens.push(...(await Promise.all(Array.from({ length: 5 }, pending))));
    const answers = await Promise.all(
      tokens.map((pendingToken) =>
        call(
          t,
          'POST',
          '/api/v1/sessions/second-factor',
          { pendingToken, methodId: o.totpId, code },
          { ip: o.ip },
        ),
      ),
    );
    // One signs in; the others are refused as used (or, while 10 checks hold the account's budget, told to
    // wait): none is a wrong code, so none is kept against the budget (the replays below prove it).
    const counts = tally(answers);
    expect(counts['200 ok']).toBe(1);
    expect(counts['400 code.used']).toBeGreaterThanOrEqual(9);
    expect((counts['400 code.used'] ?? 0) + (counts['429 code.too_many_attempts'] ?? 0)).toBe(99);
    const again = await pending();
    const replays = [];
    for (let i = 0; i < 15; i++)
      replays.push(
        await call(
          t,
          'POST',
          '/api/v1/sessions/second-factor',
          { pendingToken: again, methodId: o.totpId, code },
          { ip: o.ip },
        ),
      );
    expect(tally(replays)).toEqual({ '400 code.used': 15 });
    expect(replays.every((r) => r.body.sessionToken === undefined)).toBe(true);
    t.clock.advance(30 * SECOND);
    const next = await call(
      t,
      'POST',
      '/api/v1/sessions/second-factor',
      { pendingToken: again, methodId: o.totpId, code: o.code() },
      { ip: o.ip },
    );
    expect(next.status).toBe(200);
  });

  it('step-up: a used code is code.used 15 times, steps nothing up, and the next code works', async () => {
    const o = await owner(false);
    t.clock.advance(11 * 60 * SECOND); // the sign-up's fresh proof has expired
    const code = o.code();
    const first = await call(
      t,
      'POST',
      '/api/v1/reauth/code/verify',
      { methodId: o.totpId, code },
      { ip: o.ip, token: o.token },
    );
    expect(first.status).toBe(200);
    const token = first.body.sessionToken as string;
    const replays = [];
    for (let i = 0; i < 15; i++)
      replays.push(
        await call(
          t,
          'POST',
          '/api/v1/reauth/code/verify',
          { methodId: o.totpId, code },
          { ip: o.ip, token },
        ),
      );
    expect(tally(replays)).toEqual({ '400 code.used': 15 });
    t.clock.advance(30 * SECOND);
    const next = await call(
      t,
      'POST',
      '/api/v1/reauth/code/verify',
      { methodId: o.totpId, code: o.code() },
      { ip: o.ip, token },
    );
    expect(next.status).toBe(200);
  });

  it('password reset (second proof): a used code is code.used 15 times and proves nothing; the next code works', async () => {
    const o = await owner(true);
    t.clock.advance(30 * SECOND); // the contact's resend wait since its verification code
    const r = await call(t, 'POST', '/api/v1/password-reset', { email: o.email }, { ip: o.ip });
    const flowToken = r.body.flowToken as string;
    const state = async () =>
      (await call(t, 'POST', '/api/v1/password-reset/state', { flowToken }, { ip: o.ip })).body.methods as {
        id: string;
        kind: string;
      }[];
    const email = (await state()).find((m) => m.kind === 'email')!;
    const choose = (methodId: string, confirm: string) =>
      call(t, 'POST', '/api/v1/password-reset/choose', { flowToken, methodId, confirm }, { ip: o.ip });
    const verify = (code: string) =>
      call(t, 'POST', '/api/v1/password-reset/verify', { flowToken, code }, { ip: o.ip });
    expect((await choose(email.id, o.contact)).status).toBe(200);
    expect((await verify(await t.mailedCode(o.contact))).status).toBe(204);
    expect((await state()).map((m) => m.id)).toContain(o.totpId);
    expect((await choose(o.totpId, 'app')).status).toBe(200);
    // The code of this time step is used by a sign-in first.
    const code = o.code();
    const s = await call(
      t,
      'POST',
      '/api/v1/sessions',
      { email: o.email, password: GOOD_PASSWORD },
      { ip: o.ip },
    );
    const pendingToken = (s.body.secondFactor as { pendingToken: string }).pendingToken;
    const signedIn = await call(
      t,
      'POST',
      '/api/v1/sessions/second-factor',
      { pendingToken, methodId: o.totpId, code },
      { ip: o.ip },
    );
    expect(signedIn.status).toBe(200);
    const replays = [];
    for (let i = 0; i < 15; i++) replays.push(await verify(code));
    expect(tally(replays)).toEqual({ '400 code.used': 15 });
    const complete = await call(
      t,
      'POST',
      '/api/v1/password-reset/complete',
      { flowToken, password: 'a brand new passphrase 77' },
      { ip: o.ip },
    );
    expect(complete.body.error?.code).toBe('reset.flow_invalid');
    t.clock.advance(30 * SECOND);
    expect((await verify(o.code())).status).toBe(204);
  });
});
