import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, GOOD_PASSWORD, type TestApp } from '../support/harness.ts';
import { account, call, freshEmail, ipv4, tally } from './support.ts';

/**
 * Probes (outside tester): abuse limits must be keyed on what the attacker cannot choose. A header the
 * client writes, another spelling of the same IPv4 address, or another spelling of the same mailbox must
 * not open a new budget; and distinct clients must not share one.
 */
const signup = (t: TestApp, email: string, ip: string, headers: Record<string, string> = {}) =>
  call(
    t,
    'POST',
    '/api/v1/signup',
    { email, password: GOOD_PASSWORD, displayName: 'A', locale: 'en' },
    { ip, headers },
  );

describe('probe: per-network limits keyed on the real client (PostgreSQL, no trusted proxy)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  it('60 sign-ups from one address, each claiming another X-Forwarded-For: 20 accepted', async () => {
    const ip = ipv4();
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        signup(t, freshEmail('xff'), ip, {
          'x-forwarded-for': `198.51.100.${i + 1}`,
          'x-real-ip': `203.0.113.${i + 1}`,
        }),
      ),
    );
    expect(tally(answers)).toEqual({ '202 ok': 20, '429 request.rate_limited': 40 });
  });

  it('one IPv4 client written plainly and as an IPv4-mapped IPv6 address shares one budget', async () => {
    const ip = ipv4();
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => signup(t, freshEmail('mapped'), i % 2 ? `::ffff:${ip}` : ip)),
    );
    expect(tally(answers)).toEqual({ '202 ok': 20, '429 request.rate_limited': 40 });
  });

  it('two IPv4 clients seen as IPv4-mapped IPv6 addresses (dual-stack socket) do not share a budget', async () => {
    const a = ipv4();
    const b = ipv4();
    const first = await Promise.all(
      Array.from({ length: 25 }, () => signup(t, freshEmail('ds'), `::ffff:${a}`)),
    );
    expect(tally(first)).toEqual({ '202 ok': 20, '429 request.rate_limited': 5 });
    const other = await signup(t, freshEmail('ds'), `::ffff:${b}`);
    expect(other.status).toBe(202);
  });
});

describe('probe: the per-account sign-in throttle counts the account, not the spelling (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  it('wrong passwords under 6 spellings of one address: at most 10 are checked in 15 minutes', async () => {
    const a = await account(t);
    const [local, domain] = a.email.split('@') as [string, string];
    const fw = (x: string) =>
      [...x].map((c) => (/[a-z0-9]/.test(c) ? String.fromCodePoint(c.codePointAt(0)! + 0xfee0) : c)).join('');
    const spellings = [
      a.email,
      a.email.toUpperCase(),
      `${local}@${domain.toUpperCase()}`,
      `${fw(local)}@${domain}`,
      ` ${a.email} `,
      `${local[0]!.toUpperCase()}${local.slice(1)}@${domain}`,
    ];
    const answers = [];
    for (let i = 0; i < 36; i++)
      answers.push(
        await call(
          t,
          'POST',
          '/api/v1/sessions',
          { email: spellings[i % spellings.length], password: `wrong password number ${i}` },
          { ip: ipv4() },
        ),
      );
    const tl = tally(answers);
    expect(tl['401 auth.invalid_credentials'] ?? 0).toBeGreaterThan(0);
    expect(tl['401 auth.invalid_credentials'] ?? 0).toBeLessThanOrEqual(10);
  });
});

describe('probe: behind a trusted proxy, the client cannot choose its address (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres', env: { TRUSTED_PROXIES: '127.0.0.1' } });
  });
  afterAll(() => t.close());

  it('60 sign-ups from one client through the proxy, each with a made-up address prepended: 20 accepted', async () => {
    const client = ipv4();
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        signup(t, freshEmail('prx'), '127.0.0.1', { 'x-forwarded-for': `198.51.100.${i + 1}, ${client}` }),
      ),
    );
    expect(tally(answers)).toEqual({ '202 ok': 20, '429 request.rate_limited': 40 });
  });
});

describe('probe: send caps count the mailbox whatever the spelling (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  const mailbox = (to: string) =>
    to
      .replace(/^.*<|>.*$/g, '')
      .normalize('NFKC')
      .toLowerCase()
      .replace(/\.$/, '')
      .replace(/\+[^@]*@/, '@');

  it('sign-ups (one after another) to case, full-width and trailing-dot spellings of one mailbox send it 1 code', async () => {
    const u = `jiro${Math.random().toString(36).slice(2, 7)}`;
    const fw = [...u].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join('');
    const typed = [
      `${u}@example.org`,
      `${u.toUpperCase()}@example.org`,
      `${u[0]!.toUpperCase()}${u.slice(1)}@Example.Org`,
      `${fw}@example.org`,
      `${u}@example.org.`,
      `${u}@EXAMPLE.ORG.`,
      `${u}@xn--example-.org`.replace('xn--example-.org', 'example.org'),
    ];
    const answers = [];
    for (const e of typed) answers.push(await signup(t, e, ipv4())); // one after another: no race here
    expect(answers.filter((r) => r.status >= 500)).toHaveLength(0);
    await t.drain();
    const got = t.sink.messages.filter((m) => mailbox(m.to) === `${u}@example.org`);
    expect(got.map((m) => m.to)).toHaveLength(1);
  });
});
