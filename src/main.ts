import { createApp } from './app.ts';
import { ConfigError, loadConfig, redactConfig } from './config/config.ts';
import { withDevSecret } from './config/dev-secret.ts';
import { startupLines } from './config/startup.ts';
import { createLogger } from './kernel/logger.ts';
import { firstOperatorLink } from './operator/operator-setup.ts';
import { DataDirLockedError } from './storage/data-dir-lock.ts';

/** Process entry: load config → build the app → listen; stop cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = withDevSecret(loadConfig());
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(78);
    }
    throw e;
  }
  const log = createLogger(config.logLevel, undefined, config.logFormat);
  let app: Awaited<ReturnType<typeof createApp>>;
  try {
    app = await createApp(config, { log });
  } catch (e) {
    if (e instanceof DataDirLockedError) {
      console.error(e.message);
      process.exit(75);
    }
    throw e;
  }
  log.info({ config: redactConfig(config) }, 'configuration');
  const listening = await app.http.listen({ port: config.port, host: config.host });
  for (const line of startupLines(config, listening)) log[line.level](line.msg);
  const setup = await firstOperatorLink(app.deps);
  if (setup)
    log.info(
      `No operator yet. Create the first one (admin) with this one-time link, valid until ${setup.expiresAt.toISOString()}: ${setup.url}`,
    );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Readiness goes false first, so a load balancer stops sending; requests are still served meanwhile.
    app.beginShutdown();
    const { delaySeconds, timeoutSeconds } = config.shutdown;
    log.info({ signal, delaySeconds, timeoutSeconds }, 'stopping: not ready any more');
    if (delaySeconds > 0) await new Promise((r) => setTimeout(r, delaySeconds * 1000));
    // Then stop listening, let in-flight requests and sends finish, release the store — within the deadline.
    const deadline = new Promise<'late'>((r) => setTimeout(() => r('late'), timeoutSeconds * 1000).unref());
    const outcome = await Promise.race([app.close().then(() => 'closed' as const), deadline]);
    if (outcome === 'late') {
      log.error({ timeoutSeconds }, 'stopping: in-flight work did not finish in time; exiting anyway');
      process.exit(1);
    }
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

await main();
