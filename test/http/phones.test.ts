import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDevMessages } from '../../src/adapters/email/dev-mailbox.ts';
import { createTestApp, signedUpAccount, type TestApp } from '../support/harness.ts';

const SECOND = 1000;
const HOUR = 3600 * SECOND;

interface MethodOut {
  id: string;
  kind: string;
  value: string;
  masked: string;
  verified: boolean;
}

const addPhone = (t: TestApp, token: string, country: string, number: string) =>
  t.api('POST', '/api/v1/methods/phones', { country, number }, token);
const methodsOf = async (t: TestApp, token: string) =>
  (await t.api('GET', '/api/v1/methods', undefined, token)).body.methods as MethodOut[];
const smsTo = async (t: TestApp, e164: string) => {
  await t.drain();
  return (await listDevMessages(t.app.deps.db, 'sms', 1000)).filter((m) => m.recipient === e164);
};

describe('phones (HTTP, dev SMS outbox)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('stores 090-1234-5678 (JP) as +819012345678, texts a code that verifies it', async () => {
    const { token } = await signedUpAccount(t);
    const r = await addPhone(t, token, 'JP', '090-1234-5678');
    expect(r.status).toBe(202);
    const [m] = await methodsOf(t, token);
    expect(m).toMatchObject({ id: r.body.methodId, kind: 'phone', value: '+819012345678', verified: false });
    expect(m!.masked).toBe('*******78');
    const code = await t.textedCode('+819012345678');
    expect(code).toMatch(/^\d{6}$/);
    const v = await t.api('POST', `/api/v1/methods/${m!.id}/verify`, { code }, token);
    expect(v.status).toBe(200);
    expect(v.body.method).toMatchObject({ value: '+819012345678', verified: true });
  });

  it('accepts the national number without its leading 0 (9012345678) and full-width input', async () => {
    const { token } = await signedUpAccount(t);
    expect((await addPhone(t, token, 'JP', '9012345678')).status).toBe(202);
    expect((await methodsOf(t, token)).map((m) => m.value)).toEqual(['+819012345678']);
    const other = await signedUpAccount(t);
    expect((await addPhone(t, other.token, 'JP', '０８０－１２３４－５６７８')).status).toBe(202);
    expect((await methodsOf(t, other.token)).map((m) => m.value)).toEqual(['+818012345678']);
    expect(await t.textedCode('+818012345678')).toMatch(/^\d{6}$/);
  });

  it('refuses numbers that cannot receive SMS: landline 03-… and IP phone 050-… (phone.not_mobile)', async () => {
    const { token } = await signedUpAccount(t);
    for (const number of ['03-1234-5678', '050-1234-5678', '0312345678']) {
      const r = await addPhone(t, token, 'JP', number);
      expect(r.status, number).toBe(400);
      expect(r.body.error?.code).toBe('phone.not_mobile');
    }
    expect(await methodsOf(t, token)).toHaveLength(0);
    expect(await smsTo(t, '+81312345678')).toHaveLength(0);
    expect(await smsTo(t, '+815012345678')).toHaveLength(0);
  });

  it('refuses invalid numbers (phone.invalid) and stores nothing', async () => {
    const { token } = await signedUpAccount(t);
    for (const number of [
      '12345',
      '090-1234-567',
      '090-1234-56789',
      'abc-defg-hijk',
      '090 1234 5678 ext. 9',
      '+',
    ]) {
      const r = await addPhone(t, token, 'JP', number);
      expect(r.status, number).toBe(400);
      expect(r.body.error?.code).toBe('phone.invalid');
    }
    expect(await methodsOf(t, token)).toHaveLength(0);
  });
});

describe('phones: per-country hourly cap (SMS_PER_COUNTRY_PER_HOUR=2)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { SMS_PER_COUNTRY_PER_HOUR: '2' } });
  });
  afterAll(() => t.close());

  it('refuses the 3rd code to one country in an hour with 429 phone.country_limit, sends nothing, resets after the hour', async () => {
    const { token } = await signedUpAccount(t);
    expect((await addPhone(t, token, 'JP', '090-1111-0001')).status).toBe(202);
    expect((await addPhone(t, token, 'JP', '090-1111-0002')).status).toBe(202);
    const third = await addPhone(t, token, 'JP', '090-1111-0003');
    expect(third.status).toBe(429);
    expect(third.body.error?.code).toBe('phone.country_limit');
    const retryAfter = Number(third.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(await smsTo(t, '+819011110003')).toHaveLength(0);
    expect((await methodsOf(t, token)).map((m) => m.value).sort()).toEqual([
      '+819011110001',
      '+819011110002',
    ]);

    // Another country has its own budget.
    expect((await addPhone(t, token, 'US', '+1 650-253-0000')).status).toBe(202);

    t.clock.advance(HOUR + SECOND);
    const later = await signedUpAccount(t); // the first session's step-up is no longer fresh
    expect((await addPhone(t, later.token, 'JP', '090-1111-0003')).status).toBe(202);
    expect(await smsTo(t, '+819011110003')).toHaveLength(1);
  });
});

describe('phones: SMS through the Twilio adapter, SMS_ALLOWED_COUNTRIES=JP', () => {
  interface Received {
    method: string;
    url: string;
    authorization: string;
    contentType: string;
    form: URLSearchParams;
  }
  const received: Received[] = [];
  let respond: { status: number; body: string } = { status: 201, body: '{"sid":"SM123"}' };
  let server: Server;
  let t: TestApp;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => {
        body += c;
      });
      req.on('end', () => {
        received.push({
          method: req.method ?? '',
          url: req.url ?? '',
          authorization: req.headers.authorization ?? '',
          contentType: req.headers['content-type'] ?? '',
          form: new URLSearchParams(body),
        });
        res.writeHead(respond.status, { 'content-type': 'application/json' });
        res.end(respond.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    t = await createTestApp({
      env: {
        SMS_PROVIDER: 'twilio',
        TWILIO_ACCOUNT_SID: 'AC123',
        TWILIO_AUTH_TOKEN: 'tok',
        TWILIO_FROM: '+15005550006',
        TWILIO_BASE_URL: `http://127.0.0.1:${port}`,
        SMS_ALLOWED_COUNTRIES: 'JP',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const outboxOf = async (e164: string) =>
    t.app.deps.db.query<{ status: string; attempts: number; last_error: string | null; body_text: string }>(
      `SELECT status, attempts, last_error, body_text FROM outbox WHERE channel = 'sms' AND recipient = $1`,
      [e164],
    );

  it('POSTs form-encoded To/From/Body with Basic auth to /2010-04-01/Accounts/AC123/Messages.json; the code verifies', async () => {
    respond = { status: 201, body: '{"sid":"SM123"}' };
    received.length = 0;
    const { token } = await signedUpAccount(t);
    const r = await addPhone(t, token, 'JP', '090-3333-0001');
    expect(r.status).toBe(202);
    await t.drain();
    expect(received).toHaveLength(1);
    const req = received[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/2010-04-01/Accounts/AC123/Messages.json');
    expect(req.authorization).toBe(`Basic ${Buffer.from('AC123:tok').toString('base64')}`);
    expect(req.contentType).toContain('application/x-www-form-urlencoded');
    expect(req.form.get('To')).toBe('+819033330001');
    expect(req.form.get('From')).toBe('+15005550006');
    const code = req.form.get('Body')?.match(/(?<!\d)\d{6}(?!\d)/)?.[0];
    expect(code).toMatch(/^\d{6}$/);

    const [row] = await outboxOf('+819033330001');
    expect(row).toMatchObject({ status: 'sent', attempts: 1, body_text: '' });
    const v = await t.api('POST', `/api/v1/methods/${r.body.methodId}/verify`, { code }, token);
    expect(v.status).toBe(200);
  });

  it('a 400 from Twilio parks the message (no retry)', async () => {
    respond = { status: 400, body: '{"code":21211,"message":"Invalid \'To\' Phone Number"}' };
    received.length = 0;
    const { token } = await signedUpAccount(t);
    expect((await addPhone(t, token, 'JP', '090-3333-0002')).status).toBe(202);
    await t.drain();
    expect(received).toHaveLength(1);
    const [row] = await outboxOf('+819033330002');
    expect(row!.status).toBe('parked');
    expect(row!.last_error).toContain('400');

    respond = { status: 201, body: '{"sid":"SM124"}' };
    t.clock.advance(2 * HOUR);
    await t.drain();
    expect(received).toHaveLength(1); // parked: never tried again
    expect((await outboxOf('+819033330002'))[0]!.status).toBe('parked');
  });

  it('a 503 from Twilio leaves the message pending, and it is retried later', async () => {
    respond = { status: 503, body: 'Service Unavailable' };
    received.length = 0;
    const { token } = await signedUpAccount(t);
    const r = await addPhone(t, token, 'JP', '090-3333-0003');
    expect(r.status).toBe(202);
    await t.drain();
    expect(received).toHaveLength(1);
    const [row] = await outboxOf('+819033330003');
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.last_error).toContain('503');
    expect(row!.body_text).toMatch(/^v1\./); // still encrypted, not lost

    respond = { status: 201, body: '{"sid":"SM125"}' };
    t.clock.advance(6 * SECOND);
    await t.drain();
    expect(received).toHaveLength(2);
    expect((await outboxOf('+819033330003'))[0]).toMatchObject({ status: 'sent', attempts: 2 });
    const code = received[1]!.form.get('Body')?.match(/(?<!\d)\d{6}(?!\d)/)?.[0];
    expect(received[0]!.form.get('Body')).toBe(received[1]!.form.get('Body'));
    const v = await t.api('POST', `/api/v1/methods/${r.body.methodId}/verify`, { code }, token);
    expect(v.status).toBe(200);
  });
  it('refuses a US number, also when typed in international form with JP picked; Twilio is never called', async () => {
    received.length = 0;
    const { token } = await signedUpAccount(t);
    for (const [country, number] of [
      ['US', '650-253-0000'],
      ['US', '+1 650 253 0000'],
      ['JP', '+1 650 253 0000'],
    ] as const) {
      const r = await addPhone(t, token, country, number);
      expect(r.status, `${country} ${number}`).toBe(400);
      expect(r.body.error?.code).toBe('phone.country_unsupported');
    }
    expect(await methodsOf(t, token)).toHaveLength(0);
    await t.drain();
    expect(received).toHaveLength(0);
    expect(await outboxOf('+16502530000')).toHaveLength(0);
  });
});
