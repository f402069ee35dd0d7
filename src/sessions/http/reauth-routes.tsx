import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { nameInSentence } from '../../i18n/index.ts';
import { describeMethod, listMethods, resendAvailableAt } from '../../security-info/methods-service.ts';
import { isContact } from '../../security-info/store.ts';
import { codeWasSent } from '../../verification/store.ts';
import { formSchema, readForm, readQuery, submitForm, text } from '../../web/form-kit.tsx';
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
import { safeNext, sessionOrRedirect, setSessionCookie } from '../../web/web-helpers.ts';
import { reauthWithCode, reauthWithPassword, sendReauthCode } from '../reauth.ts';
import type { SessionView } from '../session-cache.ts';

/** The forms of these pages: the fields each handler reads (web/form-kit.tsx). */
const ReauthPasswordForm = formSchema({ password: text() });
const ReauthCodeForm = formSchema({ method: text(), code: text() });
/** Where to go once the proof is given, and (to send a code) which method: `?next=…&method=…`. */
const ReauthQuery = formSchema({ next: text(), method: text() });

type Req = FastifyRequest;
type Rep = FastifyReply;

/** The step-up pages (`/security/reauth`): a fresh proof by password, authenticator app or a code. */
export function reauthRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {
  // Re-authentication (fresh proof)
  const reauthPage = async (
    req: Req,
    reply: Rep,
    s: SessionView,
    /** `sent`: this request sent a code; `sendError`: it was asked to send one and did not (why). */
    v: { error?: string; codeFor?: string; codeError?: string; sent?: boolean; sendError?: string },
    status = 200,
  ) => {
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const next = safeNext(readQuery(req, ReauthQuery).next);
    const methods = (await listMethods(deps.db, s.accountId)).filter((m) => m.verifiedAt);
    const codeMethod = methods.filter(isContact).find((m) => m.id === v.codeFor);
    // A code can be entered only if one was sent for this session and method.
    const codeSent = codeMethod ? await codeWasSent(deps.db, 'reauth', `${s.id}:${codeMethod.id}`) : false;
    const q = `?next=${encodeURIComponent(next)}`;
    return sendPage(
      reply,
      pc,
      tr('reauth.title'),
      <div class="card narrow">
        <h1>{tr('reauth.title')}</h1>
        <p class="lead">{tr('reauth.lead', { minutes: deps.config.stepUpMinutes })}</p>
        {codeMethod ? (
          <div>
            {v.sent ? (
              <p>{tr('reauth.code_sent', { method: describeMethod(codeMethod, pc.locale) })}</p>
            ) : null}
            {v.sendError ? <Notice kind="warn">{v.sendError}</Notice> : null}
            {codeSent ? (
              <CodeForm
                pc={pc}
                action={`/security/reauth/code${q}`}
                resendAction={`/security/reauth/send${q}&method=${codeMethod.id}`}
                resendAt={await resendAvailableAt(deps, codeMethod.valueKey, 'owner')}
                error={v.codeError}
                now={deps.clock.now()}
                extra={<input type="hidden" name="method" value={codeMethod.id} />}
              />
            ) : (
              <ResendForm
                pc={pc}
                action={`/security/reauth/send${q}&method=${codeMethod.id}`}
                resendAt={await resendAvailableAt(deps, codeMethod.valueKey, 'owner')}
                now={deps.clock.now()}
              />
            )}
            <p>
              <a href={`/security/reauth${q}`}>{tr('second.other_way')}</a>
            </p>
          </div>
        ) : (
          <div>
            {s.twoStep ? (
              <p>{tr('reauth.two_step')}</p>
            ) : (
              <form method="post" action={`/security/reauth${q}`}>
                <Csrf pc={pc} />
                <Field
                  id="password"
                  name="password"
                  type="password"
                  label={tr('field.password')}
                  autocomplete="current-password"
                  error={v.error}
                  required
                />
                <button type="submit">{tr('reauth.submit')}</button>
              </form>
            )}
            {methods
              .filter((m) => m.kind === 'totp')
              .map((m) => (
                <form method="post" action={`/security/reauth/code${q}`} class="alt-block" novalidate>
                  <Csrf pc={pc} />
                  <input type="hidden" name="method" value={m.id} />
                  <Field
                    id={`code-${m.id}`}
                    name="code"
                    label={tr('second.totp_label', {
                      method: nameInSentence(pc.locale, describeMethod(m, pc.locale)),
                    })}
                    autocomplete="one-time-code"
                    inputmode="numeric"
                    class="code"
                    maxLength={12}
                    error={v.codeFor === m.id ? v.codeError : undefined}
                  />
                  <button type="submit">{tr('reauth.submit')}</button>
                </form>
              ))}
            {methods.some(isContact) ? (
              <div class="alt-block">
                <h2>{tr('reauth.or_code')}</h2>
                {methods.filter(isContact).map((m) => (
                  <form method="post" action={`/security/reauth/send${q}&method=${m.id}`}>
                    <Csrf pc={pc} />
                    <button type="submit" class="secondary">
                      {tr('reauth.send_to', { method: describeMethod(m, pc.locale) })}
                    </button>
                  </form>
                ))}
              </div>
            ) : null}
          </div>
        )}
        <p>
          <a href="/security">{tr('common.cancel')}</a>
        </p>
      </div>,
      status,
    );
  };
  web.get('/security/reauth', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    return reauthPage(req, reply, s, {});
  });
  web.post('/security/reauth', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const r = await submitForm(
      req,
      reply,
      () => reauthWithPassword(deps, s, readForm(req, ReauthPasswordForm).password, req.ctx),
      (f) => reauthPage(req, reply, s, { error: f.message }, f.status),
    );
    return r.ok ? steppedUp(reply, r.value.sessionToken, readQuery(req, ReauthQuery).next) : r.reply;
  });
  web.post('/security/reauth/send', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const methodId = readQuery(req, ReauthQuery).method;
    const r = await submitForm(
      req,
      reply,
      () => sendReauthCode(deps, s, methodId),
      async (f) => {
        // Nothing was sent: say so, why, and when a code can be sent (the button counts down to it).
        const m = (await listMethods(deps.db, s.accountId)).find((x) => x.id === methodId);
        const sendError =
          f.error.code === 'code.resend_wait' && m
            ? translator(req.ctx.locale)('code.not_sent_wait', {
                method: describeMethod(m, req.ctx.locale),
                ...f.error.params,
              })
            : f.message;
        return reauthPage(req, reply, s, { codeFor: methodId, sendError }, f.status);
      },
    );
    return r.ok ? reauthPage(req, reply, s, { codeFor: methodId, sent: true }) : r.reply;
  });
  web.post('/security/reauth/code', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const b = readForm(req, ReauthCodeForm);
    const r = await submitForm(
      req,
      reply,
      () => reauthWithCode(deps, s, b.method, b.code, req.ctx),
      (f) => reauthPage(req, reply, s, { codeFor: b.method, codeError: f.message }, f.status),
    );
    return r.ok ? steppedUp(reply, r.value.sessionToken, readQuery(req, ReauthQuery).next) : r.reply;
  });

  /** After a step-up: the new session token (the step-up replaced it) in the cookie, then on to `next`. */
  const steppedUp = (reply: Rep, sessionToken: string, next: string | undefined) => {
    setSessionCookie(deps, reply, sessionToken);
    return reply.redirect(safeNext(next), 303);
  };
}
