import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  GOOD_PASSWORD,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** A 6-digit code that is certainly not `code`. */
const otherCode = (code: string, step = 1) => String((Number(code) + step) % 1_000_000).padStart(6, '0');
/** Full-width form of the digits (what a Japanese IME produces). */
const toFullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

describe('verification codes (HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  /** A signed-in account with a pending contact email whose first code was just mailed. */
  async function pendingContact() {
    const account = await signedUpAccount(t);
    const contact = uniqueEmail('code');
    const r = await t.api('POST', '/api/v1/methods/emails', { email: contact }, account.token);
    expect(r.status).toBe(202);
    const code = await t.mailedCode(contact);
    return {
      token: account.token,
      primary: account.email,
      email: contact,
      methodId: r.body.methodId as string,
      code,
    };
  }

  const verify = (token: string, methodId: string, code: unknown) =>
    t.api('POST', `/api/v1/methods/${methodId}/verify`, { code }, token);
  const resend = (token: string, methodId: string) =>
    t.api('POST', `/api/v1/methods/${methodId}/resend`, {}, token);
  const isVerified = async (token: string, methodId: string) => {
    const list = await t.api('GET', '/api/v1/methods', undefined, token);
    const m = (list.body.methods as { id: string; verified: boolean }[]).find((x) => x.id === methodId);
    return m?.verified;
  };
  const failuresOf = async (subject: string) =>
    (
      await t.app.deps.db.query<{ failures: number }>('SELECT failures FROM challenges WHERE subject = $1', [
        subject,
      ])
    )[0]?.failures;

  it('mails a 6-digit code over SMTP, and that code verifies the address', async () => {
    const { token, email, methodId } = await pendingContact();
    const mails = t.sink.to(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.from).toContain('security@mamori.test');
    expect(mails[0]!.subject).toBe('連絡用メールアドレスの確認');
    const codes = mails[0]!.text.match(/(?<!\d)\d{6}(?!\d)/g) ?? [];
    expect(codes).toHaveLength(1);
    expect(codes[0]).toMatch(/^\d{6}$/);
    const v = await verify(token, methodId, codes[0]);
    expect(v.status).toBe(200);
    expect(v.body.method).toMatchObject({ id: methodId, verified: true, value: email });
  });

  it('accepts a code until 10 minutes have passed', async () => {
    const { token, methodId, code } = await pendingContact();
    t.clock.advance(10 * MINUTE - SECOND);
    expect((await verify(token, methodId, code)).status).toBe(200);
  });

  it('refuses a code 10 minutes and 1 second after it was sent (code.expired)', async () => {
    const { token, methodId, code } = await pendingContact();
    t.clock.advance(10 * MINUTE + SECOND);
    const v = await verify(token, methodId, code);
    expect(v.status).toBe(400);
    expect(v.body.error?.code).toBe('code.expired');
    expect(await isVerified(token, methodId)).toBe(false);
  });

  it('makes people wait 60 s before a resend, saying how long (429 + Retry-After)', async () => {
    const { token, methodId, email } = await pendingContact();
    const now = await resend(token, methodId);
    expect(now.status).toBe(429);
    expect(now.body.error?.code).toBe('code.resend_wait');
    expect(now.headers['retry-after']).toBe('60');
    expect(now.body.error?.message).toContain('1分');

    t.clock.advance(45 * SECOND);
    const later = await resend(token, methodId);
    expect(later.status).toBe(429);
    expect(later.headers['retry-after']).toBe('15');
    expect(later.body.error?.message).toContain('15');

    await t.drain();
    expect(t.sink.to(email)).toHaveLength(1); // refused resends sent nothing
  });

  it('after a resend only the latest code works', async () => {
    const { token, methodId, email, code: first } = await pendingContact();
    t.clock.advance(60 * SECOND);
    const r = await resend(token, methodId);
    expect(r.status).toBe(200);
    expect(r.body.resendAt).toBe(new Date(t.clock.now().getTime() + 60 * SECOND).toISOString());
    const second = await t.mailedCode(email);
    expect(t.sink.to(email)).toHaveLength(2);
    if (second !== first) {
      const old = await verify(token, methodId, first);
      expect(old.status).toBe(400);
      expect(old.body.error?.code).toBe('code.wrong');
    }
    expect((await verify(token, methodId, second)).status).toBe(200);
  });

  it('a code works only once (add-email)', async () => {
    const { token, methodId, email, code } = await pendingContact();
    expect((await verify(token, methodId, code)).status).toBe(200);
    await t.drain();
    const mailsAfterFirst = t.sink.messages.length;
    const again = await verify(token, methodId, code);
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.status).toBeLessThan(500);
    // Nothing happened the second time: no second announcement.
    await t.drain();
    expect(t.sink.messages.length).toBe(mailsAfterFirst);
    expect(t.sink.to(email).filter((m) => m.subject.includes('追加'))).toHaveLength(1);
  });

  it('a code works only once (step-up code)', async () => {
    const { token } = await signedUpAccount(t);
    const contact = uniqueEmail('reauth');
    const methodId = await verifiedEmail(t, token, contact);
    await t.drain(); // deliver the "added" notice first, so the next mail to the address is the code
    t.clock.advance(61 * SECOND);
    const sent = await t.api('POST', '/api/v1/reauth/code', { methodId }, token);
    expect(sent.status).toBe(200);
    const code = await t.mailedCode(contact);
    const first = await t.api('POST', '/api/v1/reauth/code/verify', { methodId, code }, token);
    expect(first.status).toBe(200);
    const second = await t.api(
      'POST',
      '/api/v1/reauth/code/verify',
      { methodId, code },
      first.body.sessionToken as string,
    );
    expect(second.status).toBe(400);
    expect(second.body.error?.code).toBe('code.not_found');
  });

  it('a step-up code for an odd or foreign method id is a clear refusal, not a server error', async () => {
    const { token } = await signedUpAccount(t);
    const stranger = await signedUpAccount(t);
    const foreignAddress = uniqueEmail('foreign');
    const foreign = await verifiedEmail(t, stranger.token, foreignAddress);
    const MALFORMED = [400, 'request.invalid']; // a NUL byte may be refused up front
    for (const methodId of [foreign, 'mth_does-not-exist', 'a\u0000b']) {
      const odd = methodId.includes('\u0000');
      const send = await t.api('POST', '/api/v1/reauth/code', { methodId }, token);
      expect(
        [[404, 'contact.not_found'], ...(odd ? [MALFORMED] : [])],
        JSON.stringify(methodId),
      ).toContainEqual([send.status, send.body.error?.code]);
      const check = await t.api('POST', '/api/v1/reauth/code/verify', { methodId, code: '123456' }, token);
      expect(
        [[400, 'code.not_found'], [404, 'contact.not_found'], ...(odd ? [MALFORMED] : [])],
        JSON.stringify(methodId),
      ).toContainEqual([check.status, check.body.error?.code]);
    }
    await t.drain();
    expect(t.sink.to(foreignAddress).filter((m) => m.subject === 'ご本人確認のコード')).toHaveLength(0);
  });

  it('locks after 5 wrong codes: even the right code is then refused', async () => {
    const { token, methodId, code } = await pendingContact();
    for (let i = 1; i <= 4; i++) {
      const w = await verify(token, methodId, otherCode(code, i));
      expect(w.status).toBe(400);
      expect(w.body.error?.code).toBe('code.wrong');
      expect(w.body.error?.message).toContain(String(5 - i));
    }
    const fifth = await verify(token, methodId, otherCode(code, 5));
    expect(fifth.status).toBe(429);
    expect(fifth.body.error?.code).toBe('code.too_many_attempts');
    expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(0);

    const right = await verify(token, methodId, code);
    expect(right.status).toBe(429);
    expect(right.body.error?.code).toBe('code.too_many_attempts');
    expect(await isVerified(token, methodId)).toBe(false);
    expect(await failuresOf(methodId)).toBe(5);
  });

  it('a locked code cannot be escaped by asking for a new one until the lock ends', async () => {
    const { token, methodId, email, code } = await pendingContact();
    for (let i = 1; i <= 5; i++) await verify(token, methodId, otherCode(code, i));
    t.clock.advance(61 * SECOND);
    const r = await resend(token, methodId);
    expect(r.status).toBe(429);
    expect(r.body.error?.code).toBe('code.too_many_attempts');
    await t.drain();
    expect(t.sink.to(email)).toHaveLength(1);

    // The lock ends by itself (10 minutes); a new code then works.
    t.clock.advance(10 * MINUTE);
    expect((await resend(token, methodId)).status).toBe(200);
    const fresh = await t.mailedCode(email);
    expect((await verify(token, methodId, fresh)).status).toBe(200);
  });

  it('counts wrong codes across resends (3 wrong, resend, 2 wrong → locked)', async () => {
    const { token, methodId, email, code } = await pendingContact();
    for (let i = 1; i <= 3; i++) expect((await verify(token, methodId, otherCode(code, i))).status).toBe(400);
    t.clock.advance(61 * SECOND);
    expect((await resend(token, methodId)).status).toBe(200);
    const fresh = await t.mailedCode(email);
    const fourth = await verify(token, methodId, otherCode(fresh, 1));
    expect(fourth.status).toBe(400);
    expect(fourth.body.error?.code).toBe('code.wrong');
    const fifth = await verify(token, methodId, otherCode(fresh, 2));
    expect(fifth.status).toBe(429);
    expect(fifth.body.error?.code).toBe('code.too_many_attempts');
    const right = await verify(token, methodId, fresh);
    expect(right.status).toBe(429);
    expect(await isVerified(token, methodId)).toBe(false);
  });

  it('sends at most 10 codes per address per 24 hours, across accounts; the cap resets after 24 h', async () => {
    const { token, methodId, email, primary } = await pendingContact(); // code 1
    for (let n = 2; n <= 10; n++) {
      t.clock.advance(61 * SECOND);
      const r = await resend(token, methodId);
      expect(r.status, `code ${n}`).toBe(200);
    }
    t.clock.advance(61 * SECOND);
    const eleventh = await resend(token, methodId);
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.error?.code).toBe('code.daily_limit');

    // Another account cannot use the same address to keep mailing its owner.
    const other = await signedUpAccount(t);
    const viaOther = await t.api('POST', '/api/v1/methods/emails', { email }, other.token);
    expect(viaOther.status).toBe(429);
    expect(viaOther.body.error?.code).toBe('code.daily_limit');
    await t.drain();
    expect(t.sink.to(email)).toHaveLength(10);

    t.clock.advance(24 * HOUR);
    const s = await t.api('POST', '/api/v1/sessions', { email: primary, password: GOOD_PASSWORD });
    expect(s.status).toBe(200); // the old session has gone idle
    const fresh = s.body.sessionToken as string;
    expect((await resend(fresh, methodId)).status).toBe(200);
    const code = await t.mailedCode(email);
    expect(t.sink.to(email)).toHaveLength(11);
    expect((await verify(fresh, methodId, code)).status).toBe(200);
    expect(token).not.toBe(fresh);
  });

  it('accepts full-width digits', async () => {
    const { token, methodId, code } = await pendingContact();
    expect(toFullWidth('123456')).toBe('１２３４５６');
    expect((await verify(token, methodId, toFullWidth(code))).status).toBe(200);
  });

  it('accepts spaces (and hyphens) inside and around the code', async () => {
    const a = await pendingContact();
    expect((await verify(a.token, a.methodId, ` ${a.code.slice(0, 3)} ${a.code.slice(3)} `)).status).toBe(
      200,
    );
    const b = await pendingContact();
    const spaced = `${toFullWidth(b.code.slice(0, 3))}\u3000${toFullWidth(b.code.slice(3))}`;
    expect((await verify(b.token, b.methodId, spaced)).status).toBe(200);
    const c = await pendingContact();
    expect((await verify(c.token, c.methodId, `${c.code.slice(0, 3)}-${c.code.slice(3)}`)).status).toBe(200);
  });

  it('never keeps a code in clear in the database (challenges, outbox before and after delivery)', async () => {
    const account = await signedUpAccount(t);
    const email = uniqueEmail('secret');
    const r = await t.api('POST', '/api/v1/methods/emails', { email }, account.token);
    expect(r.status).toBe(202);
    const db = t.app.deps.db;

    const outboxRow = async () =>
      (
        await db.query<{ body_text: string; body_html: string; status: string; row: string }>(
          `SELECT body_text, body_html, status, row_to_json(o)::text AS row FROM outbox o
           WHERE recipient = $1 AND kind = 'code'`,
          [email],
        )
      )[0]!;
    const before = await outboxRow();
    expect(before.status).toBe('pending');
    expect(before.body_text).toMatch(/^v1\./); // encrypted at rest until sent

    const code = await t.mailedCode(email);
    expect(before.row).not.toContain(code);
    const after = await outboxRow();
    expect(after.status).toBe('sent');
    expect(after.body_text).toBe('');
    expect(after.body_html).toBe('');
    expect(after.row).not.toContain(code);

    const challenge = await db.query<{ row: string; code_hmac: string }>(
      'SELECT row_to_json(c)::text AS row, code_hmac FROM challenges c WHERE subject = $1',
      [r.body.methodId],
    );
    expect(challenge).toHaveLength(1);
    expect(challenge[0]!.code_hmac).not.toBe(code);
    expect(challenge[0]!.row).not.toContain(code);

    // Nowhere else either (email goes over SMTP, so the dev mailbox holds nothing).
    const tables = await db.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
    );
    for (const { tablename } of tables) {
      const hits = await db.query(
        `SELECT 1 FROM ${tablename} x WHERE strpos(row_to_json(x)::text, $1) > 0 LIMIT 1`,
        [code],
      );
      expect(hits, `table ${tablename}`).toHaveLength(0);
    }
    expect((await verify(account.token, r.body.methodId as string, code)).status).toBe(200);
  });

  it('10 simultaneous submissions of the right code: exactly one succeeds, one announcement', async () => {
    const { token, methodId, primary, code } = await pendingContact();
    const results = await Promise.all(Array.from({ length: 10 }, () => verify(token, methodId, code)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) expect(r.status).toBeLessThan(500);
    await t.drain();
    const added = t.sink.to(primary).filter((m) => m.subject.includes('追加'));
    expect(added).toHaveLength(1);
  });

  it('10 simultaneous submissions of the right step-up code: exactly one succeeds', async () => {
    const { token } = await signedUpAccount(t);
    const contact = uniqueEmail('race');
    const methodId = await verifiedEmail(t, token, contact);
    await t.drain();
    t.clock.advance(61 * SECOND);
    expect((await t.api('POST', '/api/v1/reauth/code', { methodId }, token)).status).toBe(200);
    const code = await t.mailedCode(contact);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.api('POST', '/api/v1/reauth/code/verify', { methodId, code }, token),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) expect(r.status).toBeLessThan(500);
  });

  it('20 simultaneous wrong codes never count more than 5 failures, and the code stays locked', async () => {
    const { token, methodId, code } = await pendingContact();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => verify(token, methodId, otherCode(code, i + 1))),
    );
    expect(results.filter((r) => r.body.error?.code === 'code.wrong').length).toBeLessThanOrEqual(4);
    for (const r of results) expect([400, 429]).toContain(r.status);
    expect(await failuresOf(methodId)).toBeLessThanOrEqual(5);
    const right = await verify(token, methodId, code);
    expect(right.status).toBe(429);
    expect(await isVerified(token, methodId)).toBe(false);
  });
});
