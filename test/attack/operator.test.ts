/**
 * Attacks on the operator console's sign-in, on PostgreSQL with the SQL limiter and with the Redis limiter:
 * the password alone opens nothing, bursts of 100 parallel wrong passwords or codes stay within the caps,
 * a code is accepted once, and the authenticator secret is stored encrypted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import {
  createOperator,
  OPERATOR_CODE_LIMIT,
  OPERATOR_IP_LIMIT,
  OPERATOR_PASSWORD_LIMIT,
} from '../../src/operator/operator-auth.ts';
import { rotateSecret } from '../../src/storage/rotate-secret.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { enrolledOperator, nextOperatorCode } from '../support/operator.ts';
import { formClient } from '../web/browser-less-client.ts';

const PASSWORD = 'operator passphrase for attacks 7';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A random documentation-range address, so runs against a shared Redis never meet old counters. */
const randomIp = () =>
  `10.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;

describe.each([
  ['SQL limiter', {}],
  ['Redis limiter', { REDIS_URL }],
] as const)('operator sign-in on PostgreSQL (%s)', (_label, env) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres', env: { ...env } });
  });
  afterAll(() => t?.close());

  /** A JSON request from a given IP address. */
  async function call(ip: string, url: string, payload: unknown, bearer?: string) {
    const res = await t.app.http.inject({
      method: url.startsWith('GET ') ? 'GET' : 'POST',
      url: url.replace(/^GET /, ''),
      payload: payload as Record<string, unknown> | undefined,
      remoteAddress: ip,
      headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
    });
    return {
      status: res.statusCode,
      body: JSON.parse(res.body || '{}') as Record<string, unknown> & { error?: { code: string } },
      headers: res.headers,
    };
  }
  const password = (ip: string, name: string, pw: string) =>
    call(ip, '/api/v1/operator/sessions', { name, password: pw });
  const code = (ip: string, pendingToken: string, c: string) =>
    call(ip, '/api/v1/operator/sessions/code', { pendingToken, code: c });
  const tally = (rs: { status: number }[]) =>
    rs.reduce<Record<number, number>>((acc, r) => {
      acc[r.status] = (acc[r.status] ?? 0) + 1;
      return acc;
    }, {});

  it('the password alone opens nothing: first sign-in enrols an authenticator, later ones need its code', async () => {
    const ip = randomIp();
    const name = `first.${Math.random().toString(36).slice(2, 8)}`;
    await createOperator(t.app.deps, { name, password: PASSWORD });
    const pw = await password(ip, name, PASSWORD);
    expect(pw.status).toBe(202);
    expect(pw.body.next).toBe('enrol');
    const pending = pw.body.pendingToken as string;
    for (const path of [
      '/api/v1/operator/requests',
      '/api/v1/operator/audit',
      '/api/v1/operator/outbox/parked',
    ])
      expect((await call(ip, `GET ${path}`, undefined, pending)).status, path).toBe(401);
    // Nor can the pending cookie open a console page.
    const c = formClient(t);
    c.jar.set('mamori_operator', pending);
    expect((await c.get('/operator/audit')).headers.location).toBe('/operator/sign-in/enrol');

    const enrolment = await call(ip, '/api/v1/operator/sessions/enrolment', { pendingToken: pending });
    expect(enrolment.status).toBe(200);
    expect(enrolment.body.uri).toMatch(/^otpauth:\/\/totp\//);
    const key = enrolment.body.manualKey as string;
    const done = await code(ip, pending, nextOperatorCode(t, key));
    expect(done.status).toBe(200);
    const token = done.body.operatorToken as string;
    expect((await call(ip, 'GET /api/v1/operator/requests', undefined, token)).status).toBe(200);

    // The secret is stored encrypted, never as the key the operator typed.
    const row = (
      await t.app.deps.db.query<{ totp_secret_enc: string }>(
        'SELECT totp_secret_enc FROM operators WHERE name = $1',
        [name],
      )
    )[0]!;
    expect(row.totp_secret_enc).toMatch(/^v1\./);
    expect(row.totp_secret_enc).not.toContain(key.replace(/\s+/g, ''));

    // Later: password, then a code. A second enrolment is refused.
    const later = await password(ip, name, PASSWORD);
    expect(later.body.next).toBe('code');
    const again = await call(ip, '/api/v1/operator/sessions/enrolment', {
      pendingToken: later.body.pendingToken,
    });
    expect(again.body.error?.code).toBe('signin.flow_invalid');
    expect((await code(ip, later.body.pendingToken as string, nextOperatorCode(t, key))).status).toBe(200);

    const audit = await t.app.deps.db.query<{ action: string }>(
      'SELECT action FROM operator_audit WHERE operator_name = $1 ORDER BY seq',
      [name],
    );
    expect(audit.map((a) => a.action)).toEqual(['totp.enrol', 'sign_in', 'sign_in']);
  });

  it(`100 parallel wrong passwords for one operator: ${OPERATOR_PASSWORD_LIMIT} are checked, the rest refused`, async () => {
    const op = await enrolledOperator(t, { password: PASSWORD });
    const ip = randomIp();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => password(ip, op.name, `wrong guess number ${i}`)),
    );
    expect(tally(results)).toEqual({ 401: OPERATOR_PASSWORD_LIMIT, 429: 100 - OPERATOR_PASSWORD_LIMIT });
    const limited = results.find((r) => r.status === 429)!;
    expect(limited.body.error?.code).toBe('request.rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Even the right password waits (from another address too), and no wrong password slipped through.
    expect((await password(randomIp(), op.name, PASSWORD)).status).toBe(429);
    const failed = await t.app.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM operator_audit WHERE operator_id = $1 AND action = 'sign_in.failed'`,
      [op.id],
    );
    expect(failed[0]!.n).toBe(OPERATOR_PASSWORD_LIMIT);
    // The window ends by itself.
    t.clock.advance(16 * 60_000);
    expect((await password(randomIp(), op.name, PASSWORD)).status).toBe(202);
  });

  it(`100 parallel wrong passwords from one address, each for another name: ${OPERATOR_IP_LIMIT} are checked`, async () => {
    const ip = randomIp();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        password(ip, `nobody.${i}.${Math.random().toString(36).slice(2, 6)}`, 'x'),
      ),
    );
    expect(tally(results)).toEqual({ 401: OPERATOR_IP_LIMIT, 429: 100 - OPERATOR_IP_LIMIT });
    t.clock.advance(16 * 60_000);
  });

  it(`100 parallel wrong codes after the right password: ${OPERATOR_CODE_LIMIT} are checked, then even the right code waits`, async () => {
    const op = await enrolledOperator(t, { password: PASSWORD });
    const ip = randomIp();
    const pw = await password(ip, op.name, PASSWORD);
    const pending = pw.body.pendingToken as string;
    const right = nextOperatorCode(t, op.manualKey);
    const wrong = (i: number) => {
      const c = String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0');
      return c === right ? '000000' : c;
    };
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => code(ip, pending, wrong(i))));
    expect(tally(results)).toEqual({ 400: OPERATOR_CODE_LIMIT, 429: 100 - OPERATOR_CODE_LIMIT });
    expect(results.find((r) => r.status === 400)!.body.error?.code).toBe('code.invalid');
    // The right code is refused too while the cap holds (from any address), so guessing cannot go on.
    expect((await code(randomIp(), pending, right)).status).toBe(429);
    // After the window: a new sign-in with a fresh code works.
    t.clock.advance(16 * 60_000);
    const again = await password(ip, op.name, PASSWORD);
    expect(
      (await code(ip, again.body.pendingToken as string, nextOperatorCode(t, op.manualKey))).status,
    ).toBe(200);
  });

  it('a code is accepted once: not in a second sign-in, and only once among parallel sign-ins', async () => {
    const op = await enrolledOperator(t, { password: PASSWORD });
    const ip = randomIp();
    const one = await password(ip, op.name, PASSWORD);
    const c = nextOperatorCode(t, op.manualKey);
    expect((await code(ip, one.body.pendingToken as string, c)).status).toBe(200);
    const two = await password(ip, op.name, PASSWORD);
    const replay = await code(ip, two.body.pendingToken as string, c);
    expect(replay.status).toBe(400);
    expect(replay.body.error?.code).toBe('code.invalid');

    // Four sign-ins waiting for a code; the same fresh code sent to all of them at once opens one session.
    const pendings = await Promise.all(
      Array.from(
        { length: 4 },
        async () => (await password(ip, op.name, PASSWORD)).body.pendingToken as string,
      ),
    );
    const fresh = nextOperatorCode(t, op.manualKey);
    const raced = await Promise.all(pendings.map((p) => code(ip, p, fresh)));
    expect(tally(raced)).toEqual({ 200: 1, 400: 3 });
  });

  it('a pending sign-in ends after 10 minutes', async () => {
    const op = await enrolledOperator(t, { password: PASSWORD });
    const ip = randomIp();
    const pw = await password(ip, op.name, PASSWORD);
    t.clock.advance(11 * 60_000);
    const late = await code(ip, pw.body.pendingToken as string, nextOperatorCode(t, op.manualKey));
    expect(late.body.error?.code).toBe('signin.flow_invalid');
  });

  it('rotating MAMORI_SECRET carries the authenticator secrets over', async () => {
    const op = await enrolledOperator(t, { password: PASSWORD });
    const oldSecret = t.app.deps.config.secret;
    const newSecret = 'another-secret-another-secret-another-01';
    await rotateSecret(t.app.deps.db, oldSecret, newSecret);
    // A second instance on the same database, configured with the new secret.
    const second = await createApp(
      { ...t.app.deps.config, secret: newSecret },
      { db: t.app.deps.db, clock: t.clock, manualDispatch: true },
    );
    try {
      const pw = await second.http.inject({
        method: 'POST',
        url: '/api/v1/operator/sessions',
        payload: { name: op.name, password: PASSWORD },
        remoteAddress: randomIp(),
      });
      const done = await second.http.inject({
        method: 'POST',
        url: '/api/v1/operator/sessions/code',
        payload: { pendingToken: JSON.parse(pw.body).pendingToken, code: nextOperatorCode(t, op.manualKey) },
        remoteAddress: randomIp(),
      });
      expect(done.statusCode).toBe(200);
    } finally {
      await second.close();
      await rotateSecret(t.app.deps.db, newSecret, oldSecret);
    }
  });
});
