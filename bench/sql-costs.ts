/**
 * npx tsx bench/sql-costs.ts [--memory]
 *
 * What one statement costs on the embedded store (PGlite, file-backed in a temporary DATA_DIR like the
 * default; --memory for an in-memory one), measured one at a time through Mamori's own functions where
 * there is one. Supports the analysis in docs/benchmarks.md: sign-ins and session-cache misses spend most
 * of their non-hash time in these statements.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { hashPassword } from '../src/accounts/password-hasher.ts';
import { findAccountByKey } from '../src/accounts/store.ts';
import { recordActivity } from '../src/activity/activity.ts';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import type { RequestContext } from '../src/kernel/context.ts';
import { sha256 } from '../src/kernel/crypto.ts';
import { cryptoRandom, newId, token } from '../src/kernel/random.ts';
import { createSession, validateSession } from '../src/sessions/sessions.ts';
import { migrate } from '../src/storage/migrate.ts';
import { openPglite } from '../src/storage/pglite.ts';

const memory = process.argv.includes('--memory');
const dataDir = mkdtempSync(join(tmpdir(), 'mamori-sqlcost-'));
const db = memory ? await openPglite(null) : undefined;
if (db) await migrate(db);
const app = await createApp(
  loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MAMORI_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    DATA_DIR: dataDir,
    SESSION_CACHE_SECONDS: '0',
  }),
  { manualDispatch: true, ...(db ? { db } : {}) },
);
const deps = app.deps;
const ctx: RequestContext = {
  ip: '127.0.0.1',
  userAgent: 'mamori-bench/1.0',
  locale: 'en',
  country: deps.geo.country('127.0.0.1'),
};

// One account and 10,000 sessions (created through createSession, so the rows are exactly the app's).
const now = new Date();
const accountId = newId(cryptoRandom, 'acc');
const hash = await hashPassword('correct horse battery staple 42');
await deps.db.query(
  `INSERT INTO accounts (id, email, email_key, display_name, locale, time_zone, password_hash,
     password_changed_at, email_confirmed_at, created_at, updated_at)
   VALUES ($1, 'cost@example.com', 'cost@example.com', 'Cost', 'en', 'Asia/Tokyo', $2, $3, $3, $3, $3)`,
  [accountId, hash, now],
);
const tokens: string[] = [];
for (let i = 0; i < 10_000; i++) tokens.push(await createSession(deps, deps.db, accountId, ctx));

async function cost(name: string, n: number, f: (i: number) => Promise<unknown>) {
  for (let i = 0; i < Math.min(300, n); i++) await f(i);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await f(i);
  const c = process.cpuUsage(c0);
  const wallUs = ((performance.now() - t0) * 1000) / n;
  const cpuUs = (c.user + c.system) / n;
  console.log(
    `${name.padEnd(58)} ${cpuUs.toFixed(0).padStart(6)} µs CPU ${wallUs.toFixed(0).padStart(6)} µs wall`,
  );
  return cpuUs;
}

console.log(`PGlite ${memory ? 'in memory' : `file-backed (${dataDir})`}; one operation at a time`);
await cost('SELECT 1 (no parameters)', 3000, () => deps.db.query('SELECT 1'));
await cost('SELECT $1::text (one parameter: the per-statement floor)', 3000, (i) =>
  deps.db.query('SELECT $1::text AS v', [`v${i}`]),
);
await cost('validateSession, cache off (sessions ⋈ accounts by PK)', 3000, (i) =>
  validateSession(deps, tokens[i % tokens.length]),
);
await cost('findAccountByKey', 3000, () => findAccountByKey(deps.db, 'cost@example.com'));
await cost('limiter.take (INSERT … ON CONFLICT DO UPDATE … WHERE)', 2000, (i) =>
  deps.limiter.take(`cost:${i % 500}`, 1000, 900_000, new Date()),
);
await cost('limiter.reset (DELETE)', 2000, (i) => deps.limiter.reset(`cost:${i % 500}`));
await cost('recordActivity (one INSERT, autocommit)', 2000, () =>
  recordActivity(deps.db, deps.random, new Date(), accountId, 'signin.success', ctx),
);
await cost('tx { createSession; recordActivity } (BEGIN … COMMIT)', 1500, () =>
  deps.db.tx(async (tx) => {
    await createSession(deps, tx, accountId, ctx);
    await recordActivity(tx, deps.random, new Date(), accountId, 'signin.success', ctx);
  }),
);
await cost('createSession; recordActivity (two autocommits)', 1500, async () => {
  await createSession(deps, deps.db, accountId, ctx);
  await recordActivity(deps.db, deps.random, new Date(), accountId, 'signin.success', ctx);
});
await cost('sha256(token) (for scale)', 20_000, async () => sha256(token(cryptoRandom, 32)));

await app.close();
if (db) await db.close();
rmSync(dataDir, { recursive: true, force: true });
