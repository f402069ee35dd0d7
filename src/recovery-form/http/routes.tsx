import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { type FormField, formSchema, readForm, text } from '../../web/form-kit.tsx';
import { pageContext, sendPage, translator } from '../../web/render.tsx';
import { setTrustedDeviceCookie } from '../../web/trusted-device-cookie.ts';
import { attempt, setRetryAfter } from '../../web/web-helpers.ts';
import { evidenceProviders } from '../evidence-providers.ts';
import {
  completeRecoveryReset,
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
import { CodePage, DonePage, EvidencePage, ResetPage, SentPage, StartPage } from './pages.tsx';

const FLOW_COOKIE = 'mamori_recovery';

/** The forms of these pages: the fields each handler reads (web/form-kit.tsx). */
const StartForm = formSchema({ account: text(), contactEmail: text(), pow: text() });
const ContactCodeForm = formSchema({ code: text() });
const NewPasswordForm = formSchema({ password: text() });
/** The numbered fields of the evidence form: `password1`…`password3`, `country1`…, `email1`…, `phone1`, `phone2`. */
const numbered = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => [`${prefix}${i + 1}`, text()] as const);
const PHONE_FIELDS = 2;
const EvidenceForm = formSchema<Record<string, FormField>>({
  displayName: text(),
  phoneCountry: text(),
  ...Object.fromEntries([
    ...numbered('password', MAX_PASSWORDS),
    ...numbered('country', MAX_COUNTRIES),
    ...numbered('email', MAX_CONTACTS),
    ...numbered('phone', PHONE_FIELDS),
  ]),
});
/** The host's evidence questions (`provider_<name>`): registered at start, so read per request. */
const providerForm = () =>
  formSchema(Object.fromEntries(evidenceProviders().map((p) => [`provider_${p.name}`, text()])));
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

function startPage(
  deps: Pick<Deps, 'config' | 'clock' | 'random'>,
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
) {
  const pc = pageContext(req, reply);
  const tr = translator(pc.locale);
  const challenge = createPowChallenge(deps);
  return sendPage(reply, pc, tr('recovery_form.title'), <StartPage pc={pc} pow={challenge} {...v} />, status);
}

async function codePage(
  deps: Pick<Deps, 'db' | 'clock'>,
  req: Req,
  reply: Rep,
  v: { error?: string; notice?: string; resendAt?: Date } = {},
  status = 200,
) {
  const s = await attempt(req, () => recoveryFormState(deps, req.cookies[FLOW_COOKIE]));
  if (!s.ok) return reply.redirect('/recovery-form', 303);
  if (s.value.step === 'evidence') return reply.redirect('/recovery-form/evidence', 303);
  const pc = pageContext(req, reply);
  const tr = translator(pc.locale);
  return sendPage(
    reply,
    pc,
    tr('recovery_form.code.title'),
    <CodePage
      pc={pc}
      maskedContact={s.value.maskedContact}
      now={deps.clock.now()}
      error={v.error}
      notice={v.notice}
      resendAt={v.resendAt}
    />,
    status,
  );
}

async function evidencePage(
  deps: Pick<Deps, 'db' | 'clock'>,
  req: Req,
  reply: Rep,
  v: { error?: string } = {},
  status = 200,
) {
  const s = await attempt(req, () => recoveryFormState(deps, req.cookies[FLOW_COOKIE]));
  if (!s.ok) return reply.redirect('/recovery-form', 303);
  if (s.value.step === 'code') return reply.redirect('/recovery-form/code', 303);
  const pc = pageContext(req, reply);
  const tr = translator(pc.locale);
  return sendPage(
    reply,
    pc,
    tr('recovery_form.evidence.title'),
    <EvidencePage pc={pc} state={s.value} error={v.error} />,
    status,
  );
}

async function resetPage(
  deps: Pick<Deps, 'db' | 'clock'>,
  req: Req,
  reply: Rep,
  v: { error?: string } = {},
  status = 200,
) {
  const linkToken = (req.params as { token: string }).token;
  const s = await recoveryLinkState(deps, linkToken);
  const pc = pageContext(req, reply);
  const tr = translator(pc.locale);
  return sendPage(
    reply,
    pc,
    tr('recovery_form.reset.title'),
    <ResetPage
      pc={pc}
      linkToken={linkToken}
      maskedAccount={s.maskedAccount}
      contactEmail={s.contactEmail}
      error={v.error}
    />,
    status,
  );
}

/** The account recovery form (docs/flows/recovery-form.md). */
export function recoveryFormRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {
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

  web.get('/recovery-form', async (req, reply) => startPage(deps, req, reply, {}));
  web.post('/recovery-form', { preValidation: web.csrfProtection }, async (req, reply) => {
    const b = readForm(req, StartForm);
    const r = await attempt(req, () =>
      startRecoveryForm(deps, { account: b.account, contactEmail: b.contactEmail, pow: b.pow }, req.ctx),
    );
    if (!r.ok) {
      setRetryAfter(reply, r.error);
      const tr = translator(req.ctx.locale);
      const code = r.error.code;
      const v = { account: b.account, contactEmail: b.contactEmail };
      if (code === 'account.email_invalid')
        return startPage(deps, req, reply, { ...v, accountError: r.message }, 400);
      if (code === 'recovery_form.invalid')
        return startPage(deps, req, reply, { ...v, contactError: tr('recovery_form.contact_same') }, 400);
      if (code.startsWith('contact.'))
        return startPage(deps, req, reply, { ...v, contactError: r.message }, 400);
      return startPage(deps, req, reply, { ...v, error: r.message }, r.error.status);
    }
    reply.setCookie(FLOW_COOKIE, r.value.flowToken, cookieOpts);
    return reply.redirect('/recovery-form/code', 303);
  });

  web.get('/recovery-form/code', async (req, reply) => codePage(deps, req, reply));
  web.post('/recovery-form/code', { preValidation: web.csrfProtection }, async (req, reply) => {
    const r = await attempt(req, () =>
      verifyRecoveryContact(deps, req.cookies[FLOW_COOKIE], readForm(req, ContactCodeForm).code),
    );
    if (!r.ok) {
      if (r.error.code === 'recovery_form.not_found') return reply.redirect('/recovery-form', 303);
      setRetryAfter(reply, r.error);
      return codePage(deps, req, reply, { error: r.message }, r.error.status);
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
        deps,
        req,
        reply,
        {
          error: r.message,
          resendAt: seconds > 0 ? new Date(deps.clock.now().getTime() + seconds * 1000) : undefined,
        },
        r.error.status,
      );
    }
    return codePage(deps, req, reply, {
      notice: translator(req.ctx.locale)('code.resent'),
      resendAt: r.value.resendAt,
    });
  });

  web.get('/recovery-form/evidence', async (req, reply) => evidencePage(deps, req, reply));
  web.post('/recovery-form/evidence', { preValidation: web.csrfProtection }, async (req, reply) => {
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const b = readForm(req, EvidenceForm);
    const pick = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, i) => b[`${prefix}${i + 1}`] ?? '').filter((x) => x.trim() !== '');
    const providers: Record<string, string> = {};
    for (const [k, val] of Object.entries(readForm(req, providerForm())))
      if (val) providers[k.slice('provider_'.length)] = val;
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
          phones: pick('phone', PHONE_FIELDS),
          phoneCountry: b.phoneCountry,
          providers,
        },
        req.ctx,
      ),
    );
    if (!r.ok) {
      if (r.error.code === 'recovery_form.not_found') return reply.redirect('/recovery-form', 303);
      setRetryAfter(reply, r.error);
      return evidencePage(deps, req, reply, { error: r.message }, r.error.status);
    }
    reply.clearCookie(FLOW_COOKIE, { path: '/recovery-form' });
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    return sendPage(
      reply,
      pc,
      tr('recovery_form.sent.title'),
      <SentPage pc={pc} maskedContact={r.value.maskedContact} dueAt={r.value.dueAt} />,
    );
  });

  web.get('/recovery-form/reset/:token', async (req, reply) => {
    // The address bar holds the link's secret: keep it out of Referer (also sent by the security headers).
    reply.header('referrer-policy', 'no-referrer');
    return resetPage(deps, req, reply);
  });
  web.post('/recovery-form/reset/:token', { preValidation: web.csrfProtection }, async (req, reply) => {
    const linkToken = (req.params as { token: string }).token;
    const r = await attempt(req, () =>
      completeRecoveryReset(deps, linkToken, { password: readForm(req, NewPasswordForm).password }, req.ctx),
    );
    if (!r.ok) {
      if (r.error.code === 'recovery_form.not_found') throw r.error;
      return resetPage(deps, req, reply, { error: r.message }, r.error.status);
    }
    setTrustedDeviceCookie(deps, reply, r.value.trustedDeviceToken);
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    return sendPage(
      reply,
      pc,
      tr('recovery_form.done.title'),
      <DonePage pc={pc} replacement={r.value.replacement} />,
    );
  });
}
