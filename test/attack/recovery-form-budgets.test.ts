import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_SUBMISSIONS_PER_DAY } from '../../src/recovery-form/form-service.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { account, addContact, call, freshEmail, ipv4, solvedPow } from './support.ts';

/**
 * The recovery form's budgets: strangers may fill an account's daily ceiling, but never the owner's way
 * through an address that was once the account's own contact; an unknown address answers alike.
 */
describe('recovery-form budgets strangers can spend (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  async function start(target: string, contactEmail = freshEmail('rf')) {
    const ip = ipv4();
    const pow = await solvedPow(t, ip);
    const r = await call(t, 'POST', '/api/v1/recovery-form', { account: target, contactEmail, pow }, { ip });
    return { ip, contactEmail, r };
  }

  async function file(target: string) {
    const { ip, contactEmail, r } = await start(target);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const code = await t.mailedCode(contactEmail);
    const flowToken = r.body.flowToken;
    expect((await call(t, 'POST', '/api/v1/recovery-form/verify', { flowToken, code }, { ip })).status).toBe(
      204,
    );
    const s = await call(
      t,
      'POST',
      '/api/v1/recovery-form/submit',
      { flowToken, evidence: { displayName: '誰か' } },
      { ip },
    );
    expect(s.status).toBe(202);
  }

  it('strangers fill the account’s daily ceiling; the owner’s past contact still starts; unknown answers alike', async () => {
    const owner = await account(t);
    const past = freshEmail('past');
    await addContact(t, owner.token, owner.ip, past);
    const unknown = freshEmail('nobody');
    for (let i = 0; i < ACCOUNT_SUBMISSIONS_PER_DAY; i++) {
      await file(owner.email);
      await file(unknown);
    }
    const stranger = (await start(owner.email)).r;
    const nobody = (await start(unknown)).r;
    expect([stranger.status, stranger.body.error?.code]).toEqual([429, 'recovery_form.limit']);
    expect([nobody.status, nobody.body.error?.code]).toEqual([429, 'recovery_form.limit']);
    t.clock.advance(61_000); // the past contact's resend wait (it got a code when it was added)
    const mine = (await start(owner.email, past)).r;
    expect([mine.status, mine.body.error?.code]).toEqual([202, undefined]);
  }, 120_000);
});
