import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { formSchema, readForm, text } from '../../web/form-kit.tsx';
import { pageContext, sendPage, translator } from '../../web/render.tsx';
import { attempt, freshOrRedirect, sessionOrRedirect } from '../../web/web-helpers.ts';
import { changePassword } from '../password-service.ts';
import { PasswordPage } from './password-page.tsx';

/** The forms of these pages: the fields each handler reads (web/form-kit.tsx). */
const PasswordForm = formSchema({ password: text(), endOtherSessions: text() });

type Req = FastifyRequest;
type Rep = FastifyReply;

/** The password change page (`/security/password`), behind a fresh step-up. */
export function passwordRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'emit'>,
): void {
  // Password
  const passwordPage = (req: Req, reply: Rep, v: { error?: string }, status = 200) => {
    const pc = pageContext(req, reply);
    return sendPage(
      reply,
      pc,
      translator(pc.locale)('password.title'),
      <PasswordPage pc={pc} error={v.error} />,
      status,
    );
  };
  web.get('/security/password', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s || !freshOrRedirect(deps, reply, s, '/security/password')) return reply;
    return passwordPage(req, reply, {});
  });
  web.post('/security/password', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s || !freshOrRedirect(deps, reply, s, '/security/password')) return reply;
    const b = readForm(req, PasswordForm);
    const r = await attempt(req, () =>
      changePassword(
        deps,
        s,
        { password: b.password, endOtherSessions: b.endOtherSessions === 'true' },
        req.ctx,
      ),
    );
    if (!r.ok) return passwordPage(req, reply, { error: r.message }, r.error.status);
    return reply.redirect('/security?done=password', 303);
  });
}
