/**
 * The process under test, started by bench/run.ts as a child (so the load generator and the servers can be
 * pinned to different cores). It runs:
 *   - Mamori as configured by default (embedded PGlite in a temporary DATA_DIR, SESSION_CACHE_SECONDS 5),
 *   - the same Mamori over the same store with SESSION_CACHE_SECONDS=0 (every session check reads PGlite),
 *   - a bare Fastify hello-world,
 *   - the same again with SESSION_CACHE_SECONDS=300 (a what-if for a recommended change),
 * and answers seeding, raw-argon2, TOTP micro-benchmark and profiling commands from the parent over IPC.
 * With BENCH_DATABASE_URL (bench/compare.ts) the store is that PostgreSQL database instead, with Redis
 * (BENCH_REDIS_URL, default redis://127.0.0.1:6379) as a PostgreSQL deployment runs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import helmet from '@fastify/helmet';
import { verify } from '@node-rs/argon2';
import Fastify, { type FastifyInstance } from 'fastify';
import { hashPassword } from '../src/accounts/password-hasher.ts';
import { recordActivity } from '../src/activity/activity.ts';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { createCipher } from '../src/kernel/cipher.ts';
import type { RequestContext } from '../src/kernel/context.ts';
import { hmac, sha256 } from '../src/kernel/crypto.ts';
import { cryptoRandom, newId, numericCode, token } from '../src/kernel/random.ts';
import { emailKey, normalizeEmail } from '../src/security-info/email/normalize-email.ts';
import { generateTotpSecret, totpCode, verifyTotp } from '../src/security-info/totp/totp.ts';
import { createSession } from '../src/sessions/sessions.ts';
import type { Sql } from '../src/storage/db.ts';
import { machineBusySeconds } from './cpu.ts';
import { summarizeProfile } from './profile.ts';
import {
  BENCH_IP,
  BENCH_USER_AGENT,
  type Command,
  type Reply,
  type TotpMicro,
  type TotpSeed,
} from './protocol.ts';

const SECRET = 'bench-secret-bench-secret-bench-secret-0123';
const dataDir = mkdtempSync(join(tmpdir(), 'mamori-bench-'));
const baseEnv: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
  MAMORI_SECRET: SECRET,
  PUBLIC_URL: 'http://127.0.0.1',
  DATA_DIR: dataDir,
  // The sign-in throttle must not interfere: wrong-password runs make many failures from 127.0.0.1.
  SIGNIN_FAILURES_PER_ACCOUNT: '1000',
  SIGNIN_FAILURES_PER_IP: '100000',
  ...(process.env.BENCH_DATABASE_URL
    ? {
        DATABASE_URL: process.env.BENCH_DATABASE_URL,
        REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
        REDIS_KEY_PREFIX: `mamori-bench-${process.pid}:`,
      }
    : {}),
};

const app = await createApp(loadConfig(baseEnv));
const db = app.deps.db;
const noCache = await createApp(loadConfig({ ...baseEnv, SESSION_CACHE_SECONDS: '0' }), {
  db,
  manualDispatch: true,
});
// What-if: the same app with the longest session cache the config allows (see docs/benchmarks.md).
const longCache = await createApp(loadConfig({ ...baseEnv, SESSION_CACHE_SECONDS: '300' }), {
  db,
  manualDispatch: true,
});
const hello = Fastify();
hello.get('/', async () => ({ hello: 'world' }));

// Diagnostics (bench/run.ts --profile): hello-world plus @fastify/helmet configured as in src/app.ts, and
// hello-world plus the very same headers computed once at start-up.
const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  hsts: false,
};
const helloHelmet = Fastify();
await helloHelmet.register(helmet, HELMET_OPTIONS);
helloHelmet.get('/', async () => ({ hello: 'world' }));
const probe = await helloHelmet.inject({ method: 'GET', url: '/' });
const staticHeaders: Record<string, string> = {};
for (const [k, v] of Object.entries(probe.headers)) {
  if (!['content-type', 'content-length', 'date', 'connection', 'keep-alive'].includes(k))
    staticHeaders[k] = String(v);
}
const helloStatic = Fastify();
helloStatic.addHook('onRequest', async (_req, reply) => {
  reply.headers(staticHeaders);
});
helloStatic.get('/', async () => ({ hello: 'world' }));

const listen = async (f: FastifyInstance) => {
  await f.listen({ port: 0, host: '127.0.0.1' });
  const addr = f.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return addr.port;
};
const ports = {
  app: await listen(app.http),
  appNoCache: await listen(noCache.http),
  appLongCache: await listen(longCache.http),
  hello: await listen(hello),
  helloHelmet: await listen(helloHelmet),
  helloStatic: await listen(helloStatic),
};

/**
 * Statement counters: every query through the store (including each statement inside a transaction, and
 * BEGIN/COMMIT) is counted, and session lookups (the JOIN in validateSession) separately.
 */
const dbStats = { statements: 0, sessionLookups: 0, transactions: 0 };
type Query = Sql['query'];
const counting =
  (q: Query): Query =>
  (text: string, params?: unknown[]) => {
    dbStats.statements++;
    if (text.includes('FROM sessions s JOIN')) dbStats.sessionLookups++;
    return q(text, params);
  };
{
  const mutable = db as { query: Query; tx: typeof db.tx };
  const query = db.query;
  const tx = db.tx;
  mutable.query = counting(query) as Query;
  mutable.tx = (fn) => {
    dbStats.transactions++;
    dbStats.statements += 2;
    return tx((inner) => fn({ query: counting(inner.query) as Query, script: (text) => inner.script(text) }));
  };
}

/** Multi-row INSERT in batches. */
async function insertRows(sql: Sql, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const batch = Math.floor(4000 / columns.length);
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch);
    const params: unknown[] = [];
    const tuples = chunk.map((r) => {
      const ph = r.map((v) => {
        params.push(v);
        return `$${params.length}`;
      });
      return `(${ph.join(', ')})`;
    });
    await sql.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }
}

const ACCOUNT_COLUMNS = [
  'id',
  'email',
  'email_key',
  'display_name',
  'locale',
  'time_zone',
  'password_hash',
  'password_changed_at',
  'email_confirmed_at',
  'created_at',
  'updated_at',
];

/** Hashes in parallel (as many at a time as the libuv pool runs). */
async function hashes(password: string, n: number): Promise<string[]> {
  const out: string[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await hashPassword(password);
      }
    }),
  );
  return out;
}

const benchCtx: RequestContext = {
  ip: BENCH_IP,
  userAgent: BENCH_USER_AGENT,
  locale: 'en',
  country: app.deps.geo.country(BENCH_IP),
};

let signinHashes: string[] = [];
let signinPassword = '';

async function seedAccounts(prefix: string, count: number, password: string): Promise<string[]> {
  const hs = await hashes(password, count);
  const now = new Date();
  const rows: unknown[][] = [];
  const emails: string[] = [];
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const email = normalizeEmail(`${prefix}-${i}@example.com`);
    const id = newId(cryptoRandom, 'acc');
    emails.push(email);
    ids.push(id);
    rows.push([id, email, emailKey(email), `Bench ${i}`, 'en', 'Asia/Tokyo', hs[i], now, now, now, now]);
  }
  await insertRows(db, 'accounts', ACCOUNT_COLUMNS, rows);
  // A successful sign-in yesterday from the bench's device and address: today's sign-ins are ordinary ones,
  // not "unusual" (new device) sign-ins that stop for a second factor.
  const yesterday = new Date(now.getTime() - 24 * 3600 * 1000);
  for (const id of ids) await recordActivity(db, cryptoRandom, yesterday, id, 'signin.success', benchCtx);
  signinHashes = signinHashes.concat(hs);
  signinPassword = password;
  return emails;
}

async function seedSessions(count: number): Promise<string[]> {
  const accounts = await db.query<{ id: string }>(
    'SELECT id FROM accounts WHERE email_confirmed_at IS NOT NULL ORDER BY id',
  );
  if (accounts.length === 0) throw new Error('seed accounts first');
  // Through createSession itself, so the rows are exactly what a sign-in writes.
  const tokens: string[] = [];
  await db.tx(async (tx) => {
    for (let i = 0; i < count; i++) {
      tokens.push(await createSession(app.deps, tx, accounts[i % accounts.length]!.id, benchCtx));
    }
  });
  // Last seen at a random point of the past minute, as in steady use: validateSession writes last_seen_at
  // at most once a minute per session, so these writes come spread over time, not all due at once.
  await db.query(
    `UPDATE sessions SET last_seen_at = $1::timestamptz - random() * interval '60 seconds'
     WHERE id = ANY($2::text[])`,
    [new Date(), tokens.map((t) => sha256(t))],
  );
  return tokens;
}

/**
 * Pending sign-ups as POST /api/v1/signup leaves them: an unconfirmed account and a live 'signup'
 * challenge whose subject is SHA-256(signupToken), holding the HMAC of a known code.
 */
async function seedSignups(count: number): Promise<{ signupToken: string; code: string }[]> {
  const [hash] = await hashes('pending sign-up password 1', 1);
  const now = new Date();
  const expires = new Date(now.getTime() + 10 * 60 * 1000);
  const accounts: unknown[][] = [];
  const challenges: unknown[][] = [];
  const out: { signupToken: string; code: string }[] = [];
  const runId = Math.random().toString(36).slice(2, 8);
  for (let i = 0; i < count; i++) {
    const email = normalizeEmail(`pending-${runId}-${i}@example.com`);
    const key = emailKey(email);
    const accountId = newId(cryptoRandom, 'acc');
    const challengeId = newId(cryptoRandom, 'chl');
    const signupToken = token(cryptoRandom, 24);
    const code = numericCode(cryptoRandom, 6);
    accounts.push([accountId, email, key, `Pending ${i}`, 'en', 'Asia/Tokyo', hash, now, null, now, now]);
    challenges.push([
      challengeId,
      'signup',
      sha256(signupToken),
      accountId,
      'email',
      email,
      key,
      hmac(SECRET, `code:${challengeId}:${code}`),
      now,
      expires,
      now,
    ]);
    out.push({ signupToken, code });
  }
  await insertRows(db, 'accounts', ACCOUNT_COLUMNS, accounts);
  await insertRows(
    db,
    'challenges',
    [
      'id',
      'purpose',
      'subject',
      'account_id',
      'channel',
      'destination',
      'destination_key',
      'code_hmac',
      'code_sent_at',
      'code_expires_at',
      'created_at',
    ],
    challenges,
  );
  return out;
}

/**
 * Accounts with a verified authenticator app, as POST /api/v1/methods/totp + …/confirm leave them: a
 * security_methods row of kind 'totp' (value and value_key = its id) whose secret_enc is the base64 secret
 * sealed with createCipher(secret, 'totp-secret'), verified_at set and last_step NULL.
 *   - twoStep: two-step verification on (accounts.two_step_enabled), a second verified method (an email
 *     address: turning it on needs two), and a successful sign-in yesterday from the bench's device, so a
 *     sign-in is asked for the second factor ('two_step') and is not an unusual one.
 *   - session: a session per account (createSession) whose step-up is an hour old, so a step-up with a code
 *     has real work to do.
 */
async function seedTotp(o: {
  prefix: string;
  count: number;
  twoStep: boolean;
  session: boolean;
  password: string;
}): Promise<TotpSeed[]> {
  const hs = await hashes(o.password, Math.min(16, o.count)); // the hash cost does not depend on the salt
  const now = new Date();
  const cipher = createCipher(app.deps.config.secret, 'totp-secret');
  const accounts: unknown[][] = [];
  const methods: unknown[][] = [];
  const out: TotpSeed[] = [];
  for (let i = 0; i < o.count; i++) {
    const email = normalizeEmail(`${o.prefix}-${i}@example.com`);
    const id = newId(cryptoRandom, 'acc');
    const methodId = newId(cryptoRandom, 'mth');
    const secret = generateTotpSecret(cryptoRandom);
    const b64 = Buffer.from(secret).toString('base64');
    accounts.push([
      id,
      email,
      emailKey(email),
      `Bench ${i}`,
      'en',
      'Asia/Tokyo',
      hs[i % hs.length],
      now,
      now,
      now,
      now,
    ]);
    methods.push([methodId, id, 'totp', methodId, methodId, 'Bench app', now, now, cipher.encrypt(b64)]);
    if (o.twoStep) {
      const backup = normalizeEmail(`${o.prefix}-${i}-backup@example.com`);
      methods.push([newId(cryptoRandom, 'mth'), id, 'email', backup, emailKey(backup), '', now, now, null]);
    }
    out.push({ email, methodId, secret: b64, sessionToken: null });
  }
  await insertRows(db, 'accounts', ACCOUNT_COLUMNS, accounts);
  await insertRows(
    db,
    'security_methods',
    ['id', 'account_id', 'kind', 'value', 'value_key', 'label', 'verified_at', 'created_at', 'secret_enc'],
    methods,
  );
  const ids = accounts.map((a) => a[0] as string);
  if (o.twoStep) {
    await db.query('UPDATE accounts SET two_step_enabled = true WHERE id = ANY($1::text[])', [ids]);
    const yesterday = new Date(now.getTime() - 24 * 3600 * 1000);
    await db.tx(async (tx) => {
      for (const id of ids) await recordActivity(tx, cryptoRandom, yesterday, id, 'signin.success', benchCtx);
    });
  }
  if (o.session) {
    await db.tx(async (tx) => {
      for (let i = 0; i < ids.length; i++)
        out[i]!.sessionToken = await createSession(app.deps, tx, ids[i]!, benchCtx);
    });
    await db.query(
      `UPDATE sessions SET reauth_at = $1::timestamptz - interval '1 hour',
         second_factor_at = $1::timestamptz - interval '1 hour'
       WHERE id = ANY($2::text[])`,
      [now, out.map((s) => sha256(s.sessionToken!))],
    );
  }
  return out;
}

/**
 * The in-memory part of a TOTP check, alone: verifyTotp with the right code (as in a successful step-up),
 * and decrypting the stored secret the way totp-service.ts does (a new cipher, i.e. HKDF, per call).
 */
function totpMicro(durationMs: number): TotpMicro {
  const cipher = createCipher(app.deps.config.secret, 'totp-secret');
  const secrets = Array.from({ length: 64 }, () => generateTotpSecret(cryptoRandom));
  const sealed = secrets.map((s) => cipher.encrypt(Buffer.from(s).toString('base64')));
  const now = new Date();
  const codes = secrets.map((s) => totpCode(s, now));
  const loop = (f: (i: number) => void) => {
    for (let i = 0; i < 2000; i++) f(i); // warm-up (JIT)
    let n = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    while (performance.now() - t0 < durationMs) {
      for (let k = 0; k < 100; k++, n++) f(n);
    }
    const cpu = process.cpuUsage(cpu0);
    return { us: (cpu.user + cpu.system) / n, n };
  };
  let bad = 0;
  const v = loop((i) => {
    if (!verifyTotp(secrets[i & 63]!, codes[i & 63]!, now, null).ok) bad++;
  });
  const d = loop((i) => {
    if (createCipher(app.deps.config.secret, 'totp-secret').decrypt(sealed[i & 63]!).length === 0) bad++;
  });
  if (bad) throw new Error(`totpMicro: ${bad} unexpected results`);
  return { verifyUs: v.us, decryptUs: d.us, verifyCalls: v.n, decryptCalls: d.n };
}

/** Raw argon2id verifications: `concurrency` loops of @node-rs/argon2's verify over the seeded hashes. */
async function argon2(concurrency: number, durationMs: number, warmupMs: number) {
  if (signinHashes.length === 0) throw new Error('seed accounts first');
  let n = 0;
  let counting = false;
  let stop = false;
  let bad = 0;
  const loops = Array.from({ length: concurrency }, async (_, w) => {
    let i = w;
    while (!stop) {
      // The library itself (libuv's thread pool), not Mamori's hashing threads: the raw cost of a hash.
      const ok = await verify(signinHashes[i % signinHashes.length]!, signinPassword);
      i += concurrency;
      if (counting && !stop) {
        n++;
        if (!ok) bad++;
      }
    }
  });
  await new Promise((r) => setTimeout(r, warmupMs));
  const busy0 = machineBusySeconds();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  counting = true;
  await new Promise((r) => setTimeout(r, durationMs));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const busy = machineBusySeconds() - busy0;
  stop = true;
  await Promise.all(loops);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    verifications: n,
    failed: bad,
    seconds,
    rate: n / seconds,
    cpuSeconds,
    otherCpuSeconds: Math.max(0, busy - cpuSeconds),
  };
}

let profiler: Session | null = null;

async function handle(cmd: Command): Promise<unknown> {
  switch (cmd.cmd) {
    case 'seedAccounts':
      return seedAccounts(cmd.prefix, cmd.count, cmd.password);
    case 'seedSessions':
      return seedSessions(cmd.count);
    case 'seedSignups':
      return seedSignups(cmd.count);
    case 'seedTotp':
      return seedTotp(cmd);
    case 'totpMicro':
      return totpMicro(cmd.durationMs);
    case 'argon2':
      return argon2(cmd.concurrency, cmd.durationMs, cmd.warmupMs);
    case 'dbStats': {
      const out = { ...dbStats };
      if (cmd.reset) Object.assign(dbStats, { statements: 0, sessionLookups: 0, transactions: 0 });
      return out;
    }
    case 'sql':
      return db.query(cmd.text);
    case 'profileStart':
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: cmd.intervalUs });
      await profiler.post('Profiler.start');
      return null;
    case 'profileStop': {
      if (!profiler) throw new Error('not profiling');
      const { profile } = await profiler.post('Profiler.stop');
      profiler.disconnect();
      profiler = null;
      writeFileSync(cmd.path, JSON.stringify(profile));
      return summarizeProfile(profile, cmd.root, cmd.inclusive);
    }
    case 'close':
      await noCache.close();
      await longCache.close();
      await hello.close();
      await helloHelmet.close();
      await helloStatic.close();
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
      setImmediate(() => process.exit(0));
      return null;
  }
}

process.on('message', (m: { id: number } & Command) => {
  handle(m).then(
    (result) => process.send?.({ id: m.id, ok: true, result } satisfies Reply),
    (e: Error) => process.send?.({ id: m.id, ok: false, error: e.stack ?? String(e) } satisfies Reply),
  );
});
// If the parent dies mid-run, do not linger with open ports and a temporary store.
process.on('disconnect', () => {
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(1);
});
process.send?.({ ready: true, ports, dataDir });
