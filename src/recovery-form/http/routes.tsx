import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import {
  type FormField,
  type FormPageView,
  formPage,
  formSchema,
  readForm,
  readParams,
  readRepeated,
  submitForm,
  text,
} from '../../web/form-kit.tsx';
import { type PageContext, pageContext, sendPage, translator } from '../../web/render.tsx';
import { setTrustedDeviceCookie } from '../../web/trusted-device-cookie.ts';
import { browserCookie } from '../../web/web-helpers.ts';
import { evidenceProviders } from '../evidence-providers.ts';
import {
  completeRecoveryReset,
  type FormState,
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
/** `/recovery-form/reset/:token`: the one-time link of an approval. */
const LinkParams = formSchema({ token: text() });
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

/**
 * The flow of the cookie when it is at `step`; otherwise null after redirecting to the page of its step, or
 * to the start when it has ended (or never was).
 */
async function flowAt(
  deps: Pick<Deps, 'db' | 'clock'>,
  req: Req,
  reply: Rep,
  step: FormState['step'],
): Promise<FormState | null> {
  const s = await submitForm(
    req,
    reply,
    () => recoveryFormState(deps, req.cookies[FLOW_COOKIE]),
    () => reply.redirect('/recovery-form', 303),
  );
  if (!s.ok) return null;
  if (s.value.step === step) return s.value;
  void reply.redirect(`/recovery-form/${s.value.step}`, 303);
  return null;
}

/**
 * Sends the page of `step` of the cookie's flow with `status` (drawn by `view` from the flow's state), or
 * redirects as `flowAt` does.
 */
async function stepPage(
  deps: Pick<Deps, 'db' | 'clock'>,
  req: Req,
  reply: Rep,
  step: FormState['step'],
  status: number,
  view: (pc: PageContext, s: FormState) => FormPageView,
) {
  const s = await flowAt(deps, req, reply, step);
  if (!s) return reply;
  const pc = pageContext(req, reply);
  const page = view(pc, s);
  return sendPage(reply, pc, page.title, page.body, status);
}

/** Step 2: the code sent to the contact email (`resendAt`: when a new one may be sent). */
function codePage(
  deps: Pick<Deps, 'db' | 'clock'>,
  req: Req,
  reply: Rep,
  v: { error?: string; notice?: string; resendAt?: Date } = {},
  status = 200,
) {
  return stepPage(deps, req, reply, 'code', status, (pc, s) => ({
    title: translator(pc.locale)('recovery_form.code.title'),
    body: (
      <CodePage
        pc={pc}
        maskedContact={s.maskedContact}
        now={deps.clock.now()}
        error={v.error}
        notice={v.notice}
        resendAt={v.resendAt}
      />
    ),
  }));
}

/** Step 3: the evidence. */
function evidencePage(
  deps: Pick<Deps, 'db' | 'clock'>,
  req: Req,
  reply: Rep,
  v: { error?: string } = {},
  status = 200,
) {
  return stepPage(deps, req, reply, 'evidence', status, (pc, s) => ({
    title: translator(pc.locale)('recovery_form.evidence.title'),
    body: <EvidencePage pc={pc} state={s} error={v.error} />,
  }));
}

/** The account recovery form (docs/flows/recovery-form.md). */
export function recoveryFormRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {
  const cookieOpts = { ...browserCookie(deps, 3600), path: '/recovery-form' };

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

  formPage(web, {
    path: '/recovery-form',
    form: StartForm,
    guard: () => ({}),
    page: ({ pc, tr, values: v, failure }) => {
      // A problem with one address is shown under it; anything else above the form.
      const code = failure?.error.code ?? '';
      const fieldError =
        code === 'account.email_invalid'
          ? { accountError: failure?.message }
          : code === 'recovery_form.invalid'
            ? { contactError: tr('recovery_form.contact_same') }
            : code.startsWith('contact.')
              ? { contactError: failure?.message }
              : { error: failure?.message };
      return {
        title: tr('recovery_form.title'),
        body: (
          <StartPage
            pc={pc}
            pow={createPowChallenge(deps)}
            account={v.account}
            contactEmail={v.contactEmail}
            {...fieldError}
          />
        ),
      };
    },
    submit: ({ req, form }) =>
      startRecoveryForm(
        deps,
        { account: form.account, contactEmail: form.contactEmail, pow: form.pow },
        req.ctx,
      ),
    done: ({ reply, value }) => {
      reply.setCookie(FLOW_COOKIE, value.flowToken, cookieOpts);
      return reply.redirect('/recovery-form/code', 303);
    },
    forget: ['pow'],
  });

  web.get('/recovery-form/code', async (req, reply) => codePage(deps, req, reply));
  web.post('/recovery-form/code', { preValidation: web.csrfProtection }, async (req, reply) => {
    const r = await submitForm(
      req,
      reply,
      () => verifyRecoveryContact(deps, req.cookies[FLOW_COOKIE], readForm(req, ContactCodeForm).code),
      (f) =>
        f.error.code === 'recovery_form.not_found'
          ? reply.redirect('/recovery-form', 303)
          : codePage(deps, req, reply, { error: f.message }, f.status),
    );
    if (!r.ok) return r.reply;
    return reply.redirect('/recovery-form/evidence', 303);
  });
  web.post('/recovery-form/resend', { preValidation: web.csrfProtection }, async (req, reply) => {
    const r = await submitForm(
      req,
      reply,
      () => resendRecoveryContactCode(deps, req.cookies[FLOW_COOKIE], req.ctx),
      (f) => {
        // Nothing was sent: say why, and count down to when a code can be sent.
        const seconds = f.error.code === 'code.resend_wait' ? Number(f.error.params.seconds) : 0;
        return codePage(
          deps,
          req,
          reply,
          {
            error: f.message,
            resendAt: seconds > 0 ? new Date(deps.clock.now().getTime() + seconds * 1000) : undefined,
          },
          f.status,
        );
      },
    );
    if (!r.ok) return r.reply;
    return codePage(deps, req, reply, {
      notice: translator(req.ctx.locale)('code.resent'),
      resendAt: r.value.resendAt,
    });
  });

  web.get('/recovery-form/evidence', async (req, reply) => evidencePage(deps, req, reply));
  web.post('/recovery-form/evidence', { preValidation: web.csrfProtection }, async (req, reply) => {
    const b = readForm(req, EvidenceForm);
    const pick = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, i) => b[`${prefix}${i + 1}`] ?? '').filter((x) => x.trim() !== '');
    const providers: Record<string, string> = {};
    for (const [k, val] of Object.entries(readForm(req, providerForm())))
      if (val) providers[k.slice('provider_'.length)] = val;
    const r = await submitForm(
      req,
      reply,
      () =>
        submitRecoveryForm(
          deps,
          req.cookies[FLOW_COOKIE],
          {
            displayName: b.displayName,
            passwords: pick('password', MAX_PASSWORDS),
            countries: pick('country', MAX_COUNTRIES),
            devices: readRepeated(req, 'devices'),
            emails: pick('email', MAX_CONTACTS),
            phones: pick('phone', PHONE_FIELDS),
            phoneCountry: b.phoneCountry,
            providers,
          },
          req.ctx,
        ),
      (f) =>
        f.error.code === 'recovery_form.not_found'
          ? reply.redirect('/recovery-form', 303)
          : evidencePage(deps, req, reply, { error: f.message }, f.status),
    );
    if (!r.ok) return r.reply;
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

  formPage(web, {
    path: '/recovery-form/reset/:token',
    form: NewPasswordForm,
    guard: (req, reply) => {
      // The address bar holds the link's secret: keep it out of Referer (also sent by the security headers).
      reply.header('referrer-policy', 'no-referrer');
      return readParams(req, LinkParams).token ?? '';
    },
    page: async ({ tr, pc, who: linkToken, failure }) => {
      // A link that no longer works is the error page, as on opening it.
      if (failure?.error.code === 'recovery_form.not_found') throw failure.error;
      const s = await recoveryLinkState(deps, linkToken);
      return {
        title: tr('recovery_form.reset.title'),
        body: (
          <ResetPage
            pc={pc}
            linkToken={linkToken}
            maskedAccount={s.maskedAccount}
            contactEmail={s.contactEmail}
            error={failure?.message}
          />
        ),
      };
    },
    submit: ({ req, who: linkToken, form }) =>
      completeRecoveryReset(deps, linkToken, { password: form.password }, req.ctx),
    done: ({ req, reply, value }) => {
      setTrustedDeviceCookie(deps, reply, value.trustedDeviceToken);
      const pc = pageContext(req, reply);
      return sendPage(
        reply,
        pc,
        translator(pc.locale)('recovery_form.done.title'),
        <DonePage pc={pc} replacement={value.replacement} />,
      );
    },
    forget: ['password'],
  });
}
