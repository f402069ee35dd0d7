import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/notifications/dispatcher.ts';
import { enqueue, newReference } from '../../src/notifications/outbox.ts';
import type { StoreKind } from '../support/databases.ts';
import {
  createTestApp,
  GOOD_PASSWORD,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
} from '../support/harness.ts';

async function enqueueOne(t: TestApp, to: string, kind = 'password_changed' as const): Promise<string> {
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
      batchSize: 3,
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
