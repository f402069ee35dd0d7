/** Shared by the delivery attack tests: instances on one PostgreSQL database, messages put in the outbox. */
import { type App, createApp } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config/config.ts';
import { createCipher } from '../../../src/kernel/cipher.ts';
import type { Clock } from '../../../src/kernel/clock.ts';
import { cryptoRandom } from '../../../src/kernel/random.ts';
import { enqueue, newReference, type OutboxMessage } from '../../../src/notifications/outbox.ts';
import type { Db, Sql } from '../../../src/storage/db.ts';

export const SECRET = 'test-secret-test-secret-test-secret-0123';
export const BASE_ENV = {
  NODE_ENV: 'test',
  MAIL_FROM: 'Mamori <security@mamori.test>',
  MAMORI_SECRET: SECRET,
  PUBLIC_URL: 'http://mamori.test',
};

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** One Mamori instance on the real clock, with its own connection pool to `databaseUrl`. */
export async function instance(
  databaseUrl: string,
  env: Record<string, string>,
  clock?: Clock,
): Promise<App> {
  const config = loadConfig({ ...BASE_ENV, DATABASE_URL: databaseUrl, ...env });
  return createApp(config, { manualDispatch: true, ...(clock ? { clock } : {}) });
}

export function message(
  to: string,
  kind: string,
  text: string,
  channel: 'email' | 'sms' = 'email',
): OutboxMessage {
  return {
    accountId: null,
    channel,
    kind: kind as OutboxMessage['kind'],
    recipient: to,
    subject: text,
    text,
    html: '',
    reference: newReference(cryptoRandom),
  };
}

export async function put(db: Db, messages: OutboxMessage[], now = new Date()): Promise<void> {
  const cipher = createCipher(SECRET, 'outbox');
  await db.tx(async (tx: Sql) => {
    for (const m of messages) await enqueue(tx, { random: cryptoRandom, cipher, now }, m);
  });
}

export const undelivered = async (db: Sql) =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE status <> 'sent'`))[0]!.n;

/** How many times each reference arrived. */
export function tally(arrivals: { reference: string }[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const a of arrivals) m.set(a.reference, (m.get(a.reference) ?? 0) + 1);
  return m;
}
