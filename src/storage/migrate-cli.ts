import { loadConfig } from '../config/config.ts';
import { migrate } from './migrate.ts';
import { openStore } from './open.ts';

/** `npm run migrate`: applies pending migrations to the configured store and exits. */
const config = loadConfig();
const db = await openStore(config, { migrate: false });
const applied = await migrate(db);
console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Schema is up to date.');
await db.close();
