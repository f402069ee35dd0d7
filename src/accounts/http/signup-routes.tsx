import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { createCipher } from '../../kernel/cipher.ts';
import { sha256 } from '../../kernel/crypto.ts';
import type { AppError } from '../../kernel/errors.ts';
import { resendAvailableAt } from '../../verification/challenges.ts';
import { signupDestinationKey } from '../../verification/store.ts';
import { AccountEmailField, NewPasswordField } from '../../web/account-fields.tsx';
import { formSchema, readForm, readQuery, submitForm, text } from '../../web/form-kit.tsx';
import { errorMessage, LANG_COOKIE } from '../../web/plumbing.ts';
import { CodeForm, Csrf, Field, Notice, pageContext, sendPage, translator } from '../../web/render.tsx';
import { SIGNUP_COOKIE, signupCookieOptions } from '../../web/signup-cookie.ts';
import { replaceSessionCookie } from '../../web/web-helpers.ts';
import {
  checkSignUp,
  confirmSignup,
  type PreparedSignUp,
  prepareTypoSignUp,
  resendSignupCode,
  type SignUpField,
  signUp,
  signUpWithChosenEmail,
  signupStatus,
} from '../accounts-service.ts';

/** The forms of these pages: the fields each handler reads (web/form-kit.tsx). */
const SignUpForm = formSchema({
  email: text(),
  password: text(),
  displayName: text(),
  locale: text(),
  timeZone: text(),
});
const TypoForm = formSchema({ choice: text() });
const ConfirmForm = formSchema({ code: text() });
/** `/sign-up?change=1`: back from the code page to the form, filled again. */
const SignUpQuery = formSchema({ change: text() });

type Req = FastifyRequest;
type Rep = FastifyReply;

/** The typo step's prepared sign-up (password already hashed), sealed with a key only the server has. */
const SIGNUP_DRAFT_COOKIE = 'mamori_signup_draft';
/** What was typed in the form (not the password), for "wrong address? change it". */
const SIGNUP_FORM_COOKIE = 'mamori_signup_form';

interface SignUpValues {
  email?: string;
  displayName?: string;
  locale?: string;
  errors?: Record<string, string>;
  error?: string;
  /** The address looks mistyped: offer the suggestion, or keeping it, in one click. */
  typo?: { typed: string; suggestion: string };
}

/** The sign-up form, with every field's problem or the typo step's choice. */
function signUpPage(req: Req, reply: Rep, v: SignUpValues, status = 200) {
  const pc = pageContext(req, reply);
  const tr = translator(pc.locale);
  return sendPage(
    reply,
    pc,
    tr('signup.title'),
    <div class="card narrow">
      <h1>{tr('signup.title')}</h1>
      <p class="lead">{tr('signup.lead')}</p>
      {v.error ? <Notice kind="error">{v.error}</Notice> : null}
      {v.typo ? (
        <form method="post" action="/sign-up/typo" class="notice warn" data-testid="typo">
          <Csrf pc={pc} />
          <p>{tr('deadends.signup.typo_lead', { suggestion: v.typo.suggestion })}</p>
          <div class="actions">
            <button type="submit" name="choice" value="suggested">
              {tr('deadends.signup.typo_use', { suggestion: v.typo.suggestion })}
            </button>{' '}
            <button type="submit" name="choice" value="typed" class="secondary">
              {tr('deadends.signup.typo_keep', { typed: v.typo.typed })}
            </button>
          </div>
        </form>
      ) : null}
      <form method="post" action="/sign-up" novalidate>
        <Csrf pc={pc} />
        <Field
          id="displayName"
          name="displayName"
          label={tr('field.display_name')}
          value={v.displayName}
          autocomplete="name"
          required
          maxLength={64}
          error={v.errors?.displayName}
        />
        <AccountEmailField
          tr={tr}
          value={v.email}
          autocomplete="email"
          error={v.errors?.email}
          hint={tr('signup.email_hint')}
        />
        <NewPasswordField tr={tr} error={v.errors?.password} />
        <label for="locale">{tr('field.language')}</label>
        <select id="locale" name="locale">
          <option value="ja" selected={(v.locale ?? pc.locale) === 'ja'}>
            日本語
          </option>
          <option value="en" selected={(v.locale ?? pc.locale) === 'en'}>
            English
          </option>
        </select>
        <input type="hidden" name="timeZone" value="" data-time-zone />
        <button type="submit">{tr('signup.submit')}</button>
      </form>
      <p>
        {tr('signup.have_account')}
        {pc.locale === 'en' ? ' ' : ''}
        <a href="/sign-in">{tr('signup.sign_in')}</a>
      </p>
    </div>,
    status,
  );
}

/** "Enter the code we emailed": the pending sign-up of the sign-up cookie (else back to the form). */
async function confirmPage(
  deps: Pick<Deps, 'config' | 'db' | 'clock'>,
  req: Req,
  reply: Rep,
  v: { error?: string; notice?: string },
  status = 200,
) {
  const token = req.cookies[SIGNUP_COOKIE];
  const state = await signupStatus(deps, token);
  if (!state) return reply.redirect('/sign-up', 303);
  const pc = pageContext(req, reply);
  const tr = translator(pc.locale);
  const destinationKey = await signupDestinationKey(deps.db, sha256(token ?? ''));
  const resendAt = destinationKey ? await resendAvailableAt(deps, destinationKey) : null;
  return sendPage(
    reply,
    pc,
    tr('confirm.title'),
    <div class="card narrow">
      <h1>{tr('confirm.title')}</h1>
      {v.notice ? <Notice kind="ok">{v.notice}</Notice> : null}
      <p class="lead">{tr('confirm.lead', { email: state.email, minutes: deps.config.codes.ttlMinutes })}</p>
      <p>
        <a href="/sign-up?change=1">{tr('deadends.signup.change')}</a>
      </p>
      <CodeForm
        pc={pc}
        action="/sign-up/confirm"
        resendAction="/sign-up/resend"
        resendAt={resendAt}
        error={v.error}
        now={deps.clock.now()}
      />
      <p class="hint">{tr('confirm.spam_hint')}</p>
    </div>,
    status,
  );
}

/** What a sealed cookie of the sign-up steps holds. */
interface SignUpDraft {
  prepared: PreparedSignUp;
  suggestion: string;
  expiresAt: number;
}

/** Sign-up: the form (with the typo step), the confirmation code, a new code. */
export function signupRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'limiter' | 'cipher' | 'emit'>,
): void {
  const signupCookie = signupCookieOptions(deps);
  const draftCipher = createCipher(deps.config.secret, 'signup-draft');
  const draftCookie = { ...signupCookie, path: '/sign-up', maxAge: 600 };
  /** What the person typed (never the password), kept so "wrong address? change it" refills the form. */
  const rememberForm = (reply: Rep, v: Record<string, string | undefined>) =>
    reply.setCookie(
      SIGNUP_FORM_COOKIE,
      draftCipher.encrypt(JSON.stringify({ email: v.email, displayName: v.displayName, locale: v.locale })),
      { ...signupCookie, path: '/sign-up' },
    );
  const startConfirm = (reply: Rep, signupToken: string, locale?: string) => {
    reply.setCookie(SIGNUP_COOKIE, signupToken, signupCookie);
    if (locale === 'ja' || locale === 'en')
      reply.setCookie(LANG_COOKIE, locale, { path: '/', sameSite: 'lax', maxAge: 31536000 });
    return reply.redirect('/sign-up/confirm', 303);
  };
  const open = <T,>(sealed: string | undefined): T | null => {
    if (!sealed) return null;
    try {
      return JSON.parse(draftCipher.decrypt(sealed)) as T;
    } catch {
      return null;
    }
  };
  web.get('/sign-up', async (req, reply) => {
    // Already signed in: this browser has an account, as on /sign-in.
    if (req.session) return reply.redirect('/security', 303);
    if (readQuery(req, SignUpQuery).change === undefined) return signUpPage(req, reply, {});
    const form = open<{ email?: string; displayName?: string; locale?: string }>(
      req.cookies[SIGNUP_FORM_COOKIE],
    );
    return signUpPage(req, reply, form ?? {});
  });
  web.post('/sign-up', { preValidation: web.csrfProtection }, async (req, reply) => {
    const b = readForm(req, SignUpForm);
    const input = {
      email: b.email,
      password: b.password,
      displayName: b.displayName,
      locale: b.locale,
      timeZone: b.timeZone,
    };
    const problems = checkSignUp(input);
    const fields = Object.keys(problems) as SignUpField[];
    const values = { email: b.email, displayName: b.displayName, locale: b.locale };
    if (fields.length === 1 && problems.email?.code === 'account.email_typo') {
      // Only a likely typo: offer the suggestion, or keeping it, without typing the password again.
      const r = await submitForm(
        req,
        reply,
        () => prepareTypoSignUp(deps, input, req.ctx),
        (f) => signUpPage(req, reply, { ...values, error: f.message }, f.status),
      );
      if (!r.ok) return r.reply;
      const suggestion = String(problems.email.params.suggestion);
      reply.setCookie(
        SIGNUP_DRAFT_COOKIE,
        draftCipher.encrypt(
          JSON.stringify({
            prepared: r.value,
            suggestion,
            expiresAt: deps.clock.now().getTime() + draftCookie.maxAge * 1000,
          }),
        ),
        draftCookie,
      );
      return signUpPage(req, reply, { ...values, typo: { typed: r.value.email, suggestion } }, 400);
    }
    if (fields.length > 0) {
      // Every field's problem at once.
      const errors: Record<string, string> = {};
      for (const f of fields) errors[f] = errorMessage(req.ctx.locale, problems[f] as AppError);
      return signUpPage(req, reply, { ...values, errors }, 400);
    }
    const r = await submitForm(
      req,
      reply,
      () => signUp(deps, input, req.ctx),
      (f) => signUpPage(req, reply, { ...values, error: f.message }, f.status),
    );
    if (!r.ok) return r.reply;
    rememberForm(reply, values);
    return startConfirm(reply, r.value.signupToken, b.locale);
  });
  web.post('/sign-up/typo', { preValidation: web.csrfProtection }, async (req, reply) => {
    const draft = open<SignUpDraft>(req.cookies[SIGNUP_DRAFT_COOKIE]);
    reply.clearCookie(SIGNUP_DRAFT_COOKIE, { path: '/sign-up' });
    if (!draft || draft.expiresAt <= deps.clock.now().getTime())
      return signUpPage(
        req,
        reply,
        { error: translator(req.ctx.locale)('deadends.signup.typo_expired') },
        400,
      );
    const email = readForm(req, TypoForm).choice === 'suggested' ? draft.suggestion : draft.prepared.email;
    const values = { email, displayName: draft.prepared.displayName, locale: draft.prepared.locale };
    const r = await submitForm(
      req,
      reply,
      () => signUpWithChosenEmail(deps, draft.prepared, email, req.ctx),
      (f) => signUpPage(req, reply, { ...values, errors: { email: f.message } }, f.status),
    );
    if (!r.ok) return r.reply;
    rememberForm(reply, values);
    return startConfirm(reply, r.value.signupToken, draft.prepared.locale);
  });

  web.get('/sign-up/confirm', async (req, reply) => confirmPage(deps, req, reply, {}));
  web.post('/sign-up/confirm', { preValidation: web.csrfProtection }, async (req, reply) => {
    const r = await submitForm(
      req,
      reply,
      () => confirmSignup(deps, req.cookies[SIGNUP_COOKIE], readForm(req, ConfirmForm).code, req.ctx),
      (f) => confirmPage(deps, req, reply, { error: f.message }, f.status),
    );
    if (!r.ok) return r.reply;
    reply.clearCookie(SIGNUP_COOKIE, { path: '/' });
    await replaceSessionCookie(deps, req, reply, r.value.sessionToken);
    return reply.redirect('/security?done=welcome', 303);
  });
  web.post('/sign-up/resend', { preValidation: web.csrfProtection }, async (req, reply) => {
    const r = await submitForm(
      req,
      reply,
      () => resendSignupCode(deps, req.cookies[SIGNUP_COOKIE], req.ctx),
      (f) => confirmPage(deps, req, reply, { error: f.message }, f.status),
    );
    if (!r.ok) return r.reply;
    return confirmPage(deps, req, reply, { notice: translator(req.ctx.locale)('wording.signup.resent') });
  });
}
