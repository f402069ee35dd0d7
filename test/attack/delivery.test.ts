import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase } from '../support/databases.ts';
import { createTestApp, GOOD_PASSWORD, type TestApp } from '../support/harness.ts';
import { startRecordingSmtp, startSlowSmsApi } from '../support/recording-smtp.ts';
import { instance, message, put, sleep, tally, undelivered, waitFor } from './support/delivery-helpers.ts';

// The crash test (kill -9 of a dispatcher process) is in delivery-crash.test.ts.

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
