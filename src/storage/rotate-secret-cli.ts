import { loadConfig } from '../config/config.ts';
import { openStore } from './open.ts';
import { rotateSecret } from './rotate-secret.ts';

/** `OLD_MAMORI_SECRET=… MAMORI_SECRET=… npm run rotate-secret` with Mamori stopped. */
const old = process.env.OLD_MAMORI_SECRET ?? '';
const config = loadConfig();
if (old.length < 32 || config.secretGenerated) {
  console.error(
    'Set OLD_MAMORI_SECRET (the current secret) and MAMORI_SECRET (the new one, ≥ 32 characters).',
  );
  process.exit(64);
}
const db = await openStore(config);
const r = await rotateSecret(db, old, config.secret);
console.log(
  `Re-encrypted ${r.authenticators} authenticator secret(s), ${r.messages} pending message(s) and ` +
    `${r.appSecrets} app key(s) and secret(s). ` +
    `${r.recoveryCodesToRenew} account(s) must create a new recovery code (their old one no longer works).`,
);
await db.close();
