import { describe, expect, it } from 'vitest';
import { migrate, migrationVersions } from '../../src/storage/migrate.ts';
import { openPostgres } from '../../src/storage/postgres.ts';
import { freshPostgresDatabase } from '../support/databases.ts';

/**
 * Several instances starting at once on an empty database (the cluster's first start): each runs `migrate`
 * with its own pool. Exactly one applies each version; none fails.
 */
describe('migrations started by several instances at once on an empty PostgreSQL database', () => {
  it('8 concurrent migrate() calls, 3 times: all succeed and each version is applied once', async () => {
    for (let round = 0; round < 3; round++) {
      const fresh = await freshPostgresDatabase();
      const dbs = await Promise.all(Array.from({ length: 8 }, () => openPostgres(fresh.url)));
      try {
        const results = await Promise.allSettled(dbs.map((db) => migrate(db)));
        expect(
          results
            .filter((r) => r.status === 'rejected')
            .map((r) => String((r as PromiseRejectedResult).reason)),
        ).toEqual([]);
        const applied = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
        expect(applied.sort()).toEqual(migrationVersions());
        const rows = await dbs[0]!.query<{ version: string }>(
          'SELECT version FROM schema_migrations ORDER BY version',
        );
        expect(rows.map((r) => r.version)).toEqual(migrationVersions());
      } finally {
        await Promise.all(dbs.map((db) => db.close()));
        await fresh.drop();
      }
    }
  });
});
