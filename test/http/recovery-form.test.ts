import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/accounts/password-hasher.ts';
import { orderNumberProvider, setEvidenceProviders } from '../../src/recovery-form/evidence-providers.ts';
import { ACCOUNT_SUBMISSIONS_PER_DAY } from '../../src/recovery-form/form-service.ts';
import { type PowChallenge, solvePow } from '../../src/recovery-form/pow.ts';
import {
  createTestApp,
  GOOD_PASSWORD,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';
import { enrolledOperator } from '../support/operator.ts';

const HOUR = 3600_000;
const OLD_PASSWORD_1 = 'an old passphrase from 2024';
const OLD_PASSWORD_2 = 'my even older passphrase 2023';
const ANDROID =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';
const NEW_PASSWORD = 'a brand new recovered passphrase 9';
const OPERATOR_PASSWORD = 'operator passphrase 1234';
const ORDERS: Record<string, string[]> = {};

const SUBJECT = {
  code: 'アカウント回復の連絡先の確認',
  received: 'アカウント回復の申請を受け付けました',
  approved: 'アカウント回復の申請が承認されました',
  denied: 'アカウント回復の申請を確認できませんでした',
  alert: '【重要】あなたのアカウントの回復申請が承認されました',
};

describe('account recovery form (HTTP)', () => {
  let t: TestApp;
  let operatorToken: string;
  beforeAll(async () => {
    t = await createTestApp();
    setEvidenceProviders([orderNumberProvider((id) => ORDERS[id] ?? [])]);
    operatorToken = (await enrolledOperator(t, { name: 'reviewer.one', password: OPERATOR_PASSWORD })).token;
  });
  afterAll(() => t.close());

  async function pow(): Promise<Record<string, unknown>> {
    const c = (await t.api('GET', '/api/v1/recovery-form/pow')).body as unknown as PowChallenge;
    expect(c.algorithm).toBe('SHA-256');
    expect(c.maxnumber).toBe(50_000);
    const number = solvePow(c);
    expect(number).not.toBeNull();
    return { algorithm: c.algorithm, challenge: c.challenge, number, salt: c.salt, signature: c.signature };
  }

  const start = async (account: string, contactEmail: string) =>
    t.api('POST', '/api/v1/recovery-form', { account, contactEmail, pow: await pow() });

  /** Starts a request and verifies the contact; returns the flow token. */
  async function verifiedRequest(account: string, contact = uniqueEmail('helper')): Promise<string> {
    const s = await start(account, contact);
    expect(s.status, JSON.stringify(s.body)).toBe(202);
    const code = await t.mailedCode(contact);
    const v = await t.api('POST', '/api/v1/recovery-form/verify', { flowToken: s.body.flowToken, code });
    expect(v.status, JSON.stringify(v.body)).toBe(204);
    return s.body.flowToken as string;
  }

  const submit = (flowToken: string, evidence: Record<string, unknown>) =>
    t.api('POST', '/api/v1/recovery-form/submit', { flowToken, evidence });

  const lastMail = async (to: string) => {
    await t.drain();
    return t.sink.to(to).at(-1);
  };
  const linkIn = (text: string) => /\/recovery-form\/reset\/([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';

  /** An account with a verified contact email, two earlier passwords and sign-ins from Japan on an iPhone. */
  async function owner() {
    const a = await signedUpAccount(t, { displayName: '佐藤 花子' });
    const contact = uniqueEmail('old-contact');
    await verifiedEmail(t, a.token, contact);
    const id = (
      await t.app.deps.db.query<{ id: string }>('SELECT id FROM accounts WHERE email = $1', [a.email])
    )[0]!.id;
    const now = t.clock.now();
    for (const [pw, daysAgo] of [
      [OLD_PASSWORD_2, 400],
      [OLD_PASSWORD_1, 200],
    ] as const)
      await t.app.deps.db.query(
        'INSERT INTO password_history (account_id, password_hash, created_at) VALUES ($1, $2, $3)',
        [id, await hashPassword(pw), new Date(now.getTime() - daysAgo * 24 * HOUR)],
      );
    await t.app.deps.db.query(
      `INSERT INTO activity (id, account_id, kind, created_at, ip, user_agent, detail, country, device_key)
       VALUES ($1, $2, 'signin.success', $3, '203.0.113.9', 'iPhone', '{}', 'JP', 'mobile safari|ios|mobile')`,
      [`act_test_${id}`, id, new Date(now.getTime() - 30 * 24 * HOUR)],
    );
    await t.drain();
    return { ...a, id, contact };
  }

  it('answers an account owner with strong evidence with a one-time link that works once', async () => {
    const o = await owner();
    const helper = uniqueEmail('helper');
    const flow = await verifiedRequest(o.email, helper);
    const st = await t.api('POST', '/api/v1/recovery-form/state', { flowToken: flow });
    expect(st.body.step).toBe('evidence');
    expect(st.body.providers).toEqual([
      { name: 'order_number', label: { ja: '最近のご注文番号', en: 'A recent order number' } },
    ]);
    const r = await submit(flow, {
      displayName: '佐藤花子',
      passwords: [OLD_PASSWORD_1, 'not it at all', OLD_PASSWORD_2],
      countries: ['JP'],
      devices: ['ios'],
      emails: [o.contact],
    });
    expect(r.status).toBe(202);
    expect(r.body.dueAt).toBe(new Date(t.clock.now().getTime() + 24 * HOUR).toISOString());

    const row = (
      await t.app.deps.db.query<{ status: string; score: number; evidence: Record<string, unknown> }>(
        'SELECT status, score, evidence FROM recovery_requests WHERE account_key = $1',
        [o.email.toLowerCase()],
      )
    )[0]!;
    expect(row.status).toBe('approved');
    expect(row.score).toBeGreaterThanOrEqual(75);
    // Only match results are kept: nothing typed as a password is stored.
    const stored = JSON.stringify(row.evidence);
    expect(stored).not.toContain(OLD_PASSWORD_1);
    expect(stored).not.toContain('not it at all');
    expect(row.evidence.passwords).toEqual([true, false, true]);

    const mail = await lastMail(helper);
    expect(mail?.subject).toBe(SUBJECT.approved);
    const link = linkIn(mail!.text);
    expect(link).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The old contacts are told at once, with "this wasn't me" → /forgot.
    const alert = t.sink.to(o.contact).find((m) => m.subject === SUBJECT.alert);
    expect(alert?.text).toContain('http://mamori.test/forgot');
    expect(t.sink.to(o.email).some((m) => m.subject === SUBJECT.alert)).toBe(true);

    const state = await t.api('POST', '/api/v1/recovery-form/reset/state', { token: link });
    expect(state.status).toBe(200);
    expect(state.body.contactEmail).toBe(helper);
    // Done on a device the account never signed in with (the owner lost the old one).
    const newDevice = { 'user-agent': ANDROID };
    const done = await t.api(
      'POST',
      '/api/v1/recovery-form/reset',
      { token: link, password: NEW_PASSWORD },
      undefined,
      newDevice,
    );
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.replacement).toBe('started');
    expect(done.body.trustedDeviceToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const pending = await t.app.deps.db.query<{ source: string; value: string }>(
      `SELECT r.source, i.value FROM replacements r JOIN replacement_items i ON i.replacement_id = r.id
       WHERE r.account_id = $1 AND r.status = 'pending'`,
      [o.id],
    );
    expect(pending).toEqual([{ source: 'recovery_form', value: helper }]);
    const again = await t.api('POST', '/api/v1/recovery-form/reset', {
      token: link,
      password: `${NEW_PASSWORD}x`,
    });
    expect(again.status).toBe(404);
    expect(again.body.error?.code).toBe('recovery_form.not_found');
    // The old session ended; the new password signs in.
    expect((await t.api('GET', '/api/v1/me', undefined, o.token)).status).toBe(401);
    // That device is trusted: signing in there asks for no code to the contact the owner just said is lost.
    const signIn = await t.api(
      'POST',
      '/api/v1/sessions',
      { email: o.email, password: NEW_PASSWORD, trustedDeviceToken: done.body.trustedDeviceToken },
      undefined,
      newDevice,
    );
    expect(signIn.status, JSON.stringify(signIn.body)).toBe(200);
    expect(signIn.body.sessionToken).toBeTruthy();
    // Another new device is still checked as usual.
    const elsewhere = await t.api(
      'POST',
      '/api/v1/sessions',
      { email: o.email, password: NEW_PASSWORD },
      undefined,
      { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0' },
    );
    expect(elsewhere.status).toBe(202);
  });

  it('denies an attacker who knows only the address and guesses the name', async () => {
    const o = await owner();
    for (const name of ['山田 太郎', '佐藤 花子']) {
      t.clock.advance(61_000);
      const attacker = uniqueEmail('attacker');
      const flow = await verifiedRequest(o.email, attacker);
      expect(
        (await submit(flow, { displayName: name, countries: ['JP'], devices: ['windows'] })).status,
      ).toBe(202);
      const mail = await lastMail(attacker);
      expect(mail?.subject).toBe(SUBJECT.denied);
      expect(mail?.text).toContain('パスワード');
      expect(linkIn(mail!.text)).toBe('');
    }
    expect(t.sink.to(o.contact).some((m) => m.subject === SUBJECT.alert)).toBe(false);
  });

  it('queues a middle score for a reviewer, who approves (link works once) or denies (email)', async () => {
    const o = await owner();
    ORDERS[o.id] = ['A-1001'];
    const helper = uniqueEmail('helper');
    const flow = await verifiedRequest(o.email, helper);
    expect(
      (await submit(flow, { displayName: '佐藤 花子', passwords: [OLD_PASSWORD_1], countries: ['JP'] }))
        .status,
    ).toBe(202);
    expect((await lastMail(helper))?.subject).toBe(SUBJECT.received);
    const queue = await t.api('GET', '/api/v1/operator/requests', undefined, operatorToken);
    const item = (
      queue.body.requests as { id: string; maskedAccount: string; dueAt: string; score: number }[]
    ).find((r) => r.maskedAccount === `${o.email.slice(0, 2)}*****@example.com` && r.dueAt)!;
    expect(item.score).toBeGreaterThanOrEqual(35);
    expect(item.score).toBeLessThan(75);
    const detail = await t.api('GET', `/api/v1/operator/requests/${item.id}`, undefined, operatorToken);
    expect(JSON.stringify(detail.body)).not.toContain(OLD_PASSWORD_1);
    expect((detail.body.evidence as { passwords: boolean[] }).passwords).toEqual([true]);

    const noReason = await t.api(
      'POST',
      `/api/v1/operator/requests/${item.id}/decision`,
      { decision: 'approve', reason: '' },
      operatorToken,
    );
    expect(noReason.status).toBe(400);
    const ok = await t.api(
      'POST',
      `/api/v1/operator/requests/${item.id}/decision`,
      { decision: 'approve', reason: 'old password and name match' },
      operatorToken,
    );
    expect(ok.status).toBe(204);
    const twice = await t.api(
      'POST',
      `/api/v1/operator/requests/${item.id}/decision`,
      { decision: 'deny', reason: 'changed my mind' },
      operatorToken,
    );
    expect(twice.status).toBe(404);
    const link = linkIn((await lastMail(helper))!.text);
    expect(
      (await t.api('POST', '/api/v1/recovery-form/reset', { token: link, password: NEW_PASSWORD })).status,
    ).toBe(200);
    expect(
      (await t.api('POST', '/api/v1/recovery-form/reset', { token: link, password: NEW_PASSWORD })).status,
    ).toBe(404);

    // A second request for another account: the reviewer denies it; the denial goes to the contact.
    const o2 = await owner();
    const helper2 = uniqueEmail('helper');
    const flow2 = await verifiedRequest(o2.email, helper2);
    await submit(flow2, { displayName: '佐藤 花子', passwords: [OLD_PASSWORD_1] });
    const q2 = await t.api('GET', '/api/v1/operator/requests', undefined, operatorToken);
    const id2 = (q2.body.requests as { id: string; maskedAccount: string }[]).find(
      (r) => r.maskedAccount === `${o2.email.slice(0, 2)}*****@example.com`,
    )!.id;
    expect(
      (
        await t.api(
          'POST',
          `/api/v1/operator/requests/${id2}/decision`,
          { decision: 'deny', reason: 'asked the owner by phone: not them' },
          operatorToken,
        )
      ).status,
    ).toBe(204);
    await t.drain();
    // Messages of one delivery round arrive in any order: look for the denial among them.
    expect(t.sink.to(helper2).map((m) => m.subject)).toEqual(
      expect.arrayContaining([SUBJECT.received, SUBJECT.denied]),
    );
    const audit = await t.api('GET', '/api/v1/operator/audit', undefined, operatorToken);
    const actions = (
      audit.body.entries as { action: string; target: string; detail: Record<string, string> }[]
    ).map((e) => `${e.action}:${e.target}:${e.detail.reason ?? ''}`);
    expect(actions).toContain(`request.approve:${item.id}:old password and name match`);
    expect(actions).toContain(`request.deny:${id2}:asked the owner by phone: not them`);
  });

  it('counts a fact from the host application (order number)', async () => {
    const o = await owner();
    ORDERS[o.id] = ['A-2002', 'B-77'];
    const helper = uniqueEmail('helper');
    const flow = await verifiedRequest(o.email, helper);
    await submit(flow, {
      displayName: '佐藤 花子',
      passwords: [OLD_PASSWORD_2],
      providers: { order_number: 'b 77' },
      emails: [o.contact],
    });
    expect((await lastMail(helper))?.subject).toBe(SUBJECT.approved);
  });

  it('answers a two-step account like any other, denies it by email and tells its owner', async () => {
    const o = await owner();
    await t.app.deps.db.query('UPDATE accounts SET two_step_enabled = true WHERE id = $1', [o.id]);
    const helper = uniqueEmail('helper');
    const flow = await verifiedRequest(o.email, helper);
    const r = await submit(flow, {
      displayName: '佐藤 花子',
      passwords: [OLD_PASSWORD_1],
      emails: [o.contact],
    });
    expect(r.status).toBe(202);
    expect(Object.keys(r.body).sort()).toEqual(['dueAt', 'maskedContact']);
    const denial = await lastMail(helper);
    expect(denial?.subject).toBe(SUBJECT.denied);
    expect(denial?.text).toContain('回復コード');
    expect(denial?.text).not.toMatch(/\/recovery-form\/reset\//);
    for (const to of [o.email, o.contact]) {
      const told = t.sink.to(to).at(-1);
      expect(told?.subject, to).toBe('あなたのアカウントでアカウント回復フォームが使われました');
      expect(told?.text).toContain(helper.slice(0, 2));
    }
  });

  it('answers the same for an account that does not exist, and denies it by email later', async () => {
    const o = await owner();
    const ghost = uniqueEmail('nobody');
    const [h1, h2] = [uniqueEmail('helper'), uniqueEmail('helper')];
    const real = await start(o.email, h1);
    const fake = await start(ghost, h2);
    expect(fake.status).toBe(real.status);
    expect(Object.keys(fake.body).sort()).toEqual(Object.keys(real.body).sort());
    await t.drain();
    expect(t.sink.to(h2).at(-1)?.subject).toBe(SUBJECT.code);
    const code = await t.mailedCode(h2);
    expect(
      (await t.api('POST', '/api/v1/recovery-form/verify', { flowToken: fake.body.flowToken, code })).status,
    ).toBe(204);
    const st = await t.api('POST', '/api/v1/recovery-form/state', { flowToken: fake.body.flowToken });
    expect(st.body.step).toBe('evidence');
    const r = await submit(fake.body.flowToken as string, {
      displayName: '佐藤 花子',
      passwords: [GOOD_PASSWORD],
    });
    expect(r.status).toBe(202);
    expect(Object.keys(r.body).sort()).toEqual(['dueAt', 'maskedContact']);
    expect((await lastMail(h2))?.subject).toBe(SUBJECT.denied);
  });

  // Per account, a ceiling well above the per-contact cap (2 a day per mailbox), so that two strangers'
  // requests do not close the owner's own (test/attack/probe-budgets.test.ts).
  it(`takes at most ${ACCOUNT_SUBMISSIONS_PER_DAY} requests per account a day`, async () => {
    const o = await owner();
    // These tests share one source network (20 recovery-form starts an hour): start each part afresh.
    t.clock.advance(HOUR + 61_000);
    for (let i = 0; i < ACCOUNT_SUBMISSIONS_PER_DAY; i++) {
      t.clock.advance(61_000);
      const flow = await verifiedRequest(o.email);
      expect((await submit(flow, { displayName: 'x' })).status).toBe(202);
    }
    t.clock.advance(61_000);
    const third = await start(o.email, uniqueEmail('helper'));
    expect(third.status).toBe(429);
    expect(third.body.error?.code).toBe('recovery_form.limit');
    // The same limit for an address without an account (no difference to see).
    const ghost = uniqueEmail('nobody');
    t.clock.advance(HOUR + 61_000);
    for (let i = 0; i < ACCOUNT_SUBMISSIONS_PER_DAY; i++) {
      t.clock.advance(61_000);
      expect((await submit(await verifiedRequest(ghost), {})).status).toBe(202);
    }
    expect((await start(ghost, uniqueEmail('helper'))).body.error?.code).toBe('recovery_form.limit');
    t.clock.advance(24 * HOUR);
    expect((await start(o.email, uniqueEmail('helper'))).status).toBe(202);
    t.clock.advance(HOUR + 61_000);
  });

  it('checks the proof of work: right number, signature, expiry, single use', async () => {
    const o = await owner();
    const good = await pow();
    const wrong = { ...good, number: ((good.number as number) + 1) % 50_001 };
    const badSig = { ...good, signature: 'a'.repeat(64) };
    for (const p of [wrong, badSig]) {
      const r = await t.api('POST', '/api/v1/recovery-form', {
        account: o.email,
        contactEmail: uniqueEmail('h'),
        pow: p,
      });
      expect(r.status).toBe(400);
      expect(r.body.error?.code).toBe('recovery_form.pow_invalid');
    }
    expect(
      (
        await t.api('POST', '/api/v1/recovery-form', {
          account: o.email,
          contactEmail: uniqueEmail('h'),
          pow: good,
        })
      ).status,
    ).toBe(202);
    const replay = await t.api('POST', '/api/v1/recovery-form', {
      account: o.email,
      contactEmail: uniqueEmail('h'),
      pow: good,
    });
    expect(replay.body.error?.code).toBe('recovery_form.pow_invalid');
    const late = await pow();
    t.clock.advance(21 * 60_000);
    const expired = await t.api('POST', '/api/v1/recovery-form', {
      account: o.email,
      contactEmail: uniqueEmail('h'),
      pow: late,
    });
    expect(expired.body.error?.code).toBe('recovery_form.pow_invalid');
    const missing = await t.api('POST', '/api/v1/recovery-form', {
      account: o.email,
      contactEmail: uniqueEmail('h'),
    });
    expect(missing.status).toBe(400);
  });

  it('wants a contact address other than the account, verified by code', async () => {
    const o = await owner();
    const same = await start(o.email.toUpperCase(), o.email);
    expect(same.status).toBe(400);
    expect(same.body.error?.code).toBe('recovery_form.invalid');
    const helper = uniqueEmail('helper');
    const s = await start(o.email, helper);
    const early = await submit(s.body.flowToken as string, { displayName: '佐藤 花子' });
    expect(early.body.error?.code).toBe('recovery_form.not_found');
    const wrong = await t.api('POST', '/api/v1/recovery-form/verify', {
      flowToken: s.body.flowToken,
      code: '000000',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error?.code).toMatch(/^code\./);
  });
});
