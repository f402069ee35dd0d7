import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { formSchema, readForm, readQuery, submitForm, text } from '../../web/form-kit.tsx';
import { pageContext, sendPage, translator } from '../../web/render.tsx';
import { setTrustedDeviceCookie } from '../../web/trusted-device-cookie.ts';
import { browserCookie, safeNext } from '../../web/web-helpers.ts';
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
import {
  ChoosePage,
  CodePage,
  NewPasswordPage,
  NewRecoveryCodePage,
  NoMethodPage,
  NonePage,
  ResetDonePage,
  StartPage,
  TotpCodePage,
} from './pages.tsx';

/** The forms of these pages: the fields each handler reads (web/form-kit.tsx). */
const RecoveryCodeForm = formSchema({ recoveryCode: text() });
const NewPasswordForm = formSchema({ password: text() });
const ForgotForm = formSchema({ email: text() });
const ChooseForm = formSchema({ methodId: text(), confirm: text() });
const CodeForm = formSchema({ code: text() });
/** `/forgot?restart`: the start page even with a flow open; `/forgot/none?from=…`: where it was chosen. */
const ForgotQuery = formSchema({ restart: text() });
const NoneQuery = formSchema({ from: text() });

const RESET_COOKIE = 'mamori_reset';
type Req = FastifyRequest;
type Rep = FastifyReply;

function startPage(req: Req, reply: Rep, v: { email?: string; error?: string }, status = 200) {
  const pc = pageContext(req, reply);
  return sendPage(
    reply,
    pc,
    translator(pc.locale)('forgot.title'),
    <StartPage pc={pc} email={v.email} error={v.error} />,
    status,
  );
}

/** Shows whichever step the flow is at (the start page when the flow is gone). */
async function flowPage(
  deps: Pick<Deps, 'config' | 'db' | 'clock'>,
  req: Req,
  reply: Rep,
  v: { error?: string; notice?: string; resendError?: string } = {},
  status = 200,
) {
  const token = req.cookies[RESET_COOKIE];
  const r = await submitForm(
    req,
    reply,
    () => resetState(deps, token, req.ctx.locale),
    (f) => startPage(req, reply, { error: f.message }, 400),
  );
  if (!r.ok) return r.reply;
  const state = r.value;
  const pc = pageContext(req, reply);
  const tr = translator(pc.locale);
  if (state.step === 'choose') {
    if (state.methods.length === 0)
      return sendPage(reply, pc, tr('forgot.none.title'), <NoMethodPage pc={pc} state={state} />, status);
    return sendPage(
      reply,
      pc,
      tr('forgot.choose.title'),
      <ChoosePage pc={pc} state={state} error={v.error} />,
      status,
    );
  }
  if (state.step === 'code' && state.chosen?.kind === 'totp')
    return sendPage(
      reply,
      pc,
      tr('forgot.code.title'),
      <TotpCodePage pc={pc} masked={state.chosen.masked} error={v.error} />,
      status,
    );
  if (state.step === 'code')
    return sendPage(
      reply,
      pc,
      tr('forgot.code.title'),
      <CodePage
        pc={pc}
        state={state}
        minutes={deps.config.codes.ttlMinutes}
        perDay={deps.config.codes.perDestinationPerDay}
        now={deps.clock.now()}
        error={v.error}
        notice={v.notice}
        resendError={v.resendError}
      />,
      status,
    );
  return sendPage(reply, pc, tr('forgot.new.title'), <NewPasswordPage pc={pc} error={v.error} />, status);
}

function nonePage(req: Req, reply: Rep, error?: string, status = 200) {
  const pc = pageContext(req, reply);
  // Where "I don't have any of these" was chosen: the reset, or the sign-in second step (local paths only).
  const from = safeNext(readQuery(req, NoneQuery).from, '/forgot');
  return sendPage(
    reply,
    pc,
    translator(pc.locale)('forgot.none.title'),
    <NonePage pc={pc} hasFlow={Boolean(req.cookies[RESET_COOKIE])} from={from} error={error} />,
    status,
  );
}

/** POST /forgot/recovery-code: the recovery code proves the owner; its replacement is shown once. */
async function postRecoveryCode(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
  req: Req,
  reply: Rep,
) {
  const r = await submitForm(
    req,
    reply,
    () =>
      useRecoveryCode(deps, req.cookies[RESET_COOKIE], readForm(req, RecoveryCodeForm).recoveryCode, req.ctx),
    (f) => nonePage(req, reply, f.message, f.status),
  );
  if (!r.ok) return r.reply;
  // The code typed is spent and replaced now: the new one is shown here, once, before the new password.
  const pc = pageContext(req, reply);
  reply.header('cache-control', 'no-store');
  return sendPage(
    reply,
    pc,
    translator(pc.locale)('reccode.reset.title'),
    <NewRecoveryCodePage
      pc={pc}
      code={r.value.newRecoveryCode}
      secondProof={r.value.next === 'second_proof'}
    />,
  );
}

/** POST /forgot/new-password: sets it, ends the flow, trusts this device. */
async function postNewPassword(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'emit'>,
  req: Req,
  reply: Rep,
) {
  const r = await submitForm(
    req,
    reply,
    () => completeReset(deps, req.cookies[RESET_COOKIE], readForm(req, NewPasswordForm).password, req.ctx),
    (f) => flowPage(deps, req, reply, { error: f.message }, f.status),
  );
  if (!r.ok) return r.reply;
  reply.clearCookie(RESET_COOKIE, { path: '/forgot' });
  setTrustedDeviceCookie(deps, reply, r.value.trustedDeviceToken);
  if (!r.value.newRecoveryCode) return reply.redirect('/sign-in?done=reset', 303);
  const pc = pageContext(req, reply);
  return sendPage(
    reply,
    pc,
    translator(pc.locale)('recovery.title'),
    <ResetDonePage pc={pc} code={r.value.newRecoveryCode} />,
  );
}

/** The forgotten-password pages under /forgot (docs/flows/password-reset.md); the flow lives in a cookie. */
export function forgotRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {
  const cookieOpts = { ...browserCookie(deps, 1800), path: '/forgot' };
  const csrf = { preValidation: web.csrfProtection };

  web.get('/forgot', async (req, reply) => {
    if (req.cookies[RESET_COOKIE] && readQuery(req, ForgotQuery).restart === undefined) {
      // A flow that has ended (or a cookie that was never one) shows the start page.
      const r = await submitForm(
        req,
        reply,
        () => resetState(deps, req.cookies[RESET_COOKIE]),
        () => startPage(req, reply, {}),
      );
      return r.ok ? flowPage(deps, req, reply) : r.reply;
    }
    return startPage(req, reply, {});
  });
  web.post('/forgot', csrf, async (req, reply) => {
    const b = readForm(req, ForgotForm);
    const r = await submitForm(
      req,
      reply,
      () => startReset(deps, { email: b.email }, req.ctx),
      (f) => startPage(req, reply, { email: b.email, error: f.message }, f.status),
    );
    if (!r.ok) return r.reply;
    reply.setCookie(RESET_COOKIE, r.value, cookieOpts);
    return reply.redirect('/forgot', 303);
  });
  web.get('/forgot/none', async (req, reply) => nonePage(req, reply));
  web.post('/forgot/recovery-code', csrf, (req, reply) => postRecoveryCode(deps, req, reply));
  web.post('/forgot/choose', csrf, async (req, reply) => {
    const b = readForm(req, ChooseForm);
    const r = await submitForm(
      req,
      reply,
      () =>
        chooseResetMethod(
          deps,
          req.cookies[RESET_COOKIE],
          { methodId: b.methodId, confirm: b.confirm },
          req.ctx,
        ),
      (f) => flowPage(deps, req, reply, { error: f.message }, f.status),
    );
    return r.ok ? flowPage(deps, req, reply, {}) : r.reply;
  });
  web.post('/forgot/resend', csrf, async (req, reply) => {
    const r = await submitForm(
      req,
      reply,
      () => resendResetCode(deps, req.cookies[RESET_COOKIE], req.ctx),
      (f) => flowPage(deps, req, reply, { resendError: f.message }, f.status),
    );
    if (!r.ok) return r.reply;
    // The same words whether or not the confirmation had matched: the page never tells which.
    return flowPage(deps, req, reply, { notice: translator(req.ctx.locale)('forgot.code.resent') });
  });
  web.post('/forgot/another', csrf, async (req, reply) => {
    // Back to the method list; a flow that has ended shows the start page there.
    const back = () => reply.redirect('/forgot', 303);
    const r = await submitForm(req, reply, () => chooseAnotherWay(deps, req.cookies[RESET_COOKIE]), back);
    return r.ok ? back() : r.reply;
  });
  web.post('/forgot/code', csrf, async (req, reply) => {
    const r = await submitForm(
      req,
      reply,
      () => verifyResetCode(deps, req.cookies[RESET_COOKIE], readForm(req, CodeForm).code, req.ctx),
      (f) => flowPage(deps, req, reply, { error: f.message }, f.status),
    );
    if (!r.ok) return r.reply;
    return reply.redirect('/forgot', 303);
  });
  web.post('/forgot/new-password', csrf, (req, reply) => postNewPassword(deps, req, reply));
}
