import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { memberIn, setPolicy, verifiedContact } from '../support/org-enforce.ts';
import { orgWithAdmin } from '../support/orgs.ts';
import { account, addContact, call, freshEmail, ipv4, observable, recordStatements } from './support.ts';

/**
 * Probes (outside tester): endpoints without a session must do the same work for an existing account as for
 * an unknown address (counted: SQL statements, in and out of transactions, and password hashing), so that
 * their time tells nothing.
 */
const work = vi.hoisted(() => ({ verify: 0, hash: 0 }));
vi.mock('../../src/accounts/password-hasher.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/accounts/password-hasher.ts')>();
  return {
    ...real,
    verifyPassword: (stored: string, password: string) => {
      work.verify++;
      return real.verifyPassword(stored, password);
    },
    hashPassword: (password: string) => {
      work.hash++;
      return real.hashPassword(password);
    },
  };
});

describe('probe: the same work for existing and unknown accounts (PostgreSQL)', () => {
  let t: TestApp;
  let recorder: ReturnType<typeof recordStatements>;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
    recorder = recordStatements(t, 60);
  });
  afterAll(() => t.close());

  async function measure(f: () => Promise<unknown>) {
    await t.drain();
    await recorder.reset();
    work.verify = 0;
    work.hash = 0;
    const r = await f();
    const answered = [...recorder.statements];
    await new Promise((res) => setTimeout(res, 50));
    await recorder.settle();
    return { r, statements: recorder.statements.length, answered, verify: work.verify, hash: work.hash };
  }

  const signup = (email: string, ip = ipv4()) =>
    call(
      t,
      'POST',
      '/api/v1/signup',
      { email, password: 'my own long passphrase 77', displayName: '山田', locale: 'ja' },
      { ip },
    );

  it('sign-up with a confirmed address hashes the password and runs as many statements as with a new one', async () => {
    const known = await account(t);
    await signup(freshEmail('warm')); // warm-up
    t.clock.advance(3600_000);
    const taken = await measure(() => signup(known.email));
    const fresh = await measure(() => signup(freshEmail('new')));
    expect([taken.hash, taken.verify]).toEqual([fresh.hash, fresh.verify]);
    expect(taken.statements).toBe(fresh.statements);
    expect(taken.answered.length).toBe(fresh.answered.length);
  });

  it('sign-in with a wrong password: an unconfirmed account does the same work as an unknown address', async () => {
    const email = freshEmail('unconfirmed');
    expect((await signup(email)).status).toBe(202);
    await t.drain();
    const wrong = { password: 'not the password at all' };
    await call(t, 'POST', '/api/v1/sessions', { email: freshEmail('warm'), ...wrong }, { ip: ipv4() });
    const u = await measure(() => call(t, 'POST', '/api/v1/sessions', { email, ...wrong }, { ip: ipv4() }));
    const n = await measure(() =>
      call(t, 'POST', '/api/v1/sessions', { email: freshEmail('nobody'), ...wrong }, { ip: ipv4() }),
    );
    const ur = u.r as Parameters<typeof observable>[0];
    const nr = n.r as Parameters<typeof observable>[0];
    expect(observable(ur)).toEqual(observable(nr));
    expect([u.verify, u.hash, u.statements]).toEqual([n.verify, n.hash, n.statements]);
  });

  it('password reset start: an account waits for the same statements as an unknown address', async () => {
    const a = await account(t);
    await addContact(t, a.token, a.ip, freshEmail('contact'));
    const start = (email: string) => () =>
      call(t, 'POST', '/api/v1/password-reset', { email }, { ip: ipv4() });
    await start(freshEmail('warm'))();
    const k = await measure(start(a.email));
    const n = await measure(start(freshEmail('nobody')));
    // How many statements each request waited for before its answer: its time depends on them.
    expect(k.answered.length).toBe(n.answered.length);
  });

  it('password reset state: an account waits for the same statements as an unknown address', async () => {
    const a = await account(t);
    await addContact(t, a.token, a.ip, freshEmail('contact'));
    const flow = async (email: string) => {
      const ip = ipv4();
      const s = await call(t, 'POST', '/api/v1/password-reset', { email }, { ip });
      return () => call(t, 'POST', '/api/v1/password-reset/state', { flowToken: s.body.flowToken }, { ip });
    };
    await (await flow(freshEmail('warm')))();
    const k = await measure(await flow(a.email));
    const n = await measure(await flow(freshEmail('nobody')));
    expect(k.answered.length).toBe(n.answered.length);
  });

  it('password reset choose with a wrong confirmation: an account waits for the same statements as an unknown address', async () => {
    const a = await account(t);
    await addContact(t, a.token, a.ip, freshEmail('contact'));
    const flow = async (email: string) => {
      const ip = ipv4();
      const s = await call(t, 'POST', '/api/v1/password-reset', { email }, { ip });
      const st = await call(
        t,
        'POST',
        '/api/v1/password-reset/state',
        { flowToken: s.body.flowToken },
        { ip },
      );
      const m = (st.body.methods as { id: string; kind: string }[]).find((x) => x.kind === 'email');
      return m
        ? () =>
            call(
              t,
              'POST',
              '/api/v1/password-reset/choose',
              { flowToken: s.body.flowToken, methodId: m.id, confirm: 'wrong.guess@example.com' },
              { ip },
            )
        : null;
    };
    let unknownFlow = null;
    for (let i = 0; i < 20 && !unknownFlow; i++) unknownFlow = await flow(freshEmail('nobody'));
    const known = await flow(a.email);
    await (await flow(freshEmail('warm')))?.();
    const k = await measure(known!);
    const n = await measure(unknownFlow!);
    expect(k.answered.length).toBe(n.answered.length);
  });

  it('password reset verify of a wrong code after a wrong confirmation: an account waits for the same statements as an unknown address', async () => {
    const a = await account(t);
    await addContact(t, a.token, a.ip, freshEmail('contact'));
    const flow = async (email: string) => {
      const ip = ipv4();
      const s = await call(t, 'POST', '/api/v1/password-reset', { email }, { ip });
      const flowToken = s.body.flowToken;
      const st = await call(t, 'POST', '/api/v1/password-reset/state', { flowToken }, { ip });
      const m = (st.body.methods as { id: string; kind: string }[]).find((x) => x.kind === 'email');
      if (!m) return null;
      await call(
        t,
        'POST',
        '/api/v1/password-reset/choose',
        { flowToken, methodId: m.id, confirm: 'wrong.guess@example.com' },
        { ip },
      );
      return () => call(t, 'POST', '/api/v1/password-reset/verify', { flowToken, code: '000000' }, { ip });
    };
    let unknownFlow = null;
    for (let i = 0; i < 20 && !unknownFlow; i++) unknownFlow = await flow(freshEmail('nobody'));
    const known = await flow(a.email);
    const k = await measure(known!);
    const n = await measure(unknownFlow!);
    expect(observable(k.r as Parameters<typeof observable>[0])).toEqual(
      observable(n.r as Parameters<typeof observable>[0]),
    );
    expect(k.answered.length).toBe(n.answered.length);
  });

  it('password reset of an organisation member (two proofs, an admin): state and a wrong code cost what they cost for an unknown address', async () => {
    const { orgId, domain, admin } = await orgWithAdmin(t);
    await setPolicy(t, orgId, { resetMethods: 2, enforceRegistration: false });
    const member = await memberIn(t, orgId, domain);
    await verifiedContact(t, member.token, freshEmail('mcontact'));
    const steps = async (email: string) => {
      const ip = ipv4();
      const s = await call(t, 'POST', '/api/v1/password-reset', { email }, { ip });
      const flowToken = s.body.flowToken;
      return {
        state: () => call(t, 'POST', '/api/v1/password-reset/state', { flowToken }, { ip }),
        verify: () => call(t, 'POST', '/api/v1/password-reset/verify', { flowToken, code: '000000' }, { ip }),
      };
    };
    await (await steps(freshEmail('warm'))).state();
    for (const who of [member.email, admin.email]) {
      const known = await steps(who);
      const unknown = await steps(freshEmail('nobody'));
      const k = await measure(known.state);
      const n = await measure(unknown.state);
      expect(k.answered.length).toBe(n.answered.length);
      // The same shape: the first step never says "organisation" or "two proofs".
      expect(Object.keys((k.r as { body: object }).body).sort()).toEqual(
        Object.keys((n.r as { body: object }).body).sort(),
      );
      expect((k.r as { body: { secondProof: boolean } }).body.secondProof).toBe(false);
      const kv = await measure(known.verify);
      const nv = await measure(unknown.verify);
      expect(observable(kv.r as Parameters<typeof observable>[0])).toEqual(
        observable(nv.r as Parameters<typeof observable>[0]),
      );
    }
  });

  /** A sign-up with a confirmed address and one with a new address, past the resend wait. */
  async function twoSignups() {
    const known = await account(t);
    t.clock.advance(3600_000);
    const taken = await signup(known.email);
    const fresh = await signup(freshEmail('new'));
    await t.drain();
    t.clock.advance(61_000);
    return { taken: taken.body.signupToken, fresh: fresh.body.signupToken };
  }

  it('sign-up resend: a confirmed address waits for the same statements as a new one', async () => {
    const s = await twoSignups();
    const resend = (token: unknown) => () =>
      call(t, 'POST', '/api/v1/signup/resend', { signupToken: token }, { ip: ipv4() });
    const k = await measure(resend(s.taken));
    const n = await measure(resend(s.fresh));
    expect(k.answered.length).toBe(n.answered.length);
  });

  it('sign-up confirmation with a wrong code: a confirmed address waits for the same statements as a new one', async () => {
    const s = await twoSignups();
    const wrongCode = (token: unknown) => () =>
      call(t, 'POST', '/api/v1/signup/confirm', { signupToken: token, code: '000000' }, { ip: ipv4() });
    const k = await measure(wrongCode(s.taken));
    const n = await measure(wrongCode(s.fresh));
    expect(k.answered.length).toBe(n.answered.length);
  });

  it('sign-up again with an unconfirmed address answers like a new address', async () => {
    const email = freshEmail('pre');
    expect((await signup(email)).status).toBe(202);
    t.clock.advance(3600_000);
    const again = await signup(email);
    const fresh = await signup(freshEmail('new'));
    expect(observable(again)).toEqual(observable(fresh));
  });

  it('password reset start: an unconfirmed account answers like an unknown address, at every step', async () => {
    const email = freshEmail('pre');
    expect((await signup(email)).status).toBe(202);
    const steps = async (e: string) => {
      const ip = ipv4();
      const s = await call(t, 'POST', '/api/v1/password-reset', { email: e }, { ip });
      const st = await call(
        t,
        'POST',
        '/api/v1/password-reset/state',
        { flowToken: s.body.flowToken },
        { ip },
      );
      return [observable(s), { ...observable(st), shape: null }];
    };
    expect(await steps(email)).toEqual(await steps(freshEmail('nobody')));
  });

  it('a made-up token costs no password hashing (no CPU for whoever sends garbage)', async () => {
    const garbage = 'x'.repeat(43);
    const tries: [string, Record<string, unknown>][] = [
      ['/api/v1/recovery-form/reset', { token: garbage, password: 'a brand new passphrase 9' }],
      ['/api/v1/password-reset/complete', { flowToken: garbage, password: 'a brand new passphrase 9' }],
    ];
    const hashed: Record<string, number> = {};
    for (const [url, body] of tries) {
      const m = await measure(() => call(t, 'POST', url, body, { ip: ipv4() }));
      hashed[url] = m.hash + m.verify;
    }
    expect(hashed).toEqual({ '/api/v1/recovery-form/reset': 0, '/api/v1/password-reset/complete': 0 });
  });
});
