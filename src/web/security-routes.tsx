import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { changePassword } from '../accounts/password-service.ts';
import { findAccountById } from '../accounts/store.ts';
import { recordActivity } from '../activity/activity.ts';
import { describeDevice, deviceLabel } from '../activity/device.ts';
import type { Deps } from '../deps.ts';
import { formatDateTime, type MessageKey, nameInSentence } from '../i18n/index.ts';
import type { Locale } from '../kernel/context.ts';
import { pendingReplacementBanner } from '../replacement/replacement-service.ts';
import { isContact, type Method } from '../security-info/method-store.ts';
import {
  addEmail,
  addPhone,
  describeMethod,
  listMethods,
  relabelMethod,
  removalPreview,
  removeMethod,
  resendAvailableAt,
  resendMethodCode,
  verifyMethod,
} from '../security-info/methods-service.ts';
import { displayPhone } from '../security-info/phone/format-phone.ts';
import { recoveryCodeInfo } from '../security-info/recovery-code-service.ts';
import { reauthWithCode, reauthWithPassword, sendReauthCode } from '../sessions/reauth.ts';
import type { SessionView } from '../sessions/session-cache.ts';
import { endOtherSessions, endSession, listSessions } from '../sessions/sessions.ts';
import { PhoneFields } from './phone-fields.tsx';
import {
  CodeForm,
  Csrf,
  Field,
  Notice,
  type PageContext,
  pageContext,
  ResendForm,
  sendPage,
  translator,
} from './render.tsx';
import {
  attempt,
  body,
  freshOrRedirect,
  safeNext,
  sessionOrRedirect,
  setRetryAfter,
  setSessionCookie,
} from './web-helpers.ts';

type Req = FastifyRequest;
type Rep = FastifyReply;

const DONE: Record<string, MessageKey> = {
  welcome: 'security.done.welcome',
  verified: 'security.done.verified',
  removed: 'security.done.removed',
  removed_unverified: 'security.done.removed_unverified',
  password: 'security.done.password',
  session_ended: 'security.done.session_ended',
  others_ended: 'security.done.others_ended',
  labelled: 'security.done.labelled',
  totp: 'security.done.totp',
  two_step_on: 'security.done.two_step_on',
  two_step_off: 'security.done.two_step_off',
  passkey: 'passkey.add.done',
  confirmed: 'confirm_info.done',
};

/** How a method is shown to its signed-in owner. */
const shown = (m: Pick<Method, 'kind' | 'value' | 'label'>, locale: Locale = 'ja') =>
  m.kind === 'phone' ? displayPhone(m.value) : m.kind === 'email' ? m.value : describeMethod(m, locale);

export function securityRoutes(web: FastifyInstance, deps: Deps): void {
  const fmt = (pc: PageContext, s: SessionView, d: Date | null) =>
    d ? formatDateTime(pc.locale, d, s.timeZone) : '—';

  // Overview
  web.get('/security', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const methods = await listMethods(deps.db, s.accountId);
    const account = await findAccountById(deps.db, s.accountId);
    const pending = await pendingReplacementBanner(deps, s.accountId, pc.locale);
    const recovery = await recoveryCodeInfo(deps.db, s.accountId);
    const verified = methods.filter((m) => m.verifiedAt);
    const done = DONE[(req.query as { done?: string }).done ?? ''];
    const item = (m: Method) => (
      <li data-testid="method">
        <div class="m-main">
          <div class="m-value">
            {shown(m, pc.locale)}
            {m.verifiedAt ? (
              <span class="badge">{tr('method.verified')}</span>
            ) : (
              <span class="badge pending">{tr('method.pending')}</span>
            )}
          </div>
          <div class="m-meta">
            {tr(`method.kind.${m.kind}`)}
            {m.label ? ` · ${m.label}` : ''} ·{' '}
            {m.verifiedAt
              ? tr('method.verified_on', { date: fmt(pc, s, m.verifiedAt) })
              : tr('method.added_on', { date: fmt(pc, s, m.createdAt) })}
          </div>
        </div>
        <div class="actions">
          {!m.verifiedAt ? (
            <a
              class="button secondary"
              href={m.kind === 'totp' ? `/security/totp/${m.id}` : `/security/methods/${m.id}/verify`}
            >
              {tr('method.verify')}
            </a>
          ) : null}
          <a class="button secondary" href={`/security/methods/${m.id}/edit`}>
            {tr('method.edit')}
          </a>
          <a class="button secondary" href={`/security/methods/${m.id}/remove`}>
            {tr('method.remove')}
          </a>
        </div>
      </li>
    );
    return sendPage(
      reply,
      pc,
      tr('security.title'),
      <div>
        <h1>{tr('security.title')}</h1>
        {done ? <Notice kind="ok">{tr(done)}</Notice> : null}
        {pending ? (
          <Notice kind="warn">
            {tr('replacement.pending.lead', { date: fmt(pc, s, pending.effectiveAt) })}{' '}
            <a href={pending.href}>{tr('common.details')}</a>
          </Notice>
        ) : null}
        {verified.length === 0 ? (
          <Notice kind="warn">{tr('security.no_methods')}</Notice>
        ) : verified.length === 1 ? (
          <Notice kind="warn">{tr('security.one_method')}</Notice>
        ) : null}
        <section class="card">
          <h2>{tr('security.account')}</h2>
          <p>
            {s.displayName} · <span data-testid="primary-email">{s.email}</span>
          </p>
          <p class="hint">{tr('security.primary_hint')}</p>
          <p>
            <a href="/account">{tr('deadends.account.link')}</a>
          </p>
        </section>
        <section class="card">
          <h2>{tr('security.methods')}</h2>
          <p class="hint">{tr('security.methods_hint', { max: deps.config.maxMethods })}</p>
          {methods.length > 0 ? (
            <ul class="methods">{methods.map(item)}</ul>
          ) : (
            <p>{tr('security.methods_empty')}</p>
          )}
          <div class="actions">
            <a class="button" href="/security/emails/add">
              {tr('security.add_email')}
            </a>
            <a class="button" href="/security/phones/add">
              {tr('security.add_phone')}
            </a>
          </div>
          {verified.length > 0 ? (
            <p>
              <a href="/security/replace">{tr('replacement.link')}</a>
            </p>
          ) : null}
        </section>
        <section class="card">
          <h2>
            {tr('security.two_step')}:{' '}
            <span data-testid="two-step-state">
              {tr(s.twoStep ? 'security.two_step_on' : 'security.two_step_off')}
            </span>
          </h2>
          <p class="hint">{tr(s.twoStep ? 'twostep.on_lead' : 'twostep.off_lead')}</p>
          <div class="actions">
            <a class="button secondary" href="/security/two-step">
              {tr('security.manage_two_step')}
            </a>
            <form method="post" action="/security/totp" class="inline">
              <Csrf pc={pc} />
              <button type="submit" class="secondary">
                {tr('security.add_totp')}
              </button>
            </form>
            <a class="button secondary" href="/security/passkeys/add">
              {tr('passkey.security.add')}
            </a>
            <a class="button secondary" href="/security/devices">
              {tr('security.devices')}
            </a>
          </div>
        </section>
        <section class="card">
          <h2>{tr('security.recovery_code')}</h2>
          <p>
            {account?.recoveryCodeCreatedAt && recovery.working
              ? tr('security.recovery_made', { date: fmt(pc, s, account.recoveryCodeCreatedAt) })
              : tr('security.recovery_none')}
          </p>
          <p class="hint">{tr('recovery.keep')}</p>
          <form method="post" action="/security/recovery-code">
            <Csrf pc={pc} />
            <button type="submit" class="secondary">
              {tr('security.recovery_create')}
            </button>
          </form>
        </section>
        <section class="card">
          <h2>{tr('security.more')}</h2>
          <ul>
            <li>
              <a href="/security/password">{tr('security.change_password')}</a>
            </li>
            <li>
              <a href="/security/sessions">{tr('security.sessions')}</a>
            </li>
            <li>
              <a href="/security/activity">{tr('security.activity')}</a>
            </li>
            <li>
              <a href="/security/messages">{tr('messages.title')}</a>
            </li>
            <li>
              <a href="/security/phrase">{tr('phrase.title')}</a>
            </li>
            <li>
              <a href="/security/checkup">{tr('checkup.link')}</a>
            </li>
            <li>
              <a href="/security/notices">{tr('notices.link')}</a>
            </li>
          </ul>
        </section>
      </div>,
    );
  });

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
    const next = safeNext((req.query as { next?: string }).next);
    const methods = (await listMethods(deps.db, s.accountId)).filter((m) => m.verifiedAt);
    const codeMethod = methods.filter(isContact).find((m) => m.id === v.codeFor);
    // A code can be entered only if one was sent for this session and method.
    const codeSent = codeMethod
      ? (
          await deps.db.query(
            `SELECT 1 FROM challenges WHERE purpose = 'reauth' AND subject = $1 AND code_sent_at IS NOT NULL`,
            [`${s.id}:${codeMethod.id}`],
          )
        ).length > 0
      : false;
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
    const r = await attempt(req, () => reauthWithPassword(deps, s, body(req).password, req.ctx));
    if (!r.ok) {
      setRetryAfter(reply, r.error);
      return reauthPage(req, reply, s, { error: r.message }, r.error.status);
    }
    setSessionCookie(deps, reply, r.value.sessionToken); // the step-up replaced the session token
    return reply.redirect(safeNext((req.query as { next?: string }).next), 303);
  });
  web.post('/security/reauth/send', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const methodId = (req.query as { method?: string }).method;
    const r = await attempt(req, () => sendReauthCode(deps, s, methodId));
    if (!r.ok) {
      setRetryAfter(reply, r.error);
      // Nothing was sent: say so, why, and when a code can be sent (the button counts down to it).
      const m = (await listMethods(deps.db, s.accountId)).find((x) => x.id === methodId);
      const sendError =
        r.error.code === 'code.resend_wait' && m
          ? translator(req.ctx.locale)('code.not_sent_wait', {
              method: describeMethod(m, req.ctx.locale),
              ...r.error.params,
            })
          : r.message;
      return reauthPage(req, reply, s, { codeFor: methodId, sendError }, r.error.status);
    }
    return reauthPage(req, reply, s, { codeFor: methodId, sent: true });
  });
  web.post('/security/reauth/code', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const b = body(req);
    const r = await attempt(req, () => reauthWithCode(deps, s, b.method, b.code, req.ctx));
    if (!r.ok) {
      setRetryAfter(reply, r.error);
      return reauthPage(req, reply, s, { codeFor: b.method, codeError: r.message }, r.error.status);
    }
    setSessionCookie(deps, reply, r.value.sessionToken); // the step-up replaced the session token
    return reply.redirect(safeNext((req.query as { next?: string }).next), 303);
  });

  // Add an email
  const addEmailPage = (
    req: Req,
    reply: Rep,
    v: { email?: string; label?: string; error?: string; suggestion?: string },
    status = 200,
  ) => {
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    return sendPage(
      reply,
      pc,
      tr('add_email.title'),
      <div class="card narrow">
        <h1>{tr('add_email.title')}</h1>
        <p class="lead">{tr('add_email.lead')}</p>
        {v.suggestion ? (
          <Notice kind="warn">
            <p>{tr('add_email.typo', { suggestion: v.suggestion })}</p>
            <form method="post" action="/security/emails/add" class="inline">
              <Csrf pc={pc} />
              <input type="hidden" name="email" value={v.suggestion} />
              <input type="hidden" name="label" value={v.label ?? ''} />
              <button type="submit">{tr('add_email.use_suggestion', { suggestion: v.suggestion })}</button>
            </form>{' '}
            <form method="post" action="/security/emails/add" class="inline">
              <Csrf pc={pc} />
              <input type="hidden" name="email" value={v.email ?? ''} />
              <input type="hidden" name="label" value={v.label ?? ''} />
              <input type="hidden" name="acceptTypo" value="true" />
              <button type="submit" class="secondary">
                {tr('add_email.keep', { email: v.email ?? '' })}
              </button>
            </form>
          </Notice>
        ) : null}
        <form method="post" action="/security/emails/add" novalidate>
          <Csrf pc={pc} />
          <Field
            id="email"
            name="email"
            type="email"
            label={tr('field.contact_email')}
            value={v.email}
            autocomplete="email"
            required
            maxLength={320}
            error={v.suggestion ? undefined : v.error}
          />
          <Field
            id="label"
            name="label"
            label={tr('field.label')}
            value={v.label}
            hint={tr('field.label_hint')}
            maxLength={40}
          />
          <button type="submit">{tr('add.send_code')}</button>
        </form>
        <p>
          <a href="/security">{tr('common.back')}</a>
        </p>
      </div>,
      status,
    );
  };
  web.get('/security/emails/add', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s || !freshOrRedirect(deps, reply, s, '/security/emails/add')) return reply;
    return addEmailPage(req, reply, {});
  });
  web.post('/security/emails/add', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s || !freshOrRedirect(deps, reply, s, '/security/emails/add')) return reply;
    const b = body(req);
    const r = await attempt(req, () =>
      addEmail(deps, s, { email: b.email, label: b.label, acceptTypo: b.acceptTypo }, req.ctx),
    );
    if (!r.ok) {
      setRetryAfter(reply, r.error);
      return addEmailPage(
        req,
        reply,
        {
          email: b.email,
          label: b.label,
          error: r.message,
          suggestion: r.error.code === 'contact.email_typo' ? String(r.error.params.suggestion) : undefined,
        },
        r.error.status,
      );
    }
    return reply.redirect(`/security/methods/${r.value.methodId}/verify`, 303);
  });

  // Add a phone
  const addPhonePage = (
    req: Req,
    reply: Rep,
    v: { country?: string; number?: string; label?: string; error?: string },
    status = 200,
  ) => {
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const country = v.country ?? 'JP';
    return sendPage(
      reply,
      pc,
      tr('add_phone.title'),
      <div class="card narrow">
        <h1>{tr('add_phone.title')}</h1>
        <p class="lead">{tr('add_phone.lead')}</p>
        <form method="post" action="/security/phones/add" novalidate>
          <Csrf pc={pc} />
          <PhoneFields
            pc={pc}
            country={country}
            number={v.number}
            error={v.error}
            hint={tr('add_phone.hint')}
          />
          <Field
            id="label"
            name="label"
            label={tr('field.label')}
            value={v.label}
            hint={tr('field.label_hint')}
            maxLength={40}
          />
          <button type="submit">{tr('add.send_code')}</button>
        </form>
        <p>
          <a href="/security">{tr('common.back')}</a>
        </p>
      </div>,
      status,
    );
  };
  web.get('/security/phones/add', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s || !freshOrRedirect(deps, reply, s, '/security/phones/add')) return reply;
    return addPhonePage(req, reply, {});
  });
  web.post('/security/phones/add', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s || !freshOrRedirect(deps, reply, s, '/security/phones/add')) return reply;
    const b = body(req);
    const r = await attempt(req, () =>
      addPhone(deps, s, { country: b.country, number: b.number, label: b.label }, req.ctx),
    );
    if (!r.ok) {
      setRetryAfter(reply, r.error);
      return addPhonePage(
        req,
        reply,
        { country: b.country, number: b.number, label: b.label, error: r.message },
        r.error.status,
      );
    }
    return reply.redirect(`/security/methods/${r.value.methodId}/verify`, 303);
  });

  // Verify a new method
  const verifyPage = async (
    req: Req,
    reply: Rep,
    s: SessionView,
    id: string,
    v: { error?: string; notice?: string },
    status = 200,
  ) => {
    const methods = await listMethods(deps.db, s.accountId);
    const m = methods.find((x) => x.id === id);
    if (!m || m.verifiedAt) return reply.redirect('/security', 303);
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    return sendPage(
      reply,
      pc,
      tr('verify.title'),
      <div class="card narrow">
        <h1>{tr('verify.title')}</h1>
        {v.notice ? <Notice kind="ok">{v.notice}</Notice> : null}
        <p class="lead">
          {tr(m.kind === 'email' ? 'verify.lead_email' : 'verify.lead_phone', {
            destination: shown(m, pc.locale),
            minutes: deps.config.codes.ttlMinutes,
          })}
        </p>
        <CodeForm
          pc={pc}
          action={`/security/methods/${m.id}/verify`}
          resendAction={`/security/methods/${m.id}/resend`}
          resendAt={await resendAvailableAt(deps, m.valueKey)}
          error={v.error}
          now={deps.clock.now()}
        />
        <p>
          <a href="/security">{tr('verify.later')}</a>
        </p>
      </div>,
      status,
    );
  };
  web.get('/security/methods/:id/verify', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    return verifyPage(req, reply, s, (req.params as { id: string }).id, {});
  });
  web.post('/security/methods/:id/verify', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const id = (req.params as { id: string }).id;
    const r = await attempt(req, () => verifyMethod(deps, s, id, body(req).code, req.ctx));
    if (!r.ok && r.error.code === 'auth.reauth_required')
      return reauthFirst(reply, `/security/methods/${id}/verify`);
    if (!r.ok) {
      setRetryAfter(reply, r.error);
      return verifyPage(req, reply, s, id, { error: r.message }, r.error.status);
    }
    return reply.redirect('/security?done=verified', 303);
  });
  web.post('/security/methods/:id/resend', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const id = (req.params as { id: string }).id;
    const r = await attempt(req, () => resendMethodCode(deps, s, id, req.ctx));
    if (!r.ok && r.error.code === 'auth.reauth_required')
      return reauthFirst(reply, `/security/methods/${id}/verify`);
    if (!r.ok) {
      setRetryAfter(reply, r.error);
      return verifyPage(req, reply, s, id, { error: r.message }, r.error.status);
    }
    return verifyPage(req, reply, s, id, { notice: translator(req.ctx.locale)('code.resent') });
  });

  // Edit label
  web.get('/security/methods/:id/edit', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const m = (await listMethods(deps.db, s.accountId)).find(
      (x) => x.id === (req.params as { id: string }).id,
    );
    if (!m) return reply.redirect('/security', 303);
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    return sendPage(
      reply,
      pc,
      tr('edit.title'),
      <div class="card narrow">
        <h1>{tr('edit.title')}</h1>
        <p class="m-value">{shown(m, pc.locale)}</p>
        <form method="post" action={`/security/methods/${m.id}/edit`}>
          <Csrf pc={pc} />
          <Field
            id="label"
            name="label"
            label={tr('field.label')}
            value={m.label}
            hint={tr('field.label_hint')}
            maxLength={40}
          />
          <button type="submit">{tr('common.save')}</button>
        </form>
        <p>
          <a href="/security">{tr('common.back')}</a>
        </p>
      </div>,
    );
  });
  web.post('/security/methods/:id/edit', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const id = (req.params as { id: string }).id;
    const r = await attempt(req, () => relabelMethod(deps, s, id, body(req).label, req.ctx));
    if (!r.ok && r.error.code === 'auth.reauth_required')
      return reauthFirst(reply, `/security/methods/${id}/edit`);
    if (!r.ok) throw r.error;
    return reply.redirect('/security?done=labelled', 303);
  });

  // Remove
  const removePage = async (
    req: Req,
    reply: Rep,
    s: SessionView,
    id: string,
    error?: string,
    status = 200,
  ) => {
    const preview = await removalPreview(deps, s, id);
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    return sendPage(
      reply,
      pc,
      tr('remove.title'),
      <div class="card narrow">
        <h1>{tr('remove.title')}</h1>
        {error ? <Notice kind="error">{error}</Notice> : null}
        <p class="m-value">{shown(preview.target, pc.locale)}</p>
        {preview.allowed ? (
          <div>
            <p>
              {preview.remaining.length > 0
                ? tr('remove.left', { count: preview.remaining.length })
                : tr('remove.pending_only')}
            </p>
            {preview.remaining.length > 0 ? (
              <ul>
                {preview.remaining.map((m) => (
                  <li>{shown(m, pc.locale)}</li>
                ))}
              </ul>
            ) : null}
            {preview.target.verifiedAt ? (
              <Notice kind="warn">
                {tr(preview.target.kind === 'phone' ? 'remove.advice_phone' : 'remove.advice')}
              </Notice>
            ) : null}
            <form method="post" action={`/security/methods/${id}/remove`}>
              <Csrf pc={pc} />
              <div class="actions">
                <button type="submit" class="danger">
                  {tr('remove.confirm')}
                </button>
                <a class="button secondary" href="/security">
                  {tr('common.cancel')}
                </a>
              </div>
            </form>
          </div>
        ) : (
          <div>
            <Notice kind="warn">{tr('error.contact.last_method')}</Notice>
            <div class="actions">
              <a class="button" href="/security/emails/add">
                {tr('security.add_email')}
              </a>
              <a class="button" href="/security/phones/add">
                {tr('security.add_phone')}
              </a>
            </div>
          </div>
        )}
      </div>,
      status,
    );
  };
  web.get('/security/methods/:id/remove', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const id = (req.params as { id: string }).id;
    if (!freshOrRedirect(deps, reply, s, `/security/methods/${id}/remove`)) return reply;
    return removePage(req, reply, s, id);
  });
  web.post('/security/methods/:id/remove', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const id = (req.params as { id: string }).id;
    if (!freshOrRedirect(deps, reply, s, `/security/methods/${id}/remove`)) return reply;
    const r = await attempt(req, () => removeMethod(deps, s, id, req.ctx));
    if (!r.ok) return removePage(req, reply, s, id, r.message, r.error.status);
    return reply.redirect(`/security?done=${r.value.announced ? 'removed' : 'removed_unverified'}`, 303);
  });

  // Password
  const passwordPage = (req: Req, reply: Rep, v: { error?: string }, status = 200) => {
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    return sendPage(
      reply,
      pc,
      tr('password.title'),
      <div class="card narrow">
        <h1>{tr('password.title')}</h1>
        <form method="post" action="/security/password" novalidate>
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
          <label class="radio">
            <input type="checkbox" name="endOtherSessions" value="true" checked /> {tr('password.end_others')}
          </label>
          <input type="hidden" name="endOtherSessionsShown" value="1" />
          <button type="submit">{tr('password.submit')}</button>
        </form>
        <p>
          <a href="/security">{tr('common.back')}</a>
        </p>
      </div>,
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
    const b = body(req);
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

  // Sessions
  web.get('/security/sessions', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const sessions = await listSessions(deps, s.accountId, s.id);
    const done = DONE[(req.query as { done?: string }).done ?? ''];
    return sendPage(
      reply,
      pc,
      tr('sessions.title'),
      <div class="card">
        <h1>{tr('sessions.title')}</h1>
        {done ? <Notice kind="ok">{tr(done)}</Notice> : null}
        <div class="table-wrap">
          <table class="stack">
            <thead>
              <tr>
                <th>{tr('sessions.device')}</th>
                <th>{tr('sessions.ip')}</th>
                <th>{tr('sessions.last_seen')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {sessions.map((x) => (
                <tr data-testid="session">
                  <td data-label={tr('sessions.device')} class="primary">
                    {deviceLabel(describeDevice(x.userAgent), pc.locale)}
                  </td>
                  <td data-label={tr('sessions.ip')}>{x.ip}</td>
                  <td data-label={tr('sessions.last_seen')}>{fmt(pc, s, x.lastSeenAt)}</td>
                  <td class="row-action">
                    {x.current ? (
                      <strong>{tr('sessions.current')}</strong>
                    ) : (
                      <form method="post" action={`/security/sessions/${x.publicId}/end`}>
                        <Csrf pc={pc} />
                        <button type="submit" class="secondary">
                          {tr('sessions.end')}
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {sessions.length > 1 ? (
          <form method="post" action="/security/sessions/end-others">
            <Csrf pc={pc} />
            <button type="submit" class="danger">
              {tr('sessions.end_others')}
            </button>
          </form>
        ) : null}
        <p>
          <a href="/security">{tr('common.back')}</a>
        </p>
      </div>,
    );
  });
  web.post('/security/sessions/:id/end', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const ended = await deps.db.tx(async (tx) => {
      if (!(await endSession(deps, tx, s.accountId, (req.params as { id: string }).id))) return false;
      await recordActivity(tx, deps.random, deps.clock.now(), s.accountId, 'session.ended', req.ctx);
      return true;
    });
    // "Ended" only when this request ended it (it may have ended by itself meanwhile).
    return reply.redirect(ended ? '/security/sessions?done=session_ended' : '/security/sessions', 303);
  });
  web.post('/security/sessions/end-others', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    await deps.db.tx(async (tx) => {
      const n = await endOtherSessions(deps, tx, s.accountId, s.id);
      await recordActivity(tx, deps.random, deps.clock.now(), s.accountId, 'session.ended', req.ctx, {
        count: String(n),
      });
    });
    return reply.redirect('/security/sessions?done=others_ended', 303);
  });
}

/**
 * The second step of a change needs a step-up this session no longer holds (a change made elsewhere since,
 * or with two-step on, no second factor since): step up, then come back.
 */
function reauthFirst(reply: FastifyReply, back: string) {
  return reply.redirect(`/security/reauth?next=${encodeURIComponent(back)}`, 303);
}
