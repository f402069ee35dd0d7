import { stdin, stdout } from 'node:process';
import { createInterface } from 'node:readline/promises';
import { loadConfig } from '../config/config.ts';
import { systemClock } from '../kernel/clock.ts';
import { cryptoRandom } from '../kernel/random.ts';
import { openStore } from '../storage/open.ts';
import { createOperator } from './operator-auth.ts';

/**
 * `npm run operator:create -- <name> [reviewer|admin]`: creates an operator of the console. The password is
 * read from OPERATOR_PASSWORD or, when unset, asked on the terminal (never a command-line argument, which
 * would end up in the shell history).
 */
const [name, roleArg = 'reviewer'] = process.argv.slice(2);
if (!name || (roleArg !== 'reviewer' && roleArg !== 'admin')) {
  console.error('Usage: npm run operator:create -- <name> [reviewer|admin]');
  process.exit(2);
}
let password = process.env.OPERATOR_PASSWORD ?? '';
if (!password) {
  const rl = createInterface({ input: stdin, output: stdout });
  password = await rl.question('Password (12+ characters): ');
  rl.close();
}
const config = loadConfig();
const db = await openStore(config);
try {
  const op = await createOperator(
    { db, clock: systemClock, random: cryptoRandom },
    { name, password, role: roleArg },
  );
  console.log(
    `Created operator ${op.name} (${op.role}), id ${op.id}. Sign in at ${config.publicUrl}/operator/sign-in`,
  );
} catch (e) {
  console.error(`Could not create the operator: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
