import type { FastifyInstance } from 'fastify';
import { formSchema, readParams, readQuery, text } from './form-kit.tsx';
import { LANG_COOKIE } from './plumbing.ts';
import { safeNext } from './web-helpers.ts';

/** The path parameter and the query of the language switch. */
const LangParams = formSchema({ locale: text() });
const LangQuery = formSchema({ next: text() });

/** The home page (to the security page or to sign-in) and the language switch of every page's header. */
export function homeRoutes(web: FastifyInstance): void {
  web.get('/', async (req, reply) => reply.redirect(req.session ? '/security' : '/sign-in', 303));

  web.get('/lang/:locale', async (req, reply) => {
    const { locale } = readParams(req, LangParams);
    if (locale === 'ja' || locale === 'en')
      reply.setCookie(LANG_COOKIE, locale, { path: '/', sameSite: 'lax', maxAge: 31536000 });
    const next = safeNext(readQuery(req, LangQuery).next, '/');
    // Signed in, and emails go out in the other language: the next page offers to save this one too.
    if (req.session && (locale === 'ja' || locale === 'en') && req.session.locale !== locale)
      return reply.redirect(`${next}${next.includes('?') ? '&' : '?'}lang_offer=1`, 303);
    return reply.redirect(next, 303);
  });
}
