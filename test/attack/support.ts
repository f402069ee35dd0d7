import { listDevMessages } from '../../src/adapters/email/dev-mailbox.ts';
import type { ApiResponse, TestApp } from '../support/harness.ts';
import { GOOD_PASSWORD } from '../support/harness.ts';
import { codeIn } from '../support/smtp-sink.ts';

/** The machine's Redis, for runs on the Redis limiter. */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Source addresses unique to this run (Redis keeps limiter keys across runs): IPv4 addresses in a random
 * 10.x.y.0/24 block per call of `ipv4()`, and IPv6 addresses in a random /48 (one /64 per `v6Net`).
 */
const run = {
  a: 1 + Math.floor(Math.random() * 250),
  b: Math.floor(Math.random() * 250),
  v6: Math.floor(Math.random() * 0xffff).toString(16),
};
let v4Counter = 0;
export function ipv4(): string {
  v4Counter++;
  return `10.${run.a}.${(run.b + Math.floor(v4Counter / 250)) % 256}.${1 + (v4Counter % 250)}`;
}
let v6Counter = 0;
/** A new IPv6 /64 of this run; `host(n)` gives addresses inside it. */
export function v6Net(): { host: (n: number) => string } {
  v6Counter++;
  const prefix = `2001:db8:${run.v6}:${v6Counter.toString(16)}`;
  return { host: (n: number) => `${prefix}:${(n + 1).toString(16)}:0:0:1` };
}

/** An API request from source address `ip` (as a client connecting directly). */
export async function call(
  t: TestApp,
  method: string,
  url: string,
  body: unknown,
  o: { ip: string; token?: string; headers?: Record<string, string> },
): Promise<ApiResponse> {
  const res = await t.app.http.inject({
    method: method as 'POST',
    url,
    payload: body as Record<string, unknown> | undefined,
    remoteAddress: o.ip,
    headers: {
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) mamori-test',
      ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
      ...o.headers,
    },
  });
  let parsed: ApiResponse['body'] = {};
  try {
    parsed = res.body ? JSON.parse(res.body) : {};
  } catch {
    parsed = { raw: res.body };
  }
  return { status: res.statusCode, body: parsed, headers: res.headers };
}

let emails = 0;
export function freshEmail(prefix = 'u'): string {
  emails++;
  return `${prefix}${emails}.${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** Signs up (from its own address) and confirms; returns a session token (fresh proof for 10 minutes). */
export async function account(
  t: TestApp,
  o: { email?: string; ip?: string } = {},
): Promise<{ email: string; token: string; ip: string }> {
  const email = o.email ?? freshEmail();
  const ip = o.ip ?? ipv4();
  const r = await call(
    t,
    'POST',
    '/api/v1/signup',
    { email, password: GOOD_PASSWORD, displayName: '山田 太郎', locale: 'ja' },
    { ip },
  );
  if (r.status !== 202) throw new Error(`signup failed: ${JSON.stringify(r.body)}`);
  const code = await t.mailedCode(email);
  const c = await call(
    t,
    'POST',
    '/api/v1/signup/confirm',
    { signupToken: r.body.signupToken, code },
    { ip },
  );
  if (c.status !== 200) throw new Error(`confirm failed: ${JSON.stringify(c.body)}`);
  return { email, token: c.body.sessionToken as string, ip };
}

/** Adds and verifies a contact email; returns its method id. */
export async function addContact(t: TestApp, token: string, ip: string, email: string): Promise<string> {
  const r = await call(t, 'POST', '/api/v1/methods/emails', { email }, { ip, token });
  if (r.status !== 202) throw new Error(`add email failed: ${JSON.stringify(r.body)}`);
  const code = await t.mailedCode(email);
  const v = await call(t, 'POST', `/api/v1/methods/${r.body.methodId}/verify`, { code }, { ip, token });
  if (v.status !== 200) throw new Error(`verify failed: ${JSON.stringify(v.body)}`);
  return r.body.methodId as string;
}

/** Adds and verifies a mobile number (national form for `country`); returns its method id and E.164. */
export async function addPhone(
  t: TestApp,
  token: string,
  ip: string,
  country: string,
  number: string,
): Promise<{ methodId: string; e164: string }> {
  const r = await call(t, 'POST', '/api/v1/methods/phones', { country, number }, { ip, token });
  if (r.status !== 202) throw new Error(`add phone failed: ${JSON.stringify(r.body)}`);
  const methodId = r.body.methodId as string;
  const row = (
    await t.app.deps.db.query<{ value: string }>('SELECT value FROM security_methods WHERE id = $1', [
      methodId,
    ])
  )[0]!;
  const code = await t.textedCode(row.value);
  const v = await call(t, 'POST', `/api/v1/methods/${methodId}/verify`, { code }, { ip, token });
  if (v.status !== 200) throw new Error(`verify phone failed: ${JSON.stringify(v.body)}`);
  return { methodId, e164: row.value };
}

/** Every SMS in the dev outbox to numbers starting with `prefix`. */
export async function smsTo(t: TestApp, prefix: string) {
  return (await listDevMessages(t.app.deps.db, 'sms', 10_000)).filter((m) => m.recipient.startsWith(prefix));
}

/** Mails whose subject matches, to `address` (delivered through real SMTP into the sink). */
export async function mailsTo(t: TestApp, address: string, subject: RegExp) {
  await t.drain();
  return t.sink.to(address).filter((m) => subject.test(m.subject));
}

/** Waits (draining the outbox) until `check` holds; for messages queued after an answer was sent. */
export async function eventually(t: TestApp, check: () => Promise<boolean>, tries = 100): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    await t.drain();
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

export const latestCode = (text: string) => codeIn(text);

/** Counts answers by `status error.code`. */
export function tally(rs: ApiResponse[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rs) {
    const k = `${r.status} ${r.body.error?.code ?? 'ok'}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}
