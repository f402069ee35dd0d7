import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { localeFromAcceptLanguage, t } from '../i18n/index.ts';
import { isLocale, type Locale, type RequestContext } from '../kernel/context.ts';
import { AppError } from '../kernel/errors.ts';
import type { SessionView } from '../sessions/session-cache.ts';
import { validateSession } from '../sessions/sessions.ts';
import { ASSETS } from './assets.ts';
import { renderErrorPage } from './render.tsx';

export const SESSION_COOKIE = 'mamori_session';
export const LANG_COOKIE = 'mamori_lang';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
    session: SessionView | null;
  }
}

/** Message for an error code in a locale, with its params. */
export function errorMessage(locale: Locale, e: AppError): string {
  // Every ErrorCode has a message in both languages (checked by the type system: src/i18n/exhaustive.ts).
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

/** Request context, session, locale, errors, health checks and static assets: shared by api/ and web/. */
export async function httpPlumbing(http: FastifyInstance, deps: Deps): Promise<void> {
  http.decorateRequest('ctx', null as unknown as RequestContext);
  http.decorateRequest('session', null);

  http.addHook('onRequest', async (req, reply) => {
    const isApi = req.url.startsWith('/api/');
    const raw = isApi ? bearer(req) : req.cookies[SESSION_COOKIE];
    req.session = raw ? await validateSession(deps, raw) : null;
    const query = req.query as { lang?: string } | undefined;
    const cookieLang = req.cookies[LANG_COOKIE];
    const locale: Locale = isLocale(query?.lang)
      ? query.lang
      : isLocale(cookieLang)
        ? cookieLang
        : (req.session?.locale ?? localeFromAcceptLanguage(req.headers['accept-language']));
    if (isLocale(query?.lang) && query.lang !== cookieLang) {
      reply.setCookie(LANG_COOKIE, query.lang, { path: '/', sameSite: 'lax', maxAge: 365 * 24 * 3600 });
    }
    req.ctx = {
      ip: req.ip,
      userAgent: String(req.headers['user-agent'] ?? '').slice(0, 512),
      locale,
      country: deps.geo.country(req.ip),
    };
  });

  // PostgreSQL text cannot hold NUL; no legitimate input has one. Refuse it before anything reads it.
  http.addHook('preValidation', async (req) => {
    if (hasNul(req.body) || hasNul(req.params) || hasNul(req.query))
      throw new AppError('request.invalid', 400);
  });

  http.setErrorHandler(
    (error: Error & { statusCode?: number; code?: string; validation?: unknown }, req, reply) => {
      const locale = req.ctx?.locale ?? 'ja';
      let app: AppError;
      if (error instanceof AppError) app = error;
      else if (error.validation) app = new AppError('request.invalid', 400, { detail: error.message });
      else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') app = new AppError('request.too_large', 413);
      else if (error.code?.startsWith('FST_CSRF') || error.code === 'FST_ERR_CSRF')
        app = new AppError('request.csrf', 403);
      else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
        app = new AppError('request.invalid', error.statusCode, { detail: error.message });
      else {
        req.log.error({ err: error }, 'unhandled error');
        app = new AppError('internal', 500);
      }
      if (app.status === 429 && typeof app.params.seconds === 'number')
        reply.header('retry-after', String(app.params.seconds));
      const message = errorMessage(locale, app);
      if (req.url.startsWith('/api/')) {
        return reply.status(app.status).send({ error: { code: app.code, message } });
      }
      return sendErrorPage(req, reply, app.status, message);
    },
  );

  http.setNotFoundHandler((req, reply) => {
    const locale = req.ctx?.locale ?? 'ja';
    const e = new AppError('request.not_found', 404);
    if (req.url.startsWith('/api/')) {
      return reply.status(404).send({ error: { code: e.code, message: errorMessage(locale, e) } });
    }
    return sendErrorPage(req, reply, 404, errorMessage(locale, e));
  });

  http.get('/healthz', async () => ({ status: 'ok' }));
  http.get('/readyz', async (_req, reply) => {
    try {
      await deps.db.query('SELECT 1');
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ status: 'unavailable' });
    }
  });
  for (const [path, asset] of Object.entries(ASSETS)) {
    http.get(path, async (_req, reply) =>
      reply
        .header('content-type', asset.type)
        .header('cache-control', 'public, max-age=3600')
        .send(asset.body),
    );
  }
}

function sendErrorPage(req: FastifyRequest, reply: FastifyReply, status: number, message: string) {
  return renderErrorPage(req, reply, status, message);
}
