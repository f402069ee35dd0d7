import { stdin, stdout } from 'node:process';
import { createInterface } from 'node:readline/promises';
import { loadConfig } from '../config/config.ts';
import { systemClock } from '../kernel/clock.ts';
import { cryptoRandom } from '../kernel/random.ts';
import { DataDirLockedError } from '../storage/data-dir-lock.ts';
import { openStore } from '../storage/open.ts';
import { createOperator, resetOperatorAuthenticator } from './operator-auth.ts';
import { writeSetupGrant } from './operator-setup.ts';

/**
 * `npm run operator:create -- <name> [reviewer|admin]`: creates an operator of the console. The password is
 * read from OPERATOR_PASSWORD or, when unset, asked on the terminal (never a command-line argument, which
 * would end up in the shell history). The operator adds an authenticator app at the first sign-in.
 *
 * While the embedded server runs (it holds DATA_DIR), the command cannot open the store: it writes a one-time
 * setup link into DATA_DIR instead, which the running server honours, and prints it.
 *
 * `npm run operator:create -- <name> --reset-authenticator`: for an operator who lost their authenticator:
 * removes it and ends their sessions; the next sign-in enrols a new one. Audited.
 */
const [name, arg = 'reviewer'] = process.argv.slice(2);
const reset = arg === '--reset-authenticator';
if (!name || (!reset && arg !== 'reviewer' && arg !== 'admin')) {
  console.error('Usage: npm run operator:create -- <name> [reviewer|admin]');
  console.error('       npm run operator:create -- <name> --reset-authenticator');
  process.exit(2);
}
const config = loadConfig();
const signInUrl = `${config.publicUrl}/operator/sign-in`;
let db: Awaited<ReturnType<typeof openStore>>;
try {
  db = await openStore(config);
} catch (e) {
  if (!(e instanceof DataDirLockedError)) throw e;
  // The embedded store allows one process, and the running server is it: hand the creation to the server
  // through a one-time link (operator/operator-setup.ts), written into the same DATA_DIR.
  if (reset) {
    console.error(
      `${config.dataDir} is in use by the running Mamori (process ${e.pid}), and the embedded store allows one process at a time. ` +
        'Stop Mamori, run this command again, then start Mamori.',
    );
    process.exit(75);
  }
  const link = writeSetupGrant(
    { clock: systemClock, random: cryptoRandom },
    { dataDir: config.dataDir, publicUrl: config.publicUrl, name, role: arg as 'reviewer' | 'admin' },
  );
  console.log(
    `${config.dataDir} is in use by the running Mamori (process ${e.pid}), and the embedded store allows one process at a time, ` +
      `so the operator is created through the running server instead. Open this one-time link (valid until ${link.expiresAt.toISOString()}) ` +
      `and choose the password of ${name} (${arg}):\n\n  ${link.url}\n\n` +
      `Then sign in at ${signInUrl}: the first sign-in adds an authenticator app.`,
  );
  process.exit(0);
}
let password = '';
if (!reset) {
  password = process.env.OPERATOR_PASSWORD ?? '';
  if (!password) {
    const rl = createInterface({ input: stdin, output: stdout });
    password = await rl.question('Password (12+ characters): ');
    rl.close();
  }
}
try {
  const deps = { db, clock: systemClock, random: cryptoRandom };
  if (reset) {
    if (!(await resetOperatorAuthenticator(deps, name))) throw new Error(`no operator named ${name}`);
    console.log(
      `Removed the authenticator of ${name} and ended their sessions. At the next sign-in (${signInUrl}) they add a new one.`,
    );
  } else {
    const op = await createOperator(deps, { name, password, role: arg as 'reviewer' | 'admin' });
    console.log(
      `Created operator ${op.name} (${op.role}), id ${op.id}. Sign in at ${signInUrl}: ` +
        'the first sign-in asks to add an authenticator app (QR code), and every later one asks for its code.',
    );
  }
} catch (e) {
  console.error(
    `Could not ${reset ? 'reset the authenticator' : 'create the operator'}: ${(e as Error).message}`,
  );
  process.exitCode = 1;
} finally {
  await db.close();
}
