import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AccountEmailField } from '../../web/account-fields.tsx';
import { FormCard, formPage, formSchema, text } from '../../web/form-kit.tsx';
import { Field } from '../../web/render.tsx';
import { replaceSessionCookie } from '../../web/web-helpers.ts';
import { signInWithTap } from '../tap.ts';

const TapSignInForm = formSchema({ email: text(), pass: text() });

/** Where a session started with a pass goes: straight to registering methods. */
export const AFTER_TAP = '/security/required?next=/security';

/**
 * `/sign-in/pass`: signing in with the address and a temporary access pass an organisation admin gave.
 * The session counts as a second factor, ends no later than the pass, and goes to registering methods.
 */
export function tapRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {
  formPage(web, {
    path: '/sign-in/pass',
    form: TapSignInForm,
    guard: () => true,
    page: ({ pc, tr, values, failure }) => ({
      title: tr('org.tap.signin.title'),
      body: (
        <FormCard
          pc={pc}
          title={tr('org.tap.signin.title')}
          lead={tr('org.tap.signin.lead')}
          error={
            // The shared "email address or password" would name the wrong field here.
            failure?.error.code === 'auth.invalid_credentials' ? tr('org.tap.signin.wrong') : failure?.message
          }
          action="/sign-in/pass"
          submit={tr('org.tap.signin.submit')}
          back={{ href: '/sign-in', label: tr('org.tap.signin.back') }}
        >
          <AccountEmailField tr={tr} value={values.email} />
          <Field
            id="pass"
            name="pass"
            label={tr('org.tap.signin.pass')}
            autocomplete="one-time-code"
            required
            maxLength={200}
            hint={tr('org.tap.signin.pass_hint')}
          />
        </FormCard>
      ),
    }),
    submit: ({ req, form }) => signInWithTap(deps, { email: form.email, pass: form.pass }, req.ctx),
    done: async ({ req, reply, value }) => {
      await replaceSessionCookie(deps, req, reply, value.sessionToken);
      return reply.redirect(AFTER_TAP, 303);
    },
    forget: ['pass'],
  });
}
