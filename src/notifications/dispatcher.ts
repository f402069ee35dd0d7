import type { Cipher } from '../kernel/cipher.ts';
import type { Clock } from '../kernel/clock.ts';
import type { Logger } from '../kernel/logger.ts';
import { cryptoRandom, newId, type Random } from '../kernel/random.ts';
import type { Db } from '../kernel/sql.ts';
import {
  type DeliveryAttempt,
  type EmailTransport,
  type HttpDelivery,
  PermanentDeliveryError,
  type SmsProvider,
  TemporaryDeliveryError,
} from './ports.ts';
import {
  type ClaimedRow,
  claimOutboxMessages,
  countUnknownOutcome,
  type DeliveryTable,
  markFailed,
  markInFlight,
  markSent,
  renewOutboxLeases,
} from './store.ts';

export interface DispatcherOptions {
  db: Db;
  clock: Clock;
  cipher: Cipher;
  email: EmailTransport;
  sms: SmsProvider;
  /** Deliveries to applications (channel `http`): only for the dispatcher of `app_deliveries`. */
  http?: HttpDelivery;
  /** The table this dispatcher delivers from. Default `outbox`. */
  table?: DeliveryTable;
  mailFrom: string;
  messageIdDomain: string;
  log: Logger;
  /** Source of lease tokens. Default: the CSPRNG. */
  random?: Random;
  /** Attempts before a message is parked for the operator. Default 8. */
  maxAttempts?: number;
  /**
   * How long (ms) a claimed message stays reserved for this process without news from it. Renewed every
   * third of it while the message is being sent, so only a process that stopped loses it. Default 60 s.
   */
  leaseMs?: number;
  /** Messages this process sends at the same time (at most one per recipient). Default 10. */
  concurrency?: number;
  /** Longest one send may take (ms) when the transport does not state its own `timeoutMs`. Default 30 s. */
  sendTimeoutMs?: number;
  /** Interval (ms) between two looks at the outbox when nobody kicks the dispatcher. Default 1 s. */
  pollMs?: number;
}

/** Kinds whose body holds a one-time code: scrubbed once delivered. */
const SECRET_KINDS = new Set(['code']);

/**
 * Added to a send's time limit before another process may take the message again (ms): covers closing the
 * connection and clock differences between instances.
 */
export const IN_FLIGHT_MARGIN_MS = 2_000;

export function backoffMs(attempt: number): number {
  return Math.min(60 * 60_000, 5_000 * 2 ** (attempt - 1));
}

class LeaseLostError extends Error {
  override name = 'LeaseLostError';
  constructor() {
    super('the outbox lease was lost to another attempt');
  }
}

class SendTimeoutError extends Error {
  override name = 'SendTimeoutError';
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/** Settles like `p`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Delivers outbox messages, with several instances on one database.
 *
 * - Claim: due messages are taken with FOR UPDATE SKIP LOCKED, stamped with a fresh lease token and a
 *   lease (`leaseMs`), most urgent first (codes, then security notices, then bulk mail). Only the oldest
 *   unfinished message of each recipient can be taken, so one recipient's messages go out one at a time
 *   in the order written, across every instance, and a slow recipient holds up only its own messages.
 * - Send: up to `concurrency` at once. While a message is being sent its lease is renewed every third of
 *   `leaseMs`. Right before the message is handed over (SMTP: after `354`, before the content) the row
 *   records `in_flight_until` = now + the send's time limit + {@link IN_FLIGHT_MARGIN_MS}; nobody takes
 *   the message again before then, even if the lease ran out, and the transport is aborted by then.
 * - Outcome: recorded per message right after the provider's answer (`250`), only while the row still
 *   carries this attempt's token (fencing). Failures back off exponentially; after `maxAttempts`, or at
 *   once on a permanent error, the message is `parked` for the operator.
 * - Crash: a message found `sending` with an expired lease after it was handed over is counted in
 *   `unknown_outcomes`, logged, and sent again with the same Message-ID so receivers can drop the copy.
 *   This is the only way a message can arrive twice.
 */
export function createDispatcher(o: DispatcherOptions) {
  const maxAttempts = o.maxAttempts ?? 8;
  const leaseMs = o.leaseMs ?? 60_000;
  const concurrency = Math.max(1, o.concurrency ?? 10);
  const defaultTimeoutMs = o.sendTimeoutMs ?? 30_000;
  const random = o.random ?? cryptoRandom;
  const table: DeliveryTable = o.table ?? 'outbox';
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let stopped = true;
  /** Something happened since the last claim (a send finished, a kick): look at the outbox again. */
  let dirty = false;
  /** stop() was called: take nothing more, let the sends under way finish. */
  let stopRequested = false;
  /** Wakes the running round (a send finished or someone kicked). */
  let wake: (() => void) | null = null;
  /** Messages this process is sending: their lease token and how to abort them. */
  const holding = new Map<string, { token: string; controller: AbortController }>();

  async function claim(n: number): Promise<ClaimedRow[]> {
    const now = o.clock.now();
    return claimOutboxMessages(
      o.db,
      now,
      new Date(now.getTime() + leaseMs),
      n,
      newId(random, 'lease'),
      table,
    );
  }

  /** Extends the lease of every message being sent; aborts the sends whose message was taken over. */
  async function renewLeases(): Promise<void> {
    const held = [...holding.entries()];
    if (held.length === 0) return;
    const tokens = [...new Set(held.map(([, h]) => h.token))];
    const ids = new Set(
      await renewOutboxLeases(o.db, new Date(o.clock.now().getTime() + leaseMs), tokens, table),
    );
    for (const [id, h] of held) {
      if (!ids.has(id) && holding.get(id) === h) h.controller.abort(new LeaseLostError());
    }
  }

  async function deliver(row: ClaimedRow, attempt: DeliveryAttempt): Promise<void> {
    const text = o.cipher.decrypt(row.body_text);
    const headers: Record<string, string> =
      typeof row.headers === 'string' ? JSON.parse(row.headers) : (row.headers ?? {});
    if (row.channel === 'http') {
      if (!o.http) throw new PermanentDeliveryError('no HTTP delivery is configured for applications');
      await o.http.send(
        {
          id: row.id,
          reference: row.reference,
          kind: row.kind,
          recipient: row.recipient,
          body: text,
          headers,
          attempts: row.attempts,
        },
        attempt,
      );
    } else if (row.channel === 'email') {
      await o.email.send(
        {
          from: o.mailFrom,
          to: row.recipient,
          subject: row.subject,
          text,
          html: row.body_html ? o.cipher.decrypt(row.body_html) : '',
          messageId: `<${row.reference.toLowerCase()}@${o.messageIdDomain}>`,
          reference: row.reference,
          headers,
        },
        attempt,
      );
    } else {
      await o.sms.send({ to: row.recipient, body: text, reference: row.reference }, attempt);
    }
  }

  async function processOne(row: ClaimedRow): Promise<void> {
    const token = row.lease_token;
    const transport = row.channel === 'http' ? o.http : row.channel === 'email' ? o.email : o.sms;
    const timeoutMs = transport?.timeoutMs ?? defaultTimeoutMs;
    const controller = new AbortController();
    const held = { token, controller };
    holding.set(row.id, held);
    const deadline = setTimeout(() => controller.abort(new SendTimeoutError(timeoutMs)), timeoutMs);
    const log = { reference: row.reference, channel: row.channel, kind: row.kind, attempts: row.attempts };
    if (row.outcome_unknown) {
      o.log.warn(
        log,
        'message outcome unknown: an earlier attempt was cut short after handing it over; sending it again with the same Message-ID',
      );
    }
    /** Set once the message is being handed over: the time by which this attempt has certainly ended. */
    const flight: { until: Date | null } = { until: null };
    try {
      await untilAborted(
        deliver(row, {
          signal: controller.signal,
          async beforeTransmit() {
            controller.signal.throwIfAborted();
            const until = new Date(o.clock.now().getTime() + timeoutMs + IN_FLIGHT_MARGIN_MS);
            if (!(await markInFlight(o.db, row.id, token, until, table))) throw new LeaseLostError();
            controller.signal.throwIfAborted();
            flight.until = until;
          },
        }),
        controller.signal,
      );
      clearTimeout(deadline);
      const scrub = SECRET_KINDS.has(row.kind);
      const done = await markSent(o.db, row.id, token, o.clock.now(), scrub, table);
      if (!done) {
        // Another attempt took the message over and sends it again. It counted the copy when it took it,
        // if this attempt had recorded the handover; otherwise count it here.
        if (flight.until === null) {
          await countUnknownOutcome(o.db, row.id, table);
        }
        o.log.warn(
          log,
          'message delivered after another attempt took it over: it may arrive twice, with the same Message-ID',
        );
        return;
      }
      o.log.info(log, 'message delivered');
    } catch (e) {
      clearTimeout(deadline);
      const definite =
        flight.until === null || e instanceof PermanentDeliveryError || e instanceof TemporaryDeliveryError;
      const park = e instanceof PermanentDeliveryError || row.attempts >= maxAttempts;
      const error = `${definite ? '' : 'outcome unknown: '}${(e as Error).message}`.slice(0, 500);
      let next = o.clock.now().getTime() + backoffMs(row.attempts);
      // Given up on (time limit, lease lost) after the hand-over: the transport may not have stopped yet,
      // so the message is not repeated before the attempt's time is up.
      if (!definite && flight.until && controller.signal.aborted) {
        next = Math.max(next, flight.until.getTime());
      }
      const recorded = await markFailed(
        o.db,
        row.id,
        token,
        park ? 'parked' : 'pending',
        new Date(next),
        error,
        definite ? 0 : 1,
        table,
      );
      if (!recorded) {
        o.log.warn({ ...log, error }, 'message attempt abandoned: another attempt holds the message');
        return;
      }
      o.log.warn({ ...log, parked: park, error }, 'message delivery failed');
    } finally {
      if (holding.get(row.id) === held) holding.delete(row.id);
    }
  }

  /** Delivers everything due now, `concurrency` at a time; returns how many messages were attempted. */
  async function runOnce(): Promise<number> {
    let total = 0;
    const active = new Set<Promise<void>>();
    const heartbeat = setInterval(
      () => {
        renewLeases().catch((e) => o.log.error({ err: e }, 'outbox lease renewal failed'));
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    heartbeat.unref();
    try {
      for (;;) {
        if (active.size < concurrency && !stopRequested) {
          dirty = false;
          let rows: ClaimedRow[] = [];
          try {
            rows = await claim(concurrency - active.size);
          } catch (e) {
            // Sends under way still finish (and are waited for) before the error is reported.
            if (active.size === 0) throw e;
            o.log.error({ err: e }, 'outbox claim failed');
          }
          total += rows.length;
          for (const row of rows) {
            const p: Promise<void> = processOne(row)
              .catch((e) => o.log.error({ err: e, reference: row.reference }, 'outbox delivery failed'))
              .finally(() => {
                active.delete(p);
                dirty = true;
                wake?.();
              });
            active.add(p);
          }
        }
        // A send finished (that recipient's next message may be due) or someone kicked: look again.
        if (dirty && !stopRequested && active.size < concurrency) continue;
        if (active.size === 0) return total;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
      }
    } finally {
      clearInterval(heartbeat);
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
      stopRequested = false;
      schedule();
    },
    /** Stops taking messages and waits for the ones being sent (each ends within its time limit). */
    async stop() {
      stopped = true;
      stopRequested = true;
      if (timer) clearTimeout(timer);
      wake?.();
      await running;
    },
    /** Asks for an immediate delivery round (after a commit that enqueued messages). */
    kick() {
      if (stopped) return;
      if (running) {
        dirty = true;
        wake?.();
        return;
      }
      tick().catch((e) => o.log.error({ err: e }, 'dispatcher kick failed'));
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
