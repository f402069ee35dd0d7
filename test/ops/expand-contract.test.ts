import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, migrationVersions } from '../../src/storage/migrate.ts';
import { openPostgres } from '../../src/storage/postgres.ts';
import {
  api,
  freePort,
  Instance,
  PASSWORD,
  REDIS_URL,
  report,
  signUp,
  sleep,
  tally,
} from '../cluster/cluster.ts';
import { freshPostgresDatabase } from '../support/databases.ts';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.ts';

const root = new URL('../../', import.meta.url).pathname;
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

/**
 * The code before the newest migration: the parent of the commit that added the newest migration file (or
 * HEAD itself when that file is not committed yet). Needs the repository's history: a shallow clone or an
 * export without .git fails here, loudly, rather than skip the check.
 */
function previousVersion(): { commit: string; newest: string } {
  const newest = migrationVersions().at(-1)!;
  let added: string;
  try {
    added = git('log', '--diff-filter=A', '--format=%H', '-1', '--', `src/storage/migrations/${newest}.sql`);
  } catch (e) {
    throw new Error(
      `expand/contract check: this test needs the git history of the repository (git log failed: ${e}). ` +
        'Run it in a full clone (not an export, not --depth 1).',
    );
  }
  if (!added) return { commit: git('rev-parse', 'HEAD'), newest };
  try {
    return { commit: git('rev-parse', `${added}^`), newest };
  } catch {
    throw new Error(
      `expand/contract check: the parent of ${added} (which added ${newest}) is not in this clone — ` +
        'fetch the full history (git fetch --unshallow).',
    );
  }
}

/**
 * "An instance of the previous schema version keeps serving while the next version's migration runs"
 * (docs/operations.md, Upgrades). The previous commit's sources (git archive, the current node_modules)
 * run as a production instance on PostgreSQL and Redis, which migrates the database to its own newest
 * version (N-1). While it serves sign-ins and session checks under a steady load, the current migrator
 * applies the newer migrations. No request may fail, before, during or after.
 */
describe('expand/contract: the previous version keeps serving while the newest migrations run', () => {
  const work = join(
    root,
    '.cluster-build',
    `expand-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
  );
  let db: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let sink: SmtpSink;
  let old: Instance;
  let prev: ReturnType<typeof previousVersion>;
  const redisPrefix = `mamori-expand-${process.pid}-${Math.random().toString(36).slice(2, 8)}:`;

  beforeAll(async () => {
    prev = previousVersion();
    mkdirSync(work, { recursive: true });
    execFileSync(
      'sh',
      ['-c', `git archive --format=tar ${prev.commit} src package.json tsconfig.json | tar -x -C "${work}"`],
      { cwd: root },
    );
    symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
    db = await freshPostgresDatabase();
    sink = await startSmtpSink();
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PUBLIC_URL: 'https://mamori.example',
      MAIL_FROM: 'Mamori <security@mamori.example>',
      MAMORI_SECRET: 'expand-contract-secret-0123456789abcdefghijkl',
      DATABASE_URL: db.url,
      REDIS_URL,
      REDIS_KEY_PREFIX: redisPrefix,
      SMTP_URL: sink.url,
      SMS_PROVIDER: 'twilio',
      TWILIO_ACCOUNT_SID: 'ACexpand',
      TWILIO_AUTH_TOKEN: 'expand',
      TWILIO_FROM: '+15005550006',
      TWILIO_BASE_URL: 'http://127.0.0.1:9',
      LOG_LEVEL: 'warn',
      SHUTDOWN_DELAY_SECONDS: '0',
      DATA_DIR: join(work, 'data'),
      SIGNIN_FAILURES_PER_IP: '100000',
      SIGNUPS_PER_NETWORK_PER_HOUR: '1000000',
      SENDS_PER_NETWORK_PER_HOUR: '1000000',
      CODE_RESEND_SECONDS: '0',
    };
    // The previous version's own sources, through tsx (no build step for an old tree).
    old = new Instance('previous', await freePort(), env, join(work, 'src/main.ts'), {
      nodeArgs: ['--import', 'tsx'],
      cwd: work,
    });
    old.start();
    await old.ready(90_000);
  }, 180_000);

  afterAll(async () => {
    await old?.stop();
    await sink?.close();
    await db?.drop();
    const r = new Redis(REDIS_URL);
    const keys = await r.keys(`${redisPrefix}*`);
    if (keys.length) await r.del(...keys);
    r.disconnect();
    rmSync(work, { recursive: true, force: true });
  });

  it('zero failed sign-ins and session checks on the old instance while the current migrator applies the newest migrations', async () => {
    const oldVersions = readdirSync(join(work, 'src/storage/migrations'))
      .filter((f) => f.endsWith('.sql'))
      .map((f) => f.replace(/\.sql$/, ''))
      .sort();
    const pending = migrationVersions().filter((v) => !oldVersions.includes(v));
    report('previous version (commit before the newest migration)', prev.commit.slice(0, 12));
    report('migrations the previous version does not know', pending);
    expect(pending).toContain(prev.newest);

    // The old instance has migrated the database to its own newest version, and no further.
    const pool = await openPostgres(db.url);
    try {
      const applied = await pool.query<{ version: string }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      expect(applied.map((r) => r.version)).toEqual(oldVersions);

      const accounts = await Promise.all(Array.from({ length: 4 }, () => signUp(old.url, sink))).catch(
        (e) => {
          throw new Error(`${e}\n${old.output.slice(-3000)}`);
        },
      );
      type Answer = { status: number; body: Record<string, unknown> | null; phase: string };
      const answers: Answer[] = [];
      let phase = 'before';
      let stop = false;
      const signIns = accounts.map(async ({ email }) => {
        while (!stop) {
          const p = phase;
          const r = await api(old.url, 'POST', '/sessions', { email, password: PASSWORD });
          answers.push({ ...r, phase: p, status: r.body?.sessionToken ? r.status : -r.status });
        }
      });
      const checks = Array.from({ length: 12 }, async (_, i) => {
        const token = accounts[i % accounts.length]!.token;
        while (!stop) {
          const p = phase;
          answers.push({ ...(await api(old.url, 'GET', '/me', undefined, token)), phase: p });
        }
      });
      await sleep(1500);
      phase = 'during';
      const t0 = Date.now();
      const done = await migrate(pool);
      const migrateMs = Date.now() - t0;
      phase = 'after';
      await sleep(1500);
      stop = true;
      await Promise.all([...signIns, ...checks]);

      expect(done).toEqual(pending);
      const byPhase = (p: string) => tally(answers.filter((a) => a.phase === p));
      report('migration ms', migrateMs);
      report('answers before / during / after', [byPhase('before'), byPhase('during'), byPhase('after')]);
      const failed = answers.filter((a) => a.status !== 200);
      expect(tally(failed)).toEqual({});
      expect(answers.filter((a) => a.phase === 'after').length).toBeGreaterThan(10);
      // Still serving on the new schema: a new account signs up and signs in through the old instance.
      const late = await signUp(old.url, sink);
      expect((await api(old.url, 'GET', '/me', undefined, late.token)).status).toBe(200);
      expect(old.output).not.toMatch(/"level":(50|60)/);
    } finally {
      await pool.close();
    }
  }, 120_000);
});
