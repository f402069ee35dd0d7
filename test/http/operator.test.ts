import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator } from '../../src/operator/operator-auth.ts';
import { createTestApp, signedUpAccount, type TestApp, uniqueEmail } from '../support/harness.ts';
import { formClient } from '../web/browser-less-client.ts';

const PASSWORD = 'operator passphrase 5678';

describe('operator console (HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await createOperator(t.app.deps, { name: 'Alice.Reviewer', password: PASSWORD });
  });
  afterAll(() => t.close());

  const signIn = (name: string, password: string) =>
    t.api('POST', '/api/v1/operator/sessions', { name, password });

  it('signs operators in with their own credentials and tokens; user tokens do not work', async () => {
    const wrong = await signIn('alice.reviewer', 'not the password at all');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error?.code).toBe('operator.invalid_credentials');
    const unknown = await signIn('nobody.here', PASSWORD);
    expect(unknown.body.error?.code).toBe('operator.invalid_credentials');
    const ok = await signIn('alice.reviewer', PASSWORD);
    expect(ok.status).toBe(200);
    expect(ok.body.operator).toMatchObject({ name: 'Alice.Reviewer', role: 'reviewer' });
    const token = ok.body.operatorToken as string;
    expect((await t.api('GET', '/api/v1/operator/requests', undefined, token)).status).toBe(200);

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

  it('stores the password as argon2id', async () => {
    const row = (
      await t.app.deps.db.query<{ password_hash: string }>(
        `SELECT password_hash FROM operators WHERE name_key = 'alice.reviewer'`,
      )
    )[0]!;
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('web console: sign-in page, cookie on /operator, CSRF, redirects when signed out', async () => {
    const c = formClient(t);
    const first = await c.get('/operator');
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/operator/sign-in');
    const page = await c.get('/operator/sign-in');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('オペレーターのサインイン');
    const noCsrf = await c.post('/operator/sign-in', { name: 'alice.reviewer', password: PASSWORD }, false);
    expect(noCsrf.statusCode).toBe(403);
    await c.get('/operator/sign-in');
    const bad = await c.post('/operator/sign-in', {
      name: 'alice.reviewer',
      password: 'wrong password here',
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.body).toContain('オペレーター名またはパスワードが正しくありません');
    const good = await c.post('/operator/sign-in', { name: 'alice.reviewer', password: PASSWORD });
    expect(good.statusCode).toBe(303);
    const setCookie = ([] as string[])
      .concat(good.headers['set-cookie'] as string[])
      .find((x) => x.startsWith('mamori_operator='))!;
    expect(setCookie).toMatch(/Path=\/operator/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const queue = await c.get('/operator');
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain('審査待ちの回復申請');
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
    const token = (await signIn('alice.reviewer', PASSWORD)).body.operatorToken as string;
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
    const c = formClient(t);
    await c.get('/operator/sign-in');
    await c.post('/operator/sign-in', { name: 'alice.reviewer', password: PASSWORD });
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
