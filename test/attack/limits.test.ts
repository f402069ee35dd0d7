import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { ACCOUNT_SUBMISSIONS_PER_DAY } from '../../src/recovery-form/form-service.ts';
import { openPostgres } from '../../src/storage/postgres.ts';
import { PG_ADMIN_URL } from '../support/databases.ts';
import { createTestApp, GOOD_PASSWORD, type TestApp } from '../support/harness.ts';
import {
  account,
  addContact,
  addPhone,
  call,
  freshEmail,
  ipv4,
  mailsTo,
  smsTo,
  solvedPow,
  tally,
} from './support.ts';

/**
 * Send caps and other check-then-act caps under concurrency, on PostgreSQL (a pool of connections, real
 * parallel transactions): each cap is taken atomically before the work it guards.
 */
const SECOND = 1000;
const HOUR = 3600 * SECOND;
const RESET_CODE = /パスワード再設定のコード/;

async function resetFlows(t: TestApp, email: string, n: number) {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const ip = ipv4();
      const r = await call(t, 'POST', '/api/v1/password-reset', { email }, { ip });
      expect(r.status).toBe(202);
      const flowToken = r.body.flowToken as string;
      const s = await call(t, 'POST', '/api/v1/password-reset/state', { flowToken }, { ip });
      return { ip, flowToken, methods: s.body.methods as { id: string; kind: string; masked: string }[] };
    }),
  );
}

const choose = (t: TestApp, f: { ip: string; flowToken: string }, methodId: string, confirm: string) =>
  call(
    t,
    'POST',
    '/api/v1/password-reset/choose',
    { flowToken: f.flowToken, methodId, confirm },
    { ip: f.ip },
  );

describe('send caps on PostgreSQL: 60 s between codes to one destination', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  it('60 concurrent reset chooses to one address send exactly 1 email; 60 to one number send exactly 1 SMS', async () => {
    const owner = await account(t);
    const contact = freshEmail('contact');
    await addContact(t, owner.token, owner.ip, contact);
    const { e164 } = await addPhone(t, owner.token, owner.ip, 'JP', '090-1234-5601');
    t.clock.advance(61 * SECOND);
    const smsBefore = (await smsTo(t, e164)).length;

    const flows = await resetFlows(t, owner.email, 120);
    const answers = await Promise.all(
      flows.map((f, i) => {
        const kind = i % 2 ? 'email' : 'phone';
        const m = f.methods.find((x) => x.kind === kind)!;
        return choose(t, f, m.id, kind === 'email' ? contact : e164.slice(-4));
      }),
    );
    // Every answer is the same "enter the code": nothing tells which ones were sent.
    expect(tally(answers)).toEqual({ '200 ok': 120 });
    expect(await mailsTo(t, contact, RESET_CODE)).toHaveLength(1);
    expect((await smsTo(t, e164)).length - smsBefore).toBe(1);
  });
  it('two instances on one database: 60 concurrent chooses through both send exactly 1 email', async () => {
    const owner = await account(t);
    const contact = freshEmail('shared');
    await addContact(t, owner.token, owner.ip, contact);
    t.clock.advance(61 * SECOND);
    const [{ db }] = (await t.app.deps.db.query<{ db: string }>('SELECT current_database() AS db')) as [
      { db: string },
    ];
    const u = new URL(PG_ADMIN_URL);
    u.pathname = `/${db}`;
    const secondDb = await openPostgres(u.toString());
    const second = await createApp(t.app.deps.config, { db: secondDb, clock: t.clock, manualDispatch: true });
    try {
      const other: TestApp = { ...t, app: second };
      const flows = await resetFlows(t, owner.email, 60);
      const answers = await Promise.all(
        flows.map((f, i) =>
          choose(i % 2 ? other : t, f, f.methods.find((m) => m.kind === 'email')!.id, contact),
        ),
      );
      expect(tally(answers)).toEqual({ '200 ok': 60 });
      expect(await mailsTo(t, contact, RESET_CODE)).toHaveLength(1);
    } finally {
      await second.close();
      await secondDb.close();
    }
  });
});

describe('send caps on PostgreSQL: the daily cap (CODE_PER_DESTINATION_PER_DAY=3, no wait)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      store: 'postgres',
      env: { CODE_PER_DESTINATION_PER_DAY: '3', CODE_RESEND_SECONDS: '0' },
    });
  });
  afterAll(() => t.close());

  it('60 concurrent reset chooses cannot send one address more than 3 codes in 24 h', async () => {
    const owner = await account(t);
    const contact = freshEmail('capped');
    await addContact(t, owner.token, owner.ip, contact); // code 1 of 3
    const flows = await resetFlows(t, owner.email, 60);
    const answers = await Promise.all(
      flows.map((f) => choose(t, f, f.methods.find((m) => m.kind === 'email')!.id, contact)),
    );
    expect(tally(answers)).toEqual({ '200 ok': 60 });
    // The contact received its verification code and 2 reset codes (and a notice, which is no code).
    expect(await mailsTo(t, contact, /連絡用メールアドレスの確認|パスワード再設定のコード/)).toHaveLength(3);
    expect(await mailsTo(t, contact, RESET_CODE)).toHaveLength(2);
  });
});

describe('SMS per-country cap on PostgreSQL (SMS_PER_COUNTRY_PER_HOUR=5): every SMS counts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres', env: { SMS_PER_COUNTRY_PER_HOUR: '5' } });
  });
  afterAll(() => t.close());

  it('at most 5 SMS to +81 in an hour of each kind (anyone could ask / to an owner after the password), across adding phones, reset, sign-in and step-up; refused adds use none', async () => {
    // Eight accounts with a verified Japanese mobile, set up over two hours (5 SMS an hour).
    const owners: { email: string; token: string; ip: string; phoneId: string; e164: string }[] = [];
    for (let i = 0; i < 8; i++) {
      if (i === 5) t.clock.advance(HOUR + SECOND);
      const a = await account(t);
      const p = await addPhone(t, a.token, a.ip, 'JP', `090-2345-67${String(i).padStart(2, '0')}`);
      owners.push({ ...a, phoneId: p.methodId, e164: p.e164 });
    }
    t.clock.advance(HOUR + SECOND);
    for (const o of owners) {
      // A step-up rotates the session token: the answer carries the new one.
      const r = await call(t, 'POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, o);
      expect(r.status).toBe(200);
      o.token = r.body.sessionToken as string;
    }
    const before = (await smsTo(t, '+81')).length;

    // Refused additions (the number is already there) take nothing from the cap.
    const first = owners[0]!;
    const refused = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(
          t,
          'POST',
          '/api/v1/methods/phones',
          { country: 'JP', number: '090-2345-6700' },
          {
            ip: first.ip,
            token: first.token,
          },
        ),
      ),
    );
    expect(tally(refused)).toEqual({ '409 contact.already_added': 20 });

    // Everything at once: step-up codes, reset codes, unusual sign-in codes, and new numbers.
    const flows = await Promise.all(owners.map((o) => resetFlows(t, o.email, 3)));
    const work: Promise<unknown>[] = [];
    owners.forEach((o, i) => {
      work.push(
        call(t, 'POST', '/api/v1/reauth/code', { methodId: o.phoneId }, { ip: o.ip, token: o.token }),
      );
      for (const f of flows[i]!) {
        const m = f.methods.find((x) => x.kind === 'phone')!;
        work.push(choose(t, f, m.id, o.e164.slice(-4)));
      }
      work.push(
        (async () => {
          const ip = ipv4();
          const s = await call(
            t,
            'POST',
            '/api/v1/sessions',
            { email: o.email, password: GOOD_PASSWORD },
            { ip, headers: { 'user-agent': `Mozilla/5.0 (Macintosh) NewBrowser/${i}` } },
          );
          const pending = (s.body.secondFactor as { pendingToken: string }).pendingToken;
          return call(
            t,
            'POST',
            '/api/v1/sessions/second-factor/send',
            { pendingToken: pending, methodId: o.phoneId },
            { ip },
          );
        })(),
      );
      work.push(
        call(
          t,
          'POST',
          '/api/v1/methods/phones',
          { country: 'JP', number: `080-3456-78${String(i).padStart(2, '0')}` },
          {
            ip: o.ip,
            token: o.token,
          },
        ),
      );
    });
    await Promise.all(work);
    await t.drain();
    // Two caps of 5: codes anyone can ask for (reset, new numbers) and codes to an owner's own phone after
    // the password or in a session (step-up, sign-in): 5 each.
    expect((await smsTo(t, '+81')).length - before).toBe(10);
  });

  it('a stranger who spends the country cap on resets and new numbers does not stop owners getting their sign-in codes', async () => {
    t.clock.advance(HOUR + SECOND);
    const owner = await account(t);
    const phone = await addPhone(t, owner.token, owner.ip, 'JP', '090-2345-6799');
    // Wait an hour: the owner's own phone was added with a code anyone could have asked for.
    t.clock.advance(HOUR + SECOND);
    // The stranger knows the address only: 120 reset codes and new numbers to +81 at once, from many places.
    const flows = await resetFlows(t, owner.email, 40);
    const stranger = await account(t);
    const spent = await Promise.all([
      ...flows.map((f) => choose(t, f, f.methods.find((m) => m.kind === 'phone')!.id, '6799')),
      ...Array.from({ length: 80 }, (_, i) =>
        call(
          t,
          'POST',
          '/api/v1/methods/phones',
          { country: 'JP', number: `070-1234-${String(1000 + i)}` },
          stranger,
        ),
      ),
    ]);
    expect(spent.some((r) => r.body.error?.code === 'phone.country_limit')).toBe(true);
    await t.drain();
    const before = (await smsTo(t, '+81')).length;
    // The owner signs in from a new browser: the code to their own phone still goes out.
    const ip = ipv4();
    const s = await call(
      t,
      'POST',
      '/api/v1/sessions',
      { email: owner.email, password: GOOD_PASSWORD },
      { ip, headers: { 'user-agent': 'Mozilla/5.0 (Macintosh) AnotherBrowser/1' } },
    );
    const pending = (s.body.secondFactor as { pendingToken: string }).pendingToken;
    const sent = await call(
      t,
      'POST',
      '/api/v1/sessions/second-factor/send',
      { pendingToken: pending, methodId: phone.methodId },
      { ip },
    );
    expect(sent.status).toBe(200);
    await t.drain();
    expect((await smsTo(t, '+81')).length - before).toBe(1);
  });
});

describe('other caps on PostgreSQL: security info per account, recovery-form submissions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  it('40 concurrent additions (authenticator apps and emails) to an account with 9 methods leave at most 10', async () => {
    const a = await account(t);
    for (let i = 0; i < 9; i++) {
      const r = await call(t, 'POST', '/api/v1/methods/emails', { email: freshEmail('m') }, a);
      expect(r.status).toBe(202);
    }
    const adds = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2
          ? call(t, 'POST', '/api/v1/methods/totp', { label: `app ${i}` }, a)
          : call(t, 'POST', '/api/v1/methods/emails', { email: freshEmail('m') }, a),
      ),
    );
    expect(adds.filter((r) => r.status === 202).length).toBeGreaterThanOrEqual(1);
    const [{ n }] = (await t.app.deps.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM security_methods m JOIN accounts a ON a.id = m.account_id WHERE a.email = $1',
      [a.email],
    )) as [{ n: number }];
    expect(n).toBeLessThanOrEqual(10);
  });

  it(`${ACCOUNT_SUBMISSIONS_PER_DAY + 4} concurrent recovery-form submissions for one account: exactly ${ACCOUNT_SUBMISSIONS_PER_DAY} are accepted in 24 h`, async () => {
    const target = await account(t);
    const drafts = [];
    for (let i = 0; i < ACCOUNT_SUBMISSIONS_PER_DAY + 4; i++) {
      const ip = ipv4();
      const pow = await solvedPow(t, ip);
      const contactEmail = freshEmail('rf');
      const s = await call(
        t,
        'POST',
        '/api/v1/recovery-form',
        { account: target.email, contactEmail, pow },
        { ip },
      );
      expect(s.status, JSON.stringify(s.body)).toBe(202);
      const code = await t.mailedCode(contactEmail);
      const v = await call(
        t,
        'POST',
        '/api/v1/recovery-form/verify',
        { flowToken: s.body.flowToken, code },
        { ip },
      );
      expect(v.status).toBe(204);
      drafts.push({ ip, flowToken: s.body.flowToken as string });
    }
    const answers = await Promise.all(
      drafts.map((d) =>
        call(
          t,
          'POST',
          '/api/v1/recovery-form/submit',
          { flowToken: d.flowToken, evidence: { displayName: '山田 太郎' } },
          { ip: d.ip },
        ),
      ),
    );
    expect(tally(answers)).toEqual({
      '202 ok': ACCOUNT_SUBMISSIONS_PER_DAY,
      '429 recovery_form.limit': 4,
    });
  });
});
