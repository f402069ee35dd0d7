import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { phoneCountries } from '../../security-info/phone/parse-phone.ts';
import { CodeForm, Csrf, Field, Notice, pageContext, sendPage, translator } from '../../web/render.tsx';
import { setTrustedDeviceCookie } from '../../web/second-factor-routes.tsx';
import { attempt, body, setRetryAfter } from '../../web/web-helpers.ts';
import {
  completeRecoveryReset,
  DEVICE_CHOICES,
  dueText,
  MAX_CONTACTS,
  MAX_COUNTRIES,
  MAX_PASSWORDS,
  recoveryFormState,
  recoveryLinkState,
  resendRecoveryContactCode,
  startRecoveryForm,
  submitRecoveryForm,
  verifyRecoveryContact,
} from '../form-service.ts';
import { createPowChallenge, POW_SCRIPT } from '../pow.ts';

const FLOW_COOKIE = 'mamori_recovery';
type Req = FastifyRequest;
type Rep = FastifyReply;

/** Small additions to app.css for the recovery form and the operator console (CSP: style-src 'self'). */
export const RECOVERY_CSS = `
.rf-checks{display:flex;flex-wrap:wrap;gap:6px 18px;margin:4px 0}
.rf-checks label{display:flex;gap:6px;align-items:center;font-weight:400;margin:0}
.rf-checks input{width:auto}
.rf-section{margin-top:22px;padding-top:6px;border-top:1px solid #eef0f2}
.rf-pow{margin-top:16px}
textarea{width:100%;font-size:16px;padding:10px 12px;border:1px solid #b6bcc4;border-radius:6px;font-family:inherit;min-height:80px}
.op-nav{display:flex;gap:16px;flex-wrap:wrap;align-items:center;margin:0 0 14px;font-size:14px}
.op-nav .who{margin-left:auto;color:#59636e}
.op-nav form button{margin:0;padding:4px 12px;font-size:14px}
.m-yes{color:#1b5e20;font-weight:600}
.m-no{color:#b3261e;font-weight:600}
.m-maybe{color:#8a4b00;font-weight:600}
.badge.overdue{background:#fdecea;color:#b3261e}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.facts dt{color:#59636e;font-size:14px}
dl.facts dd{margin:0}
.op-decide .actions button{margin-top:0}
`;

/** The account recovery form (docs/flows/recovery-form.md). */
export function recoveryFormRoutes(web: FastifyInstance, deps: Deps): void {
  const cookieOpts = {
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/recovery-form',
    maxAge: 3600,
    secure: deps.config.publicUrl.startsWith('https://'),
  };

  web.get('/assets/pow.js', async (_req, reply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(POW_SCRIPT),
  );
  web.get('/assets/recovery-form.css', async (_req, reply) =>
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(RECOVERY_CSS),
  );

  const startPage = (
    req: Req,
    reply: Rep,
    v: {
      account?: string;
      contactEmail?: string;
      accountError?: string;
      contactError?: string;
      error?: string;
    },
    status = 200,
  ) => {
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const challenge = createPowChallenge(deps);
    return sendPage(
      reply,
      pc,
      tr('recovery_form.title'),
      <div class="card narrow">
        <link rel="stylesheet" href="/assets/recovery-form.css" />
        <h1>{tr('recovery_form.title')}</h1>
        <p class="lead">{tr('recovery_form.lead')}</p>
        <Notice kind="warn">{tr('recovery_form.two_step_note')}</Notice>
        {v.error ? <Notice kind="error">{v.error}</Notice> : null}
        <form method="post" action="/recovery-form" novalidate>
          <Csrf pc={pc} />
          <Field
            id="account"
            name="account"
            type="email"
            label={tr('recovery_form.field.account')}
            value={v.account}
            error={v.accountError}
            autocomplete="username"
            maxLength={320}
            required
          />
          <Field
            id="contactEmail"
            name="contactEmail"
            type="email"
            label={tr('recovery_form.field.contact')}
            hint={tr('recovery_form.field.contact_hint')}
            value={v.contactEmail}
            error={v.contactError}
            autocomplete="email"
            maxLength={320}
            required
          />
          <div class="rf-pow">
            <input type="hidden" name="pow" value="" data-pow={JSON.stringify(challenge)} />
            <p
              class="hint"
              data-pow-status
              data-working={tr('recovery_form.pow.working')}
              data-done={tr('recovery_form.pow.done')}
              data-failed={tr('recovery_form.pow.failed')}
              hidden
              aria-live="polite"
            />
            <noscript>
              <div class="notice warn" role="status">
                <p>
                  <strong>{tr('recovery_form.pow.label')}</strong>
                </p>
                <p>{tr('recovery_form.pow.noscript')}</p>
              </div>
            </noscript>
          </div>
          <button type="submit">{tr('recovery_form.send_code')}</button>
        </form>
        <p>
          <a href="/forgot">{tr('common.back')}</a>
        </p>
        <script src="/assets/pow.js" defer />
      </div>,
      status,
    );
  };

  web.get('/recovery-form', async (req, reply) => startPage(req, reply, {}));
  web.post('/recovery-form', { preValidation: web.csrfProtection }, async (req, reply) => {
    const b = body(req);
    const r = await attempt(req, () =>
      startRecoveryForm(deps, { account: b.account, contactEmail: b.contactEmail, pow: b.pow }, req.ctx),
    );
    if (!r.ok) {
      setRetryAfter(reply, r.error);
      const tr = translator(req.ctx.locale);
      const code = r.error.code;
      const v = { account: b.account, contactEmail: b.contactEmail };
      if (code === 'account.email_invalid')
        return startPage(req, reply, { ...v, accountError: r.message }, 400);
      if (code === 'recovery_form.invalid')
        return startPage(req, reply, { ...v, contactError: tr('recovery_form.contact_same') }, 400);
      if (code.startsWith('contact.')) return startPage(req, reply, { ...v, contactError: r.message }, 400);
      return startPage(req, reply, { ...v, error: r.message }, r.error.status);
    }
    reply.setCookie(FLOW_COOKIE, r.value.flowToken, cookieOpts);
    return reply.redirect('/recovery-form/code', 303);
  });

  const codePage = async (
    req: Req,
    reply: Rep,
    v: { error?: string; notice?: string; resendAt?: Date } = {},
    status = 200,
  ) => {
    const s = await attempt(req, () => recoveryFormState(deps, req.cookies[FLOW_COOKIE]));
    if (!s.ok) return reply.redirect('/recovery-form', 303);
    if (s.value.step === 'evidence') return reply.redirect('/recovery-form/evidence', 303);
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    return sendPage(
      reply,
      pc,
      tr('recovery_form.code.title'),
      <div class="card narrow">
        <h1>{tr('recovery_form.code.title')}</h1>
        {v.notice ? <Notice kind="ok">{v.notice}</Notice> : null}
        <p class="lead">{tr('recovery_form.code.lead', { contact: s.value.maskedContact })}</p>
        <CodeForm
          pc={pc}
          action="/recovery-form/code"
          resendAction="/recovery-form/resend"
          resendAt={v.resendAt ?? null}
          error={v.error}
          now={deps.clock.now()}
        />
        <p>
          <a href="/recovery-form">{tr('recovery_form.start_over')}</a>
        </p>
      </div>,
      status,
    );
  };
  web.get('/recovery-form/code', async (req, reply) => codePage(req, reply));
  web.post('/recovery-form/code', { preValidation: web.csrfProtection }, async (req, reply) => {
    const r = await attempt(req, () => verifyRecoveryContact(deps, req.cookies[FLOW_COOKIE], body(req).code));
    if (!r.ok) {
      if (r.error.code === 'recovery_form.not_found') return reply.redirect('/recovery-form', 303);
      setRetryAfter(reply, r.error);
      return codePage(req, reply, { error: r.message }, r.error.status);
    }
    return reply.redirect('/recovery-form/evidence', 303);
  });
  web.post('/recovery-form/resend', { preValidation: web.csrfProtection }, async (req, reply) => {
    const r = await attempt(req, () => resendRecoveryContactCode(deps, req.cookies[FLOW_COOKIE], req.ctx));
    if (!r.ok) {
      setRetryAfter(reply, r.error);
      // Nothing was sent: say why, and count down to when a code can be sent.
      const seconds = r.error.code === 'code.resend_wait' ? Number(r.error.params.seconds) : 0;
      return codePage(
        req,
        reply,
        {
          error: r.message,
          resendAt: seconds > 0 ? new Date(deps.clock.now().getTime() + seconds * 1000) : undefined,
        },
        r.error.status,
      );
    }
    return codePage(req, reply, {
      notice: translator(req.ctx.locale)('code.resent'),
      resendAt: r.value.resendAt,
    });
  });

  const evidencePage = async (req: Req, reply: Rep, v: { error?: string } = {}, status = 200) => {
    const s = await attempt(req, () => recoveryFormState(deps, req.cookies[FLOW_COOKIE]));
    if (!s.ok) return reply.redirect('/recovery-form', 303);
    if (s.value.step === 'code') return reply.redirect('/recovery-form/code', 303);
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const countries = phoneCountries(pc.locale);
    const n = (count: number) => Array.from({ length: count }, (_, i) => i + 1);
    return sendPage(
      reply,
      pc,
      tr('recovery_form.evidence.title'),
      <div class="card narrow">
        <link rel="stylesheet" href="/assets/recovery-form.css" />
        <h1>{tr('recovery_form.evidence.title')}</h1>
        <p class="lead">{tr('recovery_form.evidence.lead')}</p>
        <p>
          <strong>{tr('recovery_form.evidence.account', { account: s.value.maskedAccount })}</strong>
        </p>
        {v.error ? <Notice kind="error">{v.error}</Notice> : null}
        <form method="post" action="/recovery-form/evidence" novalidate>
          <Csrf pc={pc} />
          <Field
            id="displayName"
            name="displayName"
            label={tr('recovery_form.evidence.name')}
            autocomplete="name"
            maxLength={200}
          />
          <div class="rf-section">
            <fieldset>
              <legend>{tr('recovery_form.evidence.passwords')}</legend>
              <p class="hint">{tr('recovery_form.evidence.passwords_hint')}</p>
              {n(MAX_PASSWORDS).map((i) => (
                <Field
                  id={`password${i}`}
                  name={`password${i}`}
                  type="password"
                  label={tr('recovery_form.evidence.password_n', { n: i })}
                  autocomplete="off"
                  maxLength={1024}
                />
              ))}
            </fieldset>
          </div>
          <div class="rf-section">
            <fieldset>
              <legend>{tr('recovery_form.evidence.countries')}</legend>
              {n(MAX_COUNTRIES).map((i) => (
                <div>
                  <label for={`country${i}`}>{tr('recovery_form.evidence.country_n', { n: i })}</label>
                  <select id={`country${i}`} name={`country${i}`}>
                    <option value="">{tr('recovery_form.evidence.country_none')}</option>
                    {countries.map((c) => (
                      <option value={c.code}>{c.name}</option>
                    ))}
                  </select>
                </div>
              ))}
            </fieldset>
          </div>
          <div class="rf-section">
            <fieldset>
              <legend>{tr('recovery_form.evidence.devices')}</legend>
              <div class="rf-checks">
                {DEVICE_CHOICES.map((d) => (
                  <label>
                    <input type="checkbox" name="devices" value={d} /> {tr(`recovery_form.device.${d}`)}
                  </label>
                ))}
              </div>
            </fieldset>
          </div>
          <div class="rf-section">
            <fieldset>
              <legend>{tr('recovery_form.evidence.emails')}</legend>
              {n(MAX_CONTACTS).map((i) => (
                <Field
                  id={`email${i}`}
                  name={`email${i}`}
                  type="email"
                  label={tr('recovery_form.evidence.email_n', { n: i })}
                  autocomplete="off"
                  maxLength={320}
                />
              ))}
            </fieldset>
          </div>
          <div class="rf-section">
            <fieldset>
              <legend>{tr('recovery_form.evidence.phones')}</legend>
              <label for="phoneCountry">{tr('recovery_form.evidence.phone_country')}</label>
              <select id="phoneCountry" name="phoneCountry">
                {countries.map((c) => (
                  <option value={c.code} selected={c.code === 'JP'}>
                    {`${c.name} (${c.dial})`}
                  </option>
                ))}
              </select>
              {n(2).map((i) => (
                <Field
                  id={`phone${i}`}
                  name={`phone${i}`}
                  type="tel"
                  inputmode="tel"
                  label={tr('recovery_form.evidence.phone_n', { n: i })}
                  autocomplete="off"
                  maxLength={64}
                />
              ))}
            </fieldset>
          </div>
          {s.value.providers.length > 0 ? (
            <div class="rf-section">
              <fieldset>
                <legend>{tr('recovery_form.evidence.more')}</legend>
                {s.value.providers.map((p) => (
                  <Field
                    id={`provider_${p.name}`}
                    name={`provider_${p.name}`}
                    label={p.label[pc.locale]}
                    autocomplete="off"
                    maxLength={200}
                  />
                ))}
              </fieldset>
            </div>
          ) : null}
          <button type="submit">{tr('recovery_form.evidence.submit')}</button>
        </form>
      </div>,
      status,
    );
  };
  web.get('/recovery-form/evidence', async (req, reply) => evidencePage(req, reply));
  web.post('/recovery-form/evidence', { preValidation: web.csrfProtection }, async (req, reply) => {
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const b = body(req);
    const pick = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, i) => b[`${prefix}${i + 1}`] ?? '').filter((x) => x.trim() !== '');
    const providers: Record<string, string> = {};
    for (const [k, val] of Object.entries(b))
      if (k.startsWith('provider_') && val) providers[k.slice(9)] = val;
    const r = await attempt(req, () =>
      submitRecoveryForm(
        deps,
        req.cookies[FLOW_COOKIE],
        {
          displayName: b.displayName,
          passwords: pick('password', MAX_PASSWORDS),
          countries: pick('country', MAX_COUNTRIES),
          devices: raw.devices,
          emails: pick('email', MAX_CONTACTS),
          phones: pick('phone', 2),
          phoneCountry: b.phoneCountry,
          providers,
        },
        req.ctx,
      ),
    );
    if (!r.ok) {
      if (r.error.code === 'recovery_form.not_found') return reply.redirect('/recovery-form', 303);
      setRetryAfter(reply, r.error);
      return evidencePage(req, reply, { error: r.message }, r.error.status);
    }
    reply.clearCookie(FLOW_COOKIE, { path: '/recovery-form' });
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    return sendPage(
      reply,
      pc,
      tr('recovery_form.sent.title'),
      <div class="card narrow">
        <h1>{tr('recovery_form.sent.title')}</h1>
        <Notice kind="ok">
          {tr('recovery_form.sent.body', {
            contact: r.value.maskedContact,
            due: dueText(pc.locale, r.value.dueAt),
          })}
        </Notice>
        <p>{tr('recovery_form.sent.next')}</p>
        <p>
          <a href="/sign-in">{tr('common.back_to_sign_in')}</a>
        </p>
      </div>,
    );
  });

  const resetPage = async (req: Req, reply: Rep, v: { error?: string } = {}, status = 200) => {
    const linkToken = (req.params as { token: string }).token;
    const s = await recoveryLinkState(deps, linkToken);
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    return sendPage(
      reply,
      pc,
      tr('recovery_form.reset.title'),
      <div class="card narrow">
        <h1>{tr('recovery_form.reset.title')}</h1>
        <p class="lead">{tr('recovery_form.reset.lead', { account: s.maskedAccount })}</p>
        <Notice kind="warn">{tr('recovery_form.reset.info', { contact: s.contactEmail })}</Notice>
        <form method="post" action={`/recovery-form/reset/${linkToken}`} novalidate>
          <Csrf pc={pc} />
          <Field
            id="password"
            name="password"
            type="password"
            label={tr('field.new_password')}
            autocomplete="new-password"
            maxLength={1024}
            error={v.error}
            required
          />
          <button type="submit">{tr('recovery_form.reset.submit')}</button>
        </form>
      </div>,
      status,
    );
  };
  web.get('/recovery-form/reset/:token', async (req, reply) => {
    // The address bar holds the link's secret: keep it out of Referer (also sent by the security headers).
    reply.header('referrer-policy', 'no-referrer');
    return resetPage(req, reply);
  });
  web.post('/recovery-form/reset/:token', { preValidation: web.csrfProtection }, async (req, reply) => {
    const linkToken = (req.params as { token: string }).token;
    const r = await attempt(req, () =>
      completeRecoveryReset(deps, linkToken, { password: body(req).password }, req.ctx),
    );
    if (!r.ok) {
      if (r.error.code === 'recovery_form.not_found') throw r.error;
      return resetPage(req, reply, { error: r.message }, r.error.status);
    }
    setTrustedDeviceCookie(deps, reply, r.value.trustedDeviceToken);
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    return sendPage(
      reply,
      pc,
      tr('recovery_form.done.title'),
      <div class="card narrow">
        <h1>{tr('recovery_form.done.title')}</h1>
        <Notice kind="ok">{tr('recovery_form.done.body')}</Notice>
        <p>
          {r.value.replacement === 'started'
            ? tr('recovery_form.done.replacement')
            : tr('recovery_form.done.replacement_pending')}
        </p>
        <p>
          <a class="button" href="/sign-in">
            {tr('signin.submit')}
          </a>
        </p>
      </div>,
    );
  });
}
