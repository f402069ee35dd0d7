import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/security-info/totp/totp.ts';
import {
  createTestApp,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';
import { enrolledOperator, nextOperatorCode } from '../support/operator.ts';

/** Issue 8, kind 5: every code entry reads what a person types, and a wrong length spends no try. */

const toFullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
/** The code an authenticator app shows for the manual key (our own TOTP; two-step.test.ts checks it against oathtool). */
const appCode = (manualKey: string, at: Date) =>
  totpCode(decodeBase32IgnorePadding(manualKey.replace(/\s+/g, '')), at);

describe('codes are read the way a person types them (HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function pendingContact() {
    const acct = await signedUpAccount(t);
    const email = uniqueEmail('contact');
    const r = await t.api('POST', '/api/v1/methods/emails', { email }, acct.token);
    expect(r.status).toBe(202);
    const code = await t.mailedCode(email);
    return { ...acct, methodId: r.body.methodId as string, code };
  }
  const verify = (token: string, methodId: string, code: string) =>
    t.api('POST', `/api/v1/methods/${methodId}/verify`, { code }, token);

  it('an email code of the wrong length says "enter the 6 digits" and spends no try', async () => {
    const { token, methodId, code } = await pendingContact();
    for (const typed of ['12345', '1234567', 'abcdef', '１２３４５']) {
      const r = await verify(token, methodId, typed);
      expect(r.status).toBe(400);
      expect(r.body.error?.code).toBe('code.format');
      expect(r.body.error?.message).toContain('6');
    }
    const ja = await t.api('POST', `/api/v1/methods/${methodId}/verify`, { code: '12345' }, token, {
      'accept-language': 'ja',
    });
    expect(ja.body.error?.code).toBe('code.format');
    // Every try is still there: a wrong six-digit code says 4 are left.
    const wrong = code === '000000' ? '111111' : '000000';
    const w = await verify(token, methodId, wrong);
    expect(w.body.error?.code).toBe('code.wrong');
    expect(w.body.error?.message).toContain('4');
    // Typed with a full-width hyphen in full-width digits, the right code works.
    const typed = `${toFullWidth(code.slice(0, 3))}－${toFullWidth(code.slice(3))}`;
    expect((await verify(token, methodId, typed)).status).toBe(200);
  });

  describe('authenticator codes', () => {
    async function startTotp() {
      const acct = await signedUpAccount(t);
      await verifiedEmail(t, acct.token, uniqueEmail('contact'));
      const start = await t.api('POST', '/api/v1/methods/totp', { label: 'iPhone' }, acct.token);
      expect(start.status).toBe(202);
      return { ...acct, key: start.body.manualKey as string, methodId: start.body.methodId as string };
    }
    const confirm = (token: string, methodId: string, code: string) =>
      t.api('POST', `/api/v1/methods/totp/${methodId}/confirm`, { code }, token);

    it('accept 123-456 and full-width digits with a space, like email codes', async () => {
      const a = await startTotp();
      const code = appCode(a.key, t.clock.now());
      const typed = `${toFullWidth(code.slice(0, 3))}　${toFullWidth(code.slice(3))}`;
      expect((await confirm(a.token, a.methodId, typed)).status).toBe(204);

      const b = await startTotp();
      const c = appCode(b.key, t.clock.now());
      expect((await confirm(b.token, b.methodId, `${c.slice(0, 3)}-${c.slice(3)}`)).status).toBe(204);
    });

    it('a wrong length says "enter the 6 digits" and spends none of the account budget', async () => {
      const a = await startTotp();
      // More wrong-length entries than the account's hourly budget of wrong codes (10).
      for (let i = 0; i < 12; i++) {
        const r = await confirm(a.token, a.methodId, '12345');
        expect(r.status).toBe(400);
        expect(r.body.error?.code).toBe('code.format');
      }
      expect((await confirm(a.token, a.methodId, appCode(a.key, t.clock.now()))).status).toBe(204);
    });
  });

  it('the reference check reads a reference however it is typed, and says when text is not one', async () => {
    const { email } = await signedUpAccount(t);
    await t.drain();
    const ref = t.sink.to(email)[0]!.text.match(/MMR-([A-Z0-9]{4})-([A-Z0-9]{4})/)!;
    const [, a, b] = ref;
    const wide = (s: string) =>
      s.replace(/[A-Za-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    for (const typed of [
      `MMR ${a} ${b}`,
      `MMR${a}${b}`,
      `mmr-${a}-${b}`.toLowerCase(),
      wide(`MMR ${a} ${b}`),
      `MMR－${a}ー${b}`,
    ]) {
      const r = await t.api('POST', '/api/v1/messages/check', { reference: typed });
      expect(r.status, typed).toBe(200);
      expect(r.body.genuine, typed).toBe(true);
    }
    for (const typed of ['hello', 'MMR-123', '1234-5678']) {
      const r = await t.api('POST', '/api/v1/messages/check', { reference: typed });
      expect(r.status, typed).toBe(400);
      expect(r.body.error?.code, typed).toBe('reference.invalid');
    }
    const en = await t.api('POST', '/api/v1/messages/check', { reference: 'hello' }, undefined, {
      'accept-language': 'en',
    });
    expect(en.body.error?.message).toMatch(/not a message reference/);
    const ja = await t.api('POST', '/api/v1/messages/check', { reference: 'hello' }, undefined, {
      'accept-language': 'ja',
    });
    expect(ja.body.error?.message).toMatch(/参照番号/);
  });

  it('a recovery code that is not 25 letters and digits says so, alike for every address, spending no try', async () => {
    const acct = await signedUpAccount(t);
    for (const email of [acct.email, uniqueEmail('nobody')]) {
      const start = await t.api('POST', '/api/v1/password-reset', { email });
      expect(start.status).toBe(202);
      const flowToken = start.body.flowToken as string;
      // More than the network's hourly budget of wrong codes (30).
      for (let i = 0; i < 32; i++) {
        const r = await t.api('POST', '/api/v1/password-reset/recovery-code', {
          flowToken,
          recoveryCode: 'ABCDE-FGHJK-MNPQR',
        });
        expect(r.status).toBe(400);
        expect(r.body.error?.code).toBe('recovery_code.format');
      }
      const wrong = await t.api('POST', '/api/v1/password-reset/recovery-code', {
        flowToken,
        recoveryCode: 'ABCDE-FGHJK-MNPQR-STVWX-YZ234',
      });
      expect(wrong.body.error?.code).toBe('code.invalid');
    }
  });

  it('a label keeps what the person wrote (no NFKC)', async () => {
    const acct = await signedUpAccount(t);
    const id = await verifiedEmail(t, acct.token, uniqueEmail('label'));
    expect(
      (await t.api('PATCH', `/api/v1/methods/${id}`, { label: '個人用（Gmail）' }, acct.token)).status,
    ).toBe(204);
    const list = (await t.api('GET', '/api/v1/methods', undefined, acct.token)).body.methods as {
      id: string;
      label: string;
      value?: string;
    }[];
    const m = list.find((x) => x.id === id)!;
    expect(m.label).toBe('個人用（Gmail）');
  });

  it('an operator code of the wrong length says "enter the 6 digits" and spends none of the 5 attempts', async () => {
    const op = await enrolledOperator(t);
    const first = await t.api('POST', '/api/v1/operator/sessions', { name: op.name, password: op.password });
    expect(first.status).toBe(202);
    for (let i = 0; i < 7; i++) {
      const r = await t.api('POST', '/api/v1/operator/sessions/code', {
        pendingToken: first.body.pendingToken,
        code: '12345',
      });
      expect(r.status).toBe(400);
      expect(r.body.error?.code).toBe('code.format');
    }
    const code = nextOperatorCode(t, op.manualKey);
    const done = await t.api('POST', '/api/v1/operator/sessions/code', {
      pendingToken: first.body.pendingToken,
      code: `${toFullWidth(code.slice(0, 3))} ${code.slice(3)}`,
    });
    expect(done.status).toBe(200);
  });
});
