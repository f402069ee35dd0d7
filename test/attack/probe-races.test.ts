import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t as tr } from '../../src/i18n/index.ts';
import { DAY } from '../../src/kernel/clock.ts';
import { createTestApp, GOOD_PASSWORD, type TestApp } from '../support/harness.ts';
import { oathtoolCode } from '../support/oathtool.ts';
import { account, addContact, call, freshEmail, ipv4, secondInstance, solvedPow, tally } from './support.ts';

/**
 * Probes (outside tester): every single-use thing used 100 times at once, over two instances on one
 * PostgreSQL database. Exactly one use may win; wrong tries are counted before they are checked.
 */
const SECOND = 1000;
const OTHER_UA = { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0) stranger-device' };

describe('probe: single-use things under 100 concurrent uses, two instances (PostgreSQL)', () => {
  let t: TestApp;
  let b: TestApp;
  let closeB: () => Promise<void>;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
    const second = await secondInstance(t);
    b = { ...t, app: second.app };
    closeB = second.close;
  });
  afterAll(async () => {
    await closeB();
    await t.close();
  });

  /** Instance A for even i, instance B for odd i. */
  const on = (i: number) => (i % 2 ? b : t);
  const many = <T>(n: number, f: (i: number) => Promise<T>) =>
    Promise.all(Array.from({ length: n }, (_, i) => f(i)));

  async function owner() {
    const a = await account(t);
    const contact = freshEmail('contact');
    const methodId = await addContact(t, a.token, a.ip, contact);
    await t.drain();
    t.clock.advance(61 * SECOND);
    const stepped = await call(t, 'POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, a);
    expect(stepped.status).toBe(200);
    return { ...a, token: stepped.body.sessionToken as string, contact, methodId };
  }

  const methods = async (a: { token: string; ip: string }) =>
    (await call(t, 'GET', '/api/v1/methods', undefined, a)).body.methods as Record<string, unknown>[];

  it('removing every method at once (50 requests each) leaves at least one verified method', async () => {
    const a = await owner();
    await addContact(t, a.token, a.ip, freshEmail('contact'));
    const stepped = await call(t, 'POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, a);
    const token = stepped.body.sessionToken as string;
    const before = await methods({ token, ip: a.ip });
    const ids = before.map((m) => m.id as string);
    const answers = await many(50 * ids.length, (i) =>
      call(on(i), 'DELETE', `/api/v1/methods/${ids[i % ids.length]}`, undefined, { ip: a.ip, token }),
    );
    expect(answers.filter((r) => r.status >= 500)).toHaveLength(0);
    const after = await methods({ token, ip: a.ip });
    expect(after.length).toBeGreaterThanOrEqual(1);
  });

  it('100 concurrent verifications of a contact with its right code: one wins, one notice', async () => {
    const a = await owner();
    const email = freshEmail('pending');
    const added = await call(t, 'POST', '/api/v1/methods/emails', { email }, a);
    expect(added.status).toBe(202);
    const code = await t.mailedCode(email);
    await t.drain();
    const before = t.sink.to(a.email).length;
    const answers = await many(100, (i) =>
      call(on(i), 'POST', `/api/v1/methods/${added.body.methodId}/verify`, { code }, a),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    await t.drain();
    expect(t.sink.to(a.email).length - before).toBe(1);
  });

  it('200 concurrent wrong codes for a pending contact: at most 5 are checked, none verifies', async () => {
    const a = await owner();
    const email = freshEmail('pending');
    const added = await call(t, 'POST', '/api/v1/methods/emails', { email }, a);
    const code = await t.mailedCode(email);
    const answers = await many(200, (i) =>
      call(
        on(i),
        'POST',
        `/api/v1/methods/${added.body.methodId}/verify`,
        { code: String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0') },
        a,
      ),
    );
    const tl = tally(answers);
    expect(answers.filter((r) => r.status === 200)).toHaveLength(0);
    expect(tl['400 code.wrong'] ?? 0).toBeGreaterThan(0);
    expect(tl['400 code.wrong'] ?? 0).toBeLessThanOrEqual(5);
  });

  it('100 concurrent sign-up confirmations with the right code: one session', async () => {
    const email = freshEmail('signup');
    const ip = ipv4();
    const r = await call(
      t,
      'POST',
      '/api/v1/signup',
      { email, password: GOOD_PASSWORD, displayName: '山田 太郎', locale: 'ja' },
      { ip },
    );
    const code = await t.mailedCode(email);
    const answers = await many(100, (i) =>
      call(on(i), 'POST', '/api/v1/signup/confirm', { signupToken: r.body.signupToken, code }, { ip }),
    );
    const won = answers.filter((x) => x.status === 200);
    expect(won).toHaveLength(1);
    const sessions = await call(t, 'GET', '/api/v1/sessions', undefined, {
      ip,
      token: won[0]!.body.sessionToken as string,
    });
    expect((sessions.body.sessions as unknown[]).length).toBe(1);
  });

  it('100 concurrent completions of one pending sign-in with its code (trust this device): one session, one device', async () => {
    const a = await owner();
    const s = await call(
      t,
      'POST',
      '/api/v1/sessions',
      { email: a.email, password: GOOD_PASSWORD },
      { ip: a.ip, headers: OTHER_UA },
    );
    expect(s.status).toBe(202);
    const pendingToken = (s.body.secondFactor as { pendingToken: string }).pendingToken;
    t.clock.advance(61 * SECOND);
    const sent = await call(
      t,
      'POST',
      '/api/v1/sessions/second-factor/send',
      { pendingToken, methodId: a.methodId },
      { ip: a.ip },
    );
    expect(sent.status).toBe(200);
    const code = await t.mailedCode(a.contact);
    const answers = await many(100, (i) =>
      call(
        on(i),
        'POST',
        '/api/v1/sessions/second-factor',
        { pendingToken, methodId: a.methodId, code, trustDevice: true },
        { ip: a.ip, headers: OTHER_UA },
      ),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    expect(answers.filter((r) => r.body.trustedDeviceToken).length).toBeLessThanOrEqual(1);
  });

  it('100 concurrent step-ups with one code: one new session token', async () => {
    const a = await owner();
    const sent = await call(t, 'POST', '/api/v1/reauth/code', { methodId: a.methodId }, a);
    expect(sent.status).toBe(200);
    const code = await t.mailedCode(a.contact);
    const answers = await many(100, (i) =>
      call(on(i), 'POST', '/api/v1/reauth/code/verify', { methodId: a.methodId, code }, a),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('200 concurrent wrong step-up codes: at most 5 are checked', async () => {
    const a = await owner();
    const sent = await call(t, 'POST', '/api/v1/reauth/code', { methodId: a.methodId }, a);
    expect(sent.status).toBe(200);
    const code = await t.mailedCode(a.contact);
    const answers = await many(200, (i) =>
      call(
        on(i),
        'POST',
        '/api/v1/reauth/code/verify',
        { methodId: a.methodId, code: String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0') },
        a,
      ),
    );
    const tl = tally(answers);
    expect(answers.filter((r) => r.status === 200)).toHaveLength(0);
    expect(tl['400 code.wrong'] ?? 0).toBeGreaterThan(0);
    expect(tl['400 code.wrong'] ?? 0).toBeLessThanOrEqual(5);
  });

  it('one recovery code in 100 concurrent reset flows: exactly one flow passes', async () => {
    const a = await owner();
    const made = await call(t, 'POST', '/api/v1/recovery-code', undefined, a);
    expect(made.status).toBe(200);
    const recoveryCode = made.body.recoveryCode as string;
    const flows = await many(100, async (i) => {
      const ip = ipv4();
      const r = await call(on(i), 'POST', '/api/v1/password-reset', { email: a.email }, { ip });
      return { ip, flowToken: r.body.flowToken as string };
    });
    const answers = await many(100, (i) =>
      call(
        on(i),
        'POST',
        '/api/v1/password-reset/recovery-code',
        { flowToken: flows[i]!.flowToken, recoveryCode },
        { ip: flows[i]!.ip },
      ),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('20 concurrent new recovery codes: at most one of them works', async () => {
    const a = await owner();
    const answers = await many(20, (i) => call(on(i), 'POST', '/api/v1/recovery-code', undefined, a));
    const codes = answers.filter((r) => r.status === 200).map((r) => r.body.recoveryCode as string);
    let working = 0;
    for (const recoveryCode of codes) {
      const ip = ipv4();
      const f = await call(t, 'POST', '/api/v1/password-reset', { email: a.email }, { ip });
      const r = await call(
        t,
        'POST',
        '/api/v1/password-reset/recovery-code',
        { flowToken: f.body.flowToken, recoveryCode },
        { ip },
      );
      if (r.status === 200) working++;
    }
    expect(working).toBeLessThanOrEqual(1);
  });

  it('one authenticator code in 100 concurrent completions of 10 pending sign-ins: accepted once', async () => {
    const a = await owner();
    const start = await call(t, 'POST', '/api/v1/methods/totp', { label: 'phone' }, a);
    const key = start.body.manualKey as string;
    const totpId = start.body.methodId as string;
    expect(
      (
        await call(
          t,
          'POST',
          `/api/v1/methods/totp/${totpId}/confirm`,
          { code: oathtoolCode(key, t.clock.now()) },
          a,
        )
      ).status,
    ).toBe(204);
    expect((await call(t, 'PUT', '/api/v1/two-step', { enabled: true }, a)).status).toBe(204);
    t.clock.advance(31 * SECOND);
    const pendings = await many(10, async () => {
      const s = await call(
        t,
        'POST',
        '/api/v1/sessions',
        { email: a.email, password: GOOD_PASSWORD },
        { ip: a.ip },
      );
      return (s.body.secondFactor as { pendingToken: string }).pendingToken;
    });
    const code = oathtoolCode(key, t.clock.now());
    const answers = await many(100, (i) =>
      call(
        on(i),
        'POST',
        '/api/v1/sessions/second-factor',
        { pendingToken: pendings[i % 10], methodId: totpId, code },
        { ip: a.ip },
      ),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('50 concurrent sign-ups of one new address over two instances: every answer is the same 202 or a wait, never 5xx', async () => {
    const email = freshEmail('same');
    const answers = await many(50, (i) =>
      call(
        on(i),
        'POST',
        '/api/v1/signup',
        { email, password: GOOD_PASSWORD, displayName: '山田', locale: 'ja' },
        { ip: ipv4() },
      ),
    );
    expect(answers.filter((r) => r.status >= 500)).toHaveLength(0);
    // At most one account exists for the address.
    const rows = await t.app.deps.db.query('SELECT id FROM accounts WHERE email = $1', [email]);
    expect(rows).toHaveLength(1);
  });

  /** An owner with a verified contact who started a replacement by a new address; the cancel link's token. */
  async function replacing() {
    const a = await owner();
    const newEmail = freshEmail('new');
    const added = await call(t, 'POST', '/api/v1/replacement/emails', { email: newEmail }, a);
    expect(added.status).toBe(202);
    const code = await t.mailedCode(newEmail);
    expect(
      (await call(t, 'POST', `/api/v1/replacement/items/${added.body.itemId}/verify`, { code }, a)).status,
    ).toBe(200);
    expect((await call(t, 'POST', '/api/v1/replacement/start', {}, a)).status).toBe(202);
    await t.drain();
    const mail = t.sink
      .to(a.contact)
      .filter((m) => m.subject === tr('ja', 'replacement.mail.started.subject'))
      .at(-1);
    const token = mail?.text.match(/\/replacement\/cancel\?token=([A-Za-z0-9_-]+)/)?.[1];
    expect(token).toBeTruthy();
    return { ...a, newEmail, cancelToken: token! };
  }

  const verifiedValues = async (email: string) =>
    (
      await t.app.deps.db.query<{ value: string }>(
        `SELECT m.value FROM security_methods m JOIN accounts a ON a.id = m.account_id
         WHERE a.email = $1 AND m.verified_at IS NOT NULL ORDER BY m.value`,
        [email],
      )
    ).map((m) => m.value);

  it('100 concurrent cancels by the mailed link: one cancels, the contact is told once', async () => {
    const a = await replacing();
    const answers = await many(100, (i) =>
      call(
        on(i),
        'POST',
        '/api/v1/replacement/link/cancel',
        { token: a.cancelToken, notMe: i % 4 === 0 },
        { ip: ipv4() },
      ),
    );
    expect(answers.filter((r) => r.status === 204)).toHaveLength(1);
    await t.drain();
    const cancelled = tr('ja', 'replacement.mail.cancelled.subject');
    expect(t.sink.to(a.contact).filter((m) => m.subject === cancelled)).toHaveLength(1);
  });

  it('cancels racing the end of the wait on both instances: either cancelled or applied, never both', async () => {
    const a = await replacing();
    t.clock.advance(31 * DAY);
    const [applied, answers] = await Promise.all([
      Promise.all([t.app.replacementScheduler.runOnce(), b.app.replacementScheduler.runOnce()]),
      many(60, (i) =>
        call(on(i), 'POST', '/api/v1/replacement/link/cancel', { token: a.cancelToken }, { ip: ipv4() }),
      ),
    ]);
    const cancelledOk = answers.filter((r) => r.status === 204).length;
    const values = await verifiedValues(a.email);
    const wasApplied = values.includes(a.newEmail);
    expect(applied[0] + applied[1]).toBeLessThanOrEqual(1);
    expect(cancelledOk).toBeLessThanOrEqual(1);
    expect(cancelledOk + (wasApplied ? 1 : 0)).toBe(1);
  });

  it('turning two-step on while both methods are removed at once never leaves two-step on with fewer than two', async () => {
    const a = await owner();
    await addContact(t, a.token, a.ip, freshEmail('second'));
    const stepped = await call(t, 'POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, a);
    const token = stepped.body.sessionToken as string;
    const ids = (await methods({ token, ip: a.ip })).map((m) => m.id as string);
    const answers = await many(90, (i) =>
      i % 3 === 2
        ? call(on(i), 'PUT', '/api/v1/two-step', { enabled: true }, { ip: a.ip, token })
        : call(on(i), 'DELETE', `/api/v1/methods/${ids[i % 3]}`, undefined, { ip: a.ip, token }),
    );
    expect(answers.filter((r) => r.status >= 500)).toHaveLength(0);
    const [row] = await t.app.deps.db.query<{ on: boolean }>(
      'SELECT two_step_enabled AS on FROM accounts WHERE email = $1',
      [a.email],
    );
    const left = (await verifiedValues(a.email)).length;
    if (row?.on) expect(left).toBeGreaterThanOrEqual(2);
  });

  it('one approved recovery-form link used 100 times at once: one password is set; the old sessions end', async () => {
    const a = await owner();
    const raw = randomBytes(32).toString('base64url');
    const now = t.clock.now();
    await t.app.deps.db.query(
      `INSERT INTO recovery_requests (id, flow_hash, account_id, account_key, contact_email, contact_key, locale,
         status, created_at, expires_at, ip, user_agent, country, reset_token_hash, reset_expires_at, stamp)
       SELECT $1, $2, id, email_key, $3, $3, 'ja', 'approved', $4, $5, '203.0.113.1', 'test', 'JP', $6, $5,
         security_stamp FROM accounts WHERE email = $7`,
      [
        `rfq_${raw.slice(0, 10)}`,
        raw,
        freshEmail('helper'),
        now,
        new Date(now.getTime() + DAY),
        createHash('sha256').update(raw).digest('base64url'),
        a.email,
      ],
    );
    const passwords = ['first new passphrase 111', 'second new passphrase 222'];
    const answers = await many(100, (i) =>
      call(
        on(i),
        'POST',
        '/api/v1/recovery-form/reset',
        { token: raw, password: passwords[i % 2] },
        { ip: ipv4() },
      ),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    const works = await Promise.all(
      passwords.map((password) =>
        call(t, 'POST', '/api/v1/sessions', { email: a.email, password }, { ip: a.ip }),
      ),
    );
    expect(works.filter((r) => r.status !== 401)).toHaveLength(1);
    expect((await call(b, 'GET', '/api/v1/me', undefined, a)).status).toBe(401);
  });

  const wrong = (code: string, i: number) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
  /** Answers that were checked against the code (not refused before by a budget or a lock). */
  const checked = (rs: { status: number; body: { error?: { code: string } } }[]) =>
    rs.filter((r) => r.status === 400 && /wrong|invalid/.test(r.body.error?.code ?? '')).length;

  it('200 concurrent wrong sign-up codes over two instances: at most 5 checked, then the right one is refused too', async () => {
    const email = freshEmail('su');
    const ip = ipv4();
    const r = await call(
      t,
      'POST',
      '/api/v1/signup',
      { email, password: GOOD_PASSWORD, displayName: '山田', locale: 'ja' },
      { ip },
    );
    const code = await t.mailedCode(email);
    const answers = await many(200, (i) =>
      call(
        on(i),
        'POST',
        '/api/v1/signup/confirm',
        { signupToken: r.body.signupToken, code: wrong(code, i) },
        { ip: ipv4() },
      ),
    );
    expect(answers.filter((x) => x.status === 200)).toHaveLength(0);
    expect(checked(answers)).toBeGreaterThan(0);
    expect(checked(answers)).toBeLessThanOrEqual(5);
    const late = await call(
      t,
      'POST',
      '/api/v1/signup/confirm',
      { signupToken: r.body.signupToken, code },
      { ip },
    );
    expect(late.status).not.toBe(200);
  });

  it('200 concurrent wrong codes on one real reset flow over two instances: at most 5 checked', async () => {
    const a = await owner();
    const ip = ipv4();
    const s = await call(t, 'POST', '/api/v1/password-reset', { email: a.email }, { ip });
    const flowToken = s.body.flowToken;
    expect(
      (
        await call(
          t,
          'POST',
          '/api/v1/password-reset/choose',
          { flowToken, methodId: a.methodId, confirm: a.contact },
          { ip },
        )
      ).status,
    ).toBe(200);
    const code = await t.mailedCode(a.contact);
    const answers = await many(200, (i) =>
      call(
        on(i),
        'POST',
        '/api/v1/password-reset/verify',
        { flowToken, code: wrong(code, i) },
        { ip: ipv4() },
      ),
    );
    expect(answers.filter((x) => x.status === 204)).toHaveLength(0);
    expect(checked(answers)).toBeGreaterThan(0);
    expect(checked(answers)).toBeLessThanOrEqual(5);
  });

  it('200 concurrent wrong authenticator set-up codes over two instances: at most 10 checked (account budget)', async () => {
    const a = await owner();
    const start = await call(t, 'POST', '/api/v1/methods/totp', { label: 'phone' }, a);
    const key = start.body.manualKey as string;
    const valid = [-30, 0, 30].map((x) => oathtoolCode(key, new Date(t.clock.now().getTime() + x * SECOND)));
    const codes: string[] = [];
    for (let n = 0; codes.length < 200; n++) {
      const c = String((n * 7919 + 13) % 1_000_000).padStart(6, '0');
      if (!valid.includes(c)) codes.push(c);
    }
    const answers = await many(200, (i) =>
      call(on(i), 'POST', `/api/v1/methods/totp/${start.body.methodId}/confirm`, { code: codes[i] }, a),
    );
    expect(answers.filter((x) => x.status < 300)).toHaveLength(0);
    expect(checked(answers)).toBeGreaterThan(0);
    expect(checked(answers)).toBeLessThanOrEqual(10);
  });

  it('200 concurrent wrong recovery-form contact codes over two instances: at most 5 checked', async () => {
    const target = await account(t);
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
    expect(s.status).toBe(202);
    const code = await t.mailedCode(contactEmail);
    const answers = await many(200, (i) =>
      call(
        on(i),
        'POST',
        '/api/v1/recovery-form/verify',
        { flowToken: s.body.flowToken, code: wrong(code, i) },
        { ip: ipv4() },
      ),
    );
    expect(answers.filter((x) => x.status < 300)).toHaveLength(0);
    expect(checked(answers)).toBeGreaterThan(0);
    expect(checked(answers)).toBeLessThanOrEqual(5);
  });

  it('200 concurrent wrong passwords for one account from 200 addresses over two instances: at most 10 checked', async () => {
    const a = await account(t);
    const answers = await many(200, (i) =>
      call(
        on(i),
        'POST',
        '/api/v1/sessions',
        { email: a.email, password: `wrong password number ${i}` },
        { ip: ipv4() },
      ),
    );
    const wrongPw = answers.filter((r) => r.status === 401).length;
    expect(wrongPw).toBeGreaterThan(0);
    expect(wrongPw).toBeLessThanOrEqual(10);
  });

  it('50 concurrent additions of one address to one account: never a 5xx, one method for it', async () => {
    const a = await owner();
    const email = freshEmail('twice');
    const answers = await many(50, (i) => call(on(i), 'POST', '/api/v1/methods/emails', { email }, a));
    expect(answers.filter((r) => r.status >= 500)).toHaveLength(0);
    const rows = await t.app.deps.db.query('SELECT id FROM security_methods WHERE value = $1', [email]);
    expect(rows.length).toBeLessThanOrEqual(1);
  });

  it('one address added to two accounts and verified by both at once: never a 5xx', async () => {
    const a = await owner();
    const o = await owner();
    const email = freshEmail('shared');
    const ma = await call(t, 'POST', '/api/v1/methods/emails', { email }, a);
    const ca = await t.mailedCode(email);
    t.clock.advance(61_000);
    const mo = await call(t, 'POST', '/api/v1/methods/emails', { email }, o);
    const co = await t.mailedCode(email);
    const answers = await many(40, (i) =>
      i % 2
        ? call(on(i), 'POST', `/api/v1/methods/${ma.body.methodId}/verify`, { code: ca }, a)
        : call(on(i), 'POST', `/api/v1/methods/${mo.body.methodId}/verify`, { code: co }, o),
    );
    expect(answers.filter((r) => r.status >= 500)).toHaveLength(0);
  });

  it('per-network caps under 200 concurrent requests over two instances: reset starts 30, reference checks 30', async () => {
    const ip = ipv4();
    const starts = await many(200, (i) =>
      call(on(i), 'POST', '/api/v1/password-reset', { email: freshEmail('rs') }, { ip }),
    );
    expect(starts.filter((r) => r.status === 202).length).toBeLessThanOrEqual(30);
    const ip2 = ipv4();
    const checks = await many(200, (i) =>
      call(
        on(i),
        'POST',
        '/api/v1/messages/check',
        { reference: `REF${String(i).padStart(5, '0')}` },
        { ip: ip2 },
      ),
    );
    expect(checks.filter((r) => r.status !== 429).length).toBeLessThanOrEqual(30);
    expect(checks.filter((r) => r.status >= 500)).toHaveLength(0);
  });
});
