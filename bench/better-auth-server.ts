/**
 * Better Auth, the comparison point of bench/compare.ts: started as a child process (its CPU is read from
 * /proc like Mamori's), a plain node:http server with `toNodeHandler(auth)`, on its own PostgreSQL database
 * (BENCH_DATABASE_URL) through a pg.Pool of 10 connections (Mamori's default pool size).
 * Configuration: email and password, the email OTP and two-factor plugins, telemetry off, rate limiter off
 * (Mamori's sign-in limits are raised out of the way in the bench too), cookie cache off (the default: each
 * session check reads the database, as Mamori's do on a cache miss). Passwords are hashed with Mamori's own
 * argon2id settings (ARGON2_OPTIONS of src/accounts/password-hasher.ts, through @node-rs/argon2 as a Better
 * Auth user would call it) instead of Better Auth's default scrypt, so a sign-in costs the same hash on both
 * sides.
 * Commands over IPC: seed users, seed sessions (rows as a sign-in writes them, cookie signed the way
 * better-call signs it), generate sign-in OTPs (through the plugin's own endpoint function), close.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';
import { emailOTP, twoFactor } from 'better-auth/plugins';
import pg from 'pg';
import { ARGON2_OPTIONS } from '../src/accounts/password-hasher.ts';

const SECRET = 'bench-better-auth-secret-0123456789abcdefghij';
const url = process.env.BENCH_DATABASE_URL;
if (!url) throw new Error('BENCH_DATABASE_URL is required');

const pool = new pg.Pool({ connectionString: url, max: 10 });
const otps = new Map<string, string>();
const options = {
  database: pool,
  secret: SECRET,
  baseURL: 'http://127.0.0.1',
  telemetry: { enabled: false },
  rateLimit: { enabled: false },
  emailAndPassword: {
    enabled: true,
    password: {
      // What a Better Auth user would write: the argon2id library with Mamori's settings.
      hash: (password: string) => argon2Hash(password.normalize('NFKC'), ARGON2_OPTIONS),
      verify: ({ hash, password }: { hash: string; password: string }) =>
        argon2Verify(hash, password.normalize('NFKC')),
    },
  },
  plugins: [
    emailOTP({
      async sendVerificationOTP({ email, otp }) {
        otps.set(email, otp);
      },
    }),
    twoFactor(),
  ],
};
const auth = betterAuth(options);
await (await getMigrations(auth.options)).runMigrations();

const server = createServer(toNodeHandler(auth));
server.keepAliveTimeout = 72_000;
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const addr = server.address();
const port = typeof addr === 'object' && addr ? addr.port : 0;

type BaCommand =
  | { cmd: 'seedUsers'; prefix: string; count: number; password: string }
  | { cmd: 'seedSessions'; count: number; total: number }
  | { cmd: 'otps'; prefix: string; count: number }
  | { cmd: 'close' };

/** Users with an email and password account, inserted directly (one hash for all: its cost does not depend on the salt). */
async function seedUsers(prefix: string, count: number, password: string): Promise<string[]> {
  const hash = await argon2Hash(password.normalize('NFKC'), ARGON2_OPTIONS);
  const now = new Date();
  const emails: string[] = [];
  for (let i = 0; i < count; i += 500) {
    const users: unknown[] = [];
    const accounts: unknown[] = [];
    const uv: string[] = [];
    const av: string[] = [];
    for (let j = i; j < Math.min(count, i + 500); j++) {
      const id = randomBytes(16).toString('hex');
      const email = `${prefix}-${j}@example.com`;
      emails.push(email);
      uv.push(
        `($${users.length + 1}, $${users.length + 2}, $${users.length + 3}, true, $${users.length + 4}, $${users.length + 4})`,
      );
      users.push(id, `Bench ${j}`, email, now);
      av.push(
        `($${accounts.length + 1}, $${accounts.length + 2}, 'credential', $${accounts.length + 2}, $${accounts.length + 3}, $${accounts.length + 4}, $${accounts.length + 4})`,
      );
      accounts.push(randomBytes(16).toString('hex'), id, hash, now);
    }
    await pool.query(
      `INSERT INTO "user" (id, name, email, "emailVerified", "createdAt", "updatedAt") VALUES ${uv.join(', ')}`,
      users,
    );
    await pool.query(
      `INSERT INTO account (id, "userId", "providerId", "accountId", password, "createdAt", "updatedAt") VALUES ${av.join(', ')}`,
      accounts,
    );
  }
  return emails;
}

const sign = (token: string) =>
  encodeURIComponent(`${token}.${createHmac('sha256', SECRET).update(token).digest('base64')}`);

/**
 * `total` live sessions spread over the users, as /sign-in/email writes them (7-day expiry); returns the
 * cookie of the first `count`.
 */
async function seedSessions(count: number, total: number): Promise<string[]> {
  const users = (await pool.query<{ id: string }>('SELECT id FROM "user" ORDER BY id')).rows;
  const now = new Date();
  const expires = new Date(now.getTime() + 7 * 86_400_000);
  const cookies: string[] = [];
  for (let i = 0; i < total; i += 1000) {
    const params: unknown[] = [];
    const values: string[] = [];
    for (let j = i; j < Math.min(total, i + 1000); j++) {
      const token = randomBytes(24).toString('base64url');
      if (j < count) cookies.push(`better-auth.session_token=${sign(token)}`);
      const p = params.length;
      values.push(`($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 4}, '127.0.0.1', 'bench', $${p + 5})`);
      params.push(randomBytes(16).toString('hex'), expires, token, now, users[j % users.length]!.id);
    }
    await pool.query(
      `INSERT INTO session (id, "expiresAt", token, "createdAt", "updatedAt", "ipAddress", "userAgent", "userId") VALUES ${values.join(', ')}`,
      params,
    );
  }
  return cookies;
}

/** One sign-in OTP for each of `count` users, through the plugin's endpoint (stored as it stores them). */
async function makeOtps(prefix: string, count: number): Promise<{ email: string; otp: string }[]> {
  const out: { email: string; otp: string }[] = [];
  for (let i = 0; i < count; i++) {
    const email = `${prefix}-${i}@example.com`;
    await auth.api.sendVerificationOTP({ body: { email, type: 'sign-in' } });
    out.push({ email, otp: otps.get(email)! });
  }
  return out;
}

async function handle(c: BaCommand): Promise<unknown> {
  switch (c.cmd) {
    case 'seedUsers':
      return seedUsers(c.prefix, c.count, c.password);
    case 'seedSessions':
      return seedSessions(c.count, c.total);
    case 'otps':
      return makeOtps(c.prefix, c.count);
    case 'close':
      server.close();
      await pool.end();
      setImmediate(() => process.exit(0));
      return null;
  }
}

process.on('message', (m: { id: number } & BaCommand) => {
  handle(m).then(
    (result) => process.send?.({ id: m.id, ok: true, result }),
    (e: Error) => process.send?.({ id: m.id, ok: false, error: e.stack ?? String(e) }),
  );
});
process.on('disconnect', () => process.exit(1));
process.send?.({ ready: true, port });
