/**
 * npm run bench (second part; alone: npm run bench:compare [-- --quick])
 *
 * Mamori on PostgreSQL side by side with Better Auth (1.7, bench/better-auth-server.ts) on the same
 * PostgreSQL server, each on a database of its own that this script creates and drops, in one run, in
 * interleaved blocks (ABAB…), with each server's CPU read from /proc. Measures the goals of
 * docs/benchmarks.md that need PostgreSQL, Better Auth or several processes:
 *   - sign-ins/s ÷ raw argon2id verifications/s, PostgreSQL store                               ≥ 0.9
 *   - session checks/s ÷ bare Fastify, PostgreSQL, 10k and 100k live sessions                   ≥ 0.5
 *   - session checks/s during a sign-in flood ÷ without it                                       ≥ 0.8
 *   - server CPU per session check and per (right) code check ÷ Better Auth's                    ≤ 0.5
 *   - idle memory (RSS) on PostgreSQL ÷ Better Auth's                                           ≤ 1.5
 *   - start-up (process start → /readyz 200), PostgreSQL and embedded                           ≤ 1 s
 *   - cluster CPU per session check, 3 instances ÷ 1 instance                                   ≤ 1.1
 * Needs PostgreSQL (BENCH_PG_ADMIN_URL or TEST_DATABASE_URL, default postgres://root@127.0.0.1:5432/test),
 * Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379) and, for the cluster part, /usr/sbin/haproxy.
 * Writes .bench/compare.json.
 */
import { type ChildProcess, fork, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { verify } from '@node-rs/argon2';
import { Redis } from 'ioredis';
import pg from 'pg';
import { hashPassword } from '../src/accounts/password-hasher.ts';
import { api, buildOnce, freePort, haveHaproxy, signUp, startCluster } from '../test/cluster/cluster.ts';
import { startSmtpSink } from '../test/support/smtp-sink.ts';
import { processCpuSeconds } from './cpu.ts';
import { buildRequest, type LoadResult, runLoad, sleep } from './http-client.ts';
import type { Ready, Reply } from './protocol.ts';

const QUICK = process.argv.includes('--quick');
const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const ADMIN_URL =
  process.env.BENCH_PG_ADMIN_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const T = QUICK ? { warm: 400, block: 1000, blocks: 2 } : { warm: 750, block: 2000, blocks: 4 };
const CONNECTIONS = 50;
const SIGNIN_CONCURRENCY = 4;
const FLOOD_CONCURRENCY = 16;
const LIVE_SESSIONS = 10_000;
const MANY_SESSIONS = 100_000;
const CODES = QUICK ? 2500 : 6000;
const PASSWORD = 'correct horse battery staple 42';
const started = performance.now();
const log = (s: string) =>
  console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)}s] ${s}`);

// ---------------------------------------------------------------------------------------------------------
// Databases

const runId = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const dbNames = { mamori: `mamori_bench_${runId}`, betterAuth: `betterauth_bench_${runId}` };
const dbUrl = (name: string) => {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
};
async function admin(sql: string) {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}
try {
  await admin(`CREATE DATABASE ${dbNames.mamori}`);
  await admin(`CREATE DATABASE ${dbNames.betterAuth}`);
} catch (e) {
  console.error(
    `bench/compare.ts needs a PostgreSQL server where it may create databases (${ADMIN_URL}; set ` +
      `BENCH_PG_ADMIN_URL) and Redis (${REDIS_URL}; BENCH_REDIS_URL): ${(e as Error).message}`,
  );
  await admin(`DROP DATABASE IF EXISTS ${dbNames.mamori}`).catch(() => {});
  process.exit(1);
}
{
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    await r.connect();
    await r.ping();
  } catch (e) {
    console.error(`bench/compare.ts needs Redis at ${REDIS_URL} (BENCH_REDIS_URL): ${(e as Error).message}`);
    await admin(`DROP DATABASE IF EXISTS ${dbNames.mamori}`).catch(() => {});
    await admin(`DROP DATABASE IF EXISTS ${dbNames.betterAuth}`).catch(() => {});
    process.exit(1);
  } finally {
    r.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Children: Mamori (bench/server.ts on PostgreSQL, also the bare Fastify) and Better Auth

interface Child {
  proc: ChildProcess;
  call<R>(c: Record<string, unknown>): Promise<R>;
  ready: Promise<Record<string, unknown>>;
}
function child(script: string, env: Record<string, string>): Child {
  const proc = fork(join(here, script), [], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let next = 1;
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    proc.on('message', (m: Reply | ({ ready: true } & Record<string, unknown>)) => {
      if ('ready' in m) return resolve(m);
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.ok) p?.resolve(m.result);
      else p?.reject(new Error(m.error));
    });
    proc.on('exit', (code) => {
      const e = new Error(`${script} exited (${code})`);
      reject(e);
      for (const p of pending.values()) p.reject(e);
    });
  });
  return {
    proc,
    ready,
    call: <R>(c: Record<string, unknown>) =>
      new Promise<R>((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        proc.send({ id, ...c });
      }),
  };
}

const cleanups: (() => Promise<unknown> | unknown)[] = [];
async function cleanup() {
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => {});
  cleanups.length = 0;
  await admin(`DROP DATABASE IF EXISTS ${dbNames.mamori} WITH (FORCE)`).catch(() => {});
  await admin(`DROP DATABASE IF EXISTS ${dbNames.betterAuth} WITH (FORCE)`).catch(() => {});
}
process.on('uncaughtException', async (e) => {
  console.error(e);
  await cleanup();
  process.exit(1);
});

const mamori = child('server.ts', { BENCH_DATABASE_URL: dbUrl(dbNames.mamori), BENCH_REDIS_URL: REDIS_URL });
const ba = child('better-auth-server.ts', { BENCH_DATABASE_URL: dbUrl(dbNames.betterAuth) });
cleanups.push(async () => {
  const r = new Redis(REDIS_URL);
  const keys = await r.keys(`mamori-bench-${mamori.proc.pid}:*`);
  if (keys.length) await r.del(...keys);
  r.disconnect();
});
cleanups.push(() => mamori.call({ cmd: 'close' }).catch(() => mamori.proc.kill()));
cleanups.push(() => ba.call({ cmd: 'close' }).catch(() => ba.proc.kill()));
const { ports } = (await mamori.ready) as unknown as Ready;
const { port: baPort } = (await ba.ready) as { port: number };
log(`servers up: Mamori on PostgreSQL :${ports.app}, hello-world :${ports.hello}, Better Auth :${baPort}`);

// ---------------------------------------------------------------------------------------------------------
// Pinning and measuring (as bench/run.ts: server on CPU 0, load on CPU 1 for throughput)

let pinning = cpus().length >= 2;
function pin(pid: number, list: string) {
  if (!pinning) return;
  if (spawnSync('taskset', ['-a', '-p', '-c', list, String(pid)], { stdio: 'ignore' }).status !== 0) {
    pinning = false;
    console.warn('  (taskset unavailable: running unpinned)');
  }
}
const all = `0-${cpus().length - 1}`;
const pinApart = () => {
  for (const p of [mamori.proc.pid!, ba.proc.pid!]) pin(p, '0');
  pin(process.pid, '1');
};
const unpin = () => {
  for (const p of [mamori.proc.pid!, ba.proc.pid!, process.pid]) pin(p, all);
};

interface Measured extends LoadResult {
  cpuUsPerRequest: number;
  okRps: number;
}
/** A closed-loop load on `port`, with the CPU of the processes `pids` over the measured window. */
async function measure(
  pids: number[],
  o: {
    port: number;
    connections: number;
    next(i: number): Buffer;
    expect: number;
    check?(s: number, b: string): boolean;
    durationMs?: number;
  },
): Promise<Measured> {
  let c0 = 0;
  let c1 = 0;
  const cpu = () => pids.reduce((a, p) => a + processCpuSeconds(p), 0);
  const r = await runLoad({
    port: o.port,
    connections: o.connections,
    durationMs: o.durationMs ?? T.block,
    warmupMs: T.warm,
    next: o.next,
    expectStatus: o.expect,
    check: o.check,
    onWindow: (phase) => {
      if (phase === 'start') c0 = cpu();
      else c1 = cpu();
    },
  });
  return {
    ...r,
    cpuUsPerRequest: (1e6 * (c1 - c0)) / Math.max(1, r.requests),
    okRps: (r.requests - r.errors) / r.seconds,
  };
}
const combine = (xs: Measured[]) => {
  const requests = xs.reduce((a, x) => a + x.requests, 0);
  const seconds = xs.reduce((a, x) => a + x.seconds, 0);
  const errors = xs.reduce((a, x) => a + x.errors, 0);
  return {
    rps: requests / seconds,
    okRps: (requests - errors) / seconds,
    errors,
    cpuUsPerRequest: xs.reduce((a, x) => a + x.cpuUsPerRequest * x.requests, 0) / requests,
    p50: xs.reduce((a, x) => a + x.latencyMs.p50 * x.requests, 0) / requests,
    blocks: xs.map((x) => Math.round(x.rps)),
    statuses: xs.reduce<Record<string, number>>((acc, x) => {
      for (const [k, v] of Object.entries(x.statuses)) acc[k] = (acc[k] ?? 0) + v;
      return acc;
    }, {}),
  };
};
type Combined = ReturnType<typeof combine>;
/** Runs the loads in `n` rounds, rotating the order each round, so drift hits all alike. */
async function rounds<K extends string>(n: number, loads: Record<K, () => Promise<Measured>>) {
  const keys = Object.keys(loads) as K[];
  const out = Object.fromEntries(keys.map((k) => [k, [] as Measured[]])) as Record<K, Measured[]>;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < keys.length; j++) {
      const k = keys[(i + j) % keys.length]!;
      out[k].push(await loads[k]());
    }
  return Object.fromEntries(keys.map((k) => [k, combine(out[k])])) as Record<K, Combined>;
}

// ---------------------------------------------------------------------------------------------------------
// Seeding

const [mEmails, bEmails] = await Promise.all([
  mamori.call<string[]>({ cmd: 'seedAccounts', prefix: 'signin', count: 64, password: PASSWORD }),
  ba.call<string[]>({ cmd: 'seedUsers', prefix: 'signin', count: 64, password: PASSWORD }),
]);
const [mTokens, bCookies] = await Promise.all([
  mamori.call<string[]>({ cmd: 'seedSessions', count: LIVE_SESSIONS }),
  ba.call<string[]>({ cmd: 'seedSessions', count: LIVE_SESSIONS, total: LIVE_SESSIONS }),
]);
const mSignups = await mamori.call<{ signupToken: string; code: string }[]>({
  cmd: 'seedSignups',
  count: CODES,
});
await ba.call({ cmd: 'seedUsers', prefix: 'otp', count: CODES, password: PASSWORD });
const bOtps = await ba.call<{ email: string; otp: string }[]>({ cmd: 'otps', prefix: 'otp', count: CODES });
log(`seeded: 64 accounts each, ${LIVE_SESSIONS} sessions each, ${CODES} pending codes each`);

const ORIGIN = { origin: 'http://127.0.0.1' };
const req = {
  hello: () => buildRequest('GET', '/'),
  mMe: (i: number) =>
    buildRequest('GET', '/api/v1/me', {
      headers: { authorization: `Bearer ${mTokens[(i * 7919) % mTokens.length]}` },
    }),
  bSession: (i: number) =>
    buildRequest('GET', '/api/auth/get-session', {
      headers: { cookie: bCookies[(i * 7919) % bCookies.length]! },
    }),
  mSignIn: (i: number) =>
    buildRequest('POST', '/api/v1/sessions', {
      body: { email: mEmails[i % mEmails.length], password: PASSWORD },
    }),
  bSignIn: (i: number) =>
    buildRequest('POST', '/api/auth/sign-in/email', {
      body: { email: bEmails[i % bEmails.length], password: PASSWORD },
      headers: ORIGIN,
    }),
};
const mSession = (_s: number, b: string) => b.includes('"email"');
const bSessionOk = (_s: number, b: string) => b.includes('"session"') && b.includes('"user"');
const hasToken = (_s: number, b: string) => b.includes('"sessionToken"') || b.includes('"token"');
const mPid = mamori.proc.pid!;
const bPid = ba.proc.pid!;

// 1. Session checks: hello-world, Mamori /me, Better Auth get-session, 10k live sessions ------------------
pinApart();
log(`1. session checks, ${CONNECTIONS} connections, ${LIVE_SESSIONS} live sessions, ${T.blocks} rounds`);
const sessions10k = await rounds(T.blocks, {
  hello: () => measure([mPid], { port: ports.hello, connections: CONNECTIONS, next: req.hello, expect: 200 }),
  mamori: () =>
    measure([mPid], {
      port: ports.app,
      connections: CONNECTIONS,
      next: req.mMe,
      expect: 200,
      check: mSession,
    }),
  betterAuth: () =>
    measure([bPid], {
      port: baPort,
      connections: CONNECTIONS,
      next: req.bSession,
      expect: 200,
      check: bSessionOk,
    }),
});
log(
  `   hello ${sessions10k.hello.rps.toFixed(0)}/s, Mamori ${sessions10k.mamori.rps.toFixed(0)}/s, Better Auth ${sessions10k.betterAuth.rps.toFixed(0)}/s`,
);

// 2. The same with 100k live sessions in each store -----------------------------------------------------
await Promise.all([
  mamori.call({
    cmd: 'sql',
    text: `INSERT INTO sessions SELECT (jsonb_populate_record(NULL::sessions, to_jsonb(s) || jsonb_build_object(
             'id', md5(s.id || g::text || random()::text), 'public_id', md5(s.public_id || g::text || random()::text)))).*
           FROM sessions s, generate_series(1, ${MANY_SESSIONS / LIVE_SESSIONS - 1}) g`,
  }),
  ba.call({ cmd: 'seedSessions', count: 0, total: MANY_SESSIONS - LIVE_SESSIONS }),
]);
await mamori.call({ cmd: 'sql', text: 'ANALYZE sessions' });
log(`2. session checks with ${MANY_SESSIONS} live sessions in each store`);
const sessions100k = await rounds(T.blocks, {
  hello: () => measure([mPid], { port: ports.hello, connections: CONNECTIONS, next: req.hello, expect: 200 }),
  mamori: () =>
    measure([mPid], {
      port: ports.app,
      connections: CONNECTIONS,
      next: req.mMe,
      expect: 200,
      check: mSession,
    }),
  betterAuth: () =>
    measure([bPid], {
      port: baPort,
      connections: CONNECTIONS,
      next: req.bSession,
      expect: 200,
      check: bSessionOk,
    }),
});
log(
  `   hello ${sessions100k.hello.rps.toFixed(0)}/s, Mamori ${sessions100k.mamori.rps.toFixed(0)}/s, Better Auth ${sessions100k.betterAuth.rps.toFixed(0)}/s`,
);

// 3. Code checks: right codes, each once ----------------------------------------------------------------
log(
  '3. code checks (right codes, each used once): Mamori POST /api/v1/signup/confirm, Better Auth POST /api/auth/sign-in/email-otp',
);
let mCode = 0;
let bCode = 0;
const codeConns = 16;
const codes = await rounds(T.blocks, {
  mamori: () =>
    measure([mPid], {
      port: ports.app,
      connections: codeConns,
      next: () => {
        const s = mSignups[mCode++ % mSignups.length]!;
        return buildRequest('POST', '/api/v1/signup/confirm', {
          body: { signupToken: s.signupToken, code: s.code },
        });
      },
      expect: 200,
      check: hasToken,
    }),
  betterAuth: () =>
    measure([bPid], {
      port: baPort,
      connections: codeConns,
      next: () =>
        buildRequest('POST', '/api/auth/sign-in/email-otp', {
          body: bOtps[bCode++ % bOtps.length],
          headers: ORIGIN,
        }),
      expect: 200,
      check: hasToken,
    }),
});
const codesValid = mCode <= mSignups.length && bCode <= bOtps.length;
log(
  `   Mamori ${codes.mamori.rps.toFixed(0)}/s (${mCode} used), Better Auth ${codes.betterAuth.rps.toFixed(0)}/s (${bCode} used)`,
);

// 4. Sign-ins vs raw argon2id (unpinned: argon2 uses both cores, as in production) -----------------------
unpin();
log(
  `4. sign-ins, concurrency ${SIGNIN_CONCURRENCY}: raw argon2id (this process), Mamori, Better Auth (same argon2id)`,
);
const hashes = await Promise.all(Array.from({ length: 16 }, () => hashPassword(PASSWORD)));
async function rawArgon2(): Promise<Measured> {
  let n = 0;
  let stop = false;
  let counting = false;
  const loops = Array.from({ length: SIGNIN_CONCURRENCY }, async (_, w) => {
    for (let i = w; !stop; i += SIGNIN_CONCURRENCY) {
      // The library itself, on libuv's thread pool: what a hash costs without Mamori's hashing threads.
      await verify(hashes[i % hashes.length]!, PASSWORD);
      if (counting && !stop) n++;
    }
  });
  await sleep(T.warm);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  counting = true;
  await sleep(T.block);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  stop = true;
  await Promise.all(loops);
  return {
    requests: n,
    errors: 0,
    statuses: {},
    seconds,
    rps: n / seconds,
    okRps: n / seconds,
    latencyMs: { p50: 0, p90: 0, p99: 0, mean: 0 },
    clientCpuSeconds: 0,
    cpuUsPerRequest: (cpu.user + cpu.system) / n,
  };
}
const signins = await rounds(T.blocks, {
  raw: rawArgon2,
  mamori: () =>
    measure([mPid], {
      port: ports.app,
      connections: SIGNIN_CONCURRENCY,
      next: req.mSignIn,
      expect: 200,
      check: hasToken,
    }),
  betterAuth: () =>
    measure([bPid], {
      port: baPort,
      connections: SIGNIN_CONCURRENCY,
      next: req.bSignIn,
      expect: 200,
      check: hasToken,
    }),
});
log(
  `   raw ${signins.raw.rps.toFixed(1)}/s, Mamori ${signins.mamori.rps.toFixed(1)}/s, Better Auth ${signins.betterAuth.rps.toFixed(1)}/s`,
);

// 5. Session checks during a sign-in flood (unpinned) ----------------------------------------------------
log(`5. Mamori session checks alone vs during a flood of sign-ins (${FLOOD_CONCURRENCY} at a time)`);
const floodAlone: Measured[] = [];
const floodDuring: Measured[] = [];
const floodSignIns: Measured[] = [];
for (let i = 0; i < T.blocks; i++) {
  floodAlone.push(
    await measure([mPid], {
      port: ports.app,
      connections: CONNECTIONS,
      next: req.mMe,
      expect: 200,
      check: mSession,
    }),
  );
  const [me, si] = await Promise.all([
    measure([mPid], {
      port: ports.app,
      connections: CONNECTIONS,
      next: req.mMe,
      expect: 200,
      check: mSession,
    }),
    measure([mPid], {
      port: ports.app,
      connections: FLOOD_CONCURRENCY,
      next: req.mSignIn,
      expect: 200,
      check: hasToken,
      durationMs: T.block + 500,
    }),
  ]);
  floodDuring.push(me);
  floodSignIns.push(si);
}
const flood = { alone: combine(floodAlone), during: combine(floodDuring), signIns: combine(floodSignIns) };
log(
  `   alone ${flood.alone.rps.toFixed(0)}/s, during the flood ${flood.during.rps.toFixed(0)}/s (sign-ins ${flood.signIns.rps.toFixed(1)}/s)`,
);

// The children's memory after the load (info; the idle figures come from fresh processes below).
for (const c of cleanups.splice(0)) await Promise.resolve(c()).catch(() => {});

// 6. Idle memory and start-up ---------------------------------------------------------------------------
const rssMiB = (pid: number) => {
  const status = spawnSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' }).stdout;
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
};
async function waitReady(url: string, proc: ChildProcess, ms = 60_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (proc.exitCode !== null) throw new Error(`exited with ${proc.exitCode}`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {}
    await sleep(10);
  }
  throw new Error(`${url} not ready`);
}
log('6. idle memory and start-up');
const { dir: build } = buildOnce();
const sink = await startSmtpSink();
const prodEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PUBLIC_URL: 'https://mamori.example',
  MAIL_FROM: 'Mamori <security@mamori.example>',
  MAMORI_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
  SMTP_URL: sink.url,
  SMS_PROVIDER: 'twilio',
  TWILIO_ACCOUNT_SID: 'ACbench',
  TWILIO_AUTH_TOKEN: 'bench',
  TWILIO_FROM: '+15005550006',
  TWILIO_BASE_URL: 'http://127.0.0.1:9',
  LOG_LEVEL: 'warn',
  SHUTDOWN_DELAY_SECONDS: '0',
  ...extra,
});
/** Starts `argv` with Node, waits for `readyUrl`; start-up ms, and RSS after `idleMs` of idling. */
async function startMeasure(
  argv: string[],
  env: NodeJS.ProcessEnv,
  readyUrl: (port: number) => string,
  port: number,
  idleMs = 3000,
) {
  const t0 = performance.now();
  const p = spawn(process.execPath, argv, {
    cwd: root,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let baReadyPort = 0;
  p.on('message', (m: { port?: number }) => {
    if (m.port) baReadyPort = m.port;
  });
  if (readyUrl(port)) await waitReady(readyUrl(port), p);
  else
    while (!baReadyPort) {
      if (p.exitCode !== null) throw new Error(`exited with ${p.exitCode}`);
      await sleep(5);
    }
  const ms = performance.now() - t0;
  await sleep(idleMs);
  const rss = rssMiB(p.pid!);
  p.kill('SIGTERM');
  await new Promise((r) => p.once('exit', r));
  return { ms, rssMiB: rss };
}
const pgEnv = prodEnv({
  DATABASE_URL: dbUrl(dbNames.mamori),
  REDIS_URL,
  REDIS_KEY_PREFIX: `mamori-bench-idle-${process.pid}:`,
  DATA_DIR: mkdtempSync(join(tmpdir(), 'mamori-bench-pg-')),
});
const embeddedDir = mkdtempSync(join(tmpdir(), 'mamori-bench-embedded-'));
const embeddedEnv = prodEnv({ DATA_DIR: embeddedDir });
const memory = {
  mamoriBuilt: [] as number[],
  mamoriTsx: [] as number[],
  betterAuthTsx: [] as number[],
  startPgMs: [] as number[],
  startEmbeddedFirstMs: 0,
  startEmbeddedMs: [] as number[],
};
{
  const p = await freePort();
  memory.startEmbeddedFirstMs = (
    await startMeasure([join(build, 'main.js')], embeddedEnv, (x) => `http://127.0.0.1:${x}/readyz`, p, 0)
  ).ms;
}
for (let i = 0; i < 3; i++) {
  const built = await startMeasure(
    [join(build, 'main.js')],
    pgEnv,
    (x) => `http://127.0.0.1:${x}/readyz`,
    await freePort(),
  );
  memory.startPgMs.push(built.ms);
  memory.mamoriBuilt.push(built.rssMiB);
  memory.startEmbeddedMs.push(
    (
      await startMeasure(
        [join(build, 'main.js')],
        embeddedEnv,
        (x) => `http://127.0.0.1:${x}/readyz`,
        await freePort(),
        0,
      )
    ).ms,
  );
  // Both through tsx, the same way, for the memory comparison (tsx's own share cancels out).
  memory.mamoriTsx.push(
    (
      await startMeasure(
        ['--import', 'tsx', join(root, 'src/main.ts')],
        pgEnv,
        (x) => `http://127.0.0.1:${x}/readyz`,
        await freePort(),
      )
    ).rssMiB,
  );
  memory.betterAuthTsx.push(
    (
      await startMeasure(
        ['--import', 'tsx', join(here, 'better-auth-server.ts')],
        { ...process.env, BENCH_DATABASE_URL: dbUrl(dbNames.betterAuth) },
        () => '',
        0,
      )
    ).rssMiB,
  );
}
rmSync(embeddedDir, { recursive: true, force: true });
rmSync(pgEnv.DATA_DIR!, { recursive: true, force: true });
await sink.close();
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
log(
  `   RSS idle: Mamori ${med(memory.mamoriTsx).toFixed(0)} MiB (built: ${med(memory.mamoriBuilt).toFixed(0)}), Better Auth ${med(memory.betterAuthTsx).toFixed(0)} MiB; ` +
    `start-up: PostgreSQL ${med(memory.startPgMs).toFixed(0)} ms, embedded ${med(memory.startEmbeddedMs).toFixed(0)} ms (first start ${memory.startEmbeddedFirstMs.toFixed(0)} ms)`,
);
{
  const r = new Redis(REDIS_URL);
  const keys = await r.keys(`mamori-bench-idle-${process.pid}:*`);
  if (keys.length) await r.del(...keys);
  r.disconnect();
}

// 7. Cluster: CPU per session check, 3 instances vs 1 ---------------------------------------------------
let cluster: null | { one: Combined; three: Combined } = null;
if (haveHaproxy()) {
  log(
    '7. cluster (3 × dist/main.js, PostgreSQL, Redis): CPU per session check, load on 1 instance vs spread over 3',
  );
  const c = await startCluster({
    instances: 3,
    env: { SIGNUPS_PER_NETWORK_PER_HOUR: '1000000', SENDS_PER_NETWORK_PER_HOUR: '1000000' },
  });
  try {
    await c.startAll();
    const tokens = await Promise.all(
      Array.from({ length: 8 }, async () => (await signUp(c.lb, c.sink)).token),
    );
    for (const t of tokens)
      if ((await api(c.lb, 'GET', '/me', undefined, t)).status !== 200) throw new Error('cluster /me');
    const pids = c.instances.map((i) => i.proc!.pid!);
    for (const p of pids) pin(p, '0');
    pin(process.pid, '1');
    const meReq = (i: number) =>
      buildRequest('GET', '/api/v1/me', {
        headers: { authorization: `Bearer ${tokens[i % tokens.length]}` },
      });
    const one: Measured[] = [];
    const three: Measured[] = [];
    for (let i = 0; i < T.blocks; i++) {
      one.push(
        await measure([pids[0]!], { port: c.instances[0]!.port, connections: 30, next: meReq, expect: 200 }),
      );
      // 3 instances: three loads at once, 10 connections each; the CPU of all three from the first window's
      // start to the last window's end.
      let c0 = 0;
      let c1 = 0;
      let opened = 0;
      let closed = 0;
      const cpu = () => pids.reduce((a, p) => a + processCpuSeconds(p), 0);
      const parts = await Promise.all(
        c.instances.map((inst) =>
          runLoad({
            port: inst.port,
            connections: 10,
            durationMs: T.block,
            warmupMs: T.warm,
            next: meReq,
            expectStatus: 200,
            onWindow: (phase) => {
              if (phase === 'start' && opened++ === 0) c0 = cpu();
              if (phase === 'end' && ++closed === pids.length) c1 = cpu();
            },
          }),
        ),
      );
      const requests = parts.reduce((a, p) => a + p.requests, 0);
      const seconds = Math.max(...parts.map((p) => p.seconds));
      three.push({
        ...parts[0]!,
        requests,
        errors: parts.reduce((a, p) => a + p.errors, 0),
        seconds,
        rps: requests / seconds,
        okRps: requests / seconds,
        cpuUsPerRequest: (1e6 * (c1 - c0)) / requests,
        statuses: {},
      });
    }
    cluster = { one: combine(one), three: combine(three) };
    log(
      `   1 instance ${cluster.one.cpuUsPerRequest.toFixed(0)} µs/req, 3 instances ${cluster.three.cpuUsPerRequest.toFixed(0)} µs/req`,
    );
  } finally {
    pin(process.pid, all);
    await c.close();
  }
} else console.warn('7. cluster part skipped: /usr/sbin/haproxy not found (apt-get install -y haproxy)');

await cleanup();

// ---------------------------------------------------------------------------------------------------------
// Report

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const ratios = {
  signinVsArgon2Pg: signins.mamori.rps / signins.raw.rps,
  betterAuthSigninVsArgon2: signins.betterAuth.rps / signins.raw.rps,
  sessionVsHelloPg10k: sessions10k.mamori.rps / sessions10k.hello.rps,
  sessionVsHelloPg100k: sessions100k.mamori.rps / sessions100k.hello.rps,
  betterAuthSessionVsHello100k: sessions100k.betterAuth.rps / sessions100k.hello.rps,
  sessionDuringFlood: flood.during.rps / flood.alone.rps,
  sessionCpuVsBetterAuth10k: sessions10k.mamori.cpuUsPerRequest / sessions10k.betterAuth.cpuUsPerRequest,
  sessionCpuVsBetterAuth100k: sessions100k.mamori.cpuUsPerRequest / sessions100k.betterAuth.cpuUsPerRequest,
  codeCpuVsBetterAuth: codes.mamori.cpuUsPerRequest / codes.betterAuth.cpuUsPerRequest,
  signinCpuVsBetterAuth: signins.mamori.cpuUsPerRequest / signins.betterAuth.cpuUsPerRequest,
  idleMemoryVsBetterAuth: med(memory.mamoriTsx) / med(memory.betterAuthTsx),
  clusterCpu3vs1: cluster ? cluster.three.cpuUsPerRequest / cluster.one.cpuUsPerRequest : Number.NaN,
};
const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');
const errors = (...xs: Combined[]) => xs.reduce((a, x) => a + x.errors, 0);
const rows: [string, string, string][] = [
  [
    'Sign-in ÷ raw argon2id, PostgreSQL (≥ 0.9)',
    r3(ratios.signinVsArgon2Pg).toFixed(3),
    verdict(ratios.signinVsArgon2Pg >= 0.9),
  ],
  [
    '  Better Auth sign-in ÷ raw argon2id (same hash)',
    r3(ratios.betterAuthSigninVsArgon2).toFixed(3),
    '(info)',
  ],
  [
    'Session checks ÷ hello-world, PostgreSQL, 10k sessions (≥ 0.5)',
    r3(ratios.sessionVsHelloPg10k).toFixed(3),
    verdict(ratios.sessionVsHelloPg10k >= 0.5),
  ],
  [
    'Session checks ÷ hello-world, PostgreSQL, 100k sessions (≥ 0.5)',
    r3(ratios.sessionVsHelloPg100k).toFixed(3),
    verdict(ratios.sessionVsHelloPg100k >= 0.5),
  ],
  [
    '  Better Auth get-session ÷ hello-world, 100k sessions',
    r3(ratios.betterAuthSessionVsHello100k).toFixed(3),
    '(info)',
  ],
  [
    'Session checks during a sign-in flood ÷ alone (≥ 0.8)',
    r3(ratios.sessionDuringFlood).toFixed(3),
    verdict(ratios.sessionDuringFlood >= 0.8),
  ],
  [
    'CPU per session check ÷ Better Auth, 10k (≤ 0.5)',
    r3(ratios.sessionCpuVsBetterAuth10k).toFixed(3),
    verdict(ratios.sessionCpuVsBetterAuth10k <= 0.5),
  ],
  [
    'CPU per session check ÷ Better Auth, 100k (≤ 0.5)',
    r3(ratios.sessionCpuVsBetterAuth100k).toFixed(3),
    verdict(ratios.sessionCpuVsBetterAuth100k <= 0.5),
  ],
  [
    'CPU per code check ÷ Better Auth (≤ 0.5)',
    r3(ratios.codeCpuVsBetterAuth).toFixed(3),
    verdict(ratios.codeCpuVsBetterAuth <= 0.5),
  ],
  ['  CPU per sign-in ÷ Better Auth', r3(ratios.signinCpuVsBetterAuth).toFixed(3), '(info)'],
  [
    'Idle RSS ÷ Better Auth, PostgreSQL (≤ 1.5)',
    r3(ratios.idleMemoryVsBetterAuth).toFixed(3),
    verdict(ratios.idleMemoryVsBetterAuth <= 1.5),
  ],
  [
    'Start-up, PostgreSQL (≤ 1000 ms)',
    `${med(memory.startPgMs).toFixed(0)} ms`,
    verdict(med(memory.startPgMs) <= 1000),
  ],
  [
    'Start-up, embedded (≤ 1000 ms)',
    `${med(memory.startEmbeddedMs).toFixed(0)} ms`,
    verdict(med(memory.startEmbeddedMs) <= 1000),
  ],
  [
    '  first start, embedded (empty data directory)',
    `${memory.startEmbeddedFirstMs.toFixed(0)} ms`,
    '(info)',
  ],
  [
    'Cluster CPU per request, 3 ÷ 1 instance (≤ 1.1)',
    cluster ? r3(ratios.clusterCpu3vs1).toFixed(3) : 'n/a',
    cluster ? verdict(ratios.clusterCpu3vs1 <= 1.1) : 'SKIPPED',
  ],
];
const w0 = Math.max(...rows.map((r) => r[0].length));
console.log();
console.log(
  `Mamori vs Better Auth on PostgreSQL — ${cpus()[0]?.model ?? ''}, ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString()}`,
);
for (const r of rows) console.log(`${r[0].padEnd(w0)}  ${r[1].padStart(9)}  ${r[2]}`);
const line = (name: string, m: Combined) =>
  `  ${name.padEnd(34)} ${m.rps.toFixed(m.rps < 1000 ? 1 : 0).padStart(8)}/s  ${m.cpuUsPerRequest.toFixed(0).padStart(6)} µs CPU/req  p50 ${m.p50.toFixed(2)} ms  blocks ${JSON.stringify(m.blocks)}  ${JSON.stringify(m.statuses)}${m.errors ? ` ERRORS ${m.errors}` : ''}`;
console.log('\nDetail (req/s, server CPU per request):');
console.log(line('hello-world (10k run)', sessions10k.hello));
console.log(line('Mamori GET /api/v1/me, 10k', sessions10k.mamori));
console.log(line('Better Auth get-session, 10k', sessions10k.betterAuth));
console.log(line('hello-world (100k run)', sessions100k.hello));
console.log(line('Mamori GET /api/v1/me, 100k', sessions100k.mamori));
console.log(line('Better Auth get-session, 100k', sessions100k.betterAuth));
console.log(line('Mamori code check (signup/confirm)', codes.mamori));
console.log(line('Better Auth sign-in/email-otp', codes.betterAuth));
console.log(line('raw argon2id (bench process)', signins.raw));
console.log(line('Mamori sign-in', signins.mamori));
console.log(line('Better Auth sign-in/email', signins.betterAuth));
console.log(line('Mamori /me alone', flood.alone));
console.log(line('Mamori /me during the flood', flood.during));
console.log(line('  the flood: sign-ins', flood.signIns));
if (cluster) {
  console.log(line('cluster /me, 1 instance', cluster.one));
  console.log(line('cluster /me, 3 instances', cluster.three));
}
console.log(
  `  idle RSS MiB: Mamori (tsx) ${JSON.stringify(memory.mamoriTsx.map(Math.round))}, Mamori (dist) ${JSON.stringify(memory.mamoriBuilt.map(Math.round))}, Better Auth (tsx) ${JSON.stringify(memory.betterAuthTsx.map(Math.round))}`,
);
console.log(
  `  start-up ms: PostgreSQL ${JSON.stringify(memory.startPgMs.map(Math.round))}, embedded ${JSON.stringify(memory.startEmbeddedMs.map(Math.round))}; pinning ${pinning ? 'server CPU 0, load CPU 1 (unpinned for sign-ins and the flood)' : 'none'}`,
);
const invalid =
  errors(
    sessions10k.mamori,
    sessions10k.betterAuth,
    sessions100k.mamori,
    sessions100k.betterAuth,
    codes.mamori,
    codes.betterAuth,
    signins.mamori,
    signins.betterAuth,
    flood.alone,
    flood.during,
  ) > 0 || !codesValid;
if (invalid)
  console.log(
    'INVALID: some answers were not the expected ones (see the statuses), or the code pools ran out.',
  );
mkdirSync(join(root, '.bench'), { recursive: true });
writeFileSync(
  join(root, '.bench', 'compare.json'),
  `${JSON.stringify({ quick: QUICK, date: new Date().toISOString(), ratios, sessions10k, sessions100k, codes, signins, flood, memory, cluster, invalid }, null, 2)}\n`,
);
log('wrote .bench/compare.json');
process.exit(invalid ? 1 : 0);
