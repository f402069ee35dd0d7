import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Deps } from '../deps.ts';
import { HOUR } from '../kernel/clock.ts';
import { sha256 } from '../kernel/crypto.ts';
import { fail } from '../kernel/errors.ts';
import { token } from '../kernel/random.ts';
import { createOperator, type Operator } from './operator-auth.ts';
import { countOperators, operatorNameKeyTaken } from './store.ts';

/**
 * A one-time operator setup link, for when `npm run operator:create` cannot open the store because the
 * embedded server holds it (one process per DATA_DIR), and for the very first start:
 *
 * - at start, while no operator exists, the server writes a setup token and prints
 *   `PUBLIC_URL/operator/setup?token=…` (the first operator: an admin, name chosen on the page);
 * - `npm run operator:create -- <name> [role]` against a running embedded server writes a token for that
 *   name and role and prints its link instead of failing.
 *
 * Only the token's SHA-256 is kept, as the name of a file in `DATA_DIR/operator-setup/` (mode 0700, files
 * 0600): whoever can write there can already read the whole store. Each link works once, for 24 hours;
 * expired ones are removed whenever a new one is written.
 */
export const SETUP_DIR = 'operator-setup';
export const SETUP_VALID_MS = 24 * HOUR;

interface SetupGrant {
  expiresAt: string;
  /** null: the first operator (name chosen on the page, admin, only while no operator exists). */
  name: string | null;
  role: Operator['role'];
}

const NAME_RE = /^[A-Za-z0-9._-]{3,64}$/;

/** Writes a new setup grant (replacing any earlier one) and returns the link to open. */
export function writeSetupGrant(
  deps: Pick<Deps, 'clock' | 'random'>,
  o: { dataDir: string; publicUrl: string; name?: string | null; role?: Operator['role'] },
): { url: string; expiresAt: Date } {
  const raw = token(deps.random, 32);
  const expiresAt = new Date(deps.clock.now().getTime() + SETUP_VALID_MS);
  const grant: SetupGrant = {
    expiresAt: expiresAt.toISOString(),
    name: o.name ?? null,
    role: o.role ?? 'admin',
  };
  const dir = join(o.dataDir, SETUP_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const f of readdirSync(dir)) {
    const g = readGrantFile(join(dir, f));
    if (!g || new Date(g.expiresAt) <= deps.clock.now()) unlinkQuietly(join(dir, f));
  }
  const path = join(dir, `${sha256(raw)}.json`);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(grant), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  return { url: `${o.publicUrl}/operator/setup?token=${raw}`, expiresAt };
}

async function operatorCount(deps: Pick<Deps, 'db'>): Promise<number> {
  return countOperators(deps.db);
}

/** At start: when no operator exists, a first-operator link (else null). */
export async function firstOperatorLink(
  deps: Pick<Deps, 'db' | 'clock' | 'random' | 'config'>,
): Promise<{ url: string; expiresAt: Date } | null> {
  if ((await operatorCount(deps)) > 0) return null;
  return writeSetupGrant(deps, { dataDir: deps.config.dataDir, publicUrl: deps.config.publicUrl });
}

function readGrantFile(path: string): SetupGrant | null {
  try {
    const g = JSON.parse(readFileSync(path, 'utf8')) as SetupGrant;
    return typeof g.expiresAt === 'string' ? g : null;
  } catch {
    return null;
  }
}

function unlinkQuietly(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The grant file of a typed token: named by the token's SHA-256 (base64url), so nothing else is compared. */
function grantPath(dataDir: string, raw: unknown): string | null {
  if (typeof raw !== 'string' || !/^[\w-]{20,100}$/.test(raw)) return null;
  return join(dataDir, SETUP_DIR, `${sha256(raw)}.json`);
}

/**
 * What the setup page may offer for this token: the fixed name (or null: the person chooses) and the role;
 * `operator.setup_invalid` when the link is unknown, used, expired, or a first-operator link once an
 * operator exists.
 */
export async function setupGrantFor(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  raw: unknown,
): Promise<{ name: string | null; role: Operator['role'] }> {
  const path = grantPath(deps.config.dataDir, raw);
  const g = path ? readGrantFile(path) : null;
  if (!g) fail('operator.setup_invalid');
  if (new Date(g.expiresAt) <= deps.clock.now()) fail('operator.setup_invalid');
  if (g.name === null && (await operatorCount(deps)) > 0) fail('operator.setup_invalid');
  return { name: g.name, role: g.role === 'reviewer' ? 'reviewer' : 'admin' };
}

/** Creates the operator of a setup link and spends the link. */
export async function redeemSetupGrant(
  deps: Pick<Deps, 'db' | 'clock' | 'random' | 'config'>,
  raw: unknown,
  input: { name: unknown; password: unknown },
): Promise<Operator> {
  const grant = await setupGrantFor(deps, raw);
  const name = grant.name ?? (typeof input.name === 'string' ? input.name.normalize('NFKC').trim() : '');
  if (!NAME_RE.test(name)) fail('operator.name_invalid');
  const password = typeof input.password === 'string' ? input.password : '';
  if (password.length < 12 || password.length > 1024) fail('password.too_short', { min: 12 });
  if (await operatorNameKeyTaken(deps.db, name.toLowerCase())) fail('operator.name_taken');
  // Spent before the operator is written: of two racing submissions only the one that removes the file goes on.
  const path = grantPath(deps.config.dataDir, raw);
  if (!path || !unlinkQuietly(path)) fail('operator.setup_invalid');
  return createOperator(deps, { name, password, role: grant.role });
}
