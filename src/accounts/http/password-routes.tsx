import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { formPage, formSchema, text } from '../../web/form-kit.tsx';
import { freshSession } from '../../web/web-helpers.ts';
import { changePassword } from '../password-service.ts';
import { PasswordPage } from './password-page.tsx';

/** The forms of these pages: the fields each handler reads (web/form-kit.tsx). */
const PasswordForm = formSchema({ password: text(), endOtherSessions: text() });

/**
 * The password change page (`/security/password`), behind a fresh step-up: a refused password redraws the
 * form with the reason under the field and the error's status; a change goes to `/security?done=password`.
 */
export function passwordRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'emit'>,
): void {
  formPage(web, {
    path: '/security/password',
    form: PasswordForm,
    guard: freshSession(deps),
    page: ({ pc, tr, failure }) => ({
      title: tr('password.title'),
      body: <PasswordPage pc={pc} tr={tr} error={failure?.message} />,
    }),
    submit: ({ req, who, form }) =>
      changePassword(
        deps,
        who,
        { password: form.password, endOtherSessions: form.endOtherSessions === 'true' },
        req.ctx,
      ),
    done: ({ reply }) => reply.redirect('/security?done=password', 303),
    forget: ['password'],
  });
}
