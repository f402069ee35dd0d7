import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { countryName } from '../../activity/geo.ts';
import type { Deps } from '../../deps.ts';
import { isMessageKind } from '../../notifications/message-kinds.ts';
import { consoleContext, ConsoleNav as Nav } from '../../web/console-chrome.tsx';
import { formSchema, readForm, text } from '../../web/form-kit.tsx';
import { requireOperator } from '../../web/operator-guard.ts';
import { Csrf, Field, Notice, type PageContext, sendPage, translator } from '../../web/render.tsx';
import { attempt, setRetryAfter } from '../../web/web-helpers.ts';
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
  type Operator,
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

type Req = FastifyRequest;
type Rep = FastifyReply;

/** The sign-in page of the console (name and password), with an error or the setup's success. */
function signInPage(
  req: Req,
  reply: Rep,
  v: { name?: string; error?: string; created?: boolean } = {},
  status = 200,
) {
  const pc = consoleContext(req, reply);
  const tr = translator(pc.locale);
  return sendPage(
    reply,
    pc,
    tr('operator.signin.title'),
    <div class="card narrow">
      <h1>{tr('operator.signin.title')}</h1>
      <p class="lead">{tr('operator.signin.lead')}</p>
      {v.created ? <Notice kind="ok">{tr('operator.setup.done')}</Notice> : null}
      {v.error ? <Notice kind="error">{v.error}</Notice> : null}
      <form method="post" action="/operator/sign-in" novalidate>
        <Csrf pc={pc} />
        <Field
          id="name"
          name="name"
          label={tr('operator.field.name')}
          value={v.name}
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
        <button type="submit">{tr('operator.signin.submit')}</button>
      </form>
    </div>,
    status,
  );
}

/** What the console's route groups share: the session cookie's options and the page frame. */
interface ConsoleKit {
  cookieOpts: {
    httpOnly: boolean;
    sameSite: 'strict';
    path: string;
    maxAge: number;
    secure: boolean;
  };
  page: (
    reply: Rep,
    pc: PageContext,
    title: string,
    op: Operator | null,
    children: ComponentChildren,
    status?: number,
  ) => Rep | Promise<Rep>;
}

function consoleKit(deps: Pick<Deps, 'config'>): ConsoleKit {
  const cookieOpts = {
    httpOnly: true,
    sameSite: 'strict' as const,
    path: '/operator',
    maxAge: OPERATOR_ABSOLUTE_MS / 1000,
    secure: deps.config.publicUrl.startsWith('https://'),
  };
  const page = (
    reply: Rep,
    pc: PageContext,
    title: string,
    op: Operator | null,
    children: ComponentChildren,
    status = 200,
  ) =>
    sendPage(
      reply,
      pc,
      title,
      <div class="card">
        {op ? <Nav pc={pc} op={op} /> : <link rel="stylesheet" href="/assets/recovery-form.css" />}
        {children}
      </div>,
      status,
    );
  return { cookieOpts, page };
}

/** The operator console under /operator: sign-in, setup links, the review queue, parked messages, the audit log. */
export function operatorRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'limiter' | 'cipher' | 'emit'>,
): void {
  const kit = consoleKit(deps);
  signInRoutes(web, deps, kit);
  setupRoutes(web, deps);
  queueRoutes(web, deps, kit);
  requestRoutes(web, deps, kit);
  outboxRoutes(web, deps, kit);
  auditRoutes(web, deps, kit);
}

/** Sign-in (password, then enrolment or code) and sign-out. */
function signInRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'db' | 'clock' | 'random' | 'limiter' | 'config'>,
  { cookieOpts }: ConsoleKit,
): void {
  web.get('/operator/sign-in', async (req, reply) => {
    const q = req.query as { created?: string };
    return signInPage(req, reply, q.created === '1' ? { created: true } : {});
  });
  web.post('/operator/sign-in', { preValidation: web.csrfProtection }, async (req, reply) => {
    const b = readForm(req, OperatorSignInForm);
    const r = await attempt(req, () => signInOperator(deps, { name: b.name, password: b.password }, req.ctx));
    if (!r.ok) {
      setRetryAfter(reply, r.error);
      return signInPage(req, reply, { name: b.name, error: r.message }, r.error.status);
    }
    // The pending token opens nothing but the next step (validateOperatorToken refuses it).
    reply.setCookie(OPERATOR_COOKIE, r.value.pendingToken, {
      ...cookieOpts,
      maxAge: OPERATOR_PENDING_MS / 1000,
    });
    return reply.redirect(
      r.value.next === 'enrol' ? '/operator/sign-in/enrol' : '/operator/sign-in/code',
      303,
    );
  });

  /** Step 2 of the sign-in: enrolling an authenticator (first sign-in) or entering its code. */
  const secondStepPage = async (
    req: Req,
    reply: Rep,
    step: OperatorNextStep,
    v: { error?: string } = {},
    status = 200,
  ) => {
    const raw = req.cookies[OPERATOR_COOKIE];
    const pending = await pendingOperatorSignIn(deps, raw);
    if (!pending) {
      if (raw) reply.clearCookie(OPERATOR_COOKIE, { path: '/operator' });
      return reply.redirect('/operator/sign-in', 303);
    }
    if (pending.next !== step)
      return reply.redirect(
        pending.next === 'enrol' ? '/operator/sign-in/enrol' : '/operator/sign-in/code',
        303,
      );
    const pc = consoleContext(req, reply);
    const tr = translator(pc.locale);
    const enrolment = step === 'enrol' ? await operatorEnrolment(deps, raw) : null;
    const action = step === 'enrol' ? '/operator/sign-in/enrol' : '/operator/sign-in/code';
    return sendPage(
      reply,
      pc,
      tr(step === 'enrol' ? 'operator.enrol.title' : 'operator.code.title'),
      <div class="card narrow">
        <h1>{tr(step === 'enrol' ? 'operator.enrol.title' : 'operator.code.title')}</h1>
        <p class="lead">{tr(step === 'enrol' ? 'operator.enrol.lead' : 'operator.code.lead')}</p>
        {enrolment ? (
          <>
            <ol class="steps">
              <li>{tr('totp.step_install')}</li>
              <li>{tr('totp.step_scan')}</li>
            </ol>
            <div
              class="qr"
              role="img"
              aria-label={tr('totp.qr_label')}
              dangerouslySetInnerHTML={{ __html: enrolment.qrSvg }}
            />
            <p class="hint">{tr('totp.manual')}</p>
            <p class="manual-key" data-testid="manual-key">
              <code>{enrolment.manualKey}</code>
            </p>
          </>
        ) : null}
        <form method="post" action={action} novalidate>
          <Csrf pc={pc} />
          <Field
            id="code"
            name="code"
            label={tr(enrolment ? 'totp.step_code' : 'code.label')}
            hint={enrolment ? undefined : tr('code.hint')}
            autocomplete="one-time-code"
            inputmode="numeric"
            class="code"
            maxLength={12}
            error={v.error}
            required
          />
          <button type="submit">{tr(enrolment ? 'totp.submit' : 'operator.code.submit')}</button>
        </form>
        <p>
          <a href="/operator/sign-in">{tr('operator.restart')}</a>
        </p>
      </div>,
      status,
    );
  };
  for (const step of ['enrol', 'code'] as const) {
    const path = step === 'enrol' ? '/operator/sign-in/enrol' : '/operator/sign-in/code';
    web.get(path, async (req, reply) => secondStepPage(req, reply, step));
    web.post(path, { preValidation: web.csrfProtection }, async (req, reply) => {
      const r = await attempt(req, () =>
        completeOperatorSignIn(
          deps,
          { pendingToken: req.cookies[OPERATOR_COOKIE], code: readForm(req, OperatorCodeForm).code },
          req.ctx,
        ),
      );
      if (!r.ok) {
        setRetryAfter(reply, r.error);
        if (r.error.code === 'signin.flow_invalid') {
          reply.clearCookie(OPERATOR_COOKIE, { path: '/operator' });
          return signInPage(req, reply, { error: r.message }, r.error.status);
        }
        return secondStepPage(req, reply, step, { error: r.message }, r.error.status);
      }
      reply.setCookie(OPERATOR_COOKIE, r.value.token, cookieOpts);
      return reply.redirect('/operator', 303);
    });
  }
  web.post('/operator/sign-out', { preValidation: web.csrfProtection }, async (req, reply) => {
    const op = await requireOperator(deps, req, reply);
    if (!op) return reply;
    await signOutOperator(deps, req.cookies[OPERATOR_COOKIE], op);
    reply.clearCookie(OPERATOR_COOKIE, { path: '/operator' });
    return reply.redirect('/operator/sign-in', 303);
  });
}

/** The one-time setup links (operator/operator-setup.ts). */
function setupRoutes(web: FastifyInstance, deps: Pick<Deps, 'db' | 'clock' | 'random' | 'config'>): void {
  /** The one-time setup link (operator/operator-setup.ts): choose a password (and the first one's name). */
  const setupPage = async (
    req: Req,
    reply: Rep,
    raw: unknown,
    v: { name?: string; error?: string; field?: 'name' | 'password' } = {},
    status = 200,
  ) => {
    const pc = consoleContext(req, reply);
    pc.path = '/operator/setup';
    const tr = translator(pc.locale);
    const r = await attempt(req, () => setupGrantFor(deps, raw));
    if (!r.ok)
      return sendPage(
        reply,
        pc,
        tr('operator.setup.title'),
        <div class="card narrow">
          <h1>{tr('operator.setup.title')}</h1>
          <Notice kind="error">{r.message}</Notice>
          <p>
            <a href="/operator/sign-in">{tr('operator.signin.title')}</a>
          </p>
        </div>,
        r.error.status,
      );
    const grant = r.value;
    return sendPage(
      reply,
      pc,
      tr('operator.setup.title'),
      <div class="card narrow">
        <h1>{tr('operator.setup.title')}</h1>
        <p class="lead">{tr('operator.setup.lead', { role: tr(`operator.role.${grant.role}`) })}</p>
        {v.error && !v.field ? <Notice kind="error">{v.error}</Notice> : null}
        <form method="post" action="/operator/setup" novalidate>
          <Csrf pc={pc} />
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
              error={v.field === 'name' ? v.error : undefined}
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
            error={v.field === 'password' ? v.error : undefined}
          />
          <button type="submit">{tr('operator.setup.submit')}</button>
        </form>
      </div>,
      status,
    );
  };
  web.get('/operator/setup', async (req, reply) =>
    setupPage(req, reply, (req.query as { token?: string }).token),
  );
  web.post('/operator/setup', { preValidation: web.csrfProtection }, async (req, reply) => {
    const b = readForm(req, OperatorSetupForm);
    const r = await attempt(req, () =>
      redeemSetupGrant(deps, b.token, { name: b.name, password: b.password }),
    );
    if (!r.ok) {
      const code = r.error.code;
      const field =
        code === 'operator.name_invalid' || code === 'operator.name_taken'
          ? ('name' as const)
          : code === 'password.too_short'
            ? ('password' as const)
            : undefined;
      return setupPage(req, reply, b.token, { name: b.name, error: r.message, field }, r.error.status);
    }
    return reply.redirect('/operator/sign-in?created=1', 303);
  });
}

/** The review queue and the recent decisions. */
function queueRoutes(web: FastifyInstance, deps: Pick<Deps, 'db' | 'clock'>, { page }: ConsoleKit): void {
  web.get('/operator', async (req, reply) => {
    const op = await requireOperator(deps, req, reply);
    if (!op) return reply;
    const pc = consoleContext(req, reply);
    const tr = translator(pc.locale);
    const queue = await reviewQueue(deps);
    const recent = await recentDecisions(deps);
    return page(
      reply,
      pc,
      tr('operator.queue.title'),
      op,
      <>
        <h1>{tr('operator.queue.title')}</h1>
        <p class="lead">{tr('operator.queue.lead')}</p>
        {queue.length === 0 ? (
          <p data-testid="queue-empty">{tr('operator.queue.empty')}</p>
        ) : (
          <table data-testid="queue" class="stack">
            <thead>
              <tr>
                <th>{tr('operator.col.account')}</th>
                <th>{tr('operator.col.score')}</th>
                <th>{tr('operator.col.submitted')}</th>
                <th>{tr('operator.col.due')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {queue.map((r) => (
                <tr data-testid="queue-item">
                  <td data-label={tr('operator.col.account')} class="primary">
                    {r.maskedAccount}
                  </td>
                  <td data-label={tr('operator.col.score')}>{r.score ?? '—'}</td>
                  <td data-label={tr('operator.col.submitted')}>{when(pc.locale, r.submittedAt)}</td>
                  <td data-label={tr('operator.col.due')}>
                    {when(pc.locale, r.dueAt)}
                    {r.overdue ? <span class="badge overdue">{tr('operator.overdue')}</span> : null}
                  </td>
                  <td>
                    <a href={`/operator/requests/${r.id}`}>{tr('operator.review')}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {recent.length > 0 ? (
          <>
            <h2 class="rf-section">{tr('operator.queue.recent')}</h2>
            <table>
              <thead>
                <tr>
                  <th>{tr('operator.col.account')}</th>
                  <th>{tr('operator.col.score')}</th>
                  <th>{tr('operator.col.status')}</th>
                  <th>{tr('operator.col.submitted')}</th>
                </tr>
              </thead>
              <tbody>
                {recent.map((r) => (
                  <tr>
                    <td>
                      <a href={`/operator/requests/${r.id}`}>{r.maskedAccount}</a>
                    </td>
                    <td>{r.score ?? '—'}</td>
                    <td>{tr(`operator.status.${r.status as 'approved'}`)}</td>
                    <td>{when(pc.locale, r.submittedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
      </>,
    );
  });
}

/** One recovery request: its evidence and the reviewer's decision. */
function requestRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'cipher' | 'emit'>,
  { page }: ConsoleKit,
): void {
  const requestPage = async (
    req: Req,
    reply: Rep,
    op: Operator,
    v: { error?: string; done?: boolean } = {},
    status = 200,
  ) => {
    const id = (req.params as { id: string }).id;
    const r = await requestDetail(deps, id);
    const pc = consoleContext(req, reply);
    const tr = translator(pc.locale);
    return page(
      reply,
      pc,
      tr('operator.request.title'),
      op,
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
      </>,
      status,
    );
  };
  web.get('/operator/requests/:id', async (req, reply) => {
    const op = await requireOperator(deps, req, reply);
    if (!op) return reply;
    return requestPage(req, reply, op);
  });
  web.post('/operator/requests/:id', { preValidation: web.csrfProtection }, async (req, reply) => {
    const op = await requireOperator(deps, req, reply);
    if (!op) return reply;
    const b = readForm(req, DecisionForm);
    const r = await attempt(req, () =>
      decideRequest(
        deps,
        op,
        (req.params as { id: string }).id,
        { decision: b.decision, reason: b.reason },
        req.ctx,
      ),
    );
    if (!r.ok) {
      // An empty or unreadable reason is said at the reason field, in words about the reason.
      const message =
        r.error.code === 'recovery_form.invalid' && r.error.params.field === 'reason'
          ? translator(req.ctx.locale)('operator.decide.reason_required')
          : r.message;
      return requestPage(req, reply, op, { error: message }, r.error.status);
    }
    return requestPage(req, reply, op, { done: true });
  });
}

/** Messages the dispatcher parked, and retrying them. */
function outboxRoutes(web: FastifyInstance, deps: Pick<Deps, 'db' | 'clock'>, { page }: ConsoleKit): void {
  const outboxPage = async (req: Req, reply: Rep, op: Operator, notice?: string) => {
    const pc = consoleContext(req, reply);
    const tr = translator(pc.locale);
    const rows = await parkedMessages(deps);
    return page(
      reply,
      pc,
      tr('operator.outbox.title'),
      op,
      <>
        <h1>{tr('operator.outbox.title')}</h1>
        <p class="lead">{tr('operator.outbox.lead')}</p>
        {notice ? <Notice kind="ok">{notice}</Notice> : null}
        {rows.length === 0 ? (
          <p>{tr('operator.outbox.empty')}</p>
        ) : (
          <table data-testid="parked">
            <thead>
              <tr>
                <th>{tr('operator.col.kind')}</th>
                <th>{tr('operator.col.recipient')}</th>
                <th>{tr('operator.col.attempts')}</th>
                <th>{tr('operator.col.error')}</th>
                <th>{tr('operator.col.created')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr>
                  <td>{isMessageKind(m.kind) ? tr(`messages.kind.${m.kind}`) : m.kind}</td>
                  <td>{m.maskedRecipient}</td>
                  <td>{m.attempts}</td>
                  <td>{m.lastError}</td>
                  <td>{when(pc.locale, m.createdAt)}</td>
                  <td>
                    <form method="post" action={`/operator/outbox/${m.id}/retry`} class="inline">
                      <Csrf pc={pc} />
                      <button type="submit" class="secondary">
                        {tr('operator.outbox.retry')}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>,
    );
  };
  web.get('/operator/outbox', async (req, reply) => {
    const op = await requireOperator(deps, req, reply);
    if (!op) return reply;
    return outboxPage(req, reply, op);
  });
  web.post('/operator/outbox/:id/retry', { preValidation: web.csrfProtection }, async (req, reply) => {
    const op = await requireOperator(deps, req, reply);
    if (!op) return reply;
    await retryParked(deps, op, (req.params as { id: string }).id);
    return outboxPage(req, reply, op, translator(req.ctx.locale)('operator.outbox.retried'));
  });
}

/** The audit log of operator actions. */
function auditRoutes(web: FastifyInstance, deps: Pick<Deps, 'db' | 'clock'>, { page }: ConsoleKit): void {
  web.get('/operator/audit', async (req, reply) => {
    const op = await requireOperator(deps, req, reply);
    if (!op) return reply;
    const pc = consoleContext(req, reply);
    const tr = translator(pc.locale);
    const entries = await auditLog(deps);
    return page(
      reply,
      pc,
      tr('operator.audit.title'),
      op,
      <>
        <h1>{tr('operator.audit.title')}</h1>
        {entries.length === 0 ? (
          <p>{tr('operator.audit.empty')}</p>
        ) : (
          <table data-testid="audit" class="stack">
            <thead>
              <tr>
                <th>{tr('operator.col.time')}</th>
                <th>{tr('operator.col.operator')}</th>
                <th>{tr('operator.col.action')}</th>
                <th>{tr('operator.col.target')}</th>
                <th>{tr('operator.col.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr>
                  <td data-label={tr('operator.col.time')}>{when(pc.locale, e.createdAt)}</td>
                  <td data-label={tr('operator.col.operator')}>{e.operatorName}</td>
                  <td data-label={tr('operator.col.action')} class="primary">
                    {isAuditAction(e.action) ? tr(`operator.audit.action.${e.action}`) : e.action}
                  </td>
                  <td data-label={tr('operator.col.target')}>
                    <code>{e.target}</code>
                  </td>
                  <td data-label={tr('operator.col.detail')}>{auditDetail(tr, e.detail)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>,
    );
  });
}
