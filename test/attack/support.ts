import { listDevMessages } from '../../src/adapters/email/dev-mailbox.ts';
import { type App, createApp } from '../../src/app.ts';
import { hmac } from '../../src/kernel/crypto.ts';
import { cryptoRandom, type Random } from '../../src/kernel/random.ts';
import type { Sql } from '../../src/kernel/sql.ts';
import { type PowChallenge, solvePow } from '../../src/recovery-form/pow.ts';
import { openPostgres } from '../../src/storage/postgres.ts';
import { PG_ADMIN_URL } from '../support/databases.ts';
import {
  type ApiResponse,
  GOOD_PASSWORD,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';
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

/** The secret of every test app (test/support/harness.ts). */
export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123';

/** Every 6-digit code the app draws while `forcedRandom` is in use. */
export const KNOWN_CODE = '424242';

/**
 * Randomness whose 6-digit codes are all KNOWN_CODE (everything else still comes from the CSPRNG): the
 * test knows the code a decoy challenge would have had, without reading it from anywhere.
 */
export const forcedRandom: Random = {
  int: (min, max) => (min === 0 && max === 1_000_000 ? Number(KNOWN_CODE) : cryptoRandom.int(min, max)),
  bytes: (n) => cryptoRandom.bytes(n),
};

/** A 6-digit code that is certainly not `code`. */
export const otherCode = (code: string, step = 1) =>
  String((Number(code) + step) % 1_000_000).padStart(6, '0');

/** The stored form of `code` for a challenge (src/verification/challenges.ts). */
export const codeHmacOf = (challengeId: string, code: string) =>
  hmac(TEST_SECRET, `code:${challengeId}:${code}`);

/** Every 6-digit code whose HMAC is `stored` for this challenge: an offline brute force of all 10^6. */
export function codesOpening(challengeId: string, stored: string | null): string[] {
  const found: string[] = [];
  if (!stored) return found;
  for (let i = 0; i < 1_000_000; i++) {
    const code = String(i).padStart(6, '0');
    if (codeHmacOf(challengeId, code) === stored) found.push(code);
  }
  return found;
}

/**
 * The parts of an answer an attacker compares: status, body shape (keys and value types, deep), error code and
 * message (which carries the remaining tries and waits), headers other than date, length and ids, cookie names.
 */
export function observable(r: ApiResponse): Record<string, unknown> {
  const keys = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(keys)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, keys((v as Record<string, unknown>)[k])]),
          )
        : typeof v;
  const headers = Object.fromEntries(
    Object.entries(r.headers)
      .filter(([k]) => !['date', 'content-length', 'x-request-id', 'set-cookie'].includes(k))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  const cookies = ([] as string[])
    .concat((r.headers['set-cookie'] as string[] | string | undefined) ?? [])
    .map((c) => c.split('=')[0]);
  return {
    status: r.status,
    shape: keys(r.body),
    error: r.body.error?.code ?? null,
    message: r.body.error?.message ?? null,
    headers,
    cookies,
  };
}

/** Password-reset API calls. */
export function resetApi(t: TestApp) {
  return {
    start: (email: string) => t.api('POST', '/api/v1/password-reset', { email }),
    state: (flowToken: unknown) => t.api('POST', '/api/v1/password-reset/state', { flowToken }),
    choose: (flowToken: unknown, methodId: string, confirm: string) =>
      t.api('POST', '/api/v1/password-reset/choose', { flowToken, methodId, confirm }),
    verify: (flowToken: unknown, code: string) =>
      t.api('POST', '/api/v1/password-reset/verify', { flowToken, code }),
    resend: (flowToken: unknown) => t.api('POST', '/api/v1/password-reset/resend', { flowToken }),
    recoveryCode: (flowToken: unknown, recoveryCode: string) =>
      t.api('POST', '/api/v1/password-reset/recovery-code', { flowToken, recoveryCode }),
    complete: (flowToken: unknown, password: string) =>
      t.api('POST', '/api/v1/password-reset/complete', { flowToken, password }),
  };
}

/** An account with one verified contact email; the resend wait of that address has passed. */
export async function accountWithContact(t: TestApp, o: { email?: string } = {}) {
  const account = await signedUpAccount(t, o);
  const contact = uniqueEmail('contact');
  const methodId = await verifiedEmail(t, account.token, contact);
  await t.drain();
  t.clock.advance(61_000);
  const id = (
    await t.app.deps.db.query<{ id: string }>('SELECT id FROM accounts WHERE email = $1', [account.email])
  )[0]!.id;
  return { ...account, id, contact, methodId };
}

/**
 * A solved proof of work for the recovery form, as a client sends it (the challenge's maxnumber is not part
 * of it); fetched from source address `ip` when given.
 */
export async function solvedPow(t: TestApp, ip?: string): Promise<Record<string, unknown>> {
  const answer = ip
    ? await call(t, 'GET', '/api/v1/recovery-form/pow', undefined, { ip })
    : await t.api('GET', '/api/v1/recovery-form/pow');
  const c = answer.body as unknown as PowChallenge;
  const number = solvePow(c);
  return { algorithm: c.algorithm, challenge: c.challenge, number, salt: c.salt, signature: c.signature };
}

/**
 * A second app instance on the same PostgreSQL database as `t` (its own connection pool and HTTP server,
 * the same config, clock and randomness), like a second process behind a load balancer.
 */
export async function secondInstance(t: TestApp): Promise<{ app: App; close: () => Promise<void> }> {
  const [{ db }] = (await t.app.deps.db.query<{ db: string }>('SELECT current_database() AS db')) as [
    { db: string },
  ];
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${db}`;
  const pool = await openPostgres(u.toString());
  const app = await createApp(t.app.deps.config, {
    db: pool,
    clock: t.clock,
    random: t.app.deps.random,
    manualDispatch: true,
  });
  await app.http.ready();
  return {
    app,
    async close() {
      await app.close();
      await pool.close();
    },
  };
}

/**
 * Records every statement the app's database runs (its first `width` characters, spaces collapsed), inside
 * transactions too, for probes that compare the work an answer waits for. `reset()` waits for statements
 * still running and clears the list; `settle()` waits for those still running.
 */
export function recordStatements(t: TestApp, width = 70) {
  const statements: string[] = [];
  const pending: Promise<unknown>[] = [];
  const db = t.app.deps.db;
  const wrap = (sql: Sql): Sql['query'] => {
    const query = sql.query.bind(sql);
    return ((text: string, params?: unknown[]) => {
      statements.push(text.replace(/\s+/g, ' ').trim().slice(0, width));
      const p = query(text, params);
      pending.push(p.catch(() => {}));
      return p;
    }) as Sql['query'];
  };
  db.query = wrap(db);
  const tx = db.tx.bind(db);
  db.tx = ((fn: (s: Sql) => Promise<unknown>) =>
    tx((s) => fn({ ...s, query: wrap(s) } as Sql))) as typeof db.tx;
  const settle = async () => {
    await Promise.all(pending.splice(0));
  };
  return {
    statements,
    settle,
    async reset() {
      await settle();
      statements.length = 0;
    },
  };
}
