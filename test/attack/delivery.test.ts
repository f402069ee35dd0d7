import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createCipher } from '../../src/kernel/cipher.ts';
import type { Clock } from '../../src/kernel/clock.ts';
import { cryptoRandom } from '../../src/kernel/random.ts';
import { enqueue, newReference, type OutboxMessage } from '../../src/notifications/outbox.ts';
import type { Db, Sql } from '../../src/storage/db.ts';
import { migrate } from '../../src/storage/migrate.ts';
import { openPostgres } from '../../src/storage/postgres.ts';
import { freshPostgresDatabase } from '../support/databases.ts';
import { createTestApp, GOOD_PASSWORD, type TestApp } from '../support/harness.ts';
import { type Arrival, startRecordingSmtp, startSlowSmsApi } from '../support/recording-smtp.ts';

const SECRET = 'test-secret-test-secret-test-secret-0123';
const BASE_ENV = {
  NODE_ENV: 'test',
  MAIL_FROM: 'Mamori <security@mamori.test>',
  MAMORI_SECRET: SECRET,
  PUBLIC_URL: 'http://mamori.test',
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** One Mamori instance on the real clock, with its own connection pool to `databaseUrl`. */
async function instance(databaseUrl: string, env: Record<string, string>, clock?: Clock): Promise<App> {
  const config = loadConfig({ ...BASE_ENV, DATABASE_URL: databaseUrl, ...env });
  return createApp(config, { manualDispatch: true, ...(clock ? { clock } : {}) });
}

function message(to: string, kind: string, text: string, channel: 'email' | 'sms' = 'email'): OutboxMessage {
  return {
    accountId: null,
    channel,
    kind,
    recipient: to,
    subject: text,
    text,
    html: '',
    reference: newReference(cryptoRandom),
  };
}

async function put(db: Db, messages: OutboxMessage[], now = new Date()): Promise<void> {
  const cipher = createCipher(SECRET, 'outbox');
  await db.tx(async (tx: Sql) => {
    for (const m of messages) await enqueue(tx, { random: cryptoRandom, cipher, now }, m);
  });
}

const undelivered = async (db: Sql) =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE status <> 'sent'`))[0]!.n;

/** How many times each reference arrived. */
function tally(arrivals: { reference: string }[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const a of arrivals) m.set(a.reference, (m.get(a.reference) ?? 0) + 1);
  return m;
}

describe('delivery on PostgreSQL: two instances and a server slower than the lease', () => {
  it('delivers every email and SMS exactly once while each reply takes three times the lease', async () => {
    const db = await freshPostgresDatabase();
    // Each SMTP reply and each SMS API answer comes 3 s after the message arrived; the lease is 1 s.
    const smtp = await startRecordingSmtp({ holdReply: () => 3000 });
    const sms = await startSlowSmsApi(3000);
    const env = {
      SMTP_URL: smtp.url,
      OUTBOX_LEASE_SECONDS: '1',
      SMTP_TIMEOUT_SECONDS: '10',
      SMS_PROVIDER: 'twilio',
      TWILIO_ACCOUNT_SID: 'AC0',
      TWILIO_AUTH_TOKEN: 'token',
      TWILIO_FROM: '+15005550006',
      TWILIO_BASE_URL: sms.url,
    };
    const a = await instance(db.url, env);
    const b = await instance(db.url, env);
    try {
      const mails = Array.from({ length: 8 }, (_, i) =>
        message(`slow${i}@example.com`, 'password_changed', `m${i}`),
      );
      const texts = Array.from({ length: 2 }, (_, i) => message(`+8190000000${i}`, 'code', `s${i}`, 'sms'));
      await put(a.deps.db, [...mails, ...texts]);
      // The first instance takes every message at once; the second one polls while they are in flight.
      a.deps.dispatcher.start();
      a.deps.dispatcher.kick();
      b.deps.dispatcher.start();
      await waitFor('the outbox to be delivered', async () => (await undelivered(a.deps.db)) === 0, 30_000);
      await Promise.all([a.deps.dispatcher.stop(), b.deps.dispatcher.stop()]);
      await waitFor('the servers to answer', () => smtp.replying === 0, 10_000);

      const counts = tally(smtp.stored);
      expect(mails.map((m) => counts.get(m.reference) ?? 0)).toEqual(mails.map(() => 1));
      expect(texts.map((t) => sms.received.filter((r) => r.body === t.text).length)).toEqual([1, 1]);
      const unknown = await a.deps.db.query<{ n: number }>(
        'SELECT coalesce(sum(unknown_outcomes), 0)::int AS n FROM outbox',
      );
      expect(unknown[0]!.n).toBe(0);
    } finally {
      await a.close();
      await b.close();
      await smtp.close();
      await sms.close();
      await db.drop();
    }
  });

  it('100 codes from parallel sign-ups, drained by two instances at once: each arrives exactly once', async () => {
    const t = await createTestApp({ store: 'postgres', env: { TRUSTED_PROXIES: '127.0.0.1' } });
    const second = await instance(
      await databaseUrlOf(t),
      { SMTP_URL: t.sink.url, OUTBOX_CONCURRENCY: '7' },
      t.clock,
    );
    try {
      const tag = Math.random().toString(36).slice(2, 7);
      const emails = Array.from({ length: 100 }, (_, i) => `par${i}.${tag}@example.com`);
      const answers = await Promise.all(
        emails.map((email, i) =>
          t.api(
            'POST',
            '/api/v1/signup',
            { email, password: GOOD_PASSWORD, displayName: 'P', locale: 'en' },
            undefined,
            { 'x-forwarded-for': `198.51.100.${i}` },
          ),
        ),
      );
      expect(answers.map((r) => r.status)).toEqual(emails.map(() => 202));
      await Promise.all([
        t.app.deps.dispatcher.drain(),
        second.deps.dispatcher.drain(),
        t.app.deps.dispatcher.drain(),
      ]);
      const got = t.sink.messages.filter((m) => m.to.includes(`.${tag}@`));
      expect(got).toHaveLength(100);
      expect(new Set(got.map((m) => m.to)).size).toBe(100);
      expect(new Set(got.map((m) => m.messageId)).size).toBe(100);
    } finally {
      await second.close();
      await t.close();
    }
  });
});

describe('delivery on PostgreSQL: one slow recipient, codes first', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  it('one recipient whose server answers slowly delays only its own messages', async () => {
    const others = Array.from({ length: 50 }, (_, i) => `other${i}@example.com`);
    let othersStored = 0;
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const smtp = await startRecordingSmtp({
      onStored: (a) => {
        if (a.to !== 'slow@example.com' && ++othersStored === others.length) release();
      },
      // The slow recipient's first message is answered once every other message has arrived, or after 20 s.
      holdReply: (a) =>
        a.to === 'slow@example.com' && a.subject === 'slow 1' ? Promise.race([released, sleep(20_000)]) : 0,
    });
    const db = await freshPostgresDatabase();
    const app = await instance(db.url, { SMTP_URL: smtp.url });
    try {
      await put(app.deps.db, [
        message('slow@example.com', 'password_changed', 'slow 1'),
        ...others.map((to) => message(to, 'password_changed', 'quick')),
        message('slow@example.com', 'password_changed', 'slow 2'),
      ]);
      await app.deps.dispatcher.drain();
      const acked = smtp.events.indexOf('acked slow@example.com');
      expect(acked).toBeGreaterThan(-1);
      // Every other message arrived before the slow one was answered.
      expect(smtp.events.slice(0, acked).filter((e) => e.startsWith('stored other'))).toHaveLength(50);
      // The slow recipient's own messages still arrive in the order they were written.
      expect(smtp.stored.filter((a) => a.to === 'slow@example.com').map((a) => a.subject)).toEqual([
        'slow 1',
        'slow 2',
      ]);
    } finally {
      await app.close();
      await smtp.close();
      await db.drop();
    }
  });

  it('a code written after 60 bulk notices is among the first messages to leave', async () => {
    const tag = Math.random().toString(36).slice(2, 7);
    const notices = Array.from({ length: 60 }, (_, i) =>
      message(`bulk${i}.${tag}@example.com`, 'notice', 'notice'),
    );
    // One code to a fresh address, one to an address that already has a notice waiting (order kept).
    await put(
      t.app.deps.db,
      [
        ...notices,
        message(`code.${tag}@example.com`, 'code', 'code A'),
        message(`bulk59.${tag}@example.com`, 'code', 'code B'),
      ],
      t.clock.now(),
    );
    await t.drain();
    const arrived = t.sink.messages.filter((m) => m.to.includes(`.${tag}@`));
    expect(arrived).toHaveLength(62);
    const position = (subject: string) => arrived.findIndex((m) => m.subject === subject);
    expect(position('code A')).toBeLessThan(10);
    expect(position('code B')).toBeLessThan(20);
    const toB = arrived.filter((m) => m.to === `bulk59.${tag}@example.com`).map((m) => m.subject);
    expect(toB).toEqual(['notice', 'code B']);
  });
});

async function databaseUrlOf(t: TestApp): Promise<string> {
  const [{ name }] = (await t.app.deps.db.query<{ name: string }>('SELECT current_database() AS name')) as [
    { name: string },
  ];
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test');
  url.pathname = `/${name}`;
  return url.toString();
}

describe('delivery on PostgreSQL: kill -9 in the middle of dispatch', () => {
  it('every message arrives; only those in flight at the kill arrive twice, with one Message-ID, each recorded', async () => {
    const RECIPIENTS = 150; // two messages each: 300
    const CONCURRENCY = 10;
    const KILL_AFTER = 100; // stored messages
    const ACK_MS = 300;
    const db = await freshPostgresDatabase();
    const store = await openPostgres(db.url);
    await migrate(store);
    let first: ChildProcess | null = null;
    const smtp = await startRecordingSmtp({
      // Stores each message, then acknowledges it 300 ms later (the crash window is mostly this wait).
      holdReply: () => ACK_MS,
      onStored: (a) => {
        if (a.n + 1 === KILL_AFTER) first?.kill('SIGKILL');
      },
    });
    const env = {
      ...BASE_ENV,
      PATH: process.env.PATH ?? '',
      DATABASE_URL: db.url,
      SMTP_URL: smtp.url,
      OUTBOX_LEASE_SECONDS: '2',
      SMTP_TIMEOUT_SECONDS: '2',
      OUTBOX_CONCURRENCY: String(CONCURRENCY),
      LOG_LEVEL: 'warn',
    };
    const logs: string[] = [];
    const start = () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/attack/support/dispatch-child.ts'], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (d) => logs.push(String(d)));
      child.stderr?.on('data', (d) => logs.push(String(d)));
      return {
        child,
        exited: new Promise<string | number | null>((r) => child.on('exit', (c, s) => r(s ?? c))),
      };
    };
    try {
      const written: OutboxMessage[] = [];
      for (let i = 0; i < RECIPIENTS; i++)
        for (const k of [1, 2]) written.push(message(`r${i}@example.com`, 'password_changed', `r${i} #${k}`));
      await put(store, written);

      const t0 = Date.now();
      const one = start();
      first = one.child;
      expect(await one.exited).toBe('SIGKILL');
      await sleep(300); // statements the dead process had already sent have finished
      const [atKill] = await store.query<{ claimed: number; transmitting: number; sent: number }>(
        `SELECT count(*) FILTER (WHERE status = 'sending')::int AS claimed,
                count(*) FILTER (WHERE status = 'sending' AND in_flight_until IS NOT NULL)::int AS transmitting,
                count(*) FILTER (WHERE status = 'sent')::int AS sent
         FROM outbox`,
      );

      const tKill = Date.now() - t0;
      const two = start();
      try {
        await waitFor('the outbox to be delivered', async () => (await undelivered(store)) === 0, 45_000);
      } finally {
        two.child.kill('SIGTERM');
        await two.exited;
      }
      await waitFor('the server to answer', () => smtp.replying === 0, 5_000);
      const tDone = Date.now() - t0;

      const counts = tally(smtp.stored);
      expect(written.filter((m) => !counts.has(m.reference))).toEqual([]);
      const duplicated = written.filter((m) => (counts.get(m.reference) ?? 0) > 1);
      const duplicates = duplicated.reduce((s, m) => s + counts.get(m.reference)! - 1, 0);
      // Each duplicate carries the Message-ID of the first delivery, so the receiver can drop it.
      for (const m of duplicated)
        expect(
          new Set(smtp.stored.filter((a) => a.reference === m.reference).map((a) => a.messageId)).size,
        ).toBe(1);
      const [recorded] = await store.query<{ unknown: number; messages: number }>(
        `SELECT coalesce(sum(unknown_outcomes), 0)::int AS unknown, count(*) FILTER (WHERE unknown_outcomes > 0)::int AS messages
         FROM outbox`,
      );
      console.info(
        `kill -9 after ${KILL_AFTER} stored (ack ${ACK_MS} ms): claimed ${atKill!.claimed}, transmitting ${atKill!.transmitting}, ` +
          `marked sent ${atKill!.sent}; duplicates ${duplicates} (${duplicated.length} messages); ` +
          `recorded outcome unknown ${recorded!.unknown}; DATA cut short ${smtp.cutShort}; killed at ${tKill} ms, all delivered at ${tDone} ms`,
      );
      expect(atKill!.claimed).toBeLessThanOrEqual(CONCURRENCY);
      expect(duplicates).toBeLessThanOrEqual(atKill!.transmitting);
      expect(duplicated.length).toBe(duplicates); // nothing arrived three times
      // Every copy was recorded. A recorded attempt that left no copy can only be one the kill cut short
      // between recording it and the final dot (the server saw that DATA end without the dot).
      expect(recorded!.unknown).toBeGreaterThanOrEqual(duplicates);
      expect(recorded!.unknown).toBeLessThanOrEqual(duplicates + smtp.cutShort);
      // One recipient's messages: first arrivals in the order written, even around the crash.
      const firsts = new Map<string, Arrival[]>();
      for (const a of smtp.stored) {
        const list = firsts.get(a.to) ?? [];
        if (!list.some((x) => x.reference === a.reference)) list.push(a);
        firsts.set(a.to, list);
      }
      for (let i = 0; i < RECIPIENTS; i++)
        expect(firsts.get(`r${i}@example.com`)?.map((a) => a.subject)).toEqual([`r${i} #1`, `r${i} #2`]);
    } catch (e) {
      console.error(logs.join('').slice(-4000));
      throw e;
    } finally {
      first?.kill('SIGKILL');
      await store.close();
      await smtp.close();
      await db.drop();
    }
  });
});
