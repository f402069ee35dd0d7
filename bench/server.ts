/**
 * The process under test, started by bench/run.ts as a child (so the load generator and the servers can be
 * pinned to different cores). It runs:
 *   - Mamori as configured by default (embedded PGlite in a temporary DATA_DIR, SESSION_CACHE_SECONDS 5),
 *   - the same Mamori over the same store with SESSION_CACHE_SECONDS=0 (every session check reads PGlite),
 *   - a bare Fastify hello-world,
 * and answers seeding, raw-argon2 and profiling commands from the parent over IPC.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import { hashPassword, verifyPassword } from '../src/accounts/password-hasher.ts';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { hmac, sha256 } from '../src/kernel/crypto.ts';
import { cryptoRandom, newId, numericCode, token } from '../src/kernel/random.ts';
import { emailKey, normalizeEmail } from '../src/security-info/email/normalize-email.ts';
import type { Sql } from '../src/storage/db.ts';
import { summarizeProfile } from './profile.ts';
import type { Command, Reply } from './protocol.ts';

const SECRET = 'bench-secret-bench-secret-bench-secret-0123';
const dataDir = mkdtempSync(join(tmpdir(), 'mamori-bench-'));
const baseEnv: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  MAMORI_SECRET: SECRET,
  PUBLIC_URL: 'http://127.0.0.1',
  DATA_DIR: dataDir,
  // The sign-in throttle must not interfere: wrong-password runs make many failures from 127.0.0.1.
  SIGNIN_FAILURES_PER_ACCOUNT: '1000',
  SIGNIN_FAILURES_PER_IP: '100000',
};

const app = await createApp(loadConfig(baseEnv));
const db = app.deps.db;
const noCache = await createApp(loadConfig({ ...baseEnv, SESSION_CACHE_SECONDS: '0' }), {
  db,
  manualDispatch: true,
});
const hello = Fastify();
hello.get('/', async () => ({ hello: 'world' }));

const listen = async (f: typeof hello) => {
  await f.listen({ port: 0, host: '127.0.0.1' });
  const addr = f.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return addr.port;
};
const ports = {
  app: await listen(app.http),
  appNoCache: await listen(noCache.http),
  hello: await listen(hello),
};

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
  signinHashes = signinHashes.concat(hs);
  signinPassword = password;
  return emails;
}

async function seedSessions(count: number): Promise<string[]> {
  const accounts = await db.query<{ id: string }>(
    'SELECT id FROM accounts WHERE email_confirmed_at IS NOT NULL ORDER BY id',
  );
  if (accounts.length === 0) throw new Error('seed accounts first');
  const now = new Date();
  const expires = new Date(now.getTime() + 14 * 24 * 3600 * 1000);
  const tokens: string[] = [];
  const rows: unknown[][] = [];
  for (let i = 0; i < count; i++) {
    const raw = token(cryptoRandom, 32);
    tokens.push(raw);
    rows.push([
      sha256(raw),
      newId(cryptoRandom, 'ses'),
      accounts[i % accounts.length]!.id,
      now,
      now,
      expires,
      '127.0.0.1',
      'mamori-bench/1.0',
    ]);
  }
  await insertRows(
    db,
    'sessions',
    ['id', 'public_id', 'account_id', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'],
    rows,
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

/** Raw argon2id verifications: `concurrency` loops of verifyPassword over the seeded hashes. */
async function argon2(concurrency: number, durationMs: number, warmupMs: number) {
  if (signinHashes.length === 0) throw new Error('seed accounts first');
  let n = 0;
  let counting = false;
  let stop = false;
  let bad = 0;
  const loops = Array.from({ length: concurrency }, async (_, w) => {
    let i = w;
    while (!stop) {
      const ok = await verifyPassword(signinHashes[i % signinHashes.length]!, signinPassword);
      i += concurrency;
      if (counting && !stop) {
        n++;
        if (!ok) bad++;
      }
    }
  });
  await new Promise((r) => setTimeout(r, warmupMs));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  counting = true;
  await new Promise((r) => setTimeout(r, durationMs));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  stop = true;
  await Promise.all(loops);
  return { verifications: n, failed: bad, seconds, rate: n / seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
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
    case 'argon2':
      return argon2(cmd.concurrency, cmd.durationMs, cmd.warmupMs);
    case 'cpu': {
      const c = process.cpuUsage();
      return (c.user + c.system) / 1e6;
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
      return summarizeProfile(profile, cmd.root);
    }
    case 'close':
      await noCache.close();
      await hello.close();
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
process.send?.({ ready: true, ports, dataDir });
