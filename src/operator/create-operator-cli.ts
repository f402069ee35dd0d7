import { stdin, stdout } from 'node:process';
import { createInterface } from 'node:readline/promises';
import { loadConfig } from '../config/config.ts';
import { systemClock } from '../kernel/clock.ts';
import { cryptoRandom } from '../kernel/random.ts';
import { openStore } from '../storage/open.ts';
import { createOperator, resetOperatorAuthenticator } from './operator-auth.ts';

/**
 * `npm run operator:create -- <name> [reviewer|admin]`: creates an operator of the console. The password is
 * read from OPERATOR_PASSWORD or, when unset, asked on the terminal (never a command-line argument, which
 * would end up in the shell history). The operator adds an authenticator app at the first sign-in.
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
let password = '';
if (!reset) {
  password = process.env.OPERATOR_PASSWORD ?? '';
  if (!password) {
    const rl = createInterface({ input: stdin, output: stdout });
    password = await rl.question('Password (12+ characters): ');
    rl.close();
  }
}
const db = await openStore(config);
try {
  const deps = { db, clock: systemClock, random: cryptoRandom };
  if (reset) {
    if (!(await resetOperatorAuthenticator(deps, name))) throw new Error(`no operator named ${name}`);
    console.log(
      `Removed the authenticator of ${name} and ended their sessions. At the next sign-in (${config.publicUrl}/operator/sign-in) they add a new one.`,
    );
  } else {
    const op = await createOperator(deps, { name, password, role: arg as 'reviewer' | 'admin' });
    console.log(
      `Created operator ${op.name} (${op.role}), id ${op.id}. Sign in at ${config.publicUrl}/operator/sign-in: ` +
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
