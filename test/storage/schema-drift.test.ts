import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, migrationVersions } from '../../src/storage/migrate.ts';
import { openPostgres } from '../../src/storage/postgres.ts';
import {
  dumpSchema,
  migrateAndDump,
  normaliseSchemaDump,
  SCHEMA_SNAPSHOT,
} from '../../src/storage/schema-dump.ts';
import { freshPostgresDatabase } from '../support/databases.ts';

const HINT =
  'the migrated schema differs from src/storage/schema.sql: run `npm run db:schema` and review the diff';

/**
 * The checked-in schema snapshot is what the migrations build, replayed one file at a time (as an upgraded
 * installation saw them) and all at once (a new installation). Runs on PostgreSQL with pg_dump, always:
 * a missing pg_dump is a failure, not a skip.
 */
describe('schema snapshot (src/storage/schema.sql) matches the migrations', () => {
  const snapshot = normaliseSchemaDump(readFileSync(SCHEMA_SNAPSHOT, 'utf8'));
  const versions = migrationVersions();
  let stepwise: { url: string; drop: () => Promise<void> };
  let applied: string[][] = [];
  beforeAll(async () => {
    stepwise = await freshPostgresDatabase();
    const db = await openPostgres(stepwise.url, 1);
    try {
      applied = [];
      for (const version of versions) applied.push(await migrate(db, { until: version }));
    } finally {
      await db.close();
    }
  });
  afterAll(() => stepwise.drop());

  it('a database migrated step by step, one file per run, dumps as the snapshot', async () => {
    expect(applied).toEqual(versions.map((v) => [v]));
    expect(await dumpSchema(stepwise.url), HINT).toBe(snapshot);
  });

  it('records exactly the migration files as applied versions', async () => {
    const db = await openPostgres(stepwise.url, 1);
    try {
      const rows = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY 1');
      expect(rows.map((r) => r.version)).toEqual(versions);
      expect(await migrate(db)).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('a database migrated all at once dumps as the snapshot', async () => {
    const fresh = await freshPostgresDatabase();
    try {
      expect(await migrateAndDump(fresh.url), HINT).toBe(snapshot);
    } finally {
      await fresh.drop();
    }
  });
});
