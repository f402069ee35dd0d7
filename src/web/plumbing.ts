import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { localeFromAcceptLanguage, t } from '../i18n/index.ts';
import { isLocale, type Locale, type RequestContext } from '../kernel/context.ts';
import { AppError, type ErrorCode } from '../kernel/errors.ts';
import { httpDuration } from '../kernel/metrics.ts';
import { token } from '../kernel/random.ts';
import type { Sql } from '../kernel/sql.ts';
import { isRegistrationHeld } from '../organisations/store/members.ts';
import { DEVICE_COOKIE, deviceHash } from '../sessions/known-devices.ts';
import type { SessionView } from '../sessions/session-cache.ts';
import { validateSession } from '../sessions/sessions.ts';
import { ASSETS } from './assets.ts';
import { allowedMethods, LANG_COOKIE, registerEdges, sendAppError, toAppError } from './edges.ts';
import { textField } from './read-fields.ts';
import { securityHeaders } from './security-headers.ts';

export const SESSION_COOKIE = 'mamori_session';

/**
 * What a session held to its organisation's registration requirement may do: comply (add and verify a method,
 * prove itself again to do so), snooze, secure the account or replace lost security info, read why, sign out.
 */
const WHILE_REGISTRATION_HELD = [
  /^(GET|POST) \/security\/required(\/snooze)?$/,
  /^(GET|POST) \/security\/(emails|phones|passkeys)\/add$/,
  /^POST \/security\/passkeys\/(options|verify)$/,
  /^(GET|POST) \/security\/methods\/:id\/(verify|resend|remove|edit)$/,
  /^(GET|POST) \/security\/totp(\/:id)?$/,
  /^(GET|POST) \/security\/reauth(\/code|\/send)?$/,
  /^(GET|POST) \/security\/(secure|new-password-required)$/,
  /^(GET|POST) \/security\/(replace|replacement)(\/.*)?$/,
  /^POST \/sign-out$/,
  /^GET \/(organisation\/why|healthz|readyz|metrics)$/,
  /^GET \/api\/v1\/me(\/organisation)?$/,
  /^POST \/api\/v1\/me\/organisation\/snooze$/,
  /^(GET|POST) \/api\/v1\/methods(\/emails|\/phones|\/passkeys(\/options)?|\/totp(\/:id\/confirm)?|\/:id\/(verify|resend))?$/,
  /^(PATCH|DELETE) \/api\/v1\/methods\/:id$/,
  /^POST \/api\/v1\/(reauth(\/.*)?|secure|password\/temporary)$/,
  /^POST \/api\/v1\/replacement\/.*$/,
  /^DELETE \/api\/v1\/sessions\/current$/,
];

/** What a session signed in with an admin's temporary password may do before choosing its own password. */
const WHILE_TEMPORARY_PASSWORD = new Set([
  'GET /security/new-password-required',
  'POST /security/new-password-required',
  'POST /sign-out',
  'GET /organisation/why',
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /api/v1/me',
  'POST /api/v1/password/temporary',
  'DELETE /api/v1/sessions/current',
]);

/**
 * The OpenID Connect provider's protocol endpoints (src/apps/http/oidc-routes.ts): a hold does not redirect
 * them (their query would be lost); the provider's interaction page, held like any page, keeps the hold.
 */
const PROVIDER_ENDPOINTS = new Set(['/oidc/*', '/.well-known/openid-configuration']);

/** A hold on a session: the page it leads to, the API's answer, what stays open, and whether it still holds. */
interface SessionHold {
  page: string;
  code: ErrorCode;
  allows(route: string): boolean;
  /** A fresh read for a hold that ends by itself (a cached view may be older than the end). */
  stillHolds?(sql: Sql, accountId: string): Promise<boolean>;
}

const HOLDS: Record<'temporary_password' | 'registration', SessionHold> = {
  temporary_password: {
    page: '/security/new-password-required',
    code: 'auth.password_change_required',
    allows: (route) => WHILE_TEMPORARY_PASSWORD.has(route),
  },
  registration: {
    page: '/security/required',
    code: 'policy.registration_required',
    allows: (route) => WHILE_REGISTRATION_HELD.some((r) => r.test(route)),
    stillHolds: isRegistrationHeld,
  },
};

/** The hold on a session, the temporary password first (it must be replaced before anything else). */
function holdOf(s: SessionView): SessionHold | null {
  if (s.mustChangePassword) return HOLDS.temporary_password;
  if (s.registrationHeld) return HOLDS.registration;
  return null;
}

export { LANG_COOKIE } from './edges.ts';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
    session: SessionView | null;
  }
}

/** Message for an error code in a locale, with its params. */
export function errorMessage(locale: Locale, e: AppError): string {
  // Every ErrorCode has a message in both languages (checked by the type system: src/exhaustive-labels.ts).
  return t(locale, `error.${e.code}`, e.params);
}

function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 8 || value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([k, v]) => k.includes('\u0000') || hasNul(v, depth + 1));
}

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

/**
 * Request context, session, locale, errors, health checks and static assets: shared by api/ and web/.
 * `ready` is the readiness port (`GET /readyz`: 200 when it resolves true, 503 otherwise); the composition
 * root wires it to the store (storage/ready.ts), so the edge holds no SQL.
 */
export async function httpPlumbing(
  http: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'sessionCache' | 'geo'>,
  ready: () => Promise<boolean>,
  metrics?: { contentType: string; render: () => Promise<string> },
): Promise<void> {
  http.decorateRequest('ctx', null as unknown as RequestContext);
  http.decorateRequest('session', null);

  http.addHook('onRequest', async (req, reply) => {
    const isApi = req.url.startsWith('/api/');
    const raw = isApi ? bearer(req) : req.cookies[SESSION_COOKIE];
    req.session = raw ? await validateSession(deps, raw) : null;
    const asked = textField(req.query, 'lang');
    const cookieLang = req.cookies[LANG_COOKIE];
    const locale: Locale = isLocale(asked)
      ? asked
      : isLocale(cookieLang)
        ? cookieLang
        : (req.session?.locale ?? localeFromAcceptLanguage(req.headers['accept-language']));
    if (isLocale(asked) && asked !== cookieLang) {
      reply.setCookie(LANG_COOKIE, asked, { path: '/', sameSite: 'lax', maxAge: 365 * 24 * 3600 });
    }
    // Every browser gets a device cookie on its first request, so that a later success can make it a known
    // device of the account (src/sessions/known-devices.ts). The same for every request, whatever it asks.
    let device = req.cookies[DEVICE_COOKIE];
    if (!deviceHash(device)) {
      device = token(deps.random, 32);
      reply.setCookie(DEVICE_COOKIE, device, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.config.publicUrl.startsWith('https://'),
        maxAge: 400 * 24 * 3600,
      });
    }
    // The country is looked up only when something reads it (an activity entry, a sign-in's risk), not for
    // every request.
    let country: string | undefined;
    const ip = req.ip;
    req.ctx = {
      ip,
      userAgent: String(req.headers['user-agent'] ?? '').slice(0, 512),
      locale,
      get country() {
        country ??= deps.geo.country(ip);
        return country;
      },
      device,
    };
  });

  // A temporary password from an organisation admin: until the owner chooses their own, the session may only
  // do that (or sign out). Pages lead there; the API answers auth.password_change_required.
  // A session held by its organisation (a temporary password to replace, a registration requirement to meet):
  // pages lead to the hold's page and other API calls are refused until it ends. The mark rides on the (cached)
  // session read; a hold that can end by itself is confirmed by a fresh read before it holds anyone.
  http.addHook('onRequest', async (req, reply) => {
    const s = req.session;
    const hold = s ? holdOf(s) : null;
    const url = req.routeOptions.url;
    if (!s || !hold || url === undefined || ASSETS[url] || PROVIDER_ENDPOINTS.has(url)) return;
    if (hold.allows(`${req.method} ${url}`)) return;
    if (hold.stillHolds && !(await hold.stillHolds(deps.db, s.accountId))) {
      deps.sessionCache.delete(s.id);
      return;
    }
    if (req.url.startsWith('/api/')) throw new AppError(hold.code);
    const back = req.method === 'GET' ? (req.url.split('?')[0] ?? '/security') : '/security';
    return reply.redirect(`${hold.page}?next=${encodeURIComponent(back)}`, 303);
  });

  registerEdges(http);

  // PostgreSQL text cannot hold NUL; no legitimate input has one. Refuse it before anything reads it.
  http.addHook('preValidation', async (req) => {
    if (hasNul(req.body) || hasNul(req.params) || hasNul(req.query)) throw new AppError('request.invalid');
  });

  // Every error and every unknown path or method gets Mamori's answer (web/edges.ts).
  const headers = securityHeaders(deps.config.publicUrl.startsWith('https://'));
  http.setErrorHandler(
    (error: Error & { statusCode?: number; code?: string; validation?: unknown }, req, reply) =>
      sendAppError(req, reply, toAppError(error, req.log), headers),
  );

  http.setNotFoundHandler((req, reply) => {
    const allow = allowedMethods(http, req.url);
    const e = allow.length
      ? new AppError('request.method_not_allowed', { allow: allow.join(', ') })
      : new AppError('request.not_found');
    return sendAppError(req, reply, e, headers);
  });

  // One access line and the latency, by route pattern (the registered URL, never the raw one, whose path or
  // query may hold a link's token).
  http.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    httpDuration.observe(
      { route, method: req.method, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    req.log.info(
      { method: req.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 },
      'request completed',
    );
  });

  // Prometheus scrapes with the METRICS_TOKEN bearer; without the setting, or with another token, there is
  // no such page (the same 404 as any unknown path).
  const metricsToken = deps.config.metricsToken ? Buffer.from(deps.config.metricsToken) : null;
  http.get('/metrics', async (req, reply) => {
    const given = Buffer.from(bearer(req) ?? '');
    if (
      !metrics ||
      !metricsToken ||
      given.length !== metricsToken.length ||
      !timingSafeEqual(given, metricsToken)
    )
      throw new AppError('request.not_found');
    return reply
      .header('content-type', metrics.contentType)
      .header('cache-control', 'no-store')
      .send(await metrics.render());
  });

  http.get('/healthz', async () => ({ status: 'ok' }));
  http.get('/readyz', async (_req, reply) =>
    (await ready()) ? { status: 'ready' } : reply.status(503).send({ status: 'unavailable' }),
  );
  for (const [path, asset] of Object.entries(ASSETS)) {
    http.get(path, async (_req, reply) =>
      reply
        .header('content-type', asset.type)
        .header('cache-control', 'public, max-age=3600')
        .send(asset.body),
    );
  }
}
