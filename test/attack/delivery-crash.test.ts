import { type ChildProcess, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { OutboxMessage } from '../../src/notifications/outbox.ts';
import { migrate } from '../../src/storage/migrate.ts';
import { openPostgres } from '../../src/storage/postgres.ts';
import { freshPostgresDatabase } from '../support/databases.ts';
import { type Arrival, startRecordingSmtp } from '../support/recording-smtp.ts';
import { BASE_ENV, message, put, sleep, tally, undelivered, waitFor } from './support/delivery-helpers.ts';

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
