import type { Config } from './config.ts';
import { devSecretPath } from './dev-secret.ts';

export interface StartupLine {
  level: 'info' | 'warn';
  msg: string;
}

/**
 * What the process says when it starts, every word true: the address it listens on (as the server bound
 * it, e.g. `http://127.0.0.1:3000`), the public address people use (PUBLIC_URL, which may be a proxy in
 * front), the store, and where the secret comes from. `listening` is what `fastify.listen` returned.
 */
export function startupLines(config: Config, listening: string): StartupLine[] {
  const lines: StartupLine[] = [];
  if (config.secretGenerated) {
    lines.push({
      level: 'warn',
      msg:
        `MAMORI_SECRET is not set: using the development secret kept in ${devSecretPath(config)} ` +
        '(sessions and codes survive a restart; deleting that file ends them). Set MAMORI_SECRET in production.',
    });
  }
  const store = config.databaseUrl ? 'PostgreSQL' : `embedded store in ${config.dataDir}`;
  lines.push({
    level: 'info',
    msg: `Mamori is listening on ${listening}; people reach it at ${config.publicUrl} (PUBLIC_URL); ${store}`,
  });
  if (config.devTools) {
    lines.push({
      level: 'info',
      msg: `Dev mailbox: ${config.publicUrl}/dev/mailbox · dev SMS outbox: ${config.publicUrl}/dev/sms`,
    });
  }
  return lines;
}
