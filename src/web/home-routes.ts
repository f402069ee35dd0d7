import type { FastifyInstance } from 'fastify';
import { LANG_COOKIE } from './plumbing.ts';
import { safeNext } from './web-helpers.ts';

/** The home page (to the security page or to sign-in) and the language switch of every page's header. */
export function homeRoutes(web: FastifyInstance): void {
  web.get('/', async (req, reply) => reply.redirect(req.session ? '/security' : '/sign-in', 303));

  web.get('/lang/:locale', async (req, reply) => {
    const { locale } = req.params as { locale: string };
    if (locale === 'ja' || locale === 'en')
      reply.setCookie(LANG_COOKIE, locale, { path: '/', sameSite: 'lax', maxAge: 31536000 });
    const next = safeNext((req.query as { next?: string }).next, '/');
    // Signed in, and emails go out in the other language: the next page offers to save this one too.
    if (req.session && (locale === 'ja' || locale === 'en') && req.session.locale !== locale)
      return reply.redirect(`${next}${next.includes('?') ? '&' : '?'}lang_offer=1`, 303);
    return reply.redirect(next, 303);
  });
}
