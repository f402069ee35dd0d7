import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AccountEmailField } from '../../web/account-fields.tsx';
import { pathAfterSignIn } from '../../web/after-sign-in.ts';
import { formSchema, readForm, readQuery, submitForm, text } from '../../web/form-kit.tsx';
import { SESSION_COOKIE } from '../../web/plumbing.ts';
import { Csrf, Field, Notice, pageContext, sendPage, translator } from '../../web/render.tsx';
import { SIGNUP_COOKIE, signupCookieOptions } from '../../web/signup-cookie.ts';
import { TRUSTED_DEVICE_COOKIE } from '../../web/trusted-device-cookie.ts';
import { replaceSessionCookie, safeNext } from '../../web/web-helpers.ts';
import { signIn, signOut } from '../sign-in.ts';
import { PENDING_COOKIE } from './second-factor-routes.tsx';

/** The forms of these pages: the fields each handler reads (web/form-kit.tsx). */
const SignInForm = formSchema({ email: text(), password: text() });
/** Where to go after signing in, and what was just done (`?next=…`, `?done=reset|signed_out`). */
const SignInQuery = formSchema({ next: text(), done: text() });

type Req = FastifyRequest;
type Rep = FastifyReply;

/** The sign-in form (`next`: where to go after signing in, kept in the form's action). */
function signInPage(
  req: Req,
  reply: Rep,
  v: { email?: string; error?: string; notice?: string },
  status = 200,
) {
  const pc = pageContext(req, reply);
  const tr = translator(pc.locale);
  const next = safeNext(readQuery(req, SignInQuery).next, '');
  return sendPage(
    reply,
    pc,
    tr('signin.title'),
    <div class="card narrow">
      <h1>{tr('signin.title')}</h1>
      {/* From "Secure my account" in an email: say why a sign-in comes first. */}
      {next === '/security/secure' && !v.notice ? (
        <Notice kind="warn">{tr('wording.signin.secure')}</Notice>
      ) : null}
      {v.notice ? <Notice kind="ok">{v.notice}</Notice> : null}
      {v.error ? <Notice kind="error">{v.error}</Notice> : null}
      <form method="post" action={`/sign-in${next ? `?next=${encodeURIComponent(next)}` : ''}`}>
        <Csrf pc={pc} />
        <AccountEmailField tr={tr} value={v.email} />
        <Field
          id="password"
          name="password"
          type="password"
          label={tr('field.password')}
          autocomplete="current-password"
          required
          maxLength={1024}
        />
        <div class="actions">
          <button type="submit">{tr('signin.submit')}</button>
        </div>
      </form>
      <p>
        <a href={`/sign-in/passkey${next ? `?next=${encodeURIComponent(next)}` : ''}`}>
          {tr('passkey.signin.link')}
        </a>
      </p>
      <p>
        <a href="/sign-in/pass">{tr('org.tap.signin.link')}</a>
      </p>
      <p>
        <a href="/forgot">{tr('signin.forgot')}</a>
      </p>
      <p>
        {tr('signin.no_account')}
        {pc.locale === 'en' ? ' ' : ''}
        <a href="/sign-up">{tr('signin.create')}</a>
      </p>
    </div>,
    status,
  );
}

const NOTICES: Record<string, Parameters<ReturnType<typeof translator>>[0]> = {
  reset: 'signin.notice.reset',
  signed_out: 'signin.notice.signed_out',
};

/** Sign-in with email and password (then the second step, or the confirmation of an unconfirmed address), sign-out. */
export function signinRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {
  const signupCookie = signupCookieOptions(deps);

  web.get('/sign-in', async (req, reply) => {
    if (req.session) return reply.redirect('/security', 303);
    const { done } = readQuery(req, SignInQuery);
    const key = done ? NOTICES[done] : undefined;
    return signInPage(req, reply, { notice: key ? translator(req.ctx.locale)(key) : undefined });
  });
  web.post('/sign-in', { preValidation: web.csrfProtection }, async (req, reply) => {
    const b = readForm(req, SignInForm);
    const { next } = readQuery(req, SignInQuery);
    const r = await submitForm(
      req,
      reply,
      () =>
        signIn(
          deps,
          { email: b.email, password: b.password, trustedDeviceToken: req.cookies[TRUSTED_DEVICE_COOKIE] },
          req.ctx,
        ),
      (f) => signInPage(req, reply, { email: b.email, error: f.message }, f.status),
    );
    if (!r.ok) return r.reply;
    if (r.value.kind === 'confirm_email') {
      reply.setCookie(SIGNUP_COOKIE, r.value.signupToken, signupCookie);
      return reply.redirect('/sign-up/confirm', 303);
    }
    if (r.value.kind === 'second_factor') {
      reply.setCookie(PENDING_COOKIE, r.value.pendingToken, {
        ...signupCookie,
        path: '/sign-in',
        maxAge: 600,
      });
      return reply.redirect(
        `/sign-in/verify${next ? `?next=${encodeURIComponent(safeNext(next))}` : ''}`,
        303,
      );
    }
    await replaceSessionCookie(deps, req, reply, r.value.sessionToken);
    // Every N days, "is this security info still yours?" comes first (checkup/periodic.ts).
    return reply.redirect(await pathAfterSignIn(deps, r.value.accountId, safeNext(next)), 303);
  });

  web.post('/sign-out', { preValidation: web.csrfProtection }, async (req, reply) => {
    if (req.session) await signOut(deps, req.session.id, req.session.accountId, req.ctx);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/sign-in?done=signed_out', 303);
  });
}
