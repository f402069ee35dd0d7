import { type App, createApp } from '../../src/app.ts';
import { hmac } from '../../src/kernel/crypto.ts';
import { cryptoRandom, type Random } from '../../src/kernel/random.ts';
import { type PowChallenge, solvePow } from '../../src/recovery-form/pow.ts';
import { openPostgres } from '../../src/storage/postgres.ts';
import { PG_ADMIN_URL } from '../support/databases.ts';
import {
  type ApiResponse,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';

/** The secret of every test app (test/support/harness.ts). */
export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123';

/** Every 6-digit code the app draws while `forcedRandom` is in use. */
export const KNOWN_CODE = '424242';

/**
 * Randomness whose 6-digit codes are all KNOWN_CODE (everything else still comes from the CSPRNG): the
 * test knows the code a decoy challenge would have had, without reading it from anywhere.
 */
export const forcedRandom: Random = {
  int: (min, max) => (min === 0 && max === 1_000_000 ? Number(KNOWN_CODE) : cryptoRandom.int(min, max)),
  bytes: (n) => cryptoRandom.bytes(n),
};

/** A 6-digit code that is certainly not `code`. */
export const otherCode = (code: string, step = 1) =>
  String((Number(code) + step) % 1_000_000).padStart(6, '0');

/** The stored form of `code` for a challenge (src/verification/challenges.ts). */
export const codeHmacOf = (challengeId: string, code: string) =>
  hmac(TEST_SECRET, `code:${challengeId}:${code}`);

/** Every 6-digit code whose HMAC is `stored` for this challenge: an offline brute force of all 10^6. */
export function codesOpening(challengeId: string, stored: string | null): string[] {
  const found: string[] = [];
  if (!stored) return found;
  for (let i = 0; i < 1_000_000; i++) {
    const code = String(i).padStart(6, '0');
    if (codeHmacOf(challengeId, code) === stored) found.push(code);
  }
  return found;
}

/**
 * The parts of an answer an attacker compares: status, body shape (keys and value types, deep), error code and
 * message (which carries the remaining tries and waits), headers other than date, length and ids, cookie names.
 */
export function observable(r: ApiResponse): Record<string, unknown> {
  const keys = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(keys)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, keys((v as Record<string, unknown>)[k])]),
          )
        : typeof v;
  const headers = Object.fromEntries(
    Object.entries(r.headers)
      .filter(([k]) => !['date', 'content-length', 'x-request-id', 'set-cookie'].includes(k))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  const cookies = ([] as string[])
    .concat((r.headers['set-cookie'] as string[] | string | undefined) ?? [])
    .map((c) => c.split('=')[0]);
  return {
    status: r.status,
    shape: keys(r.body),
    error: r.body.error?.code ?? null,
    message: r.body.error?.message ?? null,
    headers,
    cookies,
  };
}

/** Password-reset API calls. */
export function resetApi(t: TestApp) {
  return {
    start: (email: string) => t.api('POST', '/api/v1/password-reset', { email }),
    state: (flowToken: unknown) => t.api('POST', '/api/v1/password-reset/state', { flowToken }),
    choose: (flowToken: unknown, methodId: string, confirm: string) =>
      t.api('POST', '/api/v1/password-reset/choose', { flowToken, methodId, confirm }),
    verify: (flowToken: unknown, code: string) =>
      t.api('POST', '/api/v1/password-reset/verify', { flowToken, code }),
    resend: (flowToken: unknown) => t.api('POST', '/api/v1/password-reset/resend', { flowToken }),
    recoveryCode: (flowToken: unknown, recoveryCode: string) =>
      t.api('POST', '/api/v1/password-reset/recovery-code', { flowToken, recoveryCode }),
    complete: (flowToken: unknown, password: string) =>
      t.api('POST', '/api/v1/password-reset/complete', { flowToken, password }),
  };
}

/** An account with one verified contact email; the resend wait of that address has passed. */
export async function accountWithContact(t: TestApp, o: { email?: string } = {}) {
  const account = await signedUpAccount(t, o);
  const contact = uniqueEmail('contact');
  const methodId = await verifiedEmail(t, account.token, contact);
  await t.drain();
  t.clock.advance(61_000);
  const id = (
    await t.app.deps.db.query<{ id: string }>('SELECT id FROM accounts WHERE email = $1', [account.email])
  )[0]!.id;
  return { ...account, id, contact, methodId };
}

/** A solved proof of work for the recovery form. */
export async function solvedPow(t: TestApp): Promise<Record<string, unknown>> {
  const c = (await t.api('GET', '/api/v1/recovery-form/pow')).body as unknown as PowChallenge;
  const number = solvePow(c);
  return { algorithm: c.algorithm, challenge: c.challenge, number, salt: c.salt, signature: c.signature };
}

/**
 * A second app instance on the same PostgreSQL database as `t` (its own connection pool and HTTP server,
 * the same config, clock and randomness), like a second process behind a load balancer.
 */
export async function secondInstance(t: TestApp): Promise<{ app: App; close: () => Promise<void> }> {
  const [{ db }] = (await t.app.deps.db.query<{ db: string }>('SELECT current_database() AS db')) as [
    { db: string },
  ];
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${db}`;
  const pool = await openPostgres(u.toString());
  const app = await createApp(t.app.deps.config, {
    db: pool,
    clock: t.clock,
    random: t.app.deps.random,
    manualDispatch: true,
  });
  await app.http.ready();
  return {
    app,
    async close() {
      await app.close();
      await pool.close();
    },
  };
}
