import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, GOOD_PASSWORD, type TestApp } from '../support/harness.ts';
import { account, addContact, call, freshEmail, ipv4, solvedPow, tally } from './support.ts';

/**
 * Probes (outside tester): budgets a stranger can spend must not close the owner's way in, and wrong
 * guesses of recovery codes are counted before they are checked.
 */
const SECOND = 1000;
const NEW_PASSWORD = 'the owner is back in 2026';

describe('probe: strangers cannot close the owner’s way in (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  async function owner() {
    const a = await account(t);
    const contact = freshEmail('contact');
    const methodId = await addContact(t, a.token, a.ip, contact);
    await t.drain();
    t.clock.advance(61 * SECOND);
    const stepped = await call(t, 'POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, a);
    return { ...a, token: stepped.body.sessionToken as string, contact, methodId };
  }

  /** A wrong recovery code of the same shape as `code`. */
  const wrongLike = (code: string, i: number) => {
    const alphabet = [...new Set(code.replace(/[^A-Za-z0-9]/g, ''))].join('') || 'ABCDEFGH23456789';
    let n = i + 1;
    return code.replace(/[A-Za-z0-9]/g, (c) => {
      const k = n % alphabet.length;
      n = Math.floor(n / alphabet.length) + 7;
      return alphabet[(alphabet.indexOf(c) + k + 1) % alphabet.length] ?? c;
    });
  };

  it('60 strangers’ reset flows for the owner (60 networks) leave the owner’s own reset working', async () => {
    const a = await owner();
    await Promise.all(
      Array.from({ length: 60 }, async () => {
        const ip = ipv4();
        const s = await call(t, 'POST', '/api/v1/password-reset', { email: a.email }, { ip });
        await call(t, 'POST', '/api/v1/password-reset/state', { flowToken: s.body.flowToken }, { ip });
      }),
    );
    t.clock.advance(61 * SECOND);
    const ip = ipv4();
    const s = await call(t, 'POST', '/api/v1/password-reset', { email: a.email }, { ip });
    expect(s.status).toBe(202);
    const flowToken = s.body.flowToken;
    const c = await call(
      t,
      'POST',
      '/api/v1/password-reset/choose',
      { flowToken, methodId: a.methodId, confirm: a.contact },
      { ip },
    );
    expect(c.status).toBe(200);
    const code = await t.mailedCode(a.contact);
    expect((await call(t, 'POST', '/api/v1/password-reset/verify', { flowToken, code }, { ip })).status).toBe(
      204,
    );
    expect(
      (
        await call(
          t,
          'POST',
          '/api/v1/password-reset/complete',
          { flowToken, password: NEW_PASSWORD },
          { ip },
        )
      ).status,
    ).toBe(200);
  });

  it('wrong recovery codes from 40 networks do not stop the owner’s right recovery code', async () => {
    const a = await owner();
    const made = await call(t, 'POST', '/api/v1/recovery-code', undefined, a);
    const recoveryCode = made.body.recoveryCode as string;
    const answers = (
      await Promise.all(
        Array.from({ length: 40 }, async (_, n) => {
          const ip = ipv4();
          const s = await call(t, 'POST', '/api/v1/password-reset', { email: a.email }, { ip });
          const out = [];
          for (let i = 0; i < 3; i++)
            out.push(
              await call(
                t,
                'POST',
                '/api/v1/password-reset/recovery-code',
                { flowToken: s.body.flowToken, recoveryCode: wrongLike(recoveryCode, n * 3 + i) },
                { ip },
              ),
            );
          return out;
        }),
      )
    ).flat();
    expect(answers.filter((r) => r.status === 204)).toHaveLength(0);
    const ip = ipv4();
    const s = await call(t, 'POST', '/api/v1/password-reset', { email: a.email }, { ip });
    const r = await call(
      t,
      'POST',
      '/api/v1/password-reset/recovery-code',
      { flowToken: s.body.flowToken, recoveryCode },
      { ip },
    );
    expect([r.status, r.body.error?.code]).toEqual([200, undefined]);
  });

  it('200 concurrent wrong recovery codes from one network: at most 30 are checked', async () => {
    const a = await owner();
    const made = await call(t, 'POST', '/api/v1/recovery-code', undefined, a);
    const recoveryCode = made.body.recoveryCode as string;
    const ip = ipv4();
    const flows = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const s = await call(t, 'POST', '/api/v1/password-reset', { email: a.email }, { ip });
        return s.body.flowToken as string;
      }),
    );
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        call(
          t,
          'POST',
          '/api/v1/password-reset/recovery-code',
          { flowToken: flows[i % flows.length], recoveryCode: wrongLike(recoveryCode, i) },
          { ip },
        ),
      ),
    );
    const tl = tally(answers);
    const limited = Object.entries(tl)
      .filter(([k]) => k.startsWith('429'))
      .reduce((n, [, v]) => n + v, 0);
    expect(answers.filter((r) => r.status === 204)).toHaveLength(0);
    expect(200 - limited).toBeLessThanOrEqual(30);
  });

  async function recoveryStart(target: string, contact?: string) {
    const ip = ipv4();
    const pow = await solvedPow(t, ip);
    const contactEmail = contact ?? freshEmail('rf');
    const start = await call(
      t,
      'POST',
      '/api/v1/recovery-form',
      { account: target, contactEmail, pow },
      { ip },
    );
    return { ip, contactEmail, start };
  }

  async function recoveryRequest(target: string, evidence: Record<string, unknown>, contact?: string) {
    const { ip, contactEmail, start } = await recoveryStart(target, contact);
    expect(start.status, JSON.stringify(start.body)).toBe(202);
    const code = await t.mailedCode(contactEmail);
    const flowToken = start.body.flowToken;
    expect((await call(t, 'POST', '/api/v1/recovery-form/verify', { flowToken, code }, { ip })).status).toBe(
      204,
    );
    return call(t, 'POST', '/api/v1/recovery-form/submit', { flowToken, evidence }, { ip });
  }

  it('two strangers’ recovery-form requests do not stop the owner from starting their own that day', async () => {
    const target = await account(t);
    for (let i = 0; i < 2; i++)
      expect((await recoveryRequest(target.email, { displayName: '誰か' })).status).toBe(202);
    const mine = await recoveryStart(target.email);
    expect([mine.start.status, mine.start.body.error?.code]).toEqual([202, undefined]);
  });

  it('after two requests, an account and an unknown address answer the next start alike', async () => {
    const target = await account(t);
    const unknown = freshEmail('nobody');
    for (const who of [target.email, unknown])
      for (let i = 0; i < 2; i++)
        expect((await recoveryRequest(who, { displayName: '誰か' })).status).toBe(202);
    const k = await recoveryStart(target.email);
    const n = await recoveryStart(unknown);
    expect([k.start.status, k.start.body.error?.code]).toEqual([n.start.status, n.start.body.error?.code]);
  });

  async function requestsFromContacts(contacts: string[]) {
    const answers = [];
    for (const contact of contacts) {
      const target = await account(t);
      const { ip, start } = await recoveryStart(target.email, contact);
      if (start.status !== 202) {
        answers.push(start);
        continue;
      }
      const code = await t.mailedCode(contact);
      const flowToken = start.body.flowToken;
      await call(t, 'POST', '/api/v1/recovery-form/verify', { flowToken, code }, { ip });
      answers.push(
        await call(
          t,
          'POST',
          '/api/v1/recovery-form/submit',
          { flowToken, evidence: { displayName: '山田 太郎' } },
          { ip },
        ),
      );
      t.clock.advance(61_000);
    }
    return answers;
  }

  it('the per-contact cap: one contact address files at most 2 requests a day (for 4 accounts)', async () => {
    const u = `helper${Math.random().toString(36).slice(2, 7)}`;
    const answers = await requestsFromContacts([0, 1, 2, 3].map(() => `${u}@gmail.com`));
    expect(answers.filter((r) => r.status === 202)).toHaveLength(2);
  });

  it('the per-contact cap counts the mailbox: sub-addresses of one inbox file at most 2 requests a day', async () => {
    const u = `helper${Math.random().toString(36).slice(2, 7)}`;
    const answers = await requestsFromContacts([0, 1, 2, 3].map((i) => `${u}+${i}@gmail.com`));
    expect(answers.filter((r) => r.status === 202)).toHaveLength(2);
  });
});
