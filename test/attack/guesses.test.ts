import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/kernel/crypto.ts';
import { createTestApp, GOOD_PASSWORD, type TestApp } from '../support/harness.ts';
import { oathtoolCode } from '../support/oathtool.ts';
import {
  account,
  addContact,
  call,
  eventually,
  freshEmail,
  ipv4,
  latestCode,
  mailsTo,
  REDIS_URL,
  tally,
} from './support.ts';

/**
 * Budgets of wrong codes under concurrency, on PostgreSQL, with the SQL limiter and with the Redis limiter:
 * every guess takes its budgets before the code is checked, and strangers cannot spend the owner's.
 */
const SECOND = 1000;
const NEW_PASSWORD = 'a completely new passphrase 77';
const RESET_ALERT = /パスワードの再設定が試みられています/;
const CODE_ALERT = /アカウントで間違ったコードが入力されました/;
const SIGNUP_NOTICE = /お使いのアドレスでアカウントの作成が試みられました/;

/** `n` distinct 6-digit codes none of which is in `avoid`. */
function wrongCodes(n: number, avoid: string[] = []): string[] {
  const out: string[] = [];
  for (let i = 100_000; out.length < n; i += 7919) {
    const c = String(i % 1_000_000).padStart(6, '0');
    if (!avoid.includes(c) && !out.includes(c)) out.push(c);
  }
  return out;
}

describe.each([
  { limiter: 'SQL limiter', env: {} as Record<string, string> },
  { limiter: 'Redis limiter', env: { REDIS_URL } as Record<string, string> },
])('wrong-code budgets on PostgreSQL, $limiter', ({ env }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres', env });
  });
  afterAll(() => t.close());

  /** An account with a verified contact email and a verified authenticator app, two-step on. */
  async function twoStepOwner() {
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
    const on = await call(t, 'PUT', '/api/v1/two-step', { enabled: true }, { ip: a.ip, token: a.token });
    expect(on.status).toBe(204);
    t.clock.advance(31 * SECOND); // the next authenticator code is a new one
    return { ...a, contact, key, totpId };
  }

  const validTotp = (key: string) =>
    [-30, 0, 30].map((s) => oathtoolCode(key, new Date(t.clock.now().getTime() + s * SECOND)));

  it('200 concurrent wrong authenticator codes after the right password: exactly 10 are checked; the owner is told once', async () => {
    const o = await twoStepOwner();
    const s = await call(
      t,
      'POST',
      '/api/v1/sessions',
      { email: o.email, password: GOOD_PASSWORD },
      { ip: o.ip },
    );
    const pendingToken = (s.body.secondFactor as { pendingToken: string }).pendingToken;
    const answers = await Promise.all(
      wrongCodes(200, validTotp(o.key)).map((code) =>
        call(
          t,
          'POST',
          '/api/v1/sessions/second-factor',
          { pendingToken, methodId: o.totpId, code },
          { ip: o.ip },
        ),
      ),
    );
    expect(tally(answers)).toEqual({ '400 code.invalid': 10, '429 code.too_many_attempts': 190 });
    expect(
      await eventually(t, async () => (await mailsTo(t, o.contact, CODE_ALERT)).length > 0),
      'the owner is told',
    ).toBe(true);
    for (const to of [o.email, o.contact]) expect(await mailsTo(t, to, CODE_ALERT)).toHaveLength(1);
    const mail = (await mailsTo(t, o.email, CODE_ALERT))[0]!;
    expect(mail.text).toContain('10回');
    expect(mail.text).toContain('パスワードを変更');
  });

  it('200 concurrent wrong reset codes from one network over 100 flows: exactly 30 are checked', async () => {
    const a = await account(t);
    const contact = freshEmail('contact');
    await addContact(t, a.token, a.ip, contact);
    const flows = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const ip = ipv4();
        const r = await call(t, 'POST', '/api/v1/password-reset', { email: a.email }, { ip });
        const flowToken = r.body.flowToken as string;
        const st = await call(t, 'POST', '/api/v1/password-reset/state', { flowToken }, { ip });
        const m = (st.body.methods as { id: string }[])[0]!;
        // A wrong confirmation: nothing is sent, the next step looks the same.
        const c = await call(
          t,
          'POST',
          '/api/v1/password-reset/choose',
          { flowToken, methodId: m.id, confirm: 'someone-else@example.com' },
          { ip },
        );
        expect(c.status).toBe(200);
        return flowToken;
      }),
    );
    const attacker = ipv4();
    const codes = wrongCodes(200);
    const answers = await Promise.all(
      codes.map((code, i) =>
        call(
          t,
          'POST',
          '/api/v1/password-reset/verify',
          { flowToken: flows[i % 100], code },
          { ip: attacker },
        ),
      ),
    );
    // Two guesses per flow stay under each code's own 5 tries: every refusal is the network's budget.
    expect(tally(answers)).toEqual({ '400 code.wrong': 30, '429 code.too_many_attempts': 170 });
    const [{ checked }] = (await t.app.deps.db.query<{ checked: number }>(
      `SELECT coalesce(sum(failures), 0)::int AS checked FROM challenges WHERE purpose = 'reset' AND subject = ANY($1)`,
      [flows.map((f) => sha256(f))],
    )) as [{ checked: number }];
    expect(checked).toBeLessThanOrEqual(30);
    // Another network still has its own budget.
    const other = await call(
      t,
      'POST',
      '/api/v1/password-reset/verify',
      { flowToken: flows[0], code: '000000' },
      { ip: ipv4() },
    );
    expect(other.body.error?.code).toBe('code.wrong');
  });

  it('strangers burning budgets cannot close the owner’s way in, and the owner is told', async () => {
    // N: an account without contacts. O: two-step with a contact email and an authenticator app.
    const n = await account(t);
    const o = await twoStepOwner();

    // 11 sign-ups with N's address, a minute apart, from 11 networks: with N's own first code, they use up
    // the 10 codes a day that sign-ups may send to an address.
    t.clock.advance(61 * SECOND);
    const signups = [];
    for (let i = 0; i < 11; i++) {
      signups.push(
        await call(
          t,
          'POST',
          '/api/v1/signup',
          { email: n.email, password: 'eve password 1234 xyz', displayName: 'Eve', locale: 'en' },
          { ip: ipv4() },
        ),
      );
      t.clock.advance(61 * SECOND);
    }
    expect(tally(signups)).toEqual({ '202 ok': 9, '429 code.daily_limit': 2 });

    // Password resets of O from 17 networks: 16 with a wrong confirmation (decoys), one with the right one
    // (a real code reaches O's contact address); 5 wrong codes each, all at once.
    const flows = await Promise.all(
      Array.from({ length: 17 }, async (_, i) => {
        const ip = ipv4();
        const r = await call(t, 'POST', '/api/v1/password-reset', { email: o.email }, { ip });
        const flowToken = r.body.flowToken as string;
        const st = await call(t, 'POST', '/api/v1/password-reset/state', { flowToken }, { ip });
        const m = (st.body.methods as { id: string; kind: string }[]).find((x) => x.kind === 'email')!;
        const confirm = i === 0 ? o.contact : `wrong${i}@example.com`;
        await call(
          t,
          'POST',
          '/api/v1/password-reset/choose',
          { flowToken, methodId: m.id, confirm },
          { ip },
        );
        return { ip, flowToken };
      }),
    );
    const realCode = latestCode((await mailsTo(t, o.contact, /パスワード再設定のコード/)).at(-1)!.text);
    const guesses = await Promise.all(
      flows.flatMap((f) =>
        wrongCodes(5, [realCode]).map((code) =>
          call(t, 'POST', '/api/v1/password-reset/verify', { flowToken: f.flowToken, code }, { ip: f.ip }),
        ),
      ),
    );
    expect(guesses.every((r) => r.status === 400 || r.status === 429)).toBe(true);

    // N signs in on a new device: the extra check's code reaches N's address and works.
    const device = { 'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15' };
    const ns = await call(
      t,
      'POST',
      '/api/v1/sessions',
      { email: n.email, password: GOOD_PASSWORD },
      { ip: n.ip, headers: device },
    );
    const pending = (ns.body.secondFactor as { pendingToken: string }).pendingToken;
    const sent = await call(
      t,
      'POST',
      '/api/v1/sessions/second-factor/send',
      { pendingToken: pending, methodId: 'primary' },
      { ip: n.ip, headers: device },
    );
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const nCode = latestCode((await mailsTo(t, n.email, /サインイン用の確認コード/)).at(-1)!.text);
    const nDone = await call(
      t,
      'POST',
      '/api/v1/sessions/second-factor',
      { pendingToken: pending, methodId: 'primary', code: nCode },
      { ip: n.ip, headers: device },
    );
    expect(nDone.status, JSON.stringify(nDone.body)).toBe(200);
    // N was told about the sign-ups once, not 11 times.
    expect(await mailsTo(t, n.email, SIGNUP_NOTICE)).toHaveLength(1);

    // O signs in with the password and the right authenticator code.
    const os = await call(
      t,
      'POST',
      '/api/v1/sessions',
      { email: o.email, password: GOOD_PASSWORD },
      { ip: o.ip },
    );
    const oPending = (os.body.secondFactor as { pendingToken: string }).pendingToken;
    const oDone = await call(
      t,
      'POST',
      '/api/v1/sessions/second-factor',
      { pendingToken: oPending, methodId: o.totpId, code: oathtoolCode(o.key, t.clock.now()) },
      { ip: o.ip },
    );
    expect(oDone.status, JSON.stringify(oDone.body)).toBe(200);

    // O resets the password: the right code to the contact address, then the authenticator.
    t.clock.advance(61 * SECOND);
    const r = await call(t, 'POST', '/api/v1/password-reset', { email: o.email }, { ip: o.ip });
    const flowToken = r.body.flowToken as string;
    const st = await call(t, 'POST', '/api/v1/password-reset/state', { flowToken }, { ip: o.ip });
    const em = (st.body.methods as { id: string; kind: string }[]).find((x) => x.kind === 'email')!;
    await call(
      t,
      'POST',
      '/api/v1/password-reset/choose',
      { flowToken, methodId: em.id, confirm: o.contact },
      { ip: o.ip },
    );
    const code = latestCode((await mailsTo(t, o.contact, /パスワード再設定のコード/)).at(-1)!.text);
    const v1 = await call(t, 'POST', '/api/v1/password-reset/verify', { flowToken, code }, { ip: o.ip });
    expect(v1.status, JSON.stringify(v1.body)).toBe(204);
    await call(
      t,
      'POST',
      '/api/v1/password-reset/choose',
      { flowToken, methodId: o.totpId, confirm: '' },
      { ip: o.ip },
    );
    const v2 = await call(
      t,
      'POST',
      '/api/v1/password-reset/verify',
      { flowToken, code: oathtoolCode(o.key, t.clock.now()) },
      { ip: o.ip },
    );
    expect(v2.status, JSON.stringify(v2.body)).toBe(204);
    const done = await call(
      t,
      'POST',
      '/api/v1/password-reset/complete',
      { flowToken, password: NEW_PASSWORD },
      { ip: o.ip },
    );
    expect(done.status, JSON.stringify(done.body)).toBeLessThan(300);

    // O was told that someone is trying to reset the password, once, at every address.
    expect(await eventually(t, async () => (await mailsTo(t, o.contact, RESET_ALERT)).length > 0)).toBe(true);
    for (const to of [o.email, o.contact]) expect(await mailsTo(t, to, RESET_ALERT)).toHaveLength(1);
  });
});
