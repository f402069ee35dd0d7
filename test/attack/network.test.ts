import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../src/security-info/email/normalize-email.ts';
import { createTestApp, GOOD_PASSWORD, type TestApp } from '../support/harness.ts';
import { account, addContact, call, freshEmail, ipv4, REDIS_URL, tally, v6Net } from './support.ts';

/**
 * Abuse limits keyed on what an attacker cannot cheaply change, on PostgreSQL with both limiters: the source
 * network (an IPv4 address, an IPv6 /64) for every unauthenticated request that sends a message, and the
 * mailbox a message is delivered to (not the address as typed).
 */
const SECOND = 1000;
const signup = (t: TestApp, email: string, ip: string) =>
  call(
    t,
    'POST',
    '/api/v1/signup',
    { email, password: GOOD_PASSWORD, displayName: 'A', locale: 'en' },
    { ip },
  );

describe.each([
  { limiter: 'SQL limiter', env: {} as Record<string, string> },
  { limiter: 'Redis limiter', env: { REDIS_URL } as Record<string, string> },
])('per-network limits on PostgreSQL, $limiter', ({ env }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres', env });
  });
  afterAll(() => t.close());

  it('300 concurrent sign-ups from one IPv4 address, or from one IPv6 /64: 20 each are accepted', async () => {
    const ip = ipv4();
    const net = v6Net();
    const [v4, v6] = await Promise.all([
      Promise.all(Array.from({ length: 300 }, () => signup(t, freshEmail('bulk'), ip))),
      Promise.all(Array.from({ length: 300 }, (_, i) => signup(t, freshEmail('bulk6'), net.host(i)))),
    ]);
    expect(tally(v4)).toEqual({ '202 ok': 20, '429 request.rate_limited': 280 });
    expect(tally(v6)).toEqual({ '202 ok': 20, '429 request.rate_limited': 280 });
    expect(Number(v4.find((r) => r.status === 429)!.headers['retry-after'])).toBeGreaterThan(0);
    const [{ n }] = (await t.app.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE recipient LIKE 'bulk%'`,
    )) as [{ n: number }];
    expect(n).toBe(40);
    // Another network is not affected.
    expect((await signup(t, freshEmail('other'), ipv4())).status).toBe(202);
  });

  it('every other unauthenticated request that sends is limited per network too', async () => {
    // Sign-up resend: 60 sends an hour per network, the sign-up included.
    const ip = ipv4();
    const s = await signup(t, freshEmail('resend'), ip);
    const resends = await Promise.all(
      Array.from({ length: 100 }, () =>
        call(t, 'POST', '/api/v1/signup/resend', { signupToken: s.body.signupToken }, { ip }),
      ),
    );
    expect(tally(resends)).toEqual({ '429 code.resend_wait': 59, '429 request.rate_limited': 41 });

    // Password reset choose, from one network, on flows started anywhere.
    const owner = await account(t);
    const flows = await Promise.all(
      Array.from({ length: 70 }, async () => {
        const r = await call(t, 'POST', '/api/v1/password-reset', { email: owner.email }, { ip: ipv4() });
        return r.body.flowToken as string;
      }),
    );
    const chooser = ipv4();
    const chosen = await Promise.all(
      flows.map((flowToken) =>
        call(
          t,
          'POST',
          '/api/v1/password-reset/choose',
          { flowToken, methodId: 'mth_x', confirm: 'x' },
          { ip: chooser },
        ),
      ),
    );
    expect(chosen.filter((r) => r.body.error?.code === 'request.rate_limited')).toHaveLength(10);

    // The recovery form (20 starts an hour), counted before the proof of work is even looked at.
    const formIp = ipv4();
    const forms = await Promise.all(
      Array.from({ length: 30 }, () =>
        call(
          t,
          'POST',
          '/api/v1/recovery-form',
          {
            account: owner.email,
            contactEmail: freshEmail('rf'),
            pow: { algorithm: 'SHA-256', challenge: 'x', number: 1, salt: 'x', signature: 'x' },
          },
          { ip: formIp },
        ),
      ),
    );
    expect(forms.filter((r) => r.body.error?.code === 'request.rate_limited')).toHaveLength(10);

    // The public reference check: 30 per 15 minutes per /64.
    const net = v6Net();
    const checks = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        call(t, 'POST', '/api/v1/messages/check', { reference: 'MMR-AAAA-BBBB' }, { ip: net.host(i) }),
      ),
    );
    expect(tally(checks)).toEqual({ '200 ok': 30, '429 request.rate_limited': 70 });
  });
});

describe('send caps count the mailbox, not the address as typed (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  /** The Gmail inbox a message lands in: no +tag, no dots, googlemail.com is gmail.com. */
  const gmailInbox = (to: string) => {
    const [local = '', domain = ''] = to
      .replace(/^.*<|>.*$/g, '')
      .toLowerCase()
      .split('@');
    return `${local.split('+')[0]!.replace(/\./g, '')}@${domain === 'googlemail.com' ? 'gmail.com' : domain}`;
  };
  const inbox = (mailbox: string) => t.sink.messages.filter((m) => gmailInbox(m.to) === mailbox);

  it('14 sign-ups to sub-addresses and dotted forms of one Gmail inbox send it 1 code at once, 10 a day', async () => {
    const u = `taro${Math.random().toString(36).slice(2, 7)}`;
    const forms = (i: number) => [
      `${u}+${i}@gmail.com`,
      `${u.slice(0, 2)}.${u.slice(2)}+x${i}@gmail.com`,
      `${u.split('').join('.')}@googlemail.com`,
      `${u.toUpperCase()}+news${i}@GMAIL.com`,
    ];
    const typed = Array.from({ length: 14 }, (_, i) => forms(i)[i % 4]!);
    const at = await Promise.all(typed.map((e) => signup(t, e, ipv4())));
    expect(at.filter((r) => r.status === 202).length).toBeGreaterThanOrEqual(1);
    await t.drain();
    expect(inbox(`${u}@gmail.com`)).toHaveLength(1);
    // What the person typed is kept (and mailed to): only the domain is lower-cased (normalizeEmail).
    const stored = await t.app.deps.db.query<{ email: string }>(
      'SELECT email FROM accounts WHERE email = ANY($1)',
      [typed.map(normalizeEmail)],
    );
    expect(stored.length).toBeGreaterThanOrEqual(1);

    // Through a whole day, a minute apart: 10 codes in all.
    for (let i = 14; i < 40; i++) {
      t.clock.advance(61 * SECOND);
      await signup(t, forms(i)[i % 4]!, ipv4());
    }
    await t.drain();
    expect(inbox(`${u}@gmail.com`)).toHaveLength(10);
  });

  it('sub-addresses share a budget on every domain; dots count only where the provider ignores them', async () => {
    const a = await account(t);
    const u = `hanako${Math.random().toString(36).slice(2, 7)}`;
    await addContact(t, a.token, a.ip, `${u}+a@example.org`);
    // The same mailbox within the minute: refused; a dotted form on example.org is another mailbox.
    const again = await call(t, 'POST', '/api/v1/methods/emails', { email: `${u}+b@example.org` }, a);
    expect(again.body.error?.code).toBe('code.resend_wait');
    const dotted = await call(
      t,
      'POST',
      '/api/v1/methods/emails',
      { email: `${u.slice(0, 3)}.${u.slice(3)}@example.org` },
      a,
    );
    expect(dotted.status).toBe(202);
  });
});
