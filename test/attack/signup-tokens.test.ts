import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { account, call, freshEmail, ipv4, observable } from './support.ts';

/**
 * Only the newest sign-up of an address stands. A later sign-up ends the earlier tokens for a new or
 * unconfirmed address (whose password it replaced) and for a confirmed one (decoys) alike, so using the
 * first token after a second sign-up tells nothing about whether the address has an account.
 */
describe('sign-up tokens: the newest sign-up of an address stands (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  const signup = (email: string, password: string) =>
    call(t, 'POST', '/api/v1/signup', { email, password, displayName: '山田', locale: 'ja' }, { ip: ipv4() });

  async function twice(email: string) {
    const first = await signup(email, 'the first passphrase 11');
    t.clock.advance(61_000);
    const second = await signup(email, 'the second passphrase 22');
    expect([first.status, second.status]).toEqual([202, 202]);
    await t.drain();
    t.clock.advance(61_000);
    return { first: first.body.signupToken as string, second: second.body.signupToken as string };
  }

  it('the first token after a second sign-up answers alike for a confirmed and a new address', async () => {
    const known = await account(t);
    t.clock.advance(3600_000);
    const k = await twice(known.email);
    const fresh = freshEmail('new');
    const n = await twice(fresh);
    const confirm = (token: string) =>
      call(t, 'POST', '/api/v1/signup/confirm', { signupToken: token, code: '000000' }, { ip: ipv4() });
    const resend = (token: string) =>
      call(t, 'POST', '/api/v1/signup/resend', { signupToken: token }, { ip: ipv4() });
    const kc = await confirm(k.first);
    const nc = await confirm(n.first);
    expect(observable(kc)).toEqual(observable(nc));
    expect(kc.body.error?.code).toBe('code.not_found');
    const kr = await resend(k.first);
    const nr = await resend(n.first);
    expect(observable(kr)).toEqual(observable(nr));
    expect(kr.body.error?.code).toBe('code.not_found');
    // The newest one still works for the new address.
    const code = await t.mailedCode(fresh);
    const ok = await call(
      t,
      'POST',
      '/api/v1/signup/confirm',
      { signupToken: n.second, code },
      { ip: ipv4() },
    );
    expect(ok.status).toBe(200);
  });
});
