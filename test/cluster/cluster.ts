/**
 * A real cluster for tests: N `node dist/main.js` processes on one fresh PostgreSQL database (optionally
 * through pgbouncer in transaction mode), one Redis with a key prefix of their own and a real SMTP sink,
 * behind HAProxy (round-robin, `option httpchk GET /readyz`). Everything it starts is stopped by `close()`.
 * docs/cluster.md describes the layout.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { extname, join, relative } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { freshPostgresDatabase } from '../support/databases.ts';
import { codeIn, type SmtpSink, startSmtpSink } from '../support/smtp-sink.ts';

const root = new URL('../../', import.meta.url).pathname;
export const HAPROXY = '/usr/sbin/haproxy';
export const PGBOUNCER = '/usr/sbin/pgbouncer';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const PASSWORD = 'correct horse battery staple 42';

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let built: { dir: string; ms: number } | null = null;
/**
 * Compiles src/ the way `npm run build` does (tsc with tsconfig.build.json, then the run-time data files),
 * into `.cluster-build/build-<hash of src/>` rather than dist/ (test/ops/build.test.ts rebuilds dist/
 * meanwhile). The cluster test files share one build: a finished build of the same sources is reused.
 */
export function buildOnce(): { dir: string; ms: number } {
  if (built) return built;
  const started = Date.now();
  const src = join(root, 'src');
  const hash = createHash('sha256');
  const walk = (d: string): string[] =>
    readdirSync(d)
      .sort()
      .flatMap((name) => {
        const p = join(d, name);
        return statSync(p).isDirectory() ? walk(p) : [p];
      });
  const files = walk(src);
  for (const f of files) hash.update(`${relative(src, f)}\0`).update(readFileSync(f));
  const cache = join(root, '.cluster-build');
  const dir = join(cache, `build-${hash.digest('hex').slice(0, 16)}`);
  // One test file builds; another one started meanwhile waits for that build (a lock folder).
  const lock = `${dir}.lock`;
  mkdirSync(cache, { recursive: true });
  let mine = false;
  for (let waited = 0; !existsSync(join(dir, 'main.js')) && !mine; waited += 200) {
    try {
      mkdirSync(lock);
      mine = true;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (waited > 300_000 || age > 300_000) rmSync(lock, { recursive: true, force: true });
      else execFileSync('sleep', ['0.2']);
    }
  }
  try {
    if (mine && !existsSync(join(dir, 'main.js'))) {
      const tmp = join(cache, `tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
      execFileSync(
        process.execPath,
        [
          join(root, 'node_modules/typescript/bin/tsc'),
          '-p',
          join(root, 'tsconfig.build.json'),
          '--outDir',
          tmp,
        ],
        { cwd: root, stdio: 'pipe' },
      );
      for (const f of files)
        if (!['.ts', '.tsx'].includes(extname(f)) && !f.endsWith('.md'))
          cpSync(f, join(tmp, relative(src, f)));
      // Builds of older sources go (after 10 minutes, so a run still using one keeps it).
      for (const name of readdirSync(cache))
        if (
          name.startsWith('build-') &&
          join(cache, name) !== dir &&
          Date.now() - statSync(join(cache, name)).mtimeMs > 600_000
        )
          rmSync(join(cache, name), { recursive: true, force: true });
      try {
        renameSync(tmp, dir);
      } catch {
        rmSync(tmp, { recursive: true, force: true });
      }
    }
  } finally {
    if (mine) rmSync(lock, { recursive: true, force: true });
  }
  built = { dir, ms: Date.now() - started };
  return built;
}

/** One Mamori process of the cluster. */
export class Instance {
  proc: ChildProcess | null = null;
  output = '';
  exited: Promise<number | null> = Promise.resolve(null);
  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly mainJs: string,
    /** Node options before the entry point (`['--import', 'tsx']` runs sources) and the working folder. */
    private readonly run: { nodeArgs?: string[]; cwd?: string } = {},
  ) {}
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  start(): void {
    const p = spawn(process.execPath, [...(this.run.nodeArgs ?? []), this.mainJs], {
      cwd: this.run.cwd ?? root,
      env: { ...process.env, ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = p;
    const keep = (d: Buffer) => {
      this.output += String(d);
      if (this.output.length > 400_000) this.output = this.output.slice(-200_000);
    };
    p.stdout?.on('data', keep);
    p.stderr?.on('data', keep);
    this.exited = new Promise((r) => p.once('exit', (code) => r(code)));
  }
  /** Waits until `/readyz` answers 200. */
  async ready(ms = 60_000): Promise<void> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (this.proc?.exitCode !== null && this.proc?.exitCode !== undefined)
        throw new Error(`${this.name} exited with ${this.proc.exitCode}:\n${this.output.slice(-4000)}`);
      try {
        if ((await fetch(`${this.url}/readyz`)).status === 200) return;
      } catch {}
      await sleep(50);
    }
    throw new Error(`${this.name} not ready after ${ms} ms:\n${this.output.slice(-4000)}`);
  }
  /** SIGTERM and wait for the exit code. */
  async stop(): Promise<number | null> {
    if (!this.proc || this.proc.exitCode !== null) return this.proc?.exitCode ?? null;
    this.proc.kill('SIGTERM');
    const code = await this.exited;
    this.proc = null;
    return code;
  }
  async kill9(): Promise<void> {
    if (!this.proc || this.proc.exitCode !== null) return;
    this.proc.kill('SIGKILL');
    await this.exited;
    this.proc = null;
  }
}

export interface ClusterOptions {
  instances?: number;
  /** Extra settings for every instance. */
  env?: Record<string, string>;
  /** Serve through pgbouncer (transaction pooling). */
  pgbouncer?: boolean;
  /**
   * PUBLIC_URL is HAProxy's own http:// address, so a browser can use the web pages through it; the
   * instances then run with NODE_ENV=development (production requires an https:// PUBLIC_URL) and the dev
   * SMS outbox, with the dev tools off.
   */
  browser?: boolean;
}

export interface Cluster {
  /** HAProxy's address: http://127.0.0.1:port */
  lb: string;
  instances: Instance[];
  databaseUrl: string;
  /** The URL the instances use (pgbouncer's when `pgbouncer`). */
  serveUrl: string;
  redisPrefix: string;
  sink: SmtpSink;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** HAProxy's view of each server: `UP`, `DOWN`, … by instance name. */
  lbStatus(): Promise<Record<string, string>>;
  /** Requests HAProxy has sent to each server so far (health checks not counted), by instance name. */
  lbSessions(): Promise<Record<string, number>>;
  /** Waits until HAProxy sees the instance in the given state. */
  waitLb(name: string, state: 'UP' | 'DOWN', ms?: number): Promise<void>;
  /** Starts every instance at once and waits until all are ready and HAProxy has them UP. */
  startAll(): Promise<void>;
  buildMs: number;
  close(): Promise<void>;
}

/** Starts PostgreSQL database, SMTP sink, (pgbouncer), HAProxy; the instances are started by `startAll`. */
export async function startCluster(o: ClusterOptions = {}): Promise<Cluster> {
  const n = o.instances ?? 3;
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const close = async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => {});
    cleanups.length = 0;
  };
  try {
    const { dir, ms } = buildOnce();
    const db = await freshPostgresDatabase();
    cleanups.push(() => db.drop());
    const pool = new pg.Pool({ connectionString: db.url, max: 4 });
    cleanups.push(() => pool.end());
    const sink = await startSmtpSink();
    cleanups.push(() => sink.close());
    const redisPrefix = `mamori-cluster-${process.pid}-${Math.random().toString(36).slice(2, 8)}:`;
    cleanups.push(async () => {
      const r = new Redis(REDIS_URL);
      const keys = await r.keys(`${redisPrefix}*`);
      if (keys.length) await r.del(...keys);
      r.disconnect();
    });
    const work = join(root, '.cluster-build', `${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
    mkdirSync(work, { recursive: true });
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));

    let serveUrl = db.url;
    if (o.pgbouncer) {
      const port = await freePort();
      const u = new URL(db.url);
      const dbName = u.pathname.slice(1);
      writeFileSync(
        join(work, 'pgbouncer.ini'),
        [
          '[databases]',
          `${dbName} = host=${u.hostname} port=${u.port || 5432} dbname=${dbName} user=${u.username}`,
          '[pgbouncer]',
          `listen_addr = 127.0.0.1`,
          `listen_port = ${port}`,
          'auth_type = any',
          'pool_mode = transaction',
          'default_pool_size = 20',
          'max_client_conn = 500',
          `unix_socket_dir =`,
          'ignore_startup_parameters = extra_float_digits,options',
          '',
        ].join('\n'),
      );
      // pgbouncer refuses to run as root: drop to the postgres user then.
      const asUser = process.getuid?.() === 0 ? ['-u', 'postgres'] : [];
      const bouncer = spawn(PGBOUNCER, [...asUser, join(work, 'pgbouncer.ini')], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let bouncerErr = '';
      bouncer.stderr?.on('data', (d) => {
        bouncerErr += String(d);
      });
      const bouncerExit = new Promise((r) => bouncer.once('exit', r));
      cleanups.push(async () => {
        bouncer.kill('SIGKILL');
        await bouncerExit;
      });
      const s = new URL(db.url);
      s.port = String(port);
      serveUrl = s.toString();
      for (let i = 0; ; i++) {
        const c = new pg.Client({ connectionString: serveUrl });
        try {
          await c.connect();
          await c.end();
          break;
        } catch (e) {
          if (i > 100 || bouncer.exitCode !== null)
            throw new Error(`pgbouncer did not start: ${e}\n${bouncerErr}`);
          await sleep(50);
        }
      }
    }

    const lbPort = await freePort();
    const statsPort = await freePort();
    const secret = 'cluster-test-secret-0123456789abcdefghijklmnop';
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PUBLIC_URL: 'https://mamori.example',
      MAIL_FROM: 'Mamori <security@mamori.example>',
      MAMORI_SECRET: secret,
      DATABASE_URL: serveUrl,
      REDIS_URL,
      REDIS_KEY_PREFIX: redisPrefix,
      SMTP_URL: sink.url,
      SMS_PROVIDER: 'twilio',
      TWILIO_ACCOUNT_SID: 'ACcluster',
      TWILIO_AUTH_TOKEN: 'cluster',
      TWILIO_FROM: '+15005550006',
      TWILIO_BASE_URL: 'http://127.0.0.1:9',
      LOG_LEVEL: 'warn',
      SHUTDOWN_DELAY_SECONDS: '2',
      SHUTDOWN_TIMEOUT_SECONDS: '20',
      OUTBOX_LEASE_SECONDS: '3',
      SMTP_TIMEOUT_SECONDS: '3',
      DATA_DIR: join(work, 'data'),
      ...(o.browser
        ? {
            NODE_ENV: 'development',
            PUBLIC_URL: `http://127.0.0.1:${lbPort}`,
            SMS_PROVIDER: 'dev',
            MAMORI_DEV_TOOLS: '0',
          }
        : {}),
      ...o.env,
    };
    const mainJs = join(dir, 'main.js');
    const ports = await Promise.all(Array.from({ length: n }, () => freePort()));
    const instances = ports.map((p, i) => new Instance(`m${i + 1}`, p, env, mainJs));
    cleanups.push(() => Promise.all(instances.map((i) => i.kill9())));

    const cfg = join(work, 'haproxy.cfg');
    writeFileSync(
      cfg,
      [
        'global',
        '  maxconn 4096',
        'defaults',
        '  mode http',
        '  timeout connect 1s',
        '  timeout client 30s',
        '  timeout server 30s',
        '  retries 3',
        '  option redispatch',
        '  retry-on conn-failure empty-response',
        'frontend stats',
        `  bind 127.0.0.1:${statsPort}`,
        '  stats enable',
        '  stats uri /stats',
        'frontend fe',
        `  bind 127.0.0.1:${lbPort}`,
        '  default_backend mamori',
        'backend mamori',
        // A request that reached an instance which died before answering may have been applied: only
        // reads are sent again elsewhere; a write gets the load balancer's 502 (connection failures, where
        // the request never arrived, are retried for every method).
        '  http-request disable-l7-retry if !METH_GET !METH_HEAD',
        '  balance roundrobin',
        '  option httpchk GET /readyz',
        '  http-check expect status 200',
        // A check that takes longer than `timeout check` fails: keep it well above a busy instance's answer
        // time, or a loaded cluster marks every server down at once.
        '  timeout check 2s',
        '  default-server inter 250ms fastinter 250ms downinter 250ms fall 2 rise 2',
        ...instances.map((i) => `  server ${i.name} 127.0.0.1:${i.port} check`),
        '',
      ].join('\n'),
    );
    const haproxy = spawn(HAPROXY, ['-f', cfg, '-db'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let haproxyErr = '';
    haproxy.stderr?.on('data', (d) => {
      haproxyErr += String(d);
    });
    const haproxyExit = new Promise((r) => haproxy.once('exit', r));
    cleanups.push(async () => {
      haproxy.kill('SIGKILL');
      await haproxyExit;
    });

    const lbSessions = async () => {
      const r = await fetch(`http://127.0.0.1:${statsPort}/stats;csv`);
      const out: Record<string, number> = {};
      for (const line of (await r.text()).split('\n')) {
        const f = line.split(',');
        if (f[0] === 'mamori' && f[1] && f[1] !== 'BACKEND') out[f[1]] = Number(f[7]);
      }
      return out;
    };
    const lbStatus = async () => {
      const r = await fetch(`http://127.0.0.1:${statsPort}/stats;csv`);
      const out: Record<string, string> = {};
      for (const line of (await r.text()).split('\n')) {
        const f = line.split(',');
        if (f[0] === 'mamori' && f[1] && f[1] !== 'BACKEND') out[f[1]] = f[17] ?? '';
      }
      return out;
    };
    for (let i = 0; ; i++) {
      try {
        await lbStatus();
        break;
      } catch (e) {
        if (haproxy.exitCode !== null || i > 400)
          throw new Error(`haproxy did not start: ${e}\n${haproxyErr}`);
        await sleep(50);
      }
    }
    const waitLb = async (name: string, state: 'UP' | 'DOWN', ms = 30_000) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        if ((await lbStatus().catch(() => ({}) as Record<string, string>))[name]?.startsWith(state)) return;
        await sleep(25);
      }
      throw new Error(`haproxy never saw ${name} ${state}: ${JSON.stringify(await lbStatus())}`);
    };

    return {
      lb: `http://127.0.0.1:${lbPort}`,
      instances,
      databaseUrl: db.url,
      serveUrl,
      redisPrefix,
      sink,
      buildMs: ms,
      async sql<T>(text: string, params: unknown[] = []) {
        return (await pool.query(text, params)).rows as T[];
      },
      lbStatus,
      lbSessions,
      waitLb,
      async startAll() {
        for (const i of instances) i.start();
        await Promise.all(instances.map((i) => i.ready()));
        await Promise.all(instances.map((i) => waitLb(i.name, 'UP')));
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/** A JSON API call; the answer's status and body (null when not JSON). */
export async function api(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown> | null; server?: string }> {
  const headers: Record<string, string> = { 'accept-language': 'en' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const r = await fetch(`${base}/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let parsed: Record<string, unknown> | null = null;
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {}
  return { status: r.status, body: parsed };
}

let counter = 0;
/** A fresh address on the sink's domain. */
export const freshEmail = (tag = 'c') =>
  `${tag}-${process.pid}-${Date.now().toString(36)}-${counter++}@cluster.example`;

/** Waits for the newest code mailed to `email`. */
export async function mailedCode(sink: SmtpSink, email: string, ms = 20_000): Promise<string> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const m = sink.to(email).at(-1);
    if (m) return codeIn(m.text);
    await sleep(25);
  }
  throw new Error(`no mail to ${email}`);
}

/** Signs up and confirms an account through `base`; returns its session token. */
export async function signUp(
  base: string,
  sink: SmtpSink,
  email = freshEmail(),
): Promise<{ email: string; token: string }> {
  const r = await api(base, 'POST', '/signup', {
    email,
    password: PASSWORD,
    displayName: 'Cluster',
    locale: 'en',
  });
  if (r.status !== 202) throw new Error(`signup: ${r.status} ${JSON.stringify(r.body)}`);
  const code = await mailedCode(sink, email);
  const c = await api(base, 'POST', '/signup/confirm', { signupToken: r.body?.signupToken, code });
  if (c.status !== 200) throw new Error(`confirm: ${c.status} ${JSON.stringify(c.body)}`);
  return { email, token: c.body?.sessionToken as string };
}

/** True when the binaries the cluster needs are installed. */
export const haveHaproxy = () => existsSync(HAPROXY);
export const havePgbouncer = () => existsSync(PGBOUNCER);

/** Counts answers by `status error.code`. */
export function tally(
  xs: { status: number; body: Record<string, unknown> | null }[],
): Record<string, number> {
  const t: Record<string, number> = {};
  for (const x of xs) {
    const k = `${x.status} ${(x.body?.error as { code?: string } | undefined)?.code ?? ''}`.trim();
    t[k] = (t[k] ?? 0) + 1;
  }
  return t;
}

/** Prints a measured number so the run's log carries it (docs/cluster.md quotes them). */
export const report = (what: string, value: unknown) =>
  console.log(`[cluster] ${what}: ${JSON.stringify(value)}`);

/** CI (or MAMORI_REQUIRE_ALL) must run the cluster tests: a missing binary is then a failure, not a skip. */
export function requireBinary(have: boolean, path: string, pkg: string): boolean {
  const flag = (v: string | undefined) => v !== undefined && v !== '' && v !== '0' && v !== 'false';
  const required = flag(process.env.CI) || flag(process.env.MAMORI_REQUIRE_ALL);
  if (!have && required)
    throw new Error(`${path} not found (apt-get install -y ${pkg}), and CI requires the cluster tests`);
  if (!have) console.warn(`cluster tests skipped: ${path} not found (apt-get install -y ${pkg})`);
  return have;
}
