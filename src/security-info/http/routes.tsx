import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findAccountById } from '../../accounts/store.ts';
import type { Deps } from '../../deps.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { pendingReplacementBanner } from '../../replacement/replacement-service.ts';
import type { SessionView } from '../../sessions/session-cache.ts';
import { FormCard, formPage, formSchema, readForm, text } from '../../web/form-kit.tsx';
import { PhoneFields } from '../../web/phone-fields.tsx';
import {
  CodeForm,
  Csrf,
  Field,
  Notice,
  pageContext,
  sendPage,
  type T as Translate,
  translator,
} from '../../web/render.tsx';
import {
  attempt,
  freshOrRedirect,
  freshSession,
  sessionOrRedirect,
  setRetryAfter,
} from '../../web/web-helpers.ts';
import {
  addEmail,
  addPhone,
  listMethods,
  relabelMethod,
  removalPreview,
  removeMethod,
  resendAvailableAt,
  resendMethodCode,
  verifyMethod,
} from '../methods-service.ts';
import { recoveryCodeInfo } from '../recovery-code-service.ts';
import { SecurityOverview, shown } from './pages.tsx';

/** The forms of these pages: the fields each handler reads (web/form-kit.tsx). */
const AddEmailForm = formSchema({ email: text(), label: text(), acceptTypo: text() });
const AddPhoneForm = formSchema({ country: text(), number: text(), label: text() });
const VerifyForm = formSchema({ code: text() });
const LabelForm = formSchema({ label: text() });

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

/** The security overview (`/security`) and the contact emails and phones: add, verify, rename, remove. */
export function securityInfoRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {
  overviewRoutes(web, deps);
  addEmailRoutes(web, deps);
  addPhoneRoutes(web, deps);
  verifyRoutes(web, deps);
  editRoutes(web, deps);
  removeRoutes(web, deps);
}

/** The security overview (`/security`). */
function overviewRoutes(web: FastifyInstance, deps: Pick<Deps, 'config' | 'db'>): void {
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
    const done = DONE[(req.query as { done?: string }).done ?? ''];
    const recoveryMadeAt =
      account?.recoveryCodeCreatedAt && recovery.working ? account.recoveryCodeCreatedAt : null;
    return sendPage(
      reply,
      pc,
      tr('security.title'),
      <SecurityOverview
        pc={pc}
        s={s}
        methods={methods}
        pending={pending}
        recoveryMadeAt={recoveryMadeAt}
        done={done}
        maxMethods={deps.config.maxMethods}
      />,
    );
  });
}

/** Adding a contact email (`/security/emails/add`); a code is sent to it. */
function addEmailRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'cipher' | 'emit'>,
): void {
  formPage(web, {
    path: '/security/emails/add',
    form: AddEmailForm,
    guard: freshSession(deps),
    page: ({ pc, tr, values: v, failure }) => {
      const suggestion =
        failure?.error.code === 'contact.email_typo' ? String(failure.error.params.suggestion) : undefined;
      return {
        title: tr('add_email.title'),
        body: (
          <FormCard
            pc={pc}
            title={tr('add_email.title')}
            lead={tr('add_email.lead')}
            action="/security/emails/add"
            submit={tr('add.send_code')}
            back={{ href: '/security', label: tr('common.back') }}
            before={
              suggestion ? (
                <Notice kind="warn">
                  <p>{tr('add_email.typo', { suggestion })}</p>
                  <form method="post" action="/security/emails/add" class="inline">
                    <Csrf pc={pc} />
                    <input type="hidden" name="email" value={suggestion} />
                    <input type="hidden" name="label" value={v.label ?? ''} />
                    <button type="submit">{tr('add_email.use_suggestion', { suggestion })}</button>
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
              ) : null
            }
          >
            <Field
              id="email"
              name="email"
              type="email"
              label={tr('field.contact_email')}
              value={v.email}
              autocomplete="email"
              required
              maxLength={320}
              error={suggestion ? undefined : failure?.message}
            />
            <LabelField tr={tr} value={v.label} />
          </FormCard>
        ),
      };
    },
    submit: ({ req, who, form }) =>
      addEmail(deps, who, { email: form.email, label: form.label, acceptTypo: form.acceptTypo }, req.ctx),
    done: ({ reply, value }) => reply.redirect(`/security/methods/${value.methodId}/verify`, 303),
  });
}

/** Adding a mobile number (`/security/phones/add`); a code is sent by SMS. */
function addPhoneRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'cipher' | 'emit'>,
): void {
  formPage(web, {
    path: '/security/phones/add',
    form: AddPhoneForm,
    guard: freshSession(deps),
    page: ({ pc, tr, values: v, failure }) => ({
      title: tr('add_phone.title'),
      body: (
        <FormCard
          pc={pc}
          title={tr('add_phone.title')}
          lead={tr('add_phone.lead')}
          action="/security/phones/add"
          submit={tr('add.send_code')}
          back={{ href: '/security', label: tr('common.back') }}
        >
          <PhoneFields
            pc={pc}
            country={v.country ?? 'JP'}
            number={v.number}
            error={failure?.message}
            hint={tr('add_phone.hint')}
          />
          <LabelField tr={tr} value={v.label} />
        </FormCard>
      ),
    }),
    submit: ({ req, who, form }) =>
      addPhone(deps, who, { country: form.country, number: form.number, label: form.label }, req.ctx),
    done: ({ reply, value }) => reply.redirect(`/security/methods/${value.methodId}/verify`, 303),
  });
}

/** The optional name of a contact ("work", "仕事用"), shared by the add-email and add-phone forms. */
function LabelField(p: { tr: Translate; value?: string }) {
  return (
    <Field
      id="label"
      name="label"
      label={p.tr('field.label')}
      value={p.value}
      hint={p.tr('field.label_hint')}
      maxLength={40}
    />
  );
}

/** Verifying a new contact with its code, or sending a new one (`/security/methods/:id/verify|resend`). */
function verifyRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {
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
    const r = await attempt(req, () => verifyMethod(deps, s, id, readForm(req, VerifyForm).code, req.ctx));
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
}

/** Renaming a method (`/security/methods/:id/edit`). */
function editRoutes(web: FastifyInstance, deps: Pick<Deps, 'config' | 'db' | 'clock' | 'emit'>): void {
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
    const r = await attempt(req, () => relabelMethod(deps, s, id, readForm(req, LabelForm).label, req.ctx));
    if (!r.ok && r.error.code === 'auth.reauth_required')
      return reauthFirst(reply, `/security/methods/${id}/edit`);
    if (!r.ok) throw r.error;
    return reply.redirect('/security?done=labelled', 303);
  });
}

/** Removing a method, after a confirmation page (`/security/methods/:id/remove`). */
function removeRoutes(web: FastifyInstance, deps: Pick<Deps, 'config' | 'db' | 'clock' | 'emit'>): void {
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
}

/**
 * The second step of a change needs a step-up this session no longer holds (a change made elsewhere since,
 * or with two-step on, no second factor since): step up, then come back.
 */
function reauthFirst(reply: FastifyReply, back: string) {
  return reply.redirect(`/security/reauth?next=${encodeURIComponent(back)}`, 303);
}
