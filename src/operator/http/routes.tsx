import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { countryName } from '../../activity/geo.ts';
import type { Deps } from '../../deps.ts';
import { isMessageKind } from '../../notifications/message-kinds.ts';
import {
  type ConsoleFrame,
  type ConsoleView,
  consoleContext,
  consoleGet,
  consolePost,
  sendConsolePage,
} from '../../web/console-chrome.tsx';
import { DataTable } from '../../web/data-table.tsx';
import {
  FormCard,
  type FormFailure,
  formSchema,
  readForm,
  readParams,
  readQuery,
  submitForm,
  text,
} from '../../web/form-kit.tsx';
import {
  Csrf,
  Field,
  Notice,
  type PageContext,
  sendPage,
  type T as Translate,
  translator,
} from '../../web/render.tsx';
import { TotpEnrolment } from '../../web/totp-enrolment.tsx';
import { isAuditAction } from '../audit-actions.ts';
import {
  auditLog,
  decideRequest,
  parkedMessages,
  recentDecisions,
  requestDetail,
  retryParked,
  reviewQueue,
} from '../console-service.ts';
import {
  completeOperatorSignIn,
  OPERATOR_ABSOLUTE_MS,
  OPERATOR_COOKIE,
  OPERATOR_PENDING_MS,
  type OperatorNextStep,
  operatorEnrolment,
  pendingOperatorSignIn,
  signInOperator,
  signOutOperator,
} from '../operator-auth.ts';
import { redeemSetupGrant, setupGrantFor } from '../operator-setup.ts';
import { auditDetail, Evidence, when } from './pages.tsx';

/** The forms of these pages: the fields each handler reads (web/form-kit.tsx). */
const OperatorSignInForm = formSchema({ name: text(), password: text() });
const OperatorCodeForm = formSchema({ code: text() });
const OperatorSetupForm = formSchema({ token: text(), name: text(), password: text() });
const DecisionForm = formSchema({ decision: text(), reason: text() });
/** The queries and path parameters of these pages. */
const SignInQuery = formSchema({ created: text() });
const SetupQuery = formSchema({ token: text() });
const IdParams = formSchema({ id: text() });

type Req = FastifyRequest;
type Rep = FastifyReply;

/** The console's own pages (queue, request, outbox, audit) draw the navigation and the page in one card. */
const BOXED: ConsoleFrame = { boxed: true };

/** The id in the path of `/operator/…/:id` (the route only matches with one). */
const idOf = (req: Req) => readParams(req, IdParams).id ?? '';

/** The sign-in card of the console (name and password), with an error or the setup's success. */
function SignInCard(p: { pc: PageContext; tr: Translate; name?: string; error?: string; created?: boolean }) {
  const { tr } = p;
  return (
    <FormCard
      pc={p.pc}
      title={tr('operator.signin.title')}
      lead={tr('operator.signin.lead')}
      error={p.error}
      action="/operator/sign-in"
      submit={tr('operator.signin.submit')}
      before={p.created ? <Notice kind="ok">{tr('operator.setup.done')}</Notice> : null}
    >
      <Field
        id="name"
        name="name"
        label={tr('operator.field.name')}
        value={p.name}
        autocomplete="username"
        maxLength={64}
        required
      />
      <Field
        id="password"
        name="password"
        type="password"
        label={tr('field.password')}
        autocomplete="current-password"
        maxLength={1024}
        required
      />
    </FormCard>
  );
}

/** Sends the sign-in page of the console. */
function signInPage(
  req: Req,
  reply: Rep,
  v: { name?: string; error?: string; created?: boolean } = {},
  status = 200,
) {
  const pc = consoleContext(req, reply);
  const tr = translator(pc.locale);
  return sendPage(reply, pc, tr('operator.signin.title'), <SignInCard pc={pc} tr={tr} {...v} />, status);
}

/** The console session cookie's options: strict, under /operator only, kept as long as a console session. */
function consoleCookie(deps: Pick<Deps, 'config'>) {
  return {
    httpOnly: true,
    sameSite: 'strict' as const,
    path: '/operator',
    maxAge: OPERATOR_ABSOLUTE_MS / 1000,
    secure: deps.config.publicUrl.startsWith('https://'),
  };
}

/** The operator console under /operator: sign-in, setup links, the review queue, parked messages, the audit log. */
export function operatorRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'limiter' | 'cipher' | 'emit'>,
): void {
  signInRoutes(web, deps);
  setupRoutes(web, deps);
  queueRoutes(web, deps);
  requestRoutes(web, deps);
  outboxRoutes(web, deps);
  auditRoutes(web, deps);
}

/** The page of a step of the sign-in after the password. */
const stepPath = (step: OperatorNextStep) =>
  step === 'enrol' ? '/operator/sign-in/enrol' : '/operator/sign-in/code';

/** Sign-in (password, then enrolment or code) and sign-out. */
function signInRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'db' | 'clock' | 'random' | 'limiter' | 'config'>,
): void {
  const cookieOpts = consoleCookie(deps);
  web.get('/operator/sign-in', async (req, reply) =>
    signInPage(req, reply, readQuery(req, SignInQuery).created === '1' ? { created: true } : {}),
  );
  web.post('/operator/sign-in', { preValidation: web.csrfProtection }, async (req, reply) => {
    const b = readForm(req, OperatorSignInForm);
    const r = await submitForm(
      req,
      reply,
      () => signInOperator(deps, { name: b.name, password: b.password }, req.ctx),
      (f) => signInPage(req, reply, { name: b.name, error: f.message }, f.status),
    );
    if (!r.ok) return r.reply;
    // The pending token opens nothing but the next step (validateOperatorToken refuses it).
    reply.setCookie(OPERATOR_COOKIE, r.value.pendingToken, {
      ...cookieOpts,
      maxAge: OPERATOR_PENDING_MS / 1000,
    });
    return reply.redirect(stepPath(r.value.next), 303);
  });

  /** Step 2 of the sign-in: enrolling an authenticator (first sign-in) or entering its code. */
  const secondStepPage = async (
    req: Req,
    reply: Rep,
    step: OperatorNextStep,
    error?: string,
    status = 200,
  ) => {
    const raw = req.cookies[OPERATOR_COOKIE];
    const pending = await pendingOperatorSignIn(deps, raw);
    if (!pending) {
      if (raw) reply.clearCookie(OPERATOR_COOKIE, { path: '/operator' });
      return reply.redirect('/operator/sign-in', 303);
    }
    if (pending.next !== step) return reply.redirect(stepPath(pending.next), 303);
    const pc = consoleContext(req, reply);
    const tr = translator(pc.locale);
    const enrolment = step === 'enrol' ? await operatorEnrolment(deps, raw) : null;
    const title = tr(step === 'enrol' ? 'operator.enrol.title' : 'operator.code.title');
    return sendPage(
      reply,
      pc,
      title,
      <FormCard
        pc={pc}
        title={title}
        lead={tr(step === 'enrol' ? 'operator.enrol.lead' : 'operator.code.lead')}
        action={stepPath(step)}
        submit={tr(enrolment ? 'totp.submit' : 'operator.code.submit')}
        back={{ href: '/operator/sign-in', label: tr('operator.restart') }}
        before={
          enrolment ? <TotpEnrolment tr={tr} qrSvg={enrolment.qrSvg} manualKey={enrolment.manualKey} /> : null
        }
      >
        <Field
          id="code"
          name="code"
          label={tr(enrolment ? 'totp.step_code' : 'code.label')}
          hint={enrolment ? undefined : tr('code.hint')}
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
  for (const step of ['enrol', 'code'] as const) {
    web.get(stepPath(step), async (req, reply) => secondStepPage(req, reply, step));
    web.post(stepPath(step), { preValidation: web.csrfProtection }, async (req, reply) => {
      const code = readForm(req, OperatorCodeForm).code;
      const r = await submitForm(
        req,
        reply,
        () => completeOperatorSignIn(deps, { pendingToken: req.cookies[OPERATOR_COOKIE], code }, req.ctx),
        (f) => {
          if (f.error.code !== 'signin.flow_invalid')
            return secondStepPage(req, reply, step, f.message, f.status);
          reply.clearCookie(OPERATOR_COOKIE, { path: '/operator' });
          return signInPage(req, reply, { error: f.message }, f.status);
        },
      );
      if (!r.ok) return r.reply;
      reply.setCookie(OPERATOR_COOKIE, r.value.token, cookieOpts);
      return reply.redirect('/operator', 303);
    });
  }
  consolePost(web, deps, '/operator/sign-out', async (req, reply, op) => {
    await signOutOperator(deps, req.cookies[OPERATOR_COOKIE], op);
    reply.clearCookie(OPERATOR_COOKIE, { path: '/operator' });
    return reply.redirect('/operator/sign-in', 303);
  });
}

/** The field of the setup form a refusal is about (the others are said above the form). */
function setupField(f: FormFailure): 'name' | 'password' | undefined {
  const code = f.error.code;
  if (code === 'operator.name_invalid' || code === 'operator.name_taken') return 'name';
  return code === 'password.too_short' ? 'password' : undefined;
}

/** The one-time setup links (operator/operator-setup.ts). */
function setupRoutes(web: FastifyInstance, deps: Pick<Deps, 'db' | 'clock' | 'random' | 'config'>): void {
  /** The one-time setup link (operator/operator-setup.ts): choose a password (and the first one's name). */
  const setupPage = async (
    req: Req,
    reply: Rep,
    raw: string | undefined,
    v: { name?: string; failure?: FormFailure } = {},
  ) => {
    const pc = consoleContext(req, reply);
    pc.path = '/operator/setup';
    const tr = translator(pc.locale);
    const r = await submitForm(
      req,
      reply,
      () => setupGrantFor(deps, raw),
      (f) =>
        sendPage(
          reply,
          pc,
          tr('operator.setup.title'),
          <div class="card narrow">
            <h1>{tr('operator.setup.title')}</h1>
            <Notice kind="error">{f.message}</Notice>
            <p>
              <a href="/operator/sign-in">{tr('operator.signin.title')}</a>
            </p>
          </div>,
          f.status,
        ),
    );
    if (!r.ok) return r.reply;
    const grant = r.value;
    const field = v.failure ? setupField(v.failure) : undefined;
    const error = v.failure?.message;
    return sendPage(
      reply,
      pc,
      tr('operator.setup.title'),
      <FormCard
        pc={pc}
        title={tr('operator.setup.title')}
        lead={tr('operator.setup.lead', { role: tr(`operator.role.${grant.role}`) })}
        error={field ? undefined : error}
        action="/operator/setup"
        submit={tr('operator.setup.submit')}
      >
        <input type="hidden" name="token" value={String(raw)} />
        {grant.name ? (
          <p>{tr('operator.setup.name_fixed', { name: grant.name })}</p>
        ) : (
          <Field
            id="name"
            name="name"
            label={tr('operator.field.name')}
            hint={tr('operator.setup.name_hint')}
            value={v.name}
            autocomplete="username"
            maxLength={64}
            required
            error={field === 'name' ? error : undefined}
          />
        )}
        <Field
          id="password"
          name="password"
          type="password"
          label={tr('field.password')}
          hint={tr('operator.setup.password_hint')}
          autocomplete="new-password"
          maxLength={1024}
          required
          error={field === 'password' ? error : undefined}
        />
      </FormCard>,
      v.failure?.status ?? 200,
    );
  };
  web.get('/operator/setup', async (req, reply) => setupPage(req, reply, readQuery(req, SetupQuery).token));
  web.post('/operator/setup', { preValidation: web.csrfProtection }, async (req, reply) => {
    const b = readForm(req, OperatorSetupForm);
    const r = await submitForm(
      req,
      reply,
      () => redeemSetupGrant(deps, b.token, { name: b.name, password: b.password }),
      (failure) => setupPage(req, reply, b.token, { name: b.name, failure }),
    );
    return r.ok ? reply.redirect('/operator/sign-in?created=1', 303) : r.reply;
  });
}
/** The review queue and the recent decisions. */
function queueRoutes(web: FastifyInstance, deps: Pick<Deps, 'db' | 'clock'>): void {
  consoleGet(web, deps, '/operator', BOXED, async ({ pc, tr }) => {
    const queue = await reviewQueue(deps);
    const recent = await recentDecisions(deps);
    return {
      title: tr('operator.queue.title'),
      body: (
        <>
          <h1>{tr('operator.queue.title')}</h1>
          <p class="lead">{tr('operator.queue.lead')}</p>
          {queue.length === 0 ? (
            <p data-testid="queue-empty">{tr('operator.queue.empty')}</p>
          ) : (
            <DataTable
              testid="queue"
              stack
              rows={queue}
              rowProps={() => ({ 'data-testid': 'queue-item' })}
              columns={[
                { label: tr('operator.col.account'), primary: true, cell: (r) => r.maskedAccount },
                { label: tr('operator.col.score'), cell: (r) => r.score ?? '—' },
                { label: tr('operator.col.submitted'), cell: (r) => when(pc.locale, r.submittedAt) },
                {
                  label: tr('operator.col.due'),
                  cell: (r) => (
                    <>
                      {when(pc.locale, r.dueAt)}
                      {r.overdue ? <span class="badge overdue">{tr('operator.overdue')}</span> : null}
                    </>
                  ),
                },
                {
                  label: '',
                  cell: (r) => <a href={`/operator/requests/${r.id}`}>{tr('operator.review')}</a>,
                },
              ]}
            />
          )}
          {recent.length > 0 ? (
            <>
              <h2 class="rf-section">{tr('operator.queue.recent')}</h2>
              <DataTable
                rows={recent}
                columns={[
                  {
                    label: tr('operator.col.account'),
                    cell: (r) => <a href={`/operator/requests/${r.id}`}>{r.maskedAccount}</a>,
                  },
                  { label: tr('operator.col.score'), cell: (r) => r.score ?? '—' },
                  {
                    label: tr('operator.col.status'),
                    cell: (r) => tr(`operator.status.${r.status as 'approved'}`),
                  },
                  { label: tr('operator.col.submitted'), cell: (r) => when(pc.locale, r.submittedAt) },
                ]}
              />
            </>
          ) : null}
        </>
      ),
    };
  });
}

/** One recovery request: its evidence and the reviewer's decision. */
function requestRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'cipher' | 'emit'>,
): void {
  /** The request's page: its facts, its evidence, and the decision form (or the decision taken). */
  const requestView = async (
    id: string,
    pc: PageContext,
    tr: Translate,
    v: { error?: string; done?: boolean } = {},
  ): Promise<ConsoleView> => {
    const r = await requestDetail(deps, id);
    return {
      title: tr('operator.request.title'),
      body: (
        <>
          <h1>{tr('operator.request.title')}</h1>
          {v.done ? <Notice kind="ok">{tr('operator.decide.done')}</Notice> : null}
          <dl class="facts">
            <dt>{tr('operator.col.account')}</dt>
            <dd>
              {r.maskedAccount}
              {r.accountKnown ? null : (
                <span class="badge overdue">{tr('operator.request.unknown_account')}</span>
              )}
            </dd>
            <dt>{tr('operator.col.contact')}</dt>
            <dd>{r.maskedContact}</dd>
            <dt>{tr('operator.col.score')}</dt>
            <dd data-testid="score">{r.score ?? '—'}</dd>
            <dt>{tr('operator.col.status')}</dt>
            <dd>{tr(`operator.status.${r.status as 'review'}`)}</dd>
            <dt>{tr('operator.col.submitted')}</dt>
            <dd>{when(pc.locale, r.submittedAt)}</dd>
            <dt>{tr('operator.col.due')}</dt>
            <dd data-testid="due">
              {when(pc.locale, r.dueAt)}
              {r.overdue ? <span class="badge overdue">{tr('operator.overdue')}</span> : null}
            </dd>
            <dt>{tr('operator.request.country')}</dt>
            <dd>{countryName(r.country, pc.locale)}</dd>
          </dl>
          <h2 class="rf-section">{tr('operator.request.evidence')}</h2>
          <Evidence tr={tr} r={r} locale={pc.locale} />
          {r.status === 'review' ? (
            <form method="post" action={`/operator/requests/${r.id}`} class="op-decide rf-section" novalidate>
              <Csrf pc={pc} />
              <h2>{tr('operator.decide.title')}</h2>
              <label for="reason">{tr('operator.decide.reason')}</label>
              <textarea
                id="reason"
                name="reason"
                maxLength={1000}
                required
                aria-invalid={v.error ? 'true' : undefined}
                aria-describedby={v.error ? 'reason-error' : undefined}
              />
              {v.error ? (
                <p class="field-error" id="reason-error" role="alert">
                  {v.error}
                </p>
              ) : null}
              <div class="actions">
                <button type="submit" name="decision" value="approve">
                  {tr('operator.decide.approve')}
                </button>
                <button type="submit" name="decision" value="deny" class="danger">
                  {tr('operator.decide.deny')}
                </button>
              </div>
            </form>
          ) : (
            <p class="rf-section">
              {tr('operator.decided', {
                by: r.decidedBy === 'auto' ? 'auto' : (r.decidedBy ?? ''),
                at: when(pc.locale, r.decidedAt),
                reason: r.decisionReason ?? '',
              })}
            </p>
          )}
        </>
      ),
    };
  };
  consoleGet(web, deps, '/operator/requests/:id', BOXED, ({ req, pc, tr }) => requestView(idOf(req), pc, tr));
  consolePost(web, deps, '/operator/requests/:id', async (req, reply, op) => {
    const id = idOf(req);
    const b = readForm(req, DecisionForm);
    const r = await submitForm(
      req,
      reply,
      () => decideRequest(deps, op, id, { decision: b.decision, reason: b.reason }, req.ctx),
      (f) =>
        sendConsolePage(
          req,
          reply,
          op,
          BOXED,
          ({ pc, tr }) =>
            requestView(id, pc, tr, {
              // An empty or unreadable reason is said at the reason field, in words about the reason.
              error:
                f.error.code === 'recovery_form.invalid' && f.error.params.field === 'reason'
                  ? tr('operator.decide.reason_required')
                  : f.message,
            }),
          f.status,
        ),
    );
    if (!r.ok) return r.reply;
    return sendConsolePage(req, reply, op, BOXED, ({ pc, tr }) => requestView(id, pc, tr, { done: true }));
  });
}

/** Messages the dispatcher parked, and retrying them. */
function outboxRoutes(web: FastifyInstance, deps: Pick<Deps, 'db' | 'clock'>): void {
  /** The parked messages, each with its retry button; `notice` says what was just done. */
  const outboxView = async (pc: PageContext, tr: Translate, notice?: string): Promise<ConsoleView> => {
    const rows = await parkedMessages(deps);
    return {
      title: tr('operator.outbox.title'),
      body: (
        <>
          <h1>{tr('operator.outbox.title')}</h1>
          <p class="lead">{tr('operator.outbox.lead')}</p>
          {notice ? <Notice kind="ok">{notice}</Notice> : null}
          {rows.length === 0 ? (
            <p>{tr('operator.outbox.empty')}</p>
          ) : (
            <DataTable
              testid="parked"
              rows={rows}
              columns={[
                {
                  label: tr('operator.col.kind'),
                  cell: (m) => (isMessageKind(m.kind) ? tr(`messages.kind.${m.kind}`) : m.kind),
                },
                { label: tr('operator.col.recipient'), cell: (m) => m.maskedRecipient },
                { label: tr('operator.col.attempts'), cell: (m) => m.attempts },
                { label: tr('operator.col.error'), cell: (m) => m.lastError },
                { label: tr('operator.col.created'), cell: (m) => when(pc.locale, m.createdAt) },
                {
                  label: '',
                  cell: (m) => (
                    <form method="post" action={`/operator/outbox/${m.id}/retry`} class="inline">
                      <Csrf pc={pc} />
                      <button type="submit" class="secondary">
                        {tr('operator.outbox.retry')}
                      </button>
                    </form>
                  ),
                },
              ]}
            />
          )}
        </>
      ),
    };
  };
  consoleGet(web, deps, '/operator/outbox', BOXED, ({ pc, tr }) => outboxView(pc, tr));
  consolePost(web, deps, '/operator/outbox/:id/retry', async (req, reply, op) => {
    await retryParked(deps, op, idOf(req));
    return sendConsolePage(req, reply, op, BOXED, ({ pc, tr }) =>
      outboxView(pc, tr, tr('operator.outbox.retried')),
    );
  });
}

/** The audit log of operator actions. */
function auditRoutes(web: FastifyInstance, deps: Pick<Deps, 'db' | 'clock'>): void {
  consoleGet(web, deps, '/operator/audit', BOXED, async ({ pc, tr }) => {
    const entries = await auditLog(deps);
    return {
      title: tr('operator.audit.title'),
      body: (
        <>
          <h1>{tr('operator.audit.title')}</h1>
          {entries.length === 0 ? (
            <p>{tr('operator.audit.empty')}</p>
          ) : (
            <DataTable
              testid="audit"
              stack
              rows={entries}
              columns={[
                { label: tr('operator.col.time'), cell: (e) => when(pc.locale, e.createdAt) },
                { label: tr('operator.col.operator'), cell: (e) => e.operatorName },
                {
                  label: tr('operator.col.action'),
                  primary: true,
                  cell: (e) => (isAuditAction(e.action) ? tr(`operator.audit.action.${e.action}`) : e.action),
                },
                { label: tr('operator.col.target'), cell: (e) => <code>{e.target}</code> },
                { label: tr('operator.col.detail'), cell: (e) => auditDetail(tr, e.detail) },
              ]}
            />
          )}
        </>
      ),
    };
  });
}
