import { join } from 'node:path';
import type { Config } from '../config/config.ts';
import { lockDataDir } from './data-dir-lock.ts';
import type { Db } from './db.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

/** Opens the configured store (PostgreSQL if DATABASE_URL is set, else PGlite in DATA_DIR) and migrates it. */
export async function openStore(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  options: { migrate?: boolean; onPoolError?: (e: Error) => void } = {},
): Promise<Db> {
  const shouldMigrate = options.migrate !== false;
  if (config.databaseUrl) {
    const db = await openPostgres(config.databaseUrl, 10, { onPoolError: options.onPoolError });
    if (shouldMigrate) await migrate(db);
    return db;
  }
  const release = lockDataDir(config.dataDir);
  try {
    const db = await openPglite(join(config.dataDir, 'pglite'));
    if (shouldMigrate) await migrate(db);
    const close = db.close;
    return {
      ...db,
      close: async () => {
        await close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}
