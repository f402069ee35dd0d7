import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { nameInSentence } from '../../i18n/index.ts';
import { AppError } from '../../kernel/errors.ts';
import { OneTimeRecoveryCode } from '../../web/account-fields.tsx';
import { pathAfterSignIn } from '../../web/after-sign-in.ts';
import { formSchema, readForm, readJsonField, readQuery, submitForm, text } from '../../web/form-kit.tsx';
import { PASSKEY_SCRIPT, PasskeyNotices, passkeyScriptMessages } from '../../web/passkey-script.tsx';
import {
  CodeForm,
  Csrf,
  Field,
  Notice,
  pageContext,
  ResendForm,
  sendPage,
  translator,
} from '../../web/render.tsx';
import { setTrustedDeviceCookie } from '../../web/trusted-device-cookie.ts';
import { replaceSessionCookie, safeNext } from '../../web/web-helpers.ts';
import {
  completePendingSignIn,
  completePendingWithRecoveryCode,
  pendingCodeState,
  pendingMethods,
  pendingPasskeyOptions,
  sendPendingCode,
} from '../second-factor.ts';

/** The forms of these pages: the fields each handler reads (web/form-kit.tsx). */
const RecoveryCodeForm = formSchema({ recoveryCode: text(), trustDevice: text() });
const SecondStepForm = formSchema({ method: text(), code: text(), trustDevice: text() });
/** Where to go once signed in, and (to send a code) which method: `?next=…&method=…`. */
const SecondStepQuery = formSchema({ next: text(), method: text() });

export const PENDING_COOKIE = 'mamori_pending';
const PASSKEY_2FA_COOKIE = 'mamori_pk2';

type Req = FastifyRequest;
type Rep = FastifyReply;

/**
 * The second step's page: the ways to give the missing proof (authenticator code, passkey, a code to a
 * contact, the recovery code) or, with `methodId`, the code form of the chosen contact.
 */
async function secondStepPage(
  deps: Pick<Deps, 'config' | 'db' | 'clock'>,
  req: Req,
  reply: Rep,
  /** `sent`: this request sent a code; `sendError`: it was asked to send one and did not (why). */
  v: { methodId?: string; error?: string; sent?: boolean; sendError?: string },
  status = 200,
) {
  const pending = await pendingOrNull(deps, req);
  if (!pending) return reply.redirect('/sign-in', 303);
  const { reason, methods, alternatives } = pending;
  const pc = pageContext(req, reply);
  const tr = translator(pc.locale);
  const chosen = methods.find((m) => m.id === v.methodId);
  const codeState =
    chosen && chosen.kind !== 'totp' && chosen.kind !== 'passkey'
      ? await pendingCodeState(deps, req.cookies[PENDING_COOKIE], chosen.id)
      : null;
  const title = tr(reason === 'two_step' ? 'second.title' : 'challenge.title');
  // Where the sign-in goes next (e.g. an app's sign-in request) rides along every form of the page.
  const next = readQuery(req, SecondStepQuery).next;
  const nq = next ? `next=${encodeURIComponent(safeNext(next))}` : '';
  const trust =
    reason === 'two_step' ? (
      <label class="radio">
        <input type="checkbox" name="trustDevice" value="true" />{' '}
        {tr('second.trust', { days: deps.config.trustedDeviceDays })}
      </label>
    ) : null;
  return sendPage(
    reply,
    pc,
    title,
    <div class="card narrow">
      <h1>{title}</h1>
      <p class="lead">{tr(reason === 'two_step' ? 'second.lead' : 'challenge.lead')}</p>
      {v.error && !chosen && v.methodId !== 'recovery_code' ? <Notice kind="error">{v.error}</Notice> : null}
      {chosen && codeState ? (
        <div>
          {v.sent ? <p>{tr('second.code_sent', { method: chosen.masked })}</p> : null}
          {v.sendError ? <Notice kind="warn">{v.sendError}</Notice> : null}
          {codeState.codeSent ? (
            <CodeForm
              pc={pc}
              action={`/sign-in/verify${nq ? `?${nq}` : ''}`}
              resendAction={`/sign-in/verify/send?method=${encodeURIComponent(chosen.id)}`}
              resendAt={codeState.resendAt}
              error={v.error}
              now={deps.clock.now()}
              extra={
                <div>
                  <input type="hidden" name="method" value={chosen.id} />
                  {trust}
                </div>
              }
            />
          ) : (
            <ResendForm
              pc={pc}
              action={`/sign-in/verify/send?method=${encodeURIComponent(chosen.id)}${nq ? `&${nq}` : ''}`}
              resendAt={codeState.resendAt}
              now={deps.clock.now()}
            />
          )}
          <p>
            <a href={`/sign-in/verify${nq ? `?${nq}` : ''}`}>{tr('second.other_way')}</a>
          </p>
        </div>
      ) : (
        <div>
          {methods
            .filter((m) => m.kind === 'totp')
            .map((m) => (
              <form method="post" action={`/sign-in/verify${nq ? `?${nq}` : ''}`} novalidate>
                <Csrf pc={pc} />
                <input type="hidden" name="method" value={m.id} />
                <Field
                  id={`code-${m.id}`}
                  name="code"
                  label={tr('second.totp_label', { method: nameInSentence(pc.locale, m.masked) })}
                  hint={tr('second.totp_hint')}
                  autocomplete="one-time-code"
                  inputmode="numeric"
                  class="code"
                  maxLength={12}
                  error={v.methodId === m.id ? v.error : undefined}
                />
                {trust}
                <button type="submit">{tr('code.submit')}</button>
              </form>
            ))}
          {methods.some((m) => m.kind === 'passkey') ? (
            <div class="alt-block">
              <h2>{tr('method.kind.passkey')}</h2>
              <PasskeyNotices noscript={tr('passkey.noscript.signin')} />
              <form
                data-passkey="signin"
                data-endpoint="/sign-in/verify/passkey"
                novalidate
                {...passkeyScriptMessages(tr, 'passkey.signin.failed', 'passkey.signin.cancelled')}
              >
                <Csrf pc={pc} />
                <p id="passkey-status" class="hint" role="status" aria-live="polite" />
                <button type="submit" disabled data-testid="passkey-second-factor">
                  {tr('passkey.signin.submit')}
                </button>
              </form>
              <script src={PASSKEY_SCRIPT} defer />
            </div>
          ) : null}
          {methods.some((m) => m.kind === 'email' || m.kind === 'phone') ? (
            <div class={methods.some((m) => m.kind === 'totp') ? 'alt-block' : undefined}>
              {methods.some((m) => m.kind === 'totp' || m.kind === 'passkey') ? (
                <h2>{tr('second.or_code')}</h2>
              ) : null}
              {methods
                .filter((m) => m.kind === 'email' || m.kind === 'phone')
                .map((m) => (
                  <form
                    method="post"
                    action={`/sign-in/verify/send?method=${encodeURIComponent(m.id)}${nq ? `&${nq}` : ''}`}
                  >
                    <Csrf pc={pc} />
                    <button type="submit" class="secondary">
                      {tr('reauth.send_to', { method: m.masked })}
                    </button>
                  </form>
                ))}
            </div>
          ) : null}
          {alternatives.some((a) => a.kind === 'recovery_code') ? (
            <form
              method="post"
              action={`/sign-in/verify/recovery-code${nq ? `?${nq}` : ''}`}
              class="alt-block"
              novalidate
            >
              <Csrf pc={pc} />
              <h2>{tr('deadends.second.recovery_title')}</h2>
              <Field
                id="recoveryCode"
                name="recoveryCode"
                label={tr('deadends.second.recovery_label')}
                hint={tr('deadends.second.recovery_hint')}
                autocomplete="off"
                maxLength={80}
                error={v.methodId === 'recovery_code' ? v.error : undefined}
              />
              {trust}
              <button type="submit" class="secondary">
                {tr('deadends.second.recovery_submit')}
              </button>
            </form>
          ) : null}
          <p class="alt-block">
            <a href="/forgot/none?from=/sign-in/verify">{tr('deadends.second.none')}</a>
          </p>
        </div>
      )}
      <p>
        <a href="/sign-in">{tr('common.back_to_sign_in')}</a>
      </p>
    </div>,
    status,
  );
}

/** The pending sign-in's ways to give the second proof, or null when there is none (expired, unknown). */
async function pendingOrNull(deps: Pick<Deps, 'config' | 'db' | 'clock'>, req: Req) {
  try {
    return await pendingMethods(deps, req.cookies[PENDING_COOKIE]);
  } catch (e) {
    if (e instanceof AppError) return null;
    throw e;
  }
}

/**
 * The JSON body the passkey script posts (`_csrf` is checked by csrfProtection): the WebAuthn answer, as sent
 * (the service checks it).
 */
function passkeyResponse(req: Req): unknown {
  return readJsonField(req, 'response');
}

/** The recovery code that replaces the one just spent, shown once, then on to `next`. */
function newRecoveryCodePage(req: Req, reply: Rep, code: string, next: string) {
  const pc = pageContext(req, reply);
  const tr = translator(pc.locale);
  return sendPage(
    reply,
    pc,
    tr('deadends.second.new_code_title'),
    <div class="card narrow">
      <h1>{tr('deadends.second.new_code_title')}</h1>
      <p>{tr('deadends.second.new_code_lead')}</p>
      <OneTimeRecoveryCode tr={tr} code={code} />
      <p>
        <a class="button" href={next}>
          {tr('deadends.second.continue')}
        </a>
      </p>
    </div>,
  );
}

/** The second step of a sign-in: two-step verification, or the extra check of an unusual sign-in. */
export function secondFactorRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {
  web.get('/sign-in/verify', async (req, reply) => secondStepPage(deps, req, reply, {}));
  web.post('/sign-in/verify/passkey/options', { preValidation: web.csrfProtection }, async (req, reply) => {
    const refused = () =>
      reply.status(400).send({
        error: { code: 'request.invalid', message: translator(req.ctx.locale)('passkey.signin.failed') },
      });
    const r = await submitForm(
      req,
      reply,
      () => pendingPasskeyOptions(deps, req.cookies[PENDING_COOKIE]),
      refused,
    );
    if (!r.ok) return r.reply;
    if (!r.value) return refused();
    reply.setCookie(PASSKEY_2FA_COOKIE, r.value.token, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/sign-in/verify',
      maxAge: 300,
    });
    return reply.header('cache-control', 'no-store').send({ options: r.value.options });
  });
  web.post('/sign-in/verify/passkey/verify', { preValidation: web.csrfProtection }, async (req, reply) => {
    const pending = await pendingOrNull(deps, req);
    const passkey = pending?.methods.find((m) => m.kind === 'passkey');
    const token = req.cookies[PASSKEY_2FA_COOKIE];
    reply.clearCookie(PASSKEY_2FA_COOKIE, { path: '/sign-in/verify' });
    const r = await submitForm(
      req,
      reply,
      () =>
        completePendingSignIn(
          deps,
          req.cookies[PENDING_COOKIE],
          { methodId: passkey?.id, passkeyToken: token, passkeyResponse: passkeyResponse(req) },
          req.ctx,
        ),
      (f) =>
        reply.status(f.status).send({
          error: { code: f.error.code, message: translator(req.ctx.locale)('passkey.signin.failed') },
        }),
    );
    if (!r.ok) return r.reply;
    await signedIn(req, reply, r.value.sessionToken);
    return reply.header('cache-control', 'no-store').send({
      redirect: await pathAfterSignIn(
        deps,
        r.value.accountId,
        safeNext(readQuery(req, SecondStepQuery).next),
      ),
    });
  });
  web.post('/sign-in/verify/send', { preValidation: web.csrfProtection }, async (req, reply) => {
    const methodId = readQuery(req, SecondStepQuery).method;
    const r = await submitForm(
      req,
      reply,
      () => sendPendingCode(deps, req.cookies[PENDING_COOKIE], methodId, req.ctx),
      async (f) => {
        // Nothing was sent: say so, why, and when a code can be sent (the button counts down to it).
        const m = (await pendingOrNull(deps, req))?.methods.find((x) => x.id === methodId);
        const sendError =
          f.error.code === 'code.resend_wait' && m
            ? translator(req.ctx.locale)('code.not_sent_wait', { method: m.masked, ...f.error.params })
            : f.message;
        return secondStepPage(deps, req, reply, { methodId, sendError }, f.status);
      },
    );
    return r.ok ? secondStepPage(deps, req, reply, { methodId, sent: true }) : r.reply;
  });
  web.post('/sign-in/verify/recovery-code', { preValidation: web.csrfProtection }, async (req, reply) => {
    const b = readForm(req, RecoveryCodeForm);
    const r = await submitForm(
      req,
      reply,
      () =>
        completePendingWithRecoveryCode(
          deps,
          req.cookies[PENDING_COOKIE],
          { recoveryCode: b.recoveryCode, trustDevice: b.trustDevice },
          req.ctx,
        ),
      (f) => secondStepPage(deps, req, reply, { methodId: 'recovery_code', error: f.message }, f.status),
    );
    if (!r.ok) return r.reply;
    await signedIn(req, reply, r.value.sessionToken, r.value.trustedDeviceToken);
    const next = await pathAfterSignIn(
      deps,
      r.value.accountId,
      safeNext(readQuery(req, SecondStepQuery).next),
    );
    // The new code is shown once, before anything else.
    return newRecoveryCodePage(req, reply, r.value.newRecoveryCode, next);
  });
  web.post('/sign-in/verify', { preValidation: web.csrfProtection }, async (req, reply) => {
    const b = readForm(req, SecondStepForm);
    const r = await submitForm(
      req,
      reply,
      () =>
        completePendingSignIn(
          deps,
          req.cookies[PENDING_COOKIE],
          { methodId: b.method, code: b.code, trustDevice: b.trustDevice },
          req.ctx,
        ),
      (f) => secondStepPage(deps, req, reply, { methodId: b.method, error: f.message }, f.status),
    );
    if (!r.ok) return r.reply;
    await signedIn(req, reply, r.value.sessionToken, r.value.trustedDeviceToken);
    return reply.redirect(
      await pathAfterSignIn(deps, r.value.accountId, safeNext(readQuery(req, SecondStepQuery).next)),
      303,
    );
  });

  /**
   * The second step is done: the pending sign-in's cookie goes, the new session's comes (ending one the
   * browser held), and the trusted-device cookie when the person asked to be remembered here.
   */
  const signedIn = async (req: Req, reply: Rep, sessionToken: string, trustedDeviceToken?: string | null) => {
    reply.clearCookie(PENDING_COOKIE, { path: '/sign-in' });
    await replaceSessionCookie(deps, req, reply, sessionToken);
    if (trustedDeviceToken) setTrustedDeviceCookie(deps, reply, trustedDeviceToken);
  };
}
