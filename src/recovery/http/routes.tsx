import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { nameInSentence } from '../../i18n/index.ts';
import { CodeForm, Csrf, Field, Notice, pageContext, sendPage, translator } from '../../web/render.tsx';
import { setTrustedDeviceCookie } from '../../web/second-factor-routes.tsx';
import { attempt, body, safeNext, setRetryAfter } from '../../web/web-helpers.ts';
import {
  chooseAnotherWay,
  chooseResetMethod,
  completeReset,
  resendResetCode,
  resetState,
  startReset,
  useRecoveryCode,
  verifyResetCode,
} from '../reset-service.ts';

const RESET_COOKIE = 'mamori_reset';
type Req = FastifyRequest;
type Rep = FastifyReply;

export function forgotRoutes(web: FastifyInstance, deps: Deps): void {
  const cookieOpts = {
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/forgot',
    maxAge: 1800,
    secure: deps.config.publicUrl.startsWith('https://'),
  };
  const startPage = (req: Req, reply: Rep, v: { email?: string; error?: string }, status = 200) => {
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    return sendPage(
      reply,
      pc,
      tr('forgot.title'),
      <div class="card narrow">
        <h1>{tr('forgot.title')}</h1>
        <p class="lead">{tr('forgot.lead')}</p>
        <form method="post" action="/forgot" novalidate>
          <Csrf pc={pc} />
          <Field
            id="email"
            name="email"
            type="email"
            label={tr('field.email')}
            value={v.email}
            autocomplete="username"
            required
            maxLength={320}
            error={v.error}
          />
          <button type="submit">{tr('common.next')}</button>
        </form>
        <p>
          <a href="/sign-in">{tr('common.back_to_sign_in')}</a>
        </p>
      </div>,
      status,
    );
  };

  /** Shows whichever step the flow is at. */
  const flowPage = async (
    req: Req,
    reply: Rep,
    v: { error?: string; notice?: string; resendError?: string } = {},
    status = 200,
  ) => {
    const token = req.cookies[RESET_COOKIE];
    const r = await attempt(req, () => resetState(deps, token, req.ctx.locale));
    if (!r.ok) return startPage(req, reply, { error: r.message }, 400);
    const state = r.value;
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    if (state.step === 'choose') {
      if (state.methods.length === 0) {
        return sendPage(
          reply,
          pc,
          tr('forgot.none.title'),
          <div class="card narrow">
            <h1>{tr('forgot.none.title')}</h1>
            <p>{tr('forgot.none.lead', { account: state.maskedAccount })}</p>
            <ul>
              <li>{tr('forgot.none.option_remember')}</li>
              <li>{tr('forgot.none.option_other_device')}</li>
              <li>{tr('forgot.none.option_support')}</li>
            </ul>
            <p>
              <a href="/sign-in">{tr('common.back_to_sign_in')}</a>
            </p>
          </div>,
          status,
        );
      }
      return sendPage(
        reply,
        pc,
        tr('forgot.choose.title'),
        <div class="card narrow">
          <h1>{tr('forgot.choose.title')}</h1>
          <p class="lead">
            {state.secondProof
              ? tr('forgot.choose.second', { account: state.maskedAccount })
              : tr('forgot.choose.lead', { account: state.maskedAccount })}
          </p>
          {v.error ? <Notice kind="error">{v.error}</Notice> : null}
          <form method="post" action="/forgot/choose" novalidate>
            <Csrf pc={pc} />
            <fieldset>
              <legend>{tr('forgot.choose.legend')}</legend>
              {state.methods.map((m, i) => (
                <label class="radio">
                  <input type="radio" name="methodId" value={m.id} checked={i === 0} />
                  {tr(
                    m.kind === 'signin'
                      ? 'deadends.forgot.signin'
                      : m.kind === 'email'
                        ? 'forgot.choose.email'
                        : m.kind === 'phone'
                          ? 'forgot.choose.phone'
                          : 'forgot.choose.totp',
                    {
                      masked: nameInSentence(pc.locale, m.masked),
                    },
                  )}
                </label>
              ))}
            </fieldset>
            {state.methods.some((m) => m.kind !== 'totp') ? (
              // Only an address or a phone is confirmed; an authenticator app needs nothing typed here.
              <Field
                id="confirm"
                name="confirm"
                label={tr(
                  !state.methods.some((m) => m.kind === 'phone')
                    ? 'forgot.choose.confirm_email'
                    : !state.methods.some((m) => m.kind === 'email' || m.kind === 'signin')
                      ? 'forgot.choose.confirm_phone'
                      : 'forgot.choose.confirm',
                )}
                hint={tr(
                  state.methods.some((m) => m.kind === 'totp')
                    ? 'forgot.choose.confirm_hint_totp'
                    : 'forgot.choose.confirm_hint',
                )}
                maxLength={320}
                autocomplete="off"
              />
            ) : null}
            <button type="submit">
              {/* Nothing is sent for an authenticator app: "get code" only when every choice sends one. */}
              {tr(state.methods.some((m) => m.kind === 'totp') ? 'common.next' : 'forgot.choose.submit')}
            </button>
          </form>
          <p>
            <a href="/forgot/none">{tr('forgot.choose.none')}</a>
          </p>
        </div>,
        status,
      );
    }
    if (state.step === 'code' && state.chosen?.kind === 'totp') {
      return sendPage(
        reply,
        pc,
        tr('forgot.code.title'),
        <div class="card narrow">
          <h1>{tr('forgot.code.title')}</h1>
          <form method="post" action="/forgot/code" novalidate>
            <Csrf pc={pc} />
            <Field
              id="code"
              name="code"
              label={tr('second.totp_label', { method: nameInSentence(pc.locale, state.chosen.masked) })}
              hint={tr('second.totp_hint')}
              autocomplete="one-time-code"
              inputmode="numeric"
              class="code"
              maxLength={12}
              error={v.error}
              required
            />
            <button type="submit">{tr('code.submit')}</button>
          </form>
          <form method="post" action="/forgot/another">
            <Csrf pc={pc} />
            <button type="submit" class="link">
              {tr('forgot.code.another')}
            </button>
          </form>
        </div>,
        status,
      );
    }
    if (state.step === 'code') {
      return sendPage(
        reply,
        pc,
        tr('forgot.code.title'),
        <div class="card narrow">
          <h1>{tr('forgot.code.title')}</h1>
          {v.notice ? <Notice kind="ok">{v.notice}</Notice> : null}
          {v.resendError ? <Notice kind="error">{v.resendError}</Notice> : null}
          <p class="lead">
            {tr('forgot.code.lead', {
              masked: state.chosen?.masked ?? '',
              minutes: deps.config.codes.ttlMinutes,
            })}
          </p>
          <CodeForm
            pc={pc}
            action="/forgot/code"
            resendAction="/forgot/resend"
            resendAt={state.resendAt}
            error={v.error}
            now={deps.clock.now()}
          />
          <p class="hint">
            {/* A spam folder only for an email: a text message has none. */}
            {tr(state.chosen?.kind === 'phone' ? 'wording.forgot.nothing_sms' : 'forgot.code.nothing', {
              perDay: deps.config.codes.perDestinationPerDay,
            })}
          </p>
          <form method="post" action="/forgot/another">
            <Csrf pc={pc} />
            <button type="submit" class="link">
              {tr('forgot.code.another')}
            </button>
          </form>
        </div>,
        status,
      );
    }
    return sendPage(
      reply,
      pc,
      tr('forgot.new.title'),
      <div class="card narrow">
        <h1>{tr('forgot.new.title')}</h1>
        <p class="lead">{tr('forgot.new.lead')}</p>
        <form method="post" action="/forgot/new-password" novalidate>
          <Csrf pc={pc} />
          <Field
            id="password"
            name="password"
            type="password"
            label={tr('field.new_password')}
            autocomplete="new-password"
            required
            maxLength={1024}
            error={v.error}
            hint={tr('password.hint')}
          />
          <button type="submit">{tr('forgot.new.submit')}</button>
        </form>
      </div>,
      status,
    );
  };

  web.get('/forgot', async (req, reply) => {
    if (req.cookies[RESET_COOKIE] && (req.query as { restart?: string }).restart === undefined) {
      const r = await attempt(req, () => resetState(deps, req.cookies[RESET_COOKIE]));
      if (r.ok) return flowPage(req, reply);
    }
    return startPage(req, reply, {});
  });
  web.post('/forgot', { preValidation: web.csrfProtection }, async (req, reply) => {
    const b = body(req);
    const r = await attempt(req, () => startReset(deps, { email: b.email }, req.ctx));
    if (!r.ok) {
      setRetryAfter(reply, r.error);
      return startPage(req, reply, { email: b.email, error: r.message }, r.error.status);
    }
    reply.setCookie(RESET_COOKIE, r.value, cookieOpts);
    return reply.redirect('/forgot', 303);
  });
  const nonePage = (req: Req, reply: Rep, error?: string, status = 200) => {
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const hasFlow = Boolean(req.cookies[RESET_COOKIE]);
    // Where "I don't have any of these" was chosen: the reset, or the sign-in second step (local paths only).
    const from = safeNext((req.query as { from?: unknown }).from, '/forgot');
    const fromSecond = from === '/sign-in/verify';
    return sendPage(
      reply,
      pc,
      tr('forgot.none.title'),
      <div class="card narrow">
        <h1>{tr('forgot.none.title')}</h1>
        {hasFlow ? (
          <form method="post" action="/forgot/recovery-code" novalidate>
            <Csrf pc={pc} />
            <h2>{tr('forgot.recovery.title')}</h2>
            <Field
              id="recoveryCode"
              name="recoveryCode"
              label={tr('forgot.recovery.label')}
              hint={tr('forgot.recovery.hint')}
              autocomplete="off"
              maxLength={80}
              error={error}
            />
            <button type="submit">{tr('common.next')}</button>
          </form>
        ) : null}
        <div class={hasFlow ? 'alt-block' : undefined}>
          <p>{tr('forgot.none.lead_generic')}</p>
          <ul>
            {/* From the second step the password was right: no "try an old password". */}
            {fromSecond ? (
              <li>
                <a href="/sign-in/verify#recoveryCode">{tr('wording.none.recovery_code')}</a>
              </li>
            ) : (
              <li>{tr('forgot.none.option_remember')}</li>
            )}
            <li>{tr('forgot.none.option_other_device')}</li>
            <li>{tr('forgot.none.option_support')}</li>
          </ul>
          <p>
            <a href="/recovery-form">{tr('recovery_form.entry_link')}</a>
          </p>
        </div>
        <p>
          <a href={from}>{tr('common.back')}</a>
        </p>
      </div>,
      status,
    );
  };
  web.get('/forgot/none', async (req, reply) => nonePage(req, reply));
  web.post('/forgot/recovery-code', { preValidation: web.csrfProtection }, async (req, reply) => {
    const r = await attempt(req, () =>
      useRecoveryCode(deps, req.cookies[RESET_COOKIE], body(req).recoveryCode, req.ctx),
    );
    if (!r.ok) {
      setRetryAfter(reply, r.error);
      return nonePage(req, reply, r.message, r.error.status);
    }
    // The code typed is spent and replaced now: the new one is shown here, once, before the new password.
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    reply.header('cache-control', 'no-store');
    return sendPage(
      reply,
      pc,
      tr('reccode.reset.title'),
      <div class="card narrow">
        <h1>{tr('reccode.reset.title')}</h1>
        <p>{tr('reccode.reset.lead')}</p>
        <Notice kind="warn">{tr('recovery.once')}</Notice>
        <p class="recovery-code" data-testid="recovery-code">
          <code>{r.value.newRecoveryCode}</code>
        </p>
        <p>
          <a class="button" href="/forgot">
            {tr('reccode.reset.next')}
          </a>
        </p>
      </div>,
    );
  });
  web.post('/forgot/choose', { preValidation: web.csrfProtection }, async (req, reply) => {
    const b = body(req);
    const r = await attempt(req, () =>
      chooseResetMethod(
        deps,
        req.cookies[RESET_COOKIE],
        { methodId: b.methodId, confirm: b.confirm },
        req.ctx,
      ),
    );
    if (!r.ok) {
      setRetryAfter(reply, r.error);
      return flowPage(req, reply, { error: r.message }, r.error.status);
    }
    return flowPage(req, reply, {});
  });
  web.post('/forgot/resend', { preValidation: web.csrfProtection }, async (req, reply) => {
    const r = await attempt(req, () => resendResetCode(deps, req.cookies[RESET_COOKIE], req.ctx));
    if (!r.ok) {
      setRetryAfter(reply, r.error);
      return flowPage(req, reply, { resendError: r.message }, r.error.status);
    }
    // The same words whether or not the confirmation had matched: the page never tells which.
    return flowPage(req, reply, { notice: translator(req.ctx.locale)('forgot.code.resent') });
  });
  web.post('/forgot/another', { preValidation: web.csrfProtection }, async (req, reply) => {
    await attempt(req, () => chooseAnotherWay(deps, req.cookies[RESET_COOKIE]));
    return reply.redirect('/forgot', 303);
  });
  web.post('/forgot/code', { preValidation: web.csrfProtection }, async (req, reply) => {
    const r = await attempt(req, () =>
      verifyResetCode(deps, req.cookies[RESET_COOKIE], body(req).code, req.ctx),
    );
    if (!r.ok) {
      setRetryAfter(reply, r.error);
      return flowPage(req, reply, { error: r.message }, r.error.status);
    }
    return reply.redirect('/forgot', 303);
  });
  web.post('/forgot/new-password', { preValidation: web.csrfProtection }, async (req, reply) => {
    const r = await attempt(req, () =>
      completeReset(deps, req.cookies[RESET_COOKIE], body(req).password, req.ctx),
    );
    if (!r.ok) return flowPage(req, reply, { error: r.message }, r.error.status);
    reply.clearCookie(RESET_COOKIE, { path: '/forgot' });
    setTrustedDeviceCookie(deps, reply, r.value.trustedDeviceToken);
    if (!r.value.newRecoveryCode) return reply.redirect('/sign-in?done=reset', 303);
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    return sendPage(
      reply,
      pc,
      tr('recovery.title'),
      <div class="card narrow">
        <h1>{tr('recovery.title')}</h1>
        <Notice kind="ok">{tr('signin.notice.reset')}</Notice>
        <p>{tr('forgot.recovery.new')}</p>
        <Notice kind="warn">{tr('recovery.once')}</Notice>
        <p class="recovery-code" data-testid="recovery-code">
          <code>{r.value.newRecoveryCode}</code>
        </p>
        <p>
          <a class="button" href="/sign-in">
            {tr('recovery.done')}
          </a>
        </p>
      </div>,
    );
  });
}
