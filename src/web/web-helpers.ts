import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { isLocale, type Locale } from '../kernel/context.ts';
import type { SessionView } from '../sessions/session-cache.ts';
import { endSessionById, isReauthFresh } from '../sessions/sessions.ts';
import { LANG_COOKIE, SESSION_COOKIE } from './plumbing.ts';
import { textField } from './read-fields.ts';

/** Signed-in session or a redirect to the sign-in page. */
export function sessionOrRedirect(req: FastifyRequest, reply: FastifyReply): SessionView | null {
  if (req.session) return req.session;
  void reply.redirect(`/sign-in?next=${encodeURIComponent(req.url.split('?')[0] ?? '/')}`, 303);
  return null;
}

/** Only local paths are followed after sign-in (no open redirect). */
export function safeNext(next: unknown, fallback = '/security'): string {
  return typeof next === 'string' &&
    /^\/[a-z0-9\-/_]*(\?token=[\w-]{1,100})?$/i.test(next) &&
    !next.startsWith('//')
    ? next
    : fallback;
}

/**
 * The options of every cookie Mamori's pages set for the browser: HttpOnly, SameSite=Lax, whole site, Secure
 * when PUBLIC_URL is https, kept `maxAgeSeconds`.
 */
export function browserCookie(deps: Pick<Deps, 'config'>, maxAgeSeconds: number) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/',
    secure: deps.config.publicUrl.startsWith('https://'),
    maxAge: maxAgeSeconds,
  };
}

export function setSessionCookie(deps: Pick<Deps, 'config'>, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, browserCookie(deps, deps.config.session.absoluteHours * 3600));
}

/**
 * Puts a session that was just started (sign-in, second factor, sign-up) in the cookie. A session the
 * browser already held ends: one browser, one session, and a token copied before the sign-in is void.
 */
export async function replaceSessionCookie(
  deps: Pick<Deps, 'config' | 'db' | 'emit'>,
  req: FastifyRequest,
  reply: FastifyReply,
  token: string,
): Promise<void> {
  if (req.session) await endSessionById(deps, req.session.id, req.session.accountId);
  setSessionCookie(deps, reply, token);
}

/** A fresh proof (step-up) or a redirect to the re-authentication page that comes back to `back`. */
export function freshOrRedirect(
  deps: Pick<Deps, 'config' | 'clock'>,
  reply: FastifyReply,
  s: SessionView,
  back: string,
): boolean {
  if (isReauthFresh(deps, s)) return true;
  void reply.redirect(`/security/reauth?next=${encodeURIComponent(back)}`, 303);
  return false;
}

/**
 * The guard of a page that needs a signed-in session with a fresh proof (step-up): the session, or null after
 * redirecting to sign in or to re-authenticate, coming back to this page.
 */
export function freshSession(deps: Pick<Deps, 'config' | 'clock'>) {
  return (req: FastifyRequest, reply: FastifyReply): SessionView | null => {
    const s = sessionOrRedirect(req, reply);
    if (!s || !freshOrRedirect(deps, reply, s, req.url.split('?')[0] ?? '/security')) return null;
    return s;
  };
}

/**
 * A page opened from a link in an email speaks the email's language (the account's), whatever the browser
 * says, unless the visitor chose a language with the switcher (`?lang=` or the language cookie).
 */
export function speakEmailLanguage(req: FastifyRequest, locale: Locale): void {
  const asked = textField(req.query, 'lang');
  if (isLocale(asked) || isLocale(req.cookies[LANG_COOKIE])) return;
  req.ctx.locale = locale;
}
