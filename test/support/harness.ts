import { listDevMessages } from '../../src/adapters/email/dev-mailbox.ts';
import { type App, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { ManualClock } from '../../src/kernel/clock.ts';
import type { Random } from '../../src/kernel/random.ts';
import type { EmailTransport, SmsProvider } from '../../src/notifications/ports.ts';
import { openTestStore, type StoreKind } from './databases.ts';
import { assertConforms } from './openapi-conformance.ts';
import { codeIn, type SmtpSink, startSmtpSink } from './smtp-sink.ts';

const REDIS_PREFIX = `mamori-test:${process.pid}:${Math.random().toString(36).slice(2, 10)}:`;

export interface TestApp {
  app: App;
  clock: ManualClock;
  sink: SmtpSink;
  /** Delivers every due outbox message (real SMTP into the sink). */
  drain(): Promise<void>;
  /** Latest code mailed to `address`. */
  mailedCode(address: string): Promise<string>;
  /** Latest code texted to `e164` (dev SMS outbox). */
  textedCode(e164: string): Promise<string>;
  api(
    method: string,
    url: string,
    body?: unknown,
    token?: string,
    headers?: Record<string, string>,
  ): Promise<ApiResponse>;
  close(): Promise<void>;
}

export interface ApiResponse {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
  headers: Record<string, string | string[] | number | undefined>;
}

export async function createTestApp(
  o: {
    store?: StoreKind;
    env?: Record<string, string>;
    email?: EmailTransport;
    sms?: SmsProvider;
    clock?: ManualClock;
    /** Randomness for the app (default: the CSPRNG); lets a test know every code in advance. */
    random?: Random;
  } = {},
): Promise<TestApp> {
  const sink = await startSmtpSink();
  const store = await openTestStore(o.store ?? 'pglite');
  const clock = o.clock ?? new ManualClock('2026-11-24T01:00:00Z');
  const config = loadConfig({
    NODE_ENV: 'test',
    SMTP_URL: sink.url,
    MAIL_FROM: 'Mamori <security@mamori.test>',
    MAMORI_SECRET: 'test-secret-test-secret-test-secret-0123',
    PUBLIC_URL: 'http://mamori.test',
    SESSION_CACHE_SECONDS: '0',
    // One Redis key space per test file: apps of one file share limits, parallel files and runs do not.
    REDIS_KEY_PREFIX: REDIS_PREFIX,
    ...o.env,
  });
  const app = await createApp(config, {
    db: store.db,
    clock,
    random: o.random,
    manualDispatch: true,
    email: o.email,
    sms: o.sms,
  });
  await app.http.ready();
  const drain = async () => {
    await app.deps.dispatcher.drain();
  };
  return {
    app,
    clock,
    sink,
    drain,
    async mailedCode(address) {
      await drain();
      // Messages of one delivery round arrive in any order: take the latest one that carries a code.
      const mails = sink.to(address).filter((m) => /(?<!\d)\d{6}(?!\d)/.test(m.text));
      const last = mails[mails.length - 1];
      if (!last) throw new Error(`no code mailed to ${address}`);
      return codeIn(last.text);
    },
    async textedCode(e164) {
      await drain();
      const sms = (await listDevMessages(app.deps.db, 'sms')).filter((m) => m.recipient === e164);
      if (!sms[0]) throw new Error(`no SMS to ${e164}`);
      return codeIn(sms[0].bodyText);
    },
    async api(method, url, body, token, headers = {}) {
      const res = await app.http.inject({
        method: method as 'GET',
        url,
        payload: body as Record<string, unknown> | undefined,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) mamori-test',
          ...headers,
        },
      });
      // Every answer must be one the OpenAPI document describes (status, body, error code).
      await assertConforms(app, { method, url, status: res.statusCode, body: res.body });
      let parsed: ApiResponse['body'] = {};
      try {
        parsed = res.body ? JSON.parse(res.body) : {};
      } catch {
        parsed = { raw: res.body };
      }
      return { status: res.statusCode, body: parsed, headers: res.headers };
    },
    async close() {
      await app.close();
      await store.close();
      await sink.close();
    },
  };
}

let counter = 0;
/** A unique address per call, so tests in one app do not collide. */
export function uniqueEmail(prefix = 'user'): string {
  counter++;
  return `${prefix}${counter}.${Math.random().toString(36).slice(2, 7)}@example.com`;
}

export const GOOD_PASSWORD = 'correct horse battery staple 42';

/** Signs up and confirms an account through the API; returns its session token. */
export async function signedUpAccount(
  t: TestApp,
  o: { email?: string; password?: string; locale?: 'ja' | 'en'; displayName?: string } = {},
): Promise<{ email: string; password: string; token: string }> {
  const email = o.email ?? uniqueEmail();
  const password = o.password ?? GOOD_PASSWORD;
  const r = await t.api('POST', '/api/v1/signup', {
    email,
    password,
    displayName: o.displayName ?? '山田 太郎',
    locale: o.locale ?? 'ja',
  });
  if (r.status !== 202) throw new Error(`signup failed: ${JSON.stringify(r.body)}`);
  const code = await t.mailedCode(email);
  const c = await t.api('POST', '/api/v1/signup/confirm', { signupToken: r.body.signupToken, code });
  if (c.status !== 200) throw new Error(`confirm failed: ${JSON.stringify(c.body)}`);
  t.clock.advance(61_000); // past the resend wait for the next code to the same address
  return { email, password, token: c.body.sessionToken as string };
}

/** Adds and verifies a contact email; returns its method id. */
export async function verifiedEmail(
  t: TestApp,
  token: string,
  email = uniqueEmail('contact'),
): Promise<string> {
  const r = await t.api('POST', '/api/v1/methods/emails', { email }, token);
  if (r.status !== 202) throw new Error(`add email failed: ${JSON.stringify(r.body)}`);
  const code = await t.mailedCode(email);
  const v = await t.api('POST', `/api/v1/methods/${r.body.methodId}/verify`, { code }, token);
  if (v.status !== 200) throw new Error(`verify failed: ${JSON.stringify(v.body)}`);
  return r.body.methodId as string;
}

/**
 * Signs in through the API, completing the extra check of an unusual sign-in (a new device) with a code
 * sent to the first method offered. Returns the final response (200 with `sessionToken`, or an error).
 */
export async function signInFully(
  t: TestApp,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  const r = await t.api('POST', '/api/v1/sessions', { email, password }, undefined, headers);
  const second = r.body.secondFactor as { pendingToken: string; reason: string } | undefined;
  if (r.status !== 202 || !second) return r;
  const { methods } = (
    await t.api('POST', '/api/v1/sessions/second-factor/methods', { pendingToken: second.pendingToken })
  ).body as { methods: { id: string; kind: string }[] };
  const m = methods.find((x) => x.kind === 'email') ?? methods[0]!;
  t.clock.advance(61_000);
  const sent = await t.api('POST', '/api/v1/sessions/second-factor/send', {
    pendingToken: second.pendingToken,
    methodId: m.id,
  });
  if (sent.status !== 200) throw new Error(`second factor send failed: ${JSON.stringify(sent.body)}`);
  await t.drain();
  const mail = t.sink.messages
    .filter((x) => /サインイン用の確認コード|Your sign-in code/.test(x.subject))
    .at(-1);
  if (!mail) throw new Error('no sign-in code mailed');
  return t.api(
    'POST',
    '/api/v1/sessions/second-factor',
    { pendingToken: second.pendingToken, methodId: m.id, code: codeIn(mail.text) },
    undefined,
    headers,
  );
}
