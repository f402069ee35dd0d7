import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { lockDataDir } from './data-dir-lock.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';

/**
 * Backups of the embedded store (PGlite in DATA_DIR/pglite): a gzipped tar of its data directory, made with
 * PGlite's own `dumpDataDir` and read back with its `loadDataDir`. The store allows one process at a time, so
 * a backup or restore takes the data directory's lock: stop Mamori first (docs/operations.md#backups).
 * PostgreSQL deployments use `pg_dump` / `pg_restore` instead.
 *
 * The backup holds encrypted columns (outbox bodies, authenticator secrets): restore it with the same
 * MAMORI_SECRET.
 */

/** Writes a backup of the store in `dataDir` to `file` (written whole, then renamed). Returns its size in bytes. */
export async function backupEmbedded(dataDir: string, file: string): Promise<number> {
  const release = lockDataDir(dataDir);
  try {
    const pg = await PGlite.create(join(dataDir, 'pglite'));
    try {
      const dump = await pg.dumpDataDir('gzip');
      const bytes = Buffer.from(await dump.arrayBuffer());
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(`${file}.part`, bytes);
      renameSync(`${file}.part`, file);
      return bytes.length;
    } finally {
      await pg.close();
    }
  } finally {
    release();
  }
}

/**
 * Restores `file` into `dataDir`. An existing store there is kept aside as `pglite.before-restore-<time>`
 * when `replace` is true, else the restore is refused. The restored store is migrated to this version's
 * schema (an older backup is brought up to date). Returns the versions the migrations applied.
 */
export async function restoreEmbedded(
  dataDir: string,
  file: string,
  o: { replace?: boolean; now?: Date } = {},
): Promise<string[]> {
  const release = lockDataDir(dataDir);
  try {
    const target = join(dataDir, 'pglite');
    if (existsSync(target) && readdirSync(target).length > 0) {
      if (!o.replace)
        throw new Error(
          `${target} already holds a store: pass --replace to keep it aside and restore over it`,
        );
      renameSync(
        target,
        `${target}.before-restore-${(o.now ?? new Date()).toISOString().replace(/[:.]/g, '-')}`,
      );
    }
    const blob = new Blob([readFileSync(file)], { type: 'application/x-gzip' });
    const pg = await PGlite.create(target, { loadDataDir: blob });
    await pg.close();
    const db = await openPglite(target);
    try {
      return await migrate(db);
    } finally {
      await db.close();
    }
  } finally {
    release();
  }
}
