/**
 * A Mamori dispatcher on its own, as a child process for the crash tests: reads the same environment as
 * Mamori (DATABASE_URL, SMTP_URL, MAMORI_SECRET, OUTBOX_*, SMTP_TIMEOUT_SECONDS), delivers the outbox
 * until SIGTERM, and prints `ready` once it runs.
 */
import { smtpTransport } from '../../../src/adapters/email/smtp.ts';
import { loadConfig } from '../../../src/config/config.ts';
import { createCipher } from '../../../src/kernel/cipher.ts';
import { systemClock } from '../../../src/kernel/clock.ts';
import { createLogger } from '../../../src/kernel/logger.ts';
import { createDispatcher } from '../../../src/notifications/dispatcher.ts';
import { openPostgres } from '../../../src/storage/postgres.ts';

const config = loadConfig();
if (!config.databaseUrl || !config.smtpUrl) throw new Error('DATABASE_URL and SMTP_URL are required');
const db = await openPostgres(config.databaseUrl);
const email = smtpTransport(config.smtpUrl, { timeoutMs: config.outbox.smtpTimeoutSeconds * 1000 });
const dispatcher = createDispatcher({
  db,
  clock: systemClock,
  cipher: createCipher(config.secret, 'outbox'),
  email,
  sms: {
    async send() {
      throw new Error('no SMS here');
    },
  },
  mailFrom: config.mailFrom,
  messageIdDomain: new URL(config.publicUrl).hostname,
  log: createLogger(config.logLevel),
  leaseMs: config.outbox.leaseSeconds * 1000,
  concurrency: config.outbox.concurrency,
  pollMs: 200,
});
dispatcher.start();
dispatcher.kick();
process.stdout.write('ready\n');
process.on('SIGTERM', async () => {
  await dispatcher.stop();
  await email.close?.();
  await db.close();
  process.exit(0);
});
