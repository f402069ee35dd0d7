import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { secondFactorCount, setTwoStep } from '../../accounts/two-step-service.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../kernel/errors.ts';
import type { SessionView } from '../../sessions/session-cache.ts';
import { OneTimeRecoveryCode } from '../../web/account-fields.tsx';
import { FormCard, formSchema, readForm, readParams, submitForm, text } from '../../web/form-kit.tsx';
import { textField } from '../../web/read-fields.ts';
import { Csrf, Field, Notice, pageContext, sendPage, translator } from '../../web/render.tsx';
import { afterMethodAdded } from '../../web/required-return.ts';
import { TotpEnrolment } from '../../web/totp-enrolment.tsx';
import { freshOrRedirect, sessionOrRedirect } from '../../web/web-helpers.ts';
import { normalizeLabel } from '../label.ts';
import { createRecoveryCode } from '../recovery-code-service.ts';
import { confirmTotp, pendingTotp, startTotp } from '../totp-service.ts';

/** The forms of these pages: the fields each handler reads (web/form-kit.tsx). */
const LabelForm = formSchema({ label: text() });
const CodeForm = formSchema({ code: text() });
const TwoStepForm = formSchema({ enabled: text() });
/** The authenticator app being set up (`/security/totp/:id`). */
const TotpParams = formSchema({ id: text() });

type Req = FastifyRequest;
type Rep = FastifyReply;

/** Authenticator apps, recovery code, two-step verification on/off. */
export function twoStepRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {
  // Authenticator app
  const totpPage = async (
    req: Req,
    reply: Rep,
    s: SessionView,
    methodId: string | undefined,
    error?: string,
    status = 200,
  ) => {
    const enrolment = await pendingTotp(deps, s, methodId);
    if (!enrolment) return reply.redirect('/security', 303);
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    return sendPage(
      reply,
      pc,
      tr('totp.title'),
      <FormCard
        pc={pc}
        title={tr('totp.title')}
        before={<TotpEnrolment tr={tr} qrSvg={enrolment.qrSvg} manualKey={enrolment.manualKey} />}
        action={`/security/totp/${enrolment.methodId}`}
        submit={tr('totp.submit')}
        back={{ href: '/security', label: tr('common.cancel') }}
      >
        <Field
          id="code"
          name="code"
          label={tr('totp.step_code')}
          autocomplete="one-time-code"
          inputmode="numeric"
          class="code"
          maxLength={12}
          error={error}
          required
        />
      </FormCard>,
      status,
    );
  };
  // The setup page and the new recovery code are answers to a button: opened by address (a bookmark, a
  // reopened tab), the security page is where those buttons are.
  web.get('/security/totp', async (_req, reply) => reply.redirect('/security', 303));
  web.get('/security/recovery-code', async (_req, reply) => reply.redirect('/security', 303));
  web.post('/security/totp', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s || !freshOrRedirect(deps, reply, s, '/security')) return reply;
    const label = normalizeLabel(readForm(req, LabelForm).label) ?? '';
    const r = await startTotp(deps, s, label);
    return reply.redirect(`/security/totp/${r.methodId}`, 303);
  });
  web.get('/security/totp/:id', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    return totpPage(req, reply, s, readParams(req, TotpParams).id);
  });
  web.post('/security/totp/:id', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const { id } = readParams(req, TotpParams);
    const r = await submitForm(
      req,
      reply,
      () => confirmTotp(deps, s, id, readForm(req, CodeForm).code, req.ctx),
      (f) => totpPage(req, reply, s, id, f.message, f.status),
    );
    return r.ok ? reply.redirect(afterMethodAdded(req, '/security?done=totp'), 303) : r.reply;
  });

  // Recovery code
  web.post('/security/recovery-code', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s || !freshOrRedirect(deps, reply, s, '/security')) return reply;
    // The button names the code it replaces: a reload of this page (the form sent again) replaces nothing.
    let made: Awaited<ReturnType<typeof createRecoveryCode>>;
    try {
      made = await createRecoveryCode(deps, s, req.ctx, textField(req.body, 'replaces') ?? '');
    } catch (e) {
      if (e instanceof AppError && e.code === 'recovery_code.stale')
        return reply.redirect('/security?done=recovery_stale#recovery-code', 303);
      throw e;
    }
    const { recoveryCode: code, replaced } = made;
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    return sendPage(
      reply,
      pc,
      tr('recovery.title'),
      <div class="card narrow">
        <h1>{tr('recovery.title')}</h1>
        <OneTimeRecoveryCode tr={tr} code={code} />
        <p>{tr('recovery.keep')}</p>
        {replaced ? <p class="hint">{tr('recovery.old_invalid')}</p> : null}
        <p>
          <a class="button" href="/security">
            {tr('recovery.done')}
          </a>
        </p>
      </div>,
    );
  });

  // Two-step verification
  const twoStepPage = async (req: Req, reply: Rep, s: SessionView, error?: string, status = 200) => {
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const count = await secondFactorCount(deps, s.accountId);
    return sendPage(
      reply,
      pc,
      tr('twostep.title'),
      <div class="card narrow">
        <h1>{tr('twostep.title')}</h1>
        <p class="lead">{tr(s.twoStep ? 'twostep.on_lead' : 'twostep.off_lead')}</p>
        {error ? <Notice kind="error">{error}</Notice> : null}
        {!s.twoStep && count < 2 ? (
          <Notice kind="warn">{tr('twostep.need_methods', { count })}</Notice>
        ) : null}
        <form method="post" action="/security/two-step">
          <Csrf pc={pc} />
          <input type="hidden" name="enabled" value={s.twoStep ? 'false' : 'true'} />
          <button type="submit" class={s.twoStep ? 'danger' : undefined} disabled={!s.twoStep && count < 2}>
            {tr(s.twoStep ? 'twostep.turn_off' : 'twostep.turn_on')}
          </button>
        </form>
        <p>
          <a href="/security">{tr('common.back')}</a>
        </p>
      </div>,
      status,
    );
  };
  web.get('/security/two-step', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    return twoStepPage(req, reply, s);
  });
  web.post('/security/two-step', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s || !freshOrRedirect(deps, reply, s, '/security/two-step')) return reply;
    const on = readForm(req, TwoStepForm).enabled === 'true';
    // The real reason when it is refused: too few methods, a replacement under way, …
    const r = await submitForm(
      req,
      reply,
      () => setTwoStep(deps, s, on, req.ctx),
      (f) => twoStepPage(req, reply, s, f.message, f.status),
    );
    return r.ok ? reply.redirect(`/security?done=${on ? 'two_step_on' : 'two_step_off'}`, 303) : r.reply;
  });
}
