import type { Cipher } from '../kernel/cipher.ts';
import type { Clock } from '../kernel/clock.ts';
import type { Logger } from '../kernel/logger.ts';
import type { Db } from '../storage/db.ts';
import { type EmailTransport, PermanentDeliveryError, type SmsProvider } from './ports.ts';

export interface DispatcherOptions {
  db: Db;
  clock: Clock;
  cipher: Cipher;
  email: EmailTransport;
  sms: SmsProvider;
  mailFrom: string;
  messageIdDomain: string;
  log: Logger;
  /** Attempts before a message is parked for the operator. */
  maxAttempts?: number;
  /** How long a claimed message is reserved for this process before another may retry it. */
  leaseMs?: number;
  batchSize?: number;
  pollMs?: number;
}

interface ClaimedRow {
  id: string;
  reference: string;
  channel: 'email' | 'sms';
  kind: string;
  recipient: string;
  subject: string;
  body_text: string;
  body_html: string;
  attempts: number;
  headers: Record<string, string> | string | null;
  seq: string | number;
}

/** Kinds whose body holds a one-time code: scrubbed once delivered. */
const SECRET_KINDS = new Set(['code']);

export function backoffMs(attempt: number): number {
  return Math.min(60 * 60_000, 5_000 * 2 ** (attempt - 1));
}

/**
 * Delivers outbox messages. Claims due messages with FOR UPDATE SKIP LOCKED (safe with several instances),
 * marks them `sending` with a lease, sends, then marks them `sent`. A process that dies mid-send leaves
 * the lease to expire, and the message is retried with the same Message-ID. Failures back off
 * exponentially; after `maxAttempts` the message is `parked` for the operator.
 */
export function createDispatcher(o: DispatcherOptions) {
  const maxAttempts = o.maxAttempts ?? 8;
  const leaseMs = o.leaseMs ?? 60_000;
  const batchSize = o.batchSize ?? 10;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let stopped = true;

  async function claim(): Promise<ClaimedRow[]> {
    const now = o.clock.now();
    return o.db.query<ClaimedRow>(
      `UPDATE outbox SET status = 'sending', lease_until = $2, attempts = attempts + 1
       WHERE id IN (
         SELECT id FROM outbox
         WHERE (status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND lease_until <= $1)
         ORDER BY next_attempt_at, seq
         LIMIT $3
         FOR UPDATE SKIP LOCKED)
       RETURNING id, reference, channel, kind, recipient, subject, body_text, body_html, attempts, headers, seq`,
      [now, new Date(now.getTime() + leaseMs), batchSize],
    );
  }

  async function deliver(row: ClaimedRow): Promise<void> {
    const text = o.cipher.decrypt(row.body_text);
    if (row.channel === 'email') {
      await o.email.send({
        from: o.mailFrom,
        to: row.recipient,
        subject: row.subject,
        text,
        html: row.body_html ? o.cipher.decrypt(row.body_html) : '',
        messageId: `<${row.reference.toLowerCase()}@${o.messageIdDomain}>`,
        reference: row.reference,
        headers: typeof row.headers === 'string' ? JSON.parse(row.headers) : (row.headers ?? {}),
      });
    } else {
      await o.sms.send({ to: row.recipient, body: text, reference: row.reference });
    }
  }

  async function processOne(row: ClaimedRow): Promise<void> {
    try {
      await deliver(row);
      const scrub = SECRET_KINDS.has(row.kind);
      await o.db.query(
        `UPDATE outbox SET status = 'sent', sent_at = $2, lease_until = NULL, last_error = NULL
         ${scrub ? ", body_text = '', body_html = ''" : ''} WHERE id = $1`,
        [row.id, o.clock.now()],
      );
      o.log.info({ reference: row.reference, channel: row.channel, kind: row.kind }, 'message delivered');
    } catch (e) {
      const permanent = e instanceof PermanentDeliveryError;
      const park = permanent || row.attempts >= maxAttempts;
      const error = (e as Error).message.slice(0, 500);
      await o.db.query(
        `UPDATE outbox SET status = $2, next_attempt_at = $3, lease_until = NULL, last_error = $4 WHERE id = $1`,
        [
          row.id,
          park ? 'parked' : 'pending',
          new Date(o.clock.now().getTime() + backoffMs(row.attempts)),
          error,
        ],
      );
      o.log.warn(
        { reference: row.reference, attempts: row.attempts, parked: park, error },
        'message delivery failed',
      );
    }
  }

  /** Delivers everything due now; returns how many messages were attempted. */
  async function runOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await claim();
      if (rows.length === 0) return total;
      // Different recipients in parallel; one recipient's messages one after another, in the order written.
      const byRecipient = new Map<string, ClaimedRow[]>();
      for (const row of [...rows].sort((a, b) => Number(a.seq) - Number(b.seq))) {
        byRecipient.set(row.recipient, [...(byRecipient.get(row.recipient) ?? []), row]);
      }
      await Promise.all(
        [...byRecipient.values()].map(async (group) => {
          for (const row of group) await processOne(row);
        }),
      );
      total += rows.length;
    }
  }

  function tick(): Promise<number> {
    if (!running) {
      running = runOnce().finally(() => {
        running = null;
      });
    }
    return running;
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(async () => {
      try {
        await tick();
      } catch (e) {
        o.log.error({ err: e }, 'dispatcher tick failed');
      }
      schedule();
    }, o.pollMs ?? 1000);
  }

  return {
    start() {
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
    /** Asks for an immediate delivery round (after a commit that enqueued messages). */
    kick() {
      if (!stopped) tick().catch((e) => o.log.error({ err: e }, 'dispatcher kick failed'));
    },
    /** Delivers until nothing is due (tests and shutdown). */
    async drain(): Promise<number> {
      await running;
      let total = 0;
      for (;;) {
        const n = await tick();
        total += n;
        if (n === 0) return total;
      }
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
