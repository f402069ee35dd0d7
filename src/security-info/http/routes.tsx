import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findAccountById } from '../../accounts/store.ts';
import type { Deps } from '../../deps.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { policyForAccount } from '../../organisations/account-policy.ts';
import { requirementForPage } from '../../organisations/enforcement.ts';
import { removalBreaks } from '../../organisations/method-rules.ts';
import { pendingReplacementBanner } from '../../replacement/replacement-service.ts';
import type { SessionView } from '../../sessions/session-cache.ts';
import { EmailTypoChoice } from '../../web/account-fields.tsx';
import {
  FormCard,
  type FormFailure,
  formPage,
  formSchema,
  readForm,
  readParams,
  readQuery,
  submitForm,
  text,
} from '../../web/form-kit.tsx';
import { OrgAddNotice } from '../../web/org-requirements.tsx';
import { PhoneFields } from '../../web/phone-fields.tsx';
import {
  CodeForm,
  Field,
  Notice,
  pageContext,
  sendPage,
  type T as Translate,
  translator,
} from '../../web/render.tsx';
import { afterMethodAdded } from '../../web/required-return.ts';
import { freshSession, sessionOrRedirect } from '../../web/web-helpers.ts';
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
import { currentRecoveryCodeVersion, recoveryCodeInfo } from '../recovery-code-service.ts';
import { RemoveMethodCard, SecurityOverview, shown } from './pages.tsx';

/** The forms of these pages: the fields each handler reads (web/form-kit.tsx). */
const AddEmailForm = formSchema({ email: text(), label: text(), acceptTypo: text() });
const AddPhoneForm = formSchema({ country: text(), number: text(), label: text() });
const VerifyForm = formSchema({ code: text() });
const LabelForm = formSchema({ label: text() });
const NoFields = formSchema({});
/** The method a page is about (`/security/methods/:id/…`). */
const MethodParams = formSchema({ id: text() });
/** What was just done, for the overview's notice (`/security?done=…`). */
const DoneQuery = formSchema({ done: text() });

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
  recovery_stale: 'error.recovery_code.stale',
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
function overviewRoutes(web: FastifyInstance, deps: Pick<Deps, 'config' | 'db' | 'clock'>): void {
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
    const done = DONE[readQuery(req, DoneQuery).done ?? ''];
    const r = await requirementForPage(deps, s.accountId, deps.config.maxMethods);
    const org = r
      ? {
          r,
          required: new Set(methods.filter((m) => removalBreaks(r.policy, methods, m.id)).map((m) => m.id)),
        }
      : null;
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
        recoveryVersion={await currentRecoveryCodeVersion(deps.db, s.accountId)}
        done={done}
        maxMethods={deps.config.maxMethods}
        org={org}
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
    page: async ({ pc, tr, who, values: v, failure }) => {
      const { policy } = await policyForAccount(deps.db, who.accountId);
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
                <EmailTypoChoice
                  pc={pc}
                  tr={tr}
                  action="/security/emails/add"
                  suggestion={suggestion}
                  typed={v.email ?? ''}
                  keep={{ label: v.label ?? '' }}
                />
              ) : (
                <OrgAddNotice pc={pc} policy={policy} kind="email" />
              )
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
    page: async ({ pc, tr, who, values: v, failure }) => ({
      title: tr('add_phone.title'),
      body: (
        <FormCard
          pc={pc}
          title={tr('add_phone.title')}
          lead={tr('add_phone.lead')}
          action="/security/phones/add"
          submit={tr('add.send_code')}
          back={{ href: '/security', label: tr('common.back') }}
          before={
            <OrgAddNotice
              pc={pc}
              policy={(await policyForAccount(deps.db, who.accountId)).policy}
              kind="phone"
            />
          }
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
  /** The code form of a method not verified yet; a method that is gone or verified leads to the overview. */
  const verifyPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    s: SessionView,
    id: string | undefined,
    v: { error?: string; notice?: string },
    status = 200,
  ) => {
    const m = (await listMethods(deps.db, s.accountId)).find((x) => x.id === id);
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
    return verifyPage(req, reply, s, readParams(req, MethodParams).id, {});
  });
  web.post('/security/methods/:id/verify', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const { id } = readParams(req, MethodParams);
    const r = await methodChange(
      req,
      reply,
      `/security/methods/${id}/verify`,
      () => verifyMethod(deps, s, id, readForm(req, VerifyForm).code, req.ctx),
      (f) => verifyPage(req, reply, s, id, { error: f.message }, f.status),
    );
    return r.ok ? reply.redirect(afterMethodAdded(req, '/security?done=verified'), 303) : r.reply;
  });
  web.post('/security/methods/:id/resend', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const { id } = readParams(req, MethodParams);
    const r = await methodChange(
      req,
      reply,
      `/security/methods/${id}/verify`,
      () => resendMethodCode(deps, s, id, req.ctx),
      (f) => verifyPage(req, reply, s, id, { error: f.message }, f.status),
    );
    if (!r.ok) return r.reply;
    return verifyPage(req, reply, s, id, { notice: translator(req.ctx.locale)('code.resent') });
  });
}

/** Renaming a method (`/security/methods/:id/edit`). A refused name goes to the error page, as before. */
function editRoutes(web: FastifyInstance, deps: Pick<Deps, 'config' | 'db' | 'clock' | 'emit'>): void {
  web.get('/security/methods/:id/edit', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const { id } = readParams(req, MethodParams);
    const m = (await listMethods(deps.db, s.accountId)).find((x) => x.id === id);
    if (!m) return reply.redirect('/security', 303);
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    return sendPage(
      reply,
      pc,
      tr('edit.title'),
      <FormCard
        pc={pc}
        title={tr('edit.title')}
        before={<p class="m-value">{shown(m, pc.locale)}</p>}
        action={`/security/methods/${m.id}/edit`}
        submit={tr('common.save')}
        back={{ href: '/security', label: tr('common.back') }}
      >
        <LabelField tr={tr} value={m.label ?? undefined} />
      </FormCard>,
    );
  });
  web.post('/security/methods/:id/edit', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const { id } = readParams(req, MethodParams);
    const r = await methodChange(
      req,
      reply,
      `/security/methods/${id}/edit`,
      () => relabelMethod(deps, s, id, readForm(req, LabelForm).label, req.ctx),
      (f) => {
        throw f.error;
      },
    );
    return r.ok ? reply.redirect('/security?done=labelled', 303) : r.reply;
  });
}

/** Removing a method, after a confirmation page (`/security/methods/:id/remove`); needs a fresh proof. */
function removeRoutes(web: FastifyInstance, deps: Pick<Deps, 'config' | 'db' | 'clock' | 'emit'>): void {
  formPage(web, {
    path: '/security/methods/:id/remove',
    form: NoFields,
    guard: freshSession(deps),
    page: async ({ req, pc, tr, who, failure }) => {
      const { id } = readParams(req, MethodParams);
      const preview = await removalPreview(deps, who, id);
      return {
        title: tr('remove.title'),
        body: <RemoveMethodCard pc={pc} id={id ?? ''} preview={preview} error={failure?.message} />,
      };
    },
    submit: ({ req, who }) => removeMethod(deps, who, readParams(req, MethodParams).id, req.ctx),
    done: ({ reply, value }) =>
      reply.redirect(`/security?done=${value.announced ? 'removed' : 'removed_unverified'}`, 303),
  });
}

/**
 * Runs a change to a method (`action`). When it needs a step-up this session no longer holds (a change made
 * elsewhere since, or with two-step on, no second factor since), the answer is a redirect to step up and
 * come back to `back`; any other expected failure goes to `again` (see `submitForm`).
 */
function methodChange<V>(
  req: FastifyRequest,
  reply: FastifyReply,
  back: string,
  action: () => Promise<V>,
  again: (failure: FormFailure) => FastifyReply | Promise<FastifyReply>,
) {
  return submitForm(req, reply, action, (f) =>
    f.error.code === 'auth.reauth_required'
      ? reply.redirect(`/security/reauth?next=${encodeURIComponent(back)}`, 303)
      : again(f),
  );
}
