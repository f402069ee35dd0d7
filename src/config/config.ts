import { createPrivateKey, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadTemplateOverrides, type TemplateOverrides } from '../notifications/overrides.ts';

/** Everything Mamori reads from the environment, validated once at start. See docs/configuration.md. */
export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | null;
  redisUrl: string | null;
  /** Prefix of every Redis key Mamori writes (REDIS_KEY_PREFIX), so deployments can share one Redis. */
  redisKeyPrefix: string;
  smtpUrl: string | null;
  mailFrom: string;
  /** MAIL_EHLO_NAME: the DNS name given in EHLO (default: PUBLIC_URL's host name). */
  mailEhloName: string;
  /** DKIM signing of every email (docs/email-authentication.md), or null. */
  dkim: { domainName: string; keySelector: string; privateKey: string } | null;
  /** TEMPLATES_DIR: a self-hoster's own email words (docs/operations.md#branding-emails), or null. */
  templatesDir: string | null;
  /** The overrides read from `templatesDir` and checked at start (empty without it). */
  templates: TemplateOverrides;
  /** Outbox delivery (docs/operations.md#outbox). */
  outbox: { leaseSeconds: number; concurrency: number; smtpTimeoutSeconds: number };
  /**
   * Graceful shutdown (docs/operations.md#start-migrate-stop): after SIGTERM, `/readyz` answers 503 for
   * `delaySeconds` while requests are still served (so a load balancer stops sending new ones), then
   * in-flight requests and sends get `timeoutSeconds` to finish before the process exits anyway.
   */
  shutdown: { delaySeconds: number; timeoutSeconds: number };
  /**
   * Applications (docs/apps.md). `allowPrivateNetworks` (APPS_ALLOW_PRIVATE_NETWORKS, default off in
   * production): webhook, shared-signals and back-channel logout URLs may point at loopback or private
   * addresses (development and tests); otherwise such URLs are refused when registered and when delivered.
   * `deliveryTimeoutSeconds` (APPS_DELIVERY_TIMEOUT_SECONDS): longest one HTTP delivery to an app may take.
   */
  apps: { allowPrivateNetworks: boolean; deliveryTimeoutSeconds: number };
  /** METRICS_TOKEN: the bearer token `GET /metrics` requires (at least 24 characters); null: /metrics is off. */
  metricsToken: string | null;
  secret: string;
  secretGenerated: boolean;
  trustedProxies: string[];
  logLevel: string;
  /** LOG_FORMAT: `json` (default) or `pretty` (readable lines for local use). */
  logFormat: 'json' | 'pretty';
  devTools: boolean;
  session: { idleMinutes: number; absoluteHours: number; cacheSeconds: number };
  codes: {
    ttlMinutes: number;
    maxAttempts: number;
    resendSeconds: number;
    perDestinationPerDay: number;
    wrongPerAccountPerHour: number;
  };
  signIn: { perAccountPerQuarterHour: number; perIpPerQuarterHour: number };
  /** Budgets per source network (an IPv4 address or an IPv6 /64), see src/abuse/network-limits.ts. */
  network: { signupsPerHour: number; sendsPerHour: number; wrongCodesPerHour: number };
  sms: {
    provider: 'dev' | 'twilio';
    twilioAccountSid: string | null;
    twilioAuthToken: string | null;
    twilioFrom: string | null;
    twilioBaseUrl: string;
    perCountryPerHour: number;
    allowedCountries: string[];
  };
  stepUpMinutes: number;
  maxMethods: number;
  trustedDeviceDays: number;
  issuer: string;
  activityRetentionDays: number;
  /** Timeouts of the HTTP server against slow clients (seconds); see docs/configuration.md. */
  http: {
    headersTimeoutSeconds: number;
    requestTimeoutSeconds: number;
    idleTimeoutSeconds: number;
    keepAliveTimeoutSeconds: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return def;
    }
    return n;
  };
  const url = (name: string, protocols: string[]): string | null => {
    const raw = env[name];
    if (!raw) return null;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) {
        problems.push(`${name} must use ${protocols.join(' or ')} (got ${u.protocol})`);
      }
      return raw;
    } catch {
      problems.push(`${name} is not a valid URL`);
      return null;
    }
  };

  const nodeEnv = env.NODE_ENV ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    problems.push(`NODE_ENV must be development, production or test (got "${nodeEnv}")`);
  }
  const production = nodeEnv === 'production';
  const port = int('PORT', 3000, 0, 65535);
  const publicUrlRaw = url('PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`;
  const publicUrl = publicUrlRaw.replace(/\/+$/, '');
  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const redisUrl = url('REDIS_URL', ['redis:', 'rediss:']);
  const smtpUrl = url('SMTP_URL', ['smtp:', 'smtps:']);
  if (env.METRICS_TOKEN && env.METRICS_TOKEN.length < 24) {
    problems.push('METRICS_TOKEN must be at least 24 characters (a random token for the Prometheus scraper)');
  }
  const dkimSet = [env.DKIM_DOMAIN, env.DKIM_SELECTOR, env.DKIM_PRIVATE_KEY_FILE].filter(Boolean).length;
  let dkim: Config['dkim'] = null;
  if (dkimSet > 0 && dkimSet < 3) {
    problems.push('DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_FILE go together: set all three or none');
  } else if (dkimSet === 3) {
    try {
      const privateKey = readFileSync(env.DKIM_PRIVATE_KEY_FILE as string, 'utf8');
      const key = createPrivateKey(privateKey);
      if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 1024)
        problems.push(
          'DKIM_PRIVATE_KEY_FILE must hold an RSA private key of 1024 bits or more (2048 recommended)',
        );
      else
        dkim = {
          domainName: (env.DKIM_DOMAIN as string).toLowerCase(),
          keySelector: env.DKIM_SELECTOR as string,
          privateKey,
        };
    } catch {
      problems.push(
        `DKIM_PRIVATE_KEY_FILE could not be read as a PEM private key (${env.DKIM_PRIVATE_KEY_FILE})`,
      );
    }
    if (!/^[a-z0-9][a-z0-9_-]{0,62}$/i.test(env.DKIM_SELECTOR as string))
      problems.push('DKIM_SELECTOR must be a DNS label such as mamori2026');
  }
  const mailFrom = env.MAIL_FROM ?? 'Mamori <no-reply@mamori.localhost>';
  if (!/^[^<>]*<[^@\s<>]+@[^@\s<>]+>$|^[^@\s<>]+@[^@\s<>]+$/.test(mailFrom)) {
    problems.push('MAIL_FROM must be an address like "Mamori <security@example.com>"');
  }

  let secret = env.MAMORI_SECRET ?? '';
  let secretGenerated = false;
  if (!secret) {
    secret = randomBytes(32).toString('base64url');
    secretGenerated = true;
  } else if (secret.length < 32) {
    problems.push('MAMORI_SECRET must be at least 32 characters (use: openssl rand -base64 32)');
  }

  const templatesDir = env.TEMPLATES_DIR ? resolve(env.TEMPLATES_DIR) : null;
  const loaded = templatesDir ? loadTemplateOverrides(templatesDir) : { overrides: new Map(), problems: [] };
  for (const p of loaded.problems) problems.push(`TEMPLATES_DIR: ${p}`);

  const smsProvider = (env.SMS_PROVIDER ?? (production ? 'twilio' : 'dev')) as 'dev' | 'twilio';
  if (!['dev', 'twilio'].includes(smsProvider)) problems.push('SMS_PROVIDER must be dev or twilio');
  const devTools = !production && env.MAMORI_DEV_TOOLS !== '0';
  const logFormat = env.LOG_FORMAT === 'pretty' ? 'pretty' : 'json';
  if (env.LOG_FORMAT !== undefined && env.LOG_FORMAT !== 'json' && env.LOG_FORMAT !== 'pretty')
    problems.push(`LOG_FORMAT must be json or pretty (got "${env.LOG_FORMAT}")`);

  if (production) {
    if (secretGenerated)
      problems.push(
        'MAMORI_SECRET is required in production (a generated secret would change at every restart)',
      );
    if (!smtpUrl) problems.push('SMTP_URL is required in production (the dev mailbox is off in production)');
    if (smsProvider === 'dev')
      problems.push('SMS_PROVIDER=dev (the dev SMS outbox) is not allowed in production');
    if (!env.PUBLIC_URL) problems.push('PUBLIC_URL is required in production');
    else if (!publicUrl.startsWith('https://')) problems.push('PUBLIC_URL must be https:// in production');
    if (!env.MAIL_FROM) problems.push('MAIL_FROM is required in production');
  }
  if (smsProvider === 'twilio') {
    for (const k of ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM']) {
      if (!env[k]) problems.push(`${k} is required when SMS_PROVIDER=twilio`);
    }
  }

  const config: Config = {
    env: nodeEnv as Config['env'],
    port,
    host: env.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    publicUrl,
    dataDir: resolve(env.DATA_DIR ?? './data'),
    databaseUrl,
    redisUrl,
    redisKeyPrefix: env.REDIS_KEY_PREFIX ?? 'mamori:',
    smtpUrl,
    mailFrom,
    mailEhloName: env.MAIL_EHLO_NAME ?? new URL(publicUrl).hostname,
    dkim,
    templatesDir,
    templates: loaded.overrides,
    outbox: {
      leaseSeconds: int('OUTBOX_LEASE_SECONDS', 60, 1, 3600),
      concurrency: int('OUTBOX_CONCURRENCY', 10, 1, 200),
      smtpTimeoutSeconds: int('SMTP_TIMEOUT_SECONDS', 30, 1, 600),
    },
    shutdown: {
      delaySeconds: int('SHUTDOWN_DELAY_SECONDS', production ? 5 : 0, 0, 300),
      timeoutSeconds: int('SHUTDOWN_TIMEOUT_SECONDS', 25, 1, 3600),
    },
    apps: {
      allowPrivateNetworks: (env.APPS_ALLOW_PRIVATE_NETWORKS ?? (production ? 'false' : 'true')) === 'true',
      deliveryTimeoutSeconds: int('APPS_DELIVERY_TIMEOUT_SECONDS', 10, 1, 60),
    },
    metricsToken: env.METRICS_TOKEN ? env.METRICS_TOKEN : null,
    secret,
    secretGenerated,
    trustedProxies: (env.TRUSTED_PROXIES ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    logFormat,
    devTools,
    session: {
      idleMinutes: int('SESSION_IDLE_MINUTES', 12 * 60, 5, 60 * 24 * 30),
      absoluteHours: int('SESSION_ABSOLUTE_HOURS', 14 * 24, 1, 24 * 365),
      // One process owns the embedded store, and it clears the cache on every change: cache longer there.
      cacheSeconds: int('SESSION_CACHE_SECONDS', databaseUrl ? 5 : 300, 0, 3600),
    },
    codes: {
      ttlMinutes: int('CODE_TTL_MINUTES', 10, 1, 60),
      maxAttempts: int('CODE_MAX_ATTEMPTS', 5, 1, 20),
      resendSeconds: int('CODE_RESEND_SECONDS', 60, 0, 3600),
      perDestinationPerDay: int('CODE_PER_DESTINATION_PER_DAY', 10, 1, 1000),
      wrongPerAccountPerHour: int('CODE_WRONG_PER_ACCOUNT_PER_HOUR', 10, 1, 1000),
    },
    signIn: {
      perAccountPerQuarterHour: int('SIGNIN_FAILURES_PER_ACCOUNT', 10, 1, 1000),
      perIpPerQuarterHour: int('SIGNIN_FAILURES_PER_IP', 50, 1, 100000),
    },
    network: {
      signupsPerHour: int('SIGNUPS_PER_NETWORK_PER_HOUR', 20, 1, 1_000_000),
      sendsPerHour: int('SENDS_PER_NETWORK_PER_HOUR', 60, 1, 1_000_000),
      wrongCodesPerHour: int('WRONG_CODES_PER_NETWORK_PER_HOUR', 30, 1, 1_000_000),
    },
    sms: {
      provider: smsProvider,
      twilioAccountSid: env.TWILIO_ACCOUNT_SID ?? null,
      twilioAuthToken: env.TWILIO_AUTH_TOKEN ?? null,
      twilioFrom: env.TWILIO_FROM ?? null,
      twilioBaseUrl: (env.TWILIO_BASE_URL ?? 'https://api.twilio.com').replace(/\/+$/, ''),
      perCountryPerHour: int('SMS_PER_COUNTRY_PER_HOUR', 200, 1, 1_000_000),
      allowedCountries: (env.SMS_ALLOWED_COUNTRIES ?? '')
        .split(',')
        .map((s) => s.trim().toUpperCase())
        .filter(Boolean),
    },
    stepUpMinutes: int('STEP_UP_MINUTES', 10, 1, 60),
    maxMethods: int('MAX_SECURITY_METHODS', 10, 2, 50),
    trustedDeviceDays: int('TRUSTED_DEVICE_DAYS', 30, 1, 365),
    activityRetentionDays: int('ACTIVITY_RETENTION_DAYS', 90, 30, 3650),
    issuer: env.MAMORI_ISSUER ?? 'Mamori',
    http: {
      headersTimeoutSeconds: int('HTTP_HEADERS_TIMEOUT_SECONDS', 10, 1, 600),
      requestTimeoutSeconds: int('HTTP_REQUEST_TIMEOUT_SECONDS', 30, 1, 3600),
      idleTimeoutSeconds: int('HTTP_IDLE_TIMEOUT_SECONDS', 60, 1, 3600),
      keepAliveTimeoutSeconds: int('HTTP_KEEP_ALIVE_TIMEOUT_SECONDS', 72, 1, 3600),
    },
  };
  if (config.http.headersTimeoutSeconds > config.http.requestTimeoutSeconds)
    problems.push('HTTP_HEADERS_TIMEOUT_SECONDS must not be more than HTTP_REQUEST_TIMEOUT_SECONDS');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** A copy of the config safe to log: secrets and credentials replaced. */
export function redactConfig(config: Config): Record<string, unknown> {
  const hideUrl = (u: string | null) => (u ? u.replace(/\/\/([^@/]*)@/, '//***@') : null);
  return {
    ...config,
    secret: '***',
    databaseUrl: hideUrl(config.databaseUrl),
    redisUrl: hideUrl(config.redisUrl),
    smtpUrl: hideUrl(config.smtpUrl),
    templates: [...config.templates.keys()],
    sms: { ...config.sms, twilioAuthToken: config.sms.twilioAuthToken ? '***' : null },
    dkim: config.dkim ? { ...config.dkim, privateKey: '***' } : null,
    metricsToken: config.metricsToken ? '***' : null,
  };
}
