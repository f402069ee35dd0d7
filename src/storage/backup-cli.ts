import { loadConfig } from '../config/config.ts';
import { backupEmbedded, restoreEmbedded } from './backup.ts';

/**
 * `npm run backup -- <file>` and `npm run restore -- <file> [--replace]`: back up or restore the embedded
 * store in DATA_DIR (stop Mamori first). With DATABASE_URL set, prints the pg_dump / pg_restore commands.
 */
const [command, file, ...flags] = process.argv.slice(2);
const config = loadConfig();
if (!file || (command !== 'backup' && command !== 'restore')) {
  console.error('usage: npm run backup -- <file>   |   npm run restore -- <file> [--replace]');
  process.exit(64);
}
if (config.databaseUrl) {
  console.error(
    command === 'backup'
      ? `DATABASE_URL is set: back up PostgreSQL with pg_dump --format=custom --file=${file} "$DATABASE_URL"`
      : `DATABASE_URL is set: restore PostgreSQL with pg_restore --no-owner --dbname="$DATABASE_URL" ${file}`,
  );
  process.exit(2);
}
if (command === 'backup') {
  const bytes = await backupEmbedded(config.dataDir, file);
  console.log(`Backed up ${config.dataDir} to ${file} (${bytes} bytes).`);
} else {
  const applied = await restoreEmbedded(config.dataDir, file, { replace: flags.includes('--replace') });
  console.log(
    `Restored ${file} into ${config.dataDir}.${applied.length ? ` Migrations applied: ${applied.join(', ')}.` : ''}`,
  );
}
