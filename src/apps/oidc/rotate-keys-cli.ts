import { loadConfig } from '../../config/config.ts';
import { systemClock } from '../../kernel/clock.ts';
import { cryptoRandom } from '../../kernel/random.ts';
import { openStore } from '../../storage/open.ts';
import { rotateSigningKey } from './keys.ts';

/**
 * `npm run oidc:rotate-keys`: a new signing key for the OpenID Connect provider becomes active; the previous
 * one stays published until it retires (docs/flows/apps-oidc.md). Safe while Mamori runs.
 */
const config = loadConfig();
const db = await openStore(config);
const r = await rotateSigningKey({ config, db, clock: systemClock, random: cryptoRandom });
console.log(
  `New signing key ${r.kid} is active. Retiring: ${r.retired.join(', ') || 'none'} (published until ` +
    `${r.retireAfter.toISOString()}). Deleted ${r.deleted} retired key(s).`,
);
await db.close();
