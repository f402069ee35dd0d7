import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkEmailSyntax } from '../../src/security-info/email/check-email.ts';
import { normalizeEmail } from '../../src/security-info/email/normalize-email.ts';
import {
  createTestApp,
  GOOD_PASSWORD,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';

const MINUTE = 60_000;
const SUBJECT_ADDED = 'アカウントにセキュリティ情報が追加されました';
const SUBJECT_REMOVED = 'アカウントからセキュリティ情報が削除されました';

interface MethodOut {
  id: string;
  kind: string;
  value: string;
  masked: string;
  label: string;
  verified: boolean;
}

describe('contact emails (HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const add = (token: string, body: unknown) => t.api('POST', '/api/v1/methods/emails', body, token);
  const methods = async (token: string): Promise<MethodOut[]> =>
    (await t.api('GET', '/api/v1/methods', undefined, token)).body.methods as MethodOut[];
  const rowsOf = async (email: string) =>
    t.app.deps.db.query<{ value: string; verified_at: Date | null }>(
      `SELECT m.value, m.verified_at FROM security_methods m JOIN accounts a ON a.id = m.account_id
       WHERE a.email = $1`,
      [email],
    );
  const mailsTo = async (address: string, subject: string) => {
    await t.drain();
    return t.sink.to(address).filter((m) => m.subject === subject);
  };

  it('needs a fresh proof: refused 11 minutes after sign-in, accepted after re-entering the password', async () => {
    let { token, email } = await signedUpAccount(t);
    t.clock.advance(11 * MINUTE);
    const contact = uniqueEmail('proof');
    const stale = await add(token, { email: contact });
    expect(stale.status).toBe(403);
    expect(stale.body.error?.code).toBe('auth.reauth_required');
    expect(await rowsOf(email)).toHaveLength(0);
    await t.drain();
    expect(t.sink.to(contact)).toHaveLength(0);

    const wrong = await t.api('POST', '/api/v1/reauth', { password: 'not my password at all' }, token);
    expect(wrong.status).toBe(401);
    expect((await add(token, { email: contact })).status).toBe(403);

    const stepped = await t.api('POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, token);
    expect(stepped.status).toBe(200);
    // The step-up replaced the session token: the old one no longer works.
    expect((await t.api('GET', '/api/v1/methods', undefined, token)).status).toBe(401);
    token = stepped.body.sessionToken as string;
    const fresh = await add(token, { email: contact });
    expect(fresh.status).toBe(202);
    expect(await t.mailedCode(contact)).toMatch(/^\d{6}$/);
  });

  it('stores a full-width address as ASCII and shows it masked', async () => {
    const { token } = await signedUpAccount(t);
    const r = await add(token, { email: 'ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ' });
    expect(r.status).toBe(202);
    const [m] = await methods(token);
    expect(m).toMatchObject({
      id: r.body.methodId,
      kind: 'email',
      value: 'taro@example.com',
      verified: false,
    });
    expect(m!.masked).toBe('ta*****@example.com');
    // The code goes to the ASCII address.
    const code = await t.mailedCode('taro@example.com');
    expect((await t.api('POST', `/api/v1/methods/${m!.id}/verify`, { code }, token)).status).toBe(200);
    const [after] = await methods(token);
    expect(after).toMatchObject({ value: 'taro@example.com', masked: 'ta*****@example.com', verified: true });
  });

  it('refuses the sign-in address itself, however it is written', async () => {
    const { token, email } = await signedUpAccount(t);
    const fullWidth = email.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x21 + 0xff01));
    for (const variant of [email, email.toUpperCase(), ` ${email} `, fullWidth]) {
      const r = await add(token, { email: variant });
      expect(r.status, variant).toBe(400);
      expect(r.body.error?.code).toBe('contact.email_same_as_primary');
    }
    expect(await rowsOf(email)).toHaveLength(0);
  });

  it('refuses disposable addresses (and their subdomains)', async () => {
    const { token, email } = await signedUpAccount(t);
    for (const d of ['x@mailinator.com', 'x@eu.mailinator.com', 'X@MAILINATOR.COM']) {
      const r = await add(token, { email: d });
      expect(r.status, d).toBe(400);
      expect(r.body.error?.code).toBe('contact.email_disposable');
    }
    expect(await rowsOf(email)).toHaveLength(0);
    await t.drain();
    expect(t.sink.to('mailinator.com')).toHaveLength(0);
  });

  it('suggests a correction for a likely typo and stores nothing; accepts it when told to', async () => {
    const { token, email } = await signedUpAccount(t);
    const local = `typo.${Math.random().toString(36).slice(2, 8)}`;
    const r = await add(token, { email: `${local}@gmial.com` });
    expect(r.status).toBe(400);
    expect(r.body.error?.code).toBe('contact.email_typo');
    expect(r.body.error?.message).toContain(`${local}@gmail.com`);
    expect(await rowsOf(email)).toHaveLength(0);
    await t.drain();
    expect(t.sink.to(`${local}@gmial.com`)).toHaveLength(0);

    const kept = await add(token, { email: `${local}@gmial.com`, acceptTypo: true });
    expect(kept.status).toBe(202);
    expect((await methods(token)).map((m) => m.value)).toEqual([`${local}@gmial.com`]);
    expect(await t.mailedCode(`${local}@gmial.com`)).toMatch(/^\d{6}$/);
  });

  it('refuses an address that is already verified on the account, in any case', async () => {
    const { token } = await signedUpAccount(t);
    const contact = uniqueEmail('dup');
    await verifiedEmail(t, token, contact);
    for (const again of [contact, contact.toUpperCase()]) {
      const r = await add(token, { email: again });
      expect(r.status, again).toBe(409);
      expect(r.body.error?.code).toBe('contact.already_added');
    }
    expect(await methods(token)).toHaveLength(1);
  });

  it('refuses the 11th method (limit 10)', async () => {
    const { token, email } = await signedUpAccount(t);
    for (let i = 0; i < 10; i++) {
      expect((await add(token, { email: uniqueEmail(`lim${i}`) })).status).toBe(202);
    }
    const eleventh = uniqueEmail('lim10');
    const r = await add(token, { email: eleventh });
    expect(r.status).toBe(409);
    expect(r.body.error?.code).toBe('contact.limit_reached');
    expect(r.body.error?.message).toContain('10');
    expect(await rowsOf(email)).toHaveLength(10);
    await t.drain();
    expect(t.sink.to(eleventh)).toHaveLength(0);
  });

  it('announces a newly verified address to the primary and every verified contact', async () => {
    const { token, email: primary } = await signedUpAccount(t);
    const first = uniqueEmail('first');
    await verifiedEmail(t, token, first);
    await t.drain();
    const second = uniqueEmail('second');
    const pending = uniqueEmail('pending');
    expect((await add(token, { email: pending })).status).toBe(202);
    const before = {
      primary: (await mailsTo(primary, SUBJECT_ADDED)).length,
      first: (await mailsTo(first, SUBJECT_ADDED)).length,
    };
    await verifiedEmail(t, token, second);
    const toPrimary = await mailsTo(primary, SUBJECT_ADDED);
    expect(toPrimary.length - before.primary).toBe(1);
    expect(toPrimary.at(-1)!.text).toContain('se*****@example.com');
    expect((await mailsTo(first, SUBJECT_ADDED)).length - before.first).toBe(1);
    expect(await mailsTo(second, SUBJECT_ADDED)).toHaveLength(1);
    // A pending (unverified) address is not security info yet: it is not told.
    expect(await mailsTo(pending, SUBJECT_ADDED)).toHaveLength(0);
  });

  it('will not remove the last verified method', async () => {
    const { token } = await signedUpAccount(t);
    const only = await verifiedEmail(t, token);
    const r = await t.api('DELETE', `/api/v1/methods/${only}`, undefined, token);
    expect(r.status).toBe(409);
    expect(r.body.error?.code).toBe('contact.last_method');
    expect((await methods(token)).map((m) => m.id)).toEqual([only]);
  });

  it('removal needs a fresh proof, and the removed, remaining and primary addresses are each told once', async () => {
    let { token, email: primary } = await signedUpAccount(t);
    const gone = uniqueEmail('gone');
    const stays = uniqueEmail('stays');
    const goneId = await verifiedEmail(t, token, gone);
    await verifiedEmail(t, token, stays);
    t.clock.advance(11 * MINUTE);

    const stale = await t.api('DELETE', `/api/v1/methods/${goneId}`, undefined, token);
    expect(stale.status).toBe(403);
    expect(stale.body.error?.code).toBe('auth.reauth_required');
    expect(await methods(token)).toHaveLength(2);

    const stepped = await t.api('POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, token);
    expect(stepped.status).toBe(200);
    token = stepped.body.sessionToken as string;
    expect((await t.api('DELETE', `/api/v1/methods/${goneId}`, undefined, token)).status).toBe(204);
    expect((await methods(token)).map((m) => m.value)).toEqual([stays]);

    for (const to of [gone, stays, primary]) {
      const mails = await mailsTo(to, SUBJECT_REMOVED);
      expect(mails, to).toHaveLength(1);
      expect(mails[0]!.text).toContain('go*****@example.com');
    }
  });

  it('lists methods with a masked form', async () => {
    const { token } = await signedUpAccount(t);
    await verifiedEmail(t, token, 'taro.yamada@example.org');
    expect((await add(token, { email: 'a@example.net' })).status).toBe(202);
    const list = await methods(token);
    expect(list.map((m) => [m.value, m.masked, m.verified]).sort()).toEqual([
      ['a@example.net', 'a*****@example.net', false],
      ['taro.yamada@example.org', 'ta*****@example.org', true],
    ]);
  });

  it('changes a label (kept as typed), refuses a bad one, and cannot touch another account', async () => {
    const { token } = await signedUpAccount(t);
    const id = await verifiedEmail(t, token);
    expect((await t.api('PATCH', `/api/v1/methods/${id}`, { label: '仕事用' }, token)).status).toBe(204);
    expect((await methods(token))[0]!.label).toBe('仕事用');
    expect((await t.api('PATCH', `/api/v1/methods/${id}`, { label: ' ＷＯＲＫ ' }, token)).status).toBe(204);
    expect((await methods(token))[0]!.label).toBe('ＷＯＲＫ');

    for (const bad of ['x'.repeat(41), 'a\u0000b', 'a\u202Eb', '<script>']) {
      const r = await t.api('PATCH', `/api/v1/methods/${id}`, { label: bad }, token);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      // A NUL is refused at the edge for every input; the rest by the label rules.
      expect(r.body.error?.code).toBe(bad.includes('\u0000') ? 'request.invalid' : 'contact.label_invalid');
    }
    expect((await methods(token))[0]!.label).toBe('ＷＯＲＫ');

    const other = await signedUpAccount(t);
    const r = await t.api('PATCH', `/api/v1/methods/${id}`, { label: 'mine now' }, other.token);
    expect(r.status).toBe(404);
    expect(r.body.error?.code).toBe('contact.not_found');
    expect((await methods(token))[0]!.label).toBe('ＷＯＲＫ');
  });

  it('an unknown or odd method id in the URL is a clear 4xx, not a server error', async () => {
    const { token } = await signedUpAccount(t);
    const keep = await verifiedEmail(t, token);
    const NOT_FOUND = [404, 'contact.not_found'];
    for (const [id, allowed] of [
      ['mth_does-not-exist', [NOT_FOUND]],
      ['%E2%80%AE', [NOT_FOUND]],
      ['x'.repeat(64), [NOT_FOUND]],
      // A NUL byte may be refused up front as a malformed request.
      ['a%00b', [NOT_FOUND, [400, 'request.invalid']]],
    ] as const) {
      for (const [method, url, body] of [
        ['POST', `/api/v1/methods/${id}/verify`, { code: '123456' }],
        ['POST', `/api/v1/methods/${id}/resend`, {}],
        ['PATCH', `/api/v1/methods/${id}`, { label: 'x' }],
        ['DELETE', `/api/v1/methods/${id}`, undefined],
      ] as const) {
        const r = await t.api(method, url, body, token);
        expect(allowed, `${method} ${url}`).toContainEqual([r.status, r.body.error?.code]);
      }
    }
    expect((await methods(token)).map((m) => m.id)).toEqual([keep]);
  });

  describe('bad input gives a clear error and stores nothing', () => {
    let token: string;
    let primary: string;
    beforeAll(async () => {
      ({ token, email: primary } = await signedUpAccount(t));
    });
    afterEach(async () => {
      // A case that wrongly stored something must not make the next cases fail too.
      await t.app.deps.db.query(
        'DELETE FROM security_methods WHERE account_id = (SELECT id FROM accounts WHERE email = $1)',
        [primary],
      );
    });

    const wrongTypes: [string, unknown][] = [
      ['email as a number', { email: 12345 }],
      ['email as an array', { email: ['array.typed@example.org'] }],
      ['email as an object', { email: { address: 'obj@example.org' } }],
      ['email as null', { email: null }],
      ['email as a boolean', { email: true }],
      ['email missing', { label: 'x' }],
      ['acceptTypo as a string', { email: 'flag@gmial.com', acceptTypo: 'yes' }],
      ['label as a number', { email: 'label.typed@example.org', label: 5 }],
      ['body as an array', ['array.body@example.org']],
    ];
    it.each(wrongTypes)('%s → 400 request.invalid', async (_name, body) => {
      const r = await add(token, body);
      expect(r.status).toBe(400);
      expect(r.body.error?.code).toBe('request.invalid');
      expect(await rowsOf(primary)).toHaveLength(0);
    });

    it('a body over 16 KiB → 413 request.too_large', async () => {
      const r = await add(token, { email: `${'a'.repeat(17 * 1024)}@example.org` });
      expect(r.status).toBe(413);
      expect(r.body.error?.code).toBe('request.too_large');
      expect(await rowsOf(primary)).toHaveLength(0);
    });

    it('control characters (NUL, newline, tab, DEL) → 400 contact.email_invalid', async () => {
      for (const email of [
        'nul\u0000@example.org',
        'new\nline@example.org',
        'ta\tb@example.org',
        'd\u007f@example.org',
      ]) {
        const r = await add(token, { email });
        expect(r.status, JSON.stringify(email)).toBe(400);
        expect(r.body.error?.code).toBe(
          email.includes('\u0000') ? 'request.invalid' : 'contact.email_invalid',
        );
      }
      expect(await rowsOf(primary)).toHaveLength(0);
    });

    it('non-ASCII addresses and lookalikes → 400 contact.email_invalid', async () => {
      for (const email of [
        'tarо@example.org',
        'taro@exаmple.org',
        '太郎@example.org',
        'a@b',
        '@example.org',
        'a@@example.org',
      ]) {
        const r = await add(token, { email });
        expect(r.status, email).toBe(400);
        expect(r.body.error?.code).toBe('contact.email_invalid');
      }
      expect(await rowsOf(primary)).toHaveLength(0);
    });

    it('invisible formatting characters (RTL override, zero-width) never reach the database or the mail', async () => {
      // normalize-email.ts removes them by design (pasted from IMEs/chat); what is stored and mailed is the
      // visible address only.
      const cases = [
        ['rtl\u202E.override@example.org', 'rtl.override@example.org'],
        ['zero\u200Bwidth@exam\u200Cple.org', 'zerowidth@example.org'],
        ['\uFEFFbom@example.org\u2060', 'bom@example.org'],
      ] as const;
      for (const [typed] of cases) expect((await add(token, { email: typed })).status).toBe(202);
      const stored = (await rowsOf(primary)).map((r) => r.value).sort();
      expect(stored).toEqual(cases.map(([, clean]) => clean).sort());
      for (const v of stored) expect(v).not.toMatch(/[\p{Cc}\p{Cf}]/u);
      await t.drain();
      for (const [, clean] of cases) expect(t.sink.to(clean)).toHaveLength(1);
    });
  });

  it('property: random input never causes a 5xx nor stores an address that fails the syntax check', async () => {
    const { token, email: primary } = await signedUpAccount(t);
    const invisible = fc.constantFrom('\u200B', '\u202E', '\uFEFF', '\u0000', '\u3000', '\u00AD', '\n');
    const input = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.emailAddress(),
      fc
        .tuple(fc.emailAddress(), fc.nat(), invisible)
        .map(([e, i, c]) => `${e.slice(0, i % (e.length + 1))}${c}${e.slice(i % (e.length + 1))}`),
      fc.emailAddress().map((e) => e.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))),
    );
    await fc.assert(
      fc.asyncProperty(input, fc.boolean(), async (email, acceptTypo) => {
        t.clock.advance(1000); // 150 runs stay within the 10-minute step-up window
        const r = await add(token, { email, acceptTypo });
        expect(r.status, JSON.stringify(email)).toBeLessThan(500);
        expect(r.body.error?.code ?? 'ok', JSON.stringify(email)).not.toBe('internal');
        const rows = await rowsOf(primary);
        for (const row of rows) {
          expect(row.verified_at).toBeNull();
          expect(checkEmailSyntax(row.value), JSON.stringify(row.value)).toBe(true);
          expect(normalizeEmail(row.value)).toBe(row.value);
        }
        if (r.status === 202) expect(rows).toHaveLength(1);
        else expect(rows).toHaveLength(0);
        // Start every run from an empty list so the 10-method limit never masks a case.
        await t.app.deps.db.query(
          'DELETE FROM security_methods WHERE account_id = (SELECT id FROM accounts WHERE email = $1)',
          [primary],
        );
      }),
      { numRuns: 150 },
    );
  });
});
