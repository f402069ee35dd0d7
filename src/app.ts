import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { Redis } from 'ioredis';
import type { Limiter } from './abuse/limiter.ts';
import { redisLimiter } from './abuse/redis-limiter.ts';
import { sqlLimiter } from './abuse/sql-limiter.ts';
import { sessionsGen } from './accounts/store.ts';
import { type GeoLookup, openGeoLookup } from './activity/geo.ts';
import { devMailbox, devSmsOutbox, listDevMessages } from './adapters/email/dev-mailbox.ts';
import { smtpTransport } from './adapters/email/smtp.ts';
import { twilioSms } from './adapters/sms/twilio.ts';
import { apiRoutes } from './api/routes.ts';
import { appsHttpDelivery } from './apps/delivery/http-delivery.ts';
import { appsOidcRoutes } from './apps/http/routes.ts';
import { deleteExpiredProviderRows } from './apps/oidc/housekeeping.ts';
import { createProviderSigner, type ProviderKeys } from './apps/oidc/keys.ts';
import { periodicCheckDays, sendPeriodicReminders } from './checkup/periodic.ts';
import type { Config } from './config/config.ts';
import type { Deps } from './deps.ts';
import type { MamoriEvent } from './events/catalog.ts';
import { createCipher } from './kernel/cipher.ts';
import { type Clock, systemClock } from './kernel/clock.ts';
import { AppError } from './kernel/errors.ts';
import { EventBus } from './kernel/events.ts';
import { createLogger, type Logger } from './kernel/logger.ts';
import { appMetrics, budgetFamily, limiterRefusals } from './kernel/metrics.ts';
import { cryptoRandom, type Random } from './kernel/random.ts';
import { onCommitted, unitOfWork } from './kernel/unit-of-work.ts';
import { noticesPerMinute, runNoticeDelivery } from './notices/notices.ts';
import { createDispatcher, type Dispatcher } from './notifications/dispatcher.ts';
import type { EmailTransport, SmsProvider } from './notifications/ports.ts';
import { outboxStats } from './notifications/store.ts';
import { snapshotCompliance } from './organisations/daily-counts.ts';
import { createReplacementScheduler, type ReplacementScheduler } from './replacement/scheduler.ts';
import { SessionCache } from './sessions/session-cache.ts';
import type { Db } from './storage/db.ts';
import { housekeeping } from './storage/housekeeping.ts';
import { openStore } from './storage/open.ts';
import { storeReady } from './storage/ready.ts';
import { subscribe } from './subscriptions.ts';
import { edgeServerOptions } from './web/edges.ts';
import { httpPlumbing } from './web/plumbing.ts';
import { textField } from './web/read-fields.ts';
import { webRoutes } from './web/routes.ts';
import { registerSecurityHeaders } from './web/security-headers.ts';

export interface AppOverrides {
  clock?: Clock;
  random?: Random;
  db?: Db;
  email?: EmailTransport;
  sms?: SmsProvider;
  log?: Logger;
  /** Do not start the background dispatcher loop (tests drive it with drain()). */
  manualDispatch?: boolean;
}

export interface App {
  http: FastifyInstance;
  /** Every route mounted (method, url): lets tests check each route that changes security info. */
  routes: { method: string; url: string }[];
  deps: Deps;
  replacementScheduler: ReplacementScheduler;
  /** Delivers webhooks, Security Event Tokens and back-channel logouts (tests drive it with drain()). */
  appsDispatcher: Dispatcher;
  /** The OpenID provider's signing keys (ID tokens, logout tokens, Security Event Tokens) and its JWKS. */
  providerKeys: ProviderKeys;
  /** Starts a graceful shutdown: `/readyz` answers 503 from now on; requests are still served until `close`. */
  beginShutdown(): void;
  close(): Promise<void>;
}

let geoOnce: Promise<GeoLookup> | null = null;
/** The IP database is read once per process and shared by every app built in it. */
function sharedGeo(): Promise<GeoLookup> {
  geoOnce ??= openGeoLookup();
  return geoOnce;
}

/** The composition root: builds adapters from the config, injects them into the services, mounts api/ and web/. */
export async function createApp(config: Config, o: AppOverrides = {}): Promise<App> {
  const log = o.log ?? createLogger(config.logLevel, undefined, config.logFormat);
  // Fail fast on bad settings read by the capabilities themselves.
  periodicCheckDays();
  noticesPerMinute();
  const clock = o.clock ?? systemClock;
  const random = o.random ?? cryptoRandom;
  const store =
    o.db ??
    (await openStore(config, {
      onPoolError: (e) => log.error({ err: e }, 'database pool: a connection failed'),
    }));
  // Transactions are units of work: their after-commit work (session cache invalidation, waking the
  // dispatcher) runs before they return.
  const db = unitOfWork(store);
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 })
    : null;
  redis?.on('error', (e) => log.error({ err: e }, 'redis: connection error'));
  if (redis) await redis.connect();
  const limits: Limiter = redis ? redisLimiter(redis, `${config.redisKeyPrefix}limit:`) : sqlLimiter(db);
  // Every refused take is counted by budget family (/metrics).
  const limiter: Limiter = {
    ...limits,
    async take(key, limit, windowMs, now) {
      const r = await limits.take(key, limit, windowMs, now);
      if (!r.allowed) limiterRefusals.inc({ budget: budgetFamily(key) });
      return r;
    },
  };
  const cipher = createCipher(config.secret, 'outbox');
  const email =
    o.email ??
    (config.smtpUrl
      ? smtpTransport(config.smtpUrl, {
          timeoutMs: config.outbox.smtpTimeoutSeconds * 1000,
          ehloName: config.mailEhloName,
          dkim: config.dkim ?? undefined,
        })
      : devMailbox(db, clock, random));
  const sms =
    o.sms ??
    (config.sms.provider === 'twilio'
      ? twilioSms({
          accountSid: config.sms.twilioAccountSid ?? '',
          authToken: config.sms.twilioAuthToken ?? '',
          from: config.sms.twilioFrom ?? '',
          baseUrl: config.sms.twilioBaseUrl,
        })
      : devSmsOutbox(db, clock, random));
  const dispatcher = createDispatcher({
    db,
    clock,
    cipher,
    email,
    sms,
    log,
    mailFrom: config.mailFrom,
    messageIdDomain: new URL(config.publicUrl).hostname,
    random,
    leaseMs: config.outbox.leaseSeconds * 1000,
    concurrency: config.outbox.concurrency,
  });
  // Every committed transaction that wrote to the outbox wakes the dispatcher (notifications/outbox.ts).
  onCommitted(db, 'outbox', () => dispatcher.kick());
  const events = new EventBus<MamoriEvent>();
  const deps: Deps = {
    emit: events.emit,
    config,
    db,
    clock,
    random,
    log,
    limiter,
    cipher,
    dispatcher,
    // On a shared PostgreSQL every cache hit is confirmed against the account's revocation marker, so a
    // session ended by another instance is refused at once; the embedded store has one process only.
    sessionCache: new SessionCache(
      config.session.cacheSeconds * 1000,
      db.kind === 'postgres' ? (accountId) => sessionsGen(db, accountId) : null,
    ),
    geo: await sharedGeo(),
  };
  // What reacts to each change, in the change's transaction (docs/events.md).
  subscribe(events, deps);
  // Deliveries to applications (webhooks, Security Event Tokens, back-channel logouts: src/apps/) have a table
  // and a dispatcher of their own: a slow app never holds up a code, and a previous version never takes them.
  const providerSigner = createProviderSigner(deps);
  const appsDispatcher = createDispatcher({
    db,
    clock,
    cipher,
    email,
    sms,
    http: appsHttpDelivery(deps, providerSigner),
    table: 'app_deliveries',
    log,
    mailFrom: config.mailFrom,
    messageIdDomain: new URL(config.publicUrl).hostname,
    random,
    leaseMs: config.outbox.leaseSeconds * 1000,
    concurrency: config.outbox.concurrency,
  });
  onCommitted(db, 'app_deliveries', () => appsDispatcher.kick());

  const http: FastifyInstance = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // One access line per request, written by web/plumbing.ts (route pattern, status, time), not Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 16 * 1024,
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    routerOptions: { maxParamLength: 200 },
    // Refuse wrong types instead of converting them (an array is not an email address), refuse unknown
    // properties instead of silently dropping them (api/schema.ts), and name every wrong field at once.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true } },
    // Framework and client errors through Mamori's answer; timeouts against slow clients (web/edges.ts).
    ...edgeServerOptions(config),
  });
  await http.register(cookie, { secret: config.secret });
  await http.register(formbody, { bodyLimit: 16 * 1024 });
  await http.register(csrf, {
    cookieKey: 'mamori_csrf',
    cookieOpts: {
      signed: true,
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: config.publicUrl.startsWith('https://'),
    },
    getToken: (req) => textField(req.body, '_csrf'),
  });
  registerSecurityHeaders(http, config.publicUrl.startsWith('https://'));

  const routes: App['routes'] = [];
  http.addHook('onRoute', (r) => {
    for (const method of ([] as string[]).concat(r.method)) routes.push({ method, url: r.url });
  });
  // Not ready once a shutdown began (the load balancer stops sending), nor while the store does not answer.
  let shuttingDown = false;
  // What /metrics reads from this app at scrape time.
  const metrics = appMetrics({
    outbox: () => outboxStats(db, clock.now()),
    appDeliveries: () => outboxStats(db, clock.now(), 'app_deliveries'),
    pool: () => db.poolStats?.() ?? null,
  });
  await httpPlumbing(http, deps, async () => !shuttingDown && (await storeReady(db)), metrics);
  await http.register(
    async (api) => {
      // The JSON API takes JSON only: a form body is what any page can make a visitor's browser send without
      // a CORS preflight (415 before anything runs).
      api.addHook('onRequest', async (req) => {
        if (!requestHasBody(req.headers)) return;
        if (!JSON_TYPE.test(req.headers['content-type'] ?? ''))
          throw new AppError('request.unsupported_media_type');
      });
      await apiRoutes(api, deps);
    },
    { prefix: '/api' },
  );
  await http.register(async (web) =>
    webRoutes(web, deps, { devMessages: (channel) => listDevMessages(db, channel) }),
  );
  // The OpenID Connect provider (src/apps/oidc/): in a scope of its own, it reads its own request bodies.
  await http.register(async (oidc) => appsOidcRoutes(oidc, deps, providerSigner));

  const replacementScheduler = createReplacementScheduler(deps);
  if (!o.manualDispatch) {
    dispatcher.start();
    appsDispatcher.start();
    replacementScheduler.start();
  }
  // Hourly clean-up of expired rows (docs/operations.md).
  const cleaner = o.manualDispatch
    ? null
    : setInterval(() => {
        // Periodic "is this still yours?" reminders ride on the same hourly round.
        housekeeping(deps, {
          reminded: () => sendPeriodicReminders(deps),
          // Today's snapshot of each organisation's members meeting its policy (counts over time).
          org_compliance: () => snapshotCompliance(deps),
          // The OpenID Connect provider's expired codes, tokens, sessions and interactions.
          oidc_payloads: () => deleteExpiredProviderRows(deps),
        }).catch((e) => log.error({ err: e }, 'housekeeping failed'));
      }, 3600_000);
  cleaner?.unref();
  // Service notices go out at NOTICES_PER_MINUTE, a batch every minute (notices/notices.ts).
  const notices = o.manualDispatch
    ? null
    : setInterval(() => {
        runNoticeDelivery(deps).catch((e) => log.error({ err: e }, 'notice delivery failed'));
      }, 60_000);
  notices?.unref();
  return {
    http,
    routes,
    deps,
    replacementScheduler,
    appsDispatcher,
    providerKeys: providerSigner,
    beginShutdown() {
      shuttingDown = true;
    },
    async close() {
      shuttingDown = true;
      if (cleaner) clearInterval(cleaner);
      if (notices) clearInterval(notices);
      await replacementScheduler.stop();
      await http.close();
      await dispatcher.stop();
      await appsDispatcher.stop();
      await email.close?.();
      if (redis) redis.disconnect();
      if (!o.db) await db.close();
    },
  };
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** A request with a body: a non-zero Content-Length or a chunked Transfer-Encoding (RFC 9112 §6). */
function requestHasBody(h: { 'content-length'?: string; 'transfer-encoding'?: string }): boolean {
  return (
    (h['content-length'] !== undefined && h['content-length'] !== '0') || h['transfer-encoding'] !== undefined
  );
}
