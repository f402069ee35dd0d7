import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics (prom-client; exposition format 0.0.4), read at `GET /metrics` (docs/operations.md#metrics).
 *
 * Counters and the request histogram are process-wide, as prom-client intends: a process runs one Mamori,
 * and code deep in a capability counts without threading a dependency through every caller. What is read from
 * the store at scrape time (outbox depth, pool use) belongs to one app and is registered in that app's own
 * registry (`appMetrics`), merged with the process registry when scraped.
 */
export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry, prefix: 'mamori_' });

/** Request latency by route pattern (never the raw URL: no ids or tokens in labels), method and status. */
export const httpDuration = new Histogram({
  name: 'mamori_http_request_duration_seconds',
  help: 'HTTP request latency, by route pattern, method and status code',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [processRegistry],
});

/** Password sign-ins by outcome: signed_in, second_factor (a second step asked), unconfirmed, wrong, throttled. */
export const signIns = new Counter({
  name: 'mamori_sign_ins_total',
  help: 'Password sign-in attempts by outcome',
  labelNames: ['outcome'] as const,
  registers: [processRegistry],
});

/** One-time codes by event (issued, verified, failed, refused) and channel (email, sms, or "-" when unknown). */
export const codes = new Counter({
  name: 'mamori_codes_total',
  help: 'One-time codes issued, verified, failed and refused, by channel; reason is the error code',
  labelNames: ['event', 'channel', 'reason'] as const,
  registers: [processRegistry],
});

/** Budget takes refused by the limiter, by budget family (the key's first two segments, e.g. `signin:ip`). */
export const limiterRefusals = new Counter({
  name: 'mamori_limiter_refusals_total',
  help: 'Requests refused by a rate limit or budget, by budget family',
  labelNames: ['budget'] as const,
  registers: [processRegistry],
});

/** The family of a limiter key: its first two `:`-separated segments, never the hashed subject. */
export function budgetFamily(key: string): string {
  return key.split(':').slice(0, 2).join(':');
}

/** What one app reports at scrape time. */
export interface AppGauges {
  outbox: () => Promise<{ pending: number; oldestPendingSeconds: number; parked: number }>;
  /** Deliveries to applications (webhooks, security event tokens, back-channel logouts), same shape. */
  appDeliveries?: () => Promise<{ pending: number; oldestPendingSeconds: number; parked: number }>;
  pool: () => { total: number; idle: number; waiting: number } | null;
}

/** The registry of one app: its scrape-time gauges, merged with the process registry. */
export function appMetrics(g: AppGauges): { contentType: string; render: () => Promise<string> } {
  const registry = new Registry();
  // The outbox is read once per scrape; its three gauges report that one reading.
  let outbox = { pending: 0, oldestPendingSeconds: 0, parked: 0 };
  new Gauge({
    name: 'mamori_outbox_pending',
    help: 'Messages waiting in the outbox (not yet sent, not parked)',
    registers: [registry],
    collect() {
      this.set(outbox.pending);
    },
  });
  new Gauge({
    name: 'mamori_outbox_oldest_pending_seconds',
    help: 'Age of the oldest message waiting in the outbox (0 when none)',
    registers: [registry],
    collect() {
      this.set(outbox.oldestPendingSeconds);
    },
  });
  new Gauge({
    name: 'mamori_outbox_parked',
    help: 'Messages parked after their last attempt (the operator console lists them)',
    registers: [registry],
    collect() {
      this.set(outbox.parked);
    },
  });
  // Deliveries to applications (table app_deliveries), read once per scrape like the outbox.
  let apps = { pending: 0, oldestPendingSeconds: 0, parked: 0 };
  new Gauge({
    name: 'mamori_app_deliveries_pending',
    help: 'Webhooks, security event tokens and back-channel logouts waiting to be delivered (not parked)',
    registers: [registry],
    collect() {
      this.set(apps.pending);
    },
  });
  new Gauge({
    name: 'mamori_app_deliveries_oldest_pending_seconds',
    help: 'Age of the oldest delivery to an application still waiting (0 when none)',
    registers: [registry],
    collect() {
      this.set(apps.oldestPendingSeconds);
    },
  });
  new Gauge({
    name: 'mamori_app_deliveries_parked',
    help: 'Deliveries to applications parked after their last attempt (the delivery log lists them)',
    registers: [registry],
    collect() {
      this.set(apps.parked);
    },
  });
  new Gauge({
    name: 'mamori_db_pool_connections',
    help: 'PostgreSQL pool connections by state (total, idle, waiting requests); absent on the embedded store',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const p = g.pool();
      if (!p) return;
      this.set({ state: 'total' }, p.total);
      this.set({ state: 'idle' }, p.idle);
      this.set({ state: 'waiting' }, p.waiting);
    },
  });
  const merged = Registry.merge([processRegistry, registry]);
  return {
    contentType: merged.contentType,
    async render() {
      outbox = await g.outbox();
      if (g.appDeliveries) apps = await g.appDeliveries();
      return merged.metrics();
    },
  };
}
