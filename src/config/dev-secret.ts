import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.ts';

/** Where the generated development secret is kept: `DATA_DIR/dev-secret`. */
export function devSecretPath(config: Pick<Config, 'dataDir'>): string {
  return join(config.dataDir, 'dev-secret');
}

/**
 * Outside production, when MAMORI_SECRET is not set, keep one generated secret in DATA_DIR so that
 * sessions and codes survive a restart of the dev server. Production refuses to start without a secret.
 */
export function withDevSecret(config: Config): Config {
  if (!config.secretGenerated || config.env === 'production') return config;
  mkdirSync(config.dataDir, { recursive: true });
  const path = devSecretPath(config);
  if (!existsSync(path)) writeFileSync(path, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return { ...config, secret: readFileSync(path, 'utf8').trim() };
}
