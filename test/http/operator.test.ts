import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator, resetOperatorAuthenticator } from '../../src/operator/operator-auth.ts';
import { createTestApp, signedUpAccount, type TestApp, uniqueEmail } from '../support/harness.ts';
import {
  type EnrolledOperator,
  enrolledOperator,
  nextOperatorCode,
  operatorConsole,
  operatorToken,
} from '../support/operator.ts';
import { formClient } from '../web/browser-less-client.ts';

const PASSWORD = 'operator passphrase 5678';

describe('operator console (HTTP)', () => {
  let t: TestApp;
  let alice: EnrolledOperator;
  beforeAll(async () => {
    t = await createTestApp();
    alice = await enrolledOperator(t, { name: 'Alice.Reviewer', password: PASSWORD });
  });
  afterAll(() => t.close());

  const signIn = (name: string, password: string) =>
    t.api('POST', '/api/v1/operator/sessions', { name, password });

  it('signs operators in with their own password and authenticator code; user tokens do not work', async () => {
    const wrong = await signIn('alice.reviewer', 'not the password at all');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error?.code).toBe('operator.invalid_credentials');
    const unknown = await signIn('nobody.here', PASSWORD);
    expect(unknown.body.error?.code).toBe('operator.invalid_credentials');
    const pw = await signIn('alice.reviewer', PASSWORD);
    expect(pw.status).toBe(202);
    expect(pw.body).toEqual({ pendingToken: expect.any(String), next: 'code' });
    // The password alone opens nothing.
    const pending = pw.body.pendingToken as string;
    expect((await t.api('GET', '/api/v1/operator/requests', undefined, pending)).status).toBe(401);
    const badCode = await t.api('POST', '/api/v1/operator/sessions/code', {
      pendingToken: pending,
      code: '000000',
    });
    expect(badCode.status).toBe(400);
    expect(badCode.body.error?.code).toBe('code.invalid');
    const ok = await t.api('POST', '/api/v1/operator/sessions/code', {
      pendingToken: pending,
      code: nextOperatorCode(t, alice.manualKey),
    });
    expect(ok.status).toBe(200);
    expect(ok.body.operator).toMatchObject({ name: 'Alice.Reviewer', role: 'reviewer' });
    const token = ok.body.operatorToken as string;
    expect((await t.api('GET', '/api/v1/operator/requests', undefined, token)).status).toBe(200);
    // The pending token was used up.
    const again = await t.api('POST', '/api/v1/operator/sessions/code', {
      pendingToken: pending,
      code: nextOperatorCode(t, alice.manualKey),
    });
    expect(again.body.error?.code).toBe('signin.flow_invalid');

    const user = await signedUpAccount(t);
    const asUser = await t.api('GET', '/api/v1/operator/requests', undefined, user.token);
    expect(asUser.status).toBe(401);
    expect(asUser.body.error?.code).toBe('operator.required');
    // …and an operator token is not a user session.
    expect((await t.api('GET', '/api/v1/me', undefined, token)).status).toBe(401);

    // 30 idle minutes end the session.
    t.clock.advance(31 * 60_000);
    expect((await t.api('GET', '/api/v1/operator/audit', undefined, token)).status).toBe(401);
  });

  it('an operator who lost the authenticator is reset from the command line and enrols a new one', async () => {
    const carol = await enrolledOperator(t, { name: 'carol.reviewer', password: PASSWORD });
    expect(await resetOperatorAuthenticator(t.app.deps, 'Carol.Reviewer')).toBe(true);
    expect(await resetOperatorAuthenticator(t.app.deps, 'nobody.at.all')).toBe(false);
    // Her sessions ended; the next sign-in enrols again.
    expect((await t.api('GET', '/api/v1/operator/requests', undefined, carol.token)).status).toBe(401);
    const pw = await signIn('carol.reviewer', PASSWORD);
    expect(pw.body.next).toBe('enrol');
    const audit = await t.app.deps.db.query<{ operator_name: string; action: string }>(
      `SELECT operator_name, action FROM operator_audit WHERE target = $1 ORDER BY seq DESC LIMIT 1`,
      [carol.id],
    );
    expect(audit[0]).toEqual({ operator_name: 'cli', action: 'totp.reset' });
  });

  it('stores the password as argon2id', async () => {
    const row = (
      await t.app.deps.db.query<{ password_hash: string }>(
        `SELECT password_hash FROM operators WHERE name_key = 'alice.reviewer'`,
      )
    )[0]!;
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('web console: first sign-in enrols an authenticator (QR code and key) before anything else', async () => {
    await createOperator(t.app.deps, { name: 'bob.reviewer', password: PASSWORD });
    const c = formClient(t);
    const first = await c.get('/operator');
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/operator/sign-in');
    const page = await c.get('/operator/sign-in');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('オペレーターのサインイン');
    const noCsrf = await c.post('/operator/sign-in', { name: 'bob.reviewer', password: PASSWORD }, false);
    expect(noCsrf.statusCode).toBe(403);
    await c.get('/operator/sign-in');
    const bad = await c.post('/operator/sign-in', { name: 'bob.reviewer', password: 'wrong password here' });
    expect(bad.statusCode).toBe(401);
    expect(bad.body).toContain('オペレーター名またはパスワードが正しくありません');
    const good = await c.post('/operator/sign-in', { name: 'bob.reviewer', password: PASSWORD });
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe('/operator/sign-in/enrol');
    const setCookie = ([] as string[])
      .concat(good.headers['set-cookie'] as string[])
      .find((x) => x.startsWith('mamori_operator='))!;
    expect(setCookie).toMatch(/Path=\/operator/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    // Nothing else opens before the enrolment.
    for (const path of ['/operator', '/operator/audit', '/operator/outbox', '/operator/notices']) {
      const r = await c.get(path);
      expect(r.statusCode, path).toBe(303);
      expect(r.headers.location, path).toBe('/operator/sign-in/enrol');
    }
    const enrol = await c.get('/operator/sign-in/enrol');
    expect(enrol.statusCode).toBe(200);
    expect(enrol.body).toContain('認証アプリの追加');
    expect(enrol.body).toContain('<svg');
    const manualKey = /data-testid="manual-key"><code>([A-Z2-7 ]+)<\/code>/.exec(enrol.body)![1]!;
    // The same key on a reload (the app may already have it).
    expect((await c.get('/operator/sign-in/enrol')).body).toContain(manualKey);
    const wrong = await c.post('/operator/sign-in/enrol', { code: '123456' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('コードが正しくありません');
    const done = await c.post('/operator/sign-in/enrol', { code: nextOperatorCode(t, manualKey) });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/operator');
    const queue = await c.get('/operator');
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain('審査待ちの回復申請');
    const audit = await t.app.deps.db.query<{ action: string; step: string | null }>(
      `SELECT action, detail->>'step' AS step FROM operator_audit WHERE operator_name = 'bob.reviewer' ORDER BY seq`,
    );
    expect(audit.map((a) => [a.action, a.step])).toEqual([
      ['sign_in.failed', 'password'],
      ['sign_in.failed', 'enrol'],
      ['totp.enrol', null],
      ['sign_in', null],
    ]);

    // Later sign-ins ask for the code, not a new enrolment.
    const later = formClient(t);
    await later.get('/operator/sign-in');
    const pw = await later.post('/operator/sign-in', { name: 'bob.reviewer', password: PASSWORD });
    expect(pw.headers.location).toBe('/operator/sign-in/code');
    expect((await later.get('/operator/sign-in/enrol')).headers.location).toBe('/operator/sign-in/code');
    expect((await later.get('/operator')).headers.location).toBe('/operator/sign-in/code');
    await later.get('/operator/sign-in/code');
    const code = await later.post('/operator/sign-in/code', { code: nextOperatorCode(t, manualKey) });
    expect(code.headers.location).toBe('/operator');
    expect((await later.get('/operator')).statusCode).toBe(200);

    // A user session cookie does not open the console.
    const stranger = formClient(t);
    const u = await signedUpAccount(t);
    stranger.jar.set('mamori_session', u.token);
    expect((await stranger.get('/operator/audit')).statusCode).toBe(303);
    // Sign out ends the session.
    await c.get('/operator');
    const out = await c.post('/operator/sign-out', {});
    expect(out.statusCode).toBe(303);
    expect((await c.get('/operator')).statusCode).toBe(303);
  });

  it('lists parked messages with the recipient masked, retries them, and audits every action', async () => {
    const recipient = uniqueEmail('parked');
    await signedUpAccount(t, { email: recipient });
    await t.app.deps.db.query(
      `UPDATE outbox SET status = 'parked', attempts = 8, last_error = '550 mailbox unavailable' WHERE recipient = $1`,
      [recipient],
    );
    const token = await operatorToken(t, alice);
    const list = await t.api('GET', '/api/v1/operator/outbox/parked', undefined, token);
    const parked = (
      list.body.messages as {
        id: string;
        maskedRecipient: string;
        attempts: number;
        lastError: string;
        kind: string;
      }[]
    ).filter((m) => m.maskedRecipient === `${recipient.slice(0, 2)}*****@example.com`);
    expect(parked.length).toBeGreaterThan(0);
    expect(parked[0]).toMatchObject({ attempts: 8, lastError: '550 mailbox unavailable', kind: 'code' });
    expect(JSON.stringify(list.body)).not.toContain(recipient);

    // The web page shows the same, masked, and its retry button works.
    const c = await operatorConsole(t, alice);
    const pageRes = await c.get('/operator/outbox');
    expect(pageRes.body).toContain(`${recipient.slice(0, 2)}*****@example.com`);
    expect(pageRes.body).not.toContain(recipient);
    const retried = await c.post(`/operator/outbox/${parked[0]!.id}/retry`, {});
    expect(retried.statusCode).toBe(200);
    const status = (
      await t.app.deps.db.query<{ status: string }>('SELECT status FROM outbox WHERE id = $1', [
        parked[0]!.id,
      ])
    )[0]!.status;
    expect(status).toBe('pending');
    expect((await t.api('POST', `/api/v1/operator/outbox/${parked[0]!.id}/retry`, {}, token)).status).toBe(
      404,
    );

    const audit = await t.api('GET', '/api/v1/operator/audit', undefined, token);
    const entries = audit.body.entries as { operatorName: string; action: string; target: string }[];
    expect(entries[0]).toMatchObject({
      operatorName: 'Alice.Reviewer',
      action: 'outbox.retry',
      target: parked[0]!.id,
    });
    expect(entries.some((e) => e.action === 'sign_in')).toBe(true);
    const auditPage = await c.get('/operator/audit');
    expect(auditPage.body).toContain('保留中のメッセージの再送'); // the action in words;
  });
});
