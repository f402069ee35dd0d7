import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpTransport } from '../../src/adapters/email/smtp.ts';
import { createDispatcher } from '../../src/notifications/dispatcher.ts';
import type { MessageKind } from '../../src/notifications/message-kinds.ts';
import { enqueue, newReference } from '../../src/notifications/outbox.ts';
import type { EmailTransport } from '../../src/notifications/ports.ts';
import type { StoreKind } from '../support/databases.ts';
import {
  createTestApp,
  GOOD_PASSWORD,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
} from '../support/harness.ts';

async function enqueueOne(t: TestApp, to: string, kind: MessageKind = 'password_changed'): Promise<string> {
  const reference = newReference(t.app.deps.random);
  await t.app.deps.db.tx((tx) =>
    enqueue(
      tx,
      { random: t.app.deps.random, cipher: t.app.deps.cipher, now: t.clock.now() },
      {
        accountId: null,
        channel: 'email',
        kind,
        recipient: to,
        subject: 'Test',
        text: `hello ${to}`,
        html: '<p>hello</p>',
        reference,
      },
    ),
  );
  return reference;
}

const status = async (t: TestApp, reference: string) =>
  (
    await t.app.deps.db.query<{ status: string; attempts: number; last_error: string | null }>(
      'SELECT status, attempts, last_error FROM outbox WHERE reference = $1',
      [reference],
    )
  )[0]!;

describe.each<StoreKind>(['pglite', 'postgres'])('outbox and dispatcher on %s', (store) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store });
  });
  afterAll(() => t.close());

  it('retries a temporary SMTP failure with back-off and delivers once', async () => {
    const to = uniqueEmail('retry');
    const ref = await enqueueOne(t, to);
    t.sink.failNextDeliveries(2);
    await t.drain();
    expect(await status(t, ref)).toMatchObject({ status: 'pending', attempts: 1 });
    await t.drain(); // not due yet: back-off
    expect((await status(t, ref)).attempts).toBe(1);
    t.clock.advance(5_000);
    await t.drain();
    expect(await status(t, ref)).toMatchObject({ status: 'pending', attempts: 2 });
    t.clock.advance(10_000);
    await t.drain();
    expect(await status(t, ref)).toMatchObject({ status: 'sent', attempts: 3 });
    expect(t.sink.to(to)).toHaveLength(1);
    expect(t.sink.to(to)[0]!.messageId).toBe(`<${ref.toLowerCase()}@mamori.test>`);
  });

  it('parks a message that keeps failing, with the error, for the operator', async () => {
    const to = uniqueEmail('park');
    const ref = await enqueueOne(t, to);
    t.sink.failNextDeliveries(100);
    for (let i = 0; i < 10; i++) {
      await t.drain();
      t.clock.advance(60 * 60_000);
    }
    t.sink.failNextDeliveries(0);
    const s = await status(t, ref);
    expect(s.status).toBe('parked');
    expect(s.attempts).toBe(8);
    expect(s.last_error).toMatch(/451|Temporary/);
    expect(t.sink.to(to)).toHaveLength(0);
  });

  it('after a crash mid-send, the message is retried only once its lease expires, and sent once', async () => {
    const to = uniqueEmail('crash');
    const ref = await enqueueOne(t, to);
    // A process claimed it and died before sending.
    await t.app.deps.db.query(
      `UPDATE outbox SET status = 'sending', attempts = 1, lease_until = $2 WHERE reference = $1`,
      [ref, new Date(t.clock.now().getTime() + 60_000)],
    );
    const restarted = createDispatcher({
      db: t.app.deps.db,
      clock: t.clock,
      cipher: t.app.deps.cipher,
      email: (await import('../../src/adapters/email/smtp.ts')).smtpTransport(t.sink.url),
      sms: { send: async () => {} },
      mailFrom: 'Mamori <security@mamori.test>',
      messageIdDomain: 'mamori.test',
      log: t.app.deps.log,
    });
    expect(await restarted.drain()).toBe(0);
    expect(t.sink.to(to)).toHaveLength(0);
    t.clock.advance(61_000);
    expect(await restarted.drain()).toBe(1);
    expect(await restarted.drain()).toBe(0);
    expect(t.sink.to(to)).toHaveLength(1);
    expect((await status(t, ref)).status).toBe('sent');
  });

  const dispatcherWith = (email: EmailTransport) =>
    createDispatcher({
      db: t.app.deps.db,
      clock: t.clock,
      cipher: t.app.deps.cipher,
      email,
      sms: { send: async () => {} },
      mailFrom: 'Mamori <security@mamori.test>',
      messageIdDomain: 'mamori.test',
      log: t.app.deps.log,
    });

  const delivery = async (reference: string) =>
    (
      await t.app.deps.db.query<{ status: string; unknown_outcomes: number; last_error: string | null }>(
        'SELECT status, unknown_outcomes, last_error FROM outbox WHERE reference = $1',
        [reference],
      )
    )[0]!;

  it('a message handed over by an attempt that then vanished is not taken again before that attempt has certainly ended', async () => {
    const to = uniqueEmail('inflight');
    const ref = await enqueueOne(t, to);
    // A process handed the message to the server (in flight for 30 s more), then stopped renewing its lease.
    await t.app.deps.db.query(
      `UPDATE outbox SET status = 'sending', attempts = 1, lease_token = 'gone', lease_until = $2,
         in_flight_until = $3 WHERE reference = $1`,
      [ref, new Date(t.clock.now().getTime() - 1_000), new Date(t.clock.now().getTime() + 30_000)],
    );
    const other = dispatcherWith(smtpTransport(t.sink.url));
    expect(await other.drain()).toBe(0);
    expect(t.sink.to(to)).toHaveLength(0);
    t.clock.advance(30_001);
    expect(await other.drain()).toBe(1);
    // Sent again with the same Message-ID, and recorded as a delivery whose outcome was unknown.
    expect(t.sink.to(to).map((m) => m.messageId)).toEqual([`<${ref.toLowerCase()}@mamori.test>`]);
    expect(await delivery(ref)).toMatchObject({ status: 'sent', unknown_outcomes: 1 });
  });

  it('a worker that lost its lease does not mark the message sent (fencing)', async () => {
    const to = uniqueEmail('fence');
    const ref = await enqueueOne(t, to);
    const smtp = smtpTransport(t.sink.url);
    const stale = dispatcherWith({
      async send(m, attempt) {
        // Another instance takes the message over while this one is still sending it.
        await t.app.deps.db.query(`UPDATE outbox SET lease_token = 'newer' WHERE reference = $1`, [ref]);
        await smtp.send(m, attempt);
      },
    });
    await expect(stale.drain()).resolves.toBe(1);
    // Nothing was handed over: the content is sent only while the lease is held.
    expect(t.sink.to(to)).toHaveLength(0);
    expect(await delivery(ref)).toMatchObject({ status: 'sending', unknown_outcomes: 0 });

    const to2 = uniqueEmail('fence2');
    const ref2 = await enqueueOne(t, to2);
    const other = dispatcherWith(smtp);
    const late = dispatcherWith({
      async send(m, attempt) {
        await smtp.send(m, attempt);
        // This process stalled past the attempt's time limit: another instance took the message over,
        // sent it again and recorded it; this attempt's late answer changes nothing.
        t.clock.advance(61_000);
        expect(await other.drain()).toBe(1);
      },
    });
    await late.drain();
    expect(await delivery(ref2)).toMatchObject({ status: 'sent', unknown_outcomes: 1 });
    expect(new Set(t.sink.to(to2).map((m) => m.messageId))).toEqual(
      new Set([`<${ref2.toLowerCase()}@mamori.test>`]),
    );
    expect(t.sink.to(to2)).toHaveLength(2);
    await t.app.deps.db.query(`UPDATE outbox SET status = 'parked' WHERE reference = $1`, [ref]);
  });

  it('a send that times out after handing the message over is retried as "outcome unknown"; a 4xx reply is not', async () => {
    const to = uniqueEmail('timeout');
    const ref = await enqueueOne(t, to);
    const hanging = dispatcherWith({
      timeoutMs: 100,
      async send(_m, attempt) {
        await attempt?.beforeTransmit();
        await new Promise((_resolve, reject) =>
          attempt?.signal.addEventListener('abort', () => reject(attempt.signal.reason)),
        );
      },
    });
    await hanging.drain();
    const s = await delivery(ref);
    expect(s).toMatchObject({ status: 'pending', unknown_outcomes: 1 });
    expect(s.last_error).toMatch(/^outcome unknown: /);
    t.clock.advance(5_000);
    await t.drain();
    expect(t.sink.to(to)).toHaveLength(1);

    const to2 = uniqueEmail('refused');
    const ref2 = await enqueueOne(t, to2);
    t.sink.failNextDeliveries(1);
    await t.drain();
    expect(await delivery(ref2)).toMatchObject({ status: 'pending', unknown_outcomes: 0 });
    expect((await delivery(ref2)).last_error).toMatch(/^SMTP 451/);
    t.clock.advance(5_000);
    await t.drain();
    expect(t.sink.to(to2)).toHaveLength(1);
  });

  it('a code waits only for its own recipient, and goes ahead of bulk mail to others', async () => {
    const tag = Math.random().toString(36).slice(2, 7);
    const refs: string[] = [];
    for (let i = 0; i < 25; i++) refs.push(await enqueueOne(t, `bulk${i}.${tag}@example.com`, 'notice'));
    const code = await enqueueOne(t, `bulk20.${tag}@example.com`, 'code');
    await t.drain();
    const order = t.sink.messages
      .filter((m) => m.to.includes(`.${tag}@`))
      .map((m) => String(m.headers.get('x-mamori-reference')));
    expect(order).toHaveLength(26);
    // Its recipient's notice still goes first (order written), and both leave among the first ones.
    expect(order.indexOf(refs[20]!)).toBeLessThan(10);
    expect(order.indexOf(code)).toBeGreaterThan(order.indexOf(refs[20]!));
    expect(order.indexOf(code)).toBeLessThan(20);
  });

  it('two dispatchers draining at once deliver every message exactly once', async () => {
    const refs = [];
    const tag = Math.random().toString(36).slice(2, 7);
    for (let i = 0; i < 20; i++) refs.push(await enqueueOne(t, `twin${i}.${tag}@example.com`));
    const second = createDispatcher({
      db: t.app.deps.db,
      clock: t.clock,
      cipher: t.app.deps.cipher,
      email: (await import('../../src/adapters/email/smtp.ts')).smtpTransport(t.sink.url),
      sms: { send: async () => {} },
      mailFrom: 'Mamori <security@mamori.test>',
      messageIdDomain: 'mamori.test',
      log: t.app.deps.log,
      concurrency: 3,
    });
    const [a, b] = await Promise.all([t.app.deps.dispatcher.drain(), second.drain()]);
    expect(a + b).toBe(20);
    const delivered = t.sink.messages.filter((m) => m.to.includes(`.${tag}@`));
    expect(delivered).toHaveLength(20);
    expect(new Set(delivered.map((m) => m.messageId)).size).toBe(20);
  });

  it("delivers one recipient's messages in the order they were written", async () => {
    const to = uniqueEmail('order');
    const refs: string[] = [];
    await t.app.deps.db.tx(async (tx) => {
      for (let i = 0; i < 6; i++) {
        const reference = newReference(t.app.deps.random);
        refs.push(reference);
        await enqueue(
          tx,
          { random: t.app.deps.random, cipher: t.app.deps.cipher, now: t.clock.now() },
          {
            accountId: null,
            channel: 'email',
            kind: 'password_changed',
            recipient: to,
            subject: `n${i}`,
            text: 'x',
            html: '',
            reference,
          },
        );
      }
    });
    await t.drain();
    expect(t.sink.to(to).map((m) => m.subject)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5']);
  });

  it('a change that fails sends nothing: the message is in the same transaction', async () => {
    const { token } = await signedUpAccount(t);
    const before = (await t.app.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox'))[0]!.n;
    // The password policy refuses this after the step-up check: no change, no "password changed" mail.
    const r = await t.api('POST', '/api/v1/password', { password: GOOD_PASSWORD }, token);
    expect(r.body.error?.code).toBe('password.same_as_current');
    const after = (await t.app.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox'))[0]!.n;
    expect(after).toBe(before);
  });

  it('stores message bodies encrypted and scrubs a delivered code', async () => {
    const email = uniqueEmail('scrub');
    await t.api('POST', '/api/v1/signup', { email, password: GOOD_PASSWORD, displayName: 'S', locale: 'en' });
    const [pending] = await t.app.deps.db.query<{ body_text: string }>(
      `SELECT body_text FROM outbox WHERE recipient = $1`,
      [email],
    );
    expect(pending!.body_text.startsWith('v1.')).toBe(true);
    const code = await t.mailedCode(email);
    const rows = await t.app.deps.db.query<{ body_text: string; body_html: string; status: string }>(
      `SELECT body_text, body_html, status FROM outbox WHERE recipient = $1`,
      [email],
    );
    expect(rows[0]).toMatchObject({ status: 'sent', body_text: '', body_html: '' });
    expect(JSON.stringify(await t.app.deps.db.query('SELECT * FROM challenges'))).not.toContain(code);
  });
});
