/**
 * The HTTP edges: every answer Mamori gives, including the ones the framework or Node's HTTP parser would
 * otherwise write themselves (URL too long, malformed URL or body, unsupported media type, wrong method,
 * body too large, CSRF, slow clients), is Mamori's answer: `{ error: { code, message } }` with a stable
 * code under /api/, a localised page elsewhere, the security headers and `no-store`, and nothing taken
 * from the request (no path, header or body is ever echoed).
 *
 * Slow clients: Node's `headersTimeout` (all headers), `requestTimeout` (headers and body), the socket
 * inactivity timeout and `keepAliveTimeout`, from HTTP_*_TIMEOUT_SECONDS (docs/configuration.md).
 */
import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyHttpOptions, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/config.ts';
import { hasKey, localeFromAcceptLanguage, t } from '../i18n/index.ts';
import { isLocale, type Locale } from '../kernel/context.ts';
import { AppError, type ErrorCode, type FieldProblem } from '../kernel/errors.ts';
import { errorPageHtml, renderErrorPage } from './render.tsx';
import { securityHeaders } from './security-headers.ts';

/** The language cookie (set by `?lang=` and the language switch). */
export const LANG_COOKIE = 'mamori_lang';

const appError = (code: ErrorCode, params: Record<string, string | number> = {}) =>
  new AppError(code, params);

/** Fastify's and its plugins' error codes, by what they mean to the client. */
const MALFORMED = new Set([
  'FST_ERR_BAD_URL',
  'FST_ERR_CTP_EMPTY_JSON_BODY',
  'FST_ERR_CTP_INVALID_JSON_BODY',
  'FST_ERR_CTP_INVALID_CONTENT_LENGTH',
  'FST_ERR_CTP_EMPTY_TYPE',
  'FST_ERR_CTP_INVALID_TYPE',
  'FST_ERR_INVALID_URL',
  'FST_ERR_ASYNC_CONSTRAINT',
]);

interface ValidationIssue {
  instancePath?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

const FIELD_CODE: Record<string, string> = {
  required: 'required',
  additionalProperties: 'unknown',
  type: 'type',
  maxLength: 'too_long',
  minLength: 'too_short',
  maxItems: 'too_many',
  minItems: 'too_short',
  maxProperties: 'too_many',
  pattern: 'format',
  format: 'format',
  const: 'not_allowed',
  enum: 'not_allowed',
  anyOf: 'not_allowed',
  oneOf: 'not_allowed',
};

/** A property name from the request is named back only when it looks like one (never echo arbitrary text). */
const SAFE_NAME = /^[A-Za-z0-9_$-]{1,64}$/;

/** The wrong fields of a validation error, one entry per field (JSON pointer), in the order found. */
export function fieldProblems(validation: unknown, context: unknown): FieldProblem[] {
  if (!Array.isArray(validation)) return [];
  const where = typeof context === 'string' ? context : 'body';
  const out = new Map<string, FieldProblem>();
  for (const issue of validation as ValidationIssue[]) {
    const base = typeof issue.instancePath === 'string' ? issue.instancePath : '';
    const extra =
      issue.keyword === 'required'
        ? issue.params?.missingProperty
        : issue.keyword === 'additionalProperties'
          ? issue.params?.additionalProperty
          : undefined;
    let path = base;
    if (typeof extra === 'string') path = `${base}/${SAFE_NAME.test(extra) ? extra : '*'}`;
    if (!/^(\/[A-Za-z0-9_$~*-]{1,64}){0,16}$/.test(path)) path = '';
    const key = `${where}:${path}`;
    if (!out.has(key)) out.set(key, { in: where, path, code: FIELD_CODE[issue.keyword ?? ''] ?? 'invalid' });
  }
  return [...out.values()].slice(0, 20);
}

/**
 * Any error thrown while answering — ours, Fastify's, a plugin's, a parser's — as an AppError with a
 * stable code. The original message is never kept (it may quote the request). Unexpected errors are logged
 * and become `internal`.
 */
export function toAppError(
  error: Error & { statusCode?: number; code?: string; validation?: unknown },
  log?: { error(o: object, msg: string): void },
): AppError {
  if (error instanceof AppError) return error;
  const code = error.code ?? '';
  const status = error.statusCode ?? 0;
  if (error.validation)
    return new AppError(
      'request.invalid',
      {},
      {
        fields: fieldProblems(error.validation, (error as { validationContext?: unknown }).validationContext),
      },
    );
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) return appError('request.too_large');
  if (code.startsWith('FST_CSRF') || code === 'FST_ERR_CSRF') return appError('request.csrf');
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415)
    return appError('request.unsupported_media_type');
  if (code === 'FST_ERR_MAX_PARAM_LENGTH' || status === 414) return appError('request.uri_too_long');
  if (status === 408) return appError('request.timeout');
  if (status === 431) return appError('request.headers_too_large');
  if (MALFORMED.has(code) || (error instanceof SyntaxError && status === 400))
    return appError('request.malformed');
  // Any other client error of the framework or a plugin: the request was not acceptable as sent.
  if (status >= 400 && status < 500) return appError('request.invalid');
  log?.error({ err: error }, 'unhandled error');
  // The public answer is `internal`; what went wrong stays in the log and in `cause`.
  return new AppError('internal', {}, { cause: error });
}

export const isApiPath = (url: string): boolean => url === '/api' || url.startsWith('/api/');

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/** The language of an answer from the raw request: `?lang=`, the language cookie, then Accept-Language. */
export function localeFromRaw(
  url: string,
  cookie: string | undefined,
  acceptLanguage: string | undefined,
): Locale {
  const q = url.indexOf('?');
  if (q >= 0) {
    const m = /(?:^|&)lang=(ja|en)(?:&|$)/.exec(url.slice(q + 1));
    if (m) return m[1] as Locale;
  }
  const fromCookie = cookieValue(cookie, LANG_COOKIE);
  if (isLocale(fromCookie)) return fromCookie;
  return localeFromAcceptLanguage(acceptLanguage);
}

function message(locale: Locale, e: AppError): string {
  if (e.fields.length > 0)
    return t(locale, 'api.invalid_fields', {
      fields: e.fields
        .map((f) => f.path.slice(1).replaceAll('/', '.') || f.in)
        .join(locale === 'ja' ? '、' : ', '),
    });
  const key = `error.${e.code}`;
  return hasKey(key) ? t(locale, key, e.params) : t(locale, 'error.internal');
}

/**
 * Sends `e` as Mamori's answer on a Fastify reply: JSON under /api/, the error page elsewhere, with the
 * security headers, `no-store` and Retry-After for a 429 with `seconds`. Works before any hook has run
 * (framework errors): the language then comes from the raw request.
 */
export function sendAppError(
  req: FastifyRequest,
  reply: FastifyReply,
  e: AppError,
  headers: Record<string, string>,
): FastifyReply {
  const api = isApiPath(req.url);
  // Under /api/ the language the request asks for (`?lang=`, Accept-Language naming ja or en) wins over the
  // account's, signed in or not.
  const asked =
    /[?&]lang=(ja|en)(?:&|$)/.test(req.url) ||
    /(?:^|,)\s*(?:ja|en)\b/i.test(String(req.headers['accept-language'] ?? ''));
  const locale: Locale =
    (api && asked ? undefined : req.ctx?.locale) ??
    localeFromRaw(req.url, req.headers.cookie, req.headers['accept-language']);
  reply.headers(headers).header('cache-control', 'no-store');
  if (e.status === 429 && typeof e.params.seconds === 'number')
    reply.header('retry-after', String(e.params.seconds));
  if (e.code === 'request.method_not_allowed' && typeof e.params.allow === 'string')
    reply.header('allow', e.params.allow);
  // Pages keep their plain message; API clients are told which fields are wrong.
  const text = message(locale, api ? e : new AppError(e.code, e.params));
  if (api)
    return reply.status(e.status).send({
      error: { code: e.code, message: text, ...(e.fields.length > 0 ? { fields: e.fields } : {}) },
    });
  return renderErrorPage(req, reply, e.status, text, locale);
}

interface InFlight {
  url: string;
  locale: Locale;
  res: ServerResponse;
}
/** The request being received on each socket, so a client error on it (a timeout) is answered in kind. */
const inFlight = new WeakMap<Socket, InFlight>();

/** What a rejected raw packet says about where it was going (request line, language headers). */
function hintFromPacket(packet: Buffer | undefined): { url: string; locale: Locale } | null {
  if (!packet) return null;
  const head = packet.subarray(0, 8192).toString('latin1');
  const lines = head.split('\r\n');
  const m = /^[A-Z]+ (\/\S*) HTTP\/1\.[01]$/.exec(lines[0] ?? '');
  if (!m) return null;
  const header = (name: string) =>
    lines
      .slice(1)
      .find((l) => l.toLowerCase().startsWith(`${name}:`))
      ?.slice(name.length + 1)
      .trim();
  const url = m[1] ?? '/';
  return { url, locale: localeFromRaw(url, header('cookie'), header('accept-language')) };
}

/** A complete HTTP/1.1 answer for a socket that has no usable request (parse errors, timeouts). */
export function rawErrorResponse(
  e: AppError,
  o: { api: boolean; locale: Locale; headers: Record<string, string> },
): string {
  const text = message(o.locale, e);
  const body = o.api
    ? JSON.stringify({ error: { code: e.code, message: text } })
    : errorPageHtml(o.locale, text);
  const head: Record<string, string> = {
    ...o.headers,
    'cache-control': 'no-store',
    'content-type': o.api ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  const reason: Record<number, string> = {
    400: 'Bad Request',
    408: 'Request Timeout',
    431: 'Request Header Fields Too Large',
  };
  return `HTTP/1.1 ${e.status} ${reason[e.status] ?? 'Error'}\r\n${Object.entries(head)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n${body}`;
}

/**
 * Fastify options for the edges: framework errors through Mamori's answer, client errors (malformed HTTP,
 * oversized headers, timeouts) answered on the socket the same way, and the timeouts against slow clients.
 * Node checks the header and request timeouts every `connectionsCheckingInterval`, set here to a quarter of
 * the header timeout (at most 1 s) so a slow client is cut off close to the configured time.
 */
export function edgeServerOptions(config: Config): Partial<FastifyHttpOptions<Server>> {
  const headers = securityHeaders(config.publicUrl.startsWith('https://'));
  const { headersTimeoutSeconds, requestTimeoutSeconds, idleTimeoutSeconds, keepAliveTimeoutSeconds } =
    config.http;
  return {
    connectionTimeout: idleTimeoutSeconds * 1000,
    requestTimeout: requestTimeoutSeconds * 1000,
    keepAliveTimeout: keepAliveTimeoutSeconds * 1000,
    http: {
      headersTimeout: headersTimeoutSeconds * 1000,
      requestTimeout: requestTimeoutSeconds * 1000,
      connectionsCheckingInterval: Math.min(1000, Math.max(100, (headersTimeoutSeconds * 1000) / 4)),
    },
    frameworkErrors: (error, req, reply) => {
      sendAppError(req, reply, toAppError(error as Error & { code?: string }, req.log), headers);
    },
    clientErrorHandler(err, socket: Socket) {
      if (err.code === 'ECONNRESET' || socket.destroyed) return;
      const e =
        err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? appError('request.timeout')
          : err.code === 'HPE_HEADER_OVERFLOW'
            ? appError('request.headers_too_large')
            : appError('request.malformed');
      const current = inFlight.get(socket);
      const packet = (err as { rawPacket?: unknown }).rawPacket;
      const hint = current ?? hintFromPacket(Buffer.isBuffer(packet) ? packet : undefined);
      if (socket.writable && !current?.res.headersSent) {
        const answer = rawErrorResponse(e, {
          api: hint ? isApiPath(hint.url) : false,
          locale: hint?.locale ?? 'ja',
          headers,
        });
        socket.end(answer, () => socket.destroy());
        setTimeout(() => socket.destroy(), 1000).unref();
      } else socket.destroy();
    },
  };
}

/**
 * Remembers the request being received on each socket (for `clientErrorHandler`), and answers requests for
 * a known path with the wrong method 405 + Allow instead of 404. Register before any route.
 */
export function registerEdges(http: FastifyInstance): void {
  const routes: { method: string; url: string; re: RegExp }[] = [];
  registry.set(http, routes);
  http.addHook('onRoute', (r) => {
    const methods = ([] as string[]).concat(r.method);
    const pattern = r.url
      .split('/')
      .map((seg) =>
        seg.startsWith(':') ? '[^/]+' : seg === '*' ? '.*' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    for (const method of methods) routes.push({ method, url: r.url, re: new RegExp(`^${pattern}$`) });
  });
  http.addHook('onRequest', async (req, reply) => {
    inFlight.set(req.raw.socket, {
      url: req.url,
      locale: req.ctx?.locale ?? localeFromRaw(req.url, req.headers.cookie, req.headers['accept-language']),
      res: reply.raw,
    });
  });
  http.addHook('onResponse', async (req) => {
    inFlight.delete(req.raw.socket);
  });
}

const registry = new WeakMap<FastifyInstance, { method: string; url: string; re: RegExp }[]>();

/** Every route of the app (method and URL pattern), in registration order. */
export function registeredRoutes(http: FastifyInstance): { method: string; url: string }[] {
  return (registry.get(http) ?? []).map(({ method, url }) => ({ method, url }));
}

/** The methods that work on `url` (for a 405), or [] when no route has this path. */
export function allowedMethods(http: FastifyInstance, url: string): string[] {
  const path = url.split('?')[0] ?? '/';
  const methods = new Set((registry.get(http) ?? []).filter((r) => r.re.test(path)).map((r) => r.method));
  return [...methods].sort();
}
