import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';

/** The folder of migration files, `NNNN_name.sql`, applied in name order. */
export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** The versions (file names without `.sql`) of the migrations in `dir`, in the order they apply. */
export function migrationVersions(dir: string = MIGRATIONS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.replace(/\.sql$/, ''))
    .sort();
}

export interface MigrateOptions {
  /** Apply only versions up to and including this one (tests that replay history step by step). */
  until?: string;
  /** Another folder of migration files (tests); default MIGRATIONS_DIR. */
  dir?: string;
}

/**
 * Applies every migration not yet applied, in name order. Each file runs whole, as one script
 * (`Sql.script`), in its own transaction together with its `schema_migrations` row, so a file is applied
 * entirely or not at all. An advisory lock makes concurrent starts on PostgreSQL safe.
 * Returns the versions applied by this call.
 */
export async function migrate(db: Db, options: MigrateOptions = {}): Promise<string[]> {
  const dir = options.dir ?? MIGRATIONS_DIR;
  // Under the same lock as the migrations: concurrent `CREATE TABLE IF NOT EXISTS` on an empty database
  // is not safe in PostgreSQL (both see no table, one fails on pg_type's unique index) — several instances
  // starting at once would crash all but one (test/cluster/migrations.test.ts).
  await db.tx(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(727274)');
    await tx.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
  });
  const { until } = options;
  const versions = migrationVersions(dir).filter((v) => until === undefined || v <= until);
  const applied: string[] = [];
  for (const version of versions) {
    const done = await db.tx(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(727274)');
      const rows = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [version]);
      if (rows.length > 0) return false;
      await tx.script(readFileSync(join(dir, `${version}.sql`), 'utf8'));
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
      return true;
    });
    if (done) applied.push(version);
  }
  return applied;
}
