import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { secureAccount } from '../../accounts/secure-account.ts';
import type { Deps } from '../../deps.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { describeMethod, describeRecordedMethod } from '../../security-info/methods-service.ts';
import { listMethods } from '../../security-info/store.ts';
import type { SessionView } from '../../sessions/session-cache.ts';
import { formSchema, readForm, text } from '../../web/form-kit.tsx';
import {
  Csrf,
  Field,
  Notice,
  type PageContext,
  pageContext,
  sendPage,
  translator,
} from '../../web/render.tsx';
import { attempt, freshOrRedirect, sessionOrRedirect } from '../../web/web-helpers.ts';
import { describeDevice, deviceLabel } from '../device.ts';
import { countryName } from '../geo.ts';
import {
  ACTIVITY_FILTER_NAMES,
  type ActivityFilter,
  type ActivityView,
  recentActivity,
  reviewActivity,
} from '../review.ts';

/** The forms of these pages: the fields each handler reads (web/form-kit.tsx). */
const SecureAccountForm = formSchema({ password: text() });

type Req = FastifyRequest;
type Rep = FastifyReply;

/** Recent activity (filters, unusual events on top with "this was me / this wasn't me") and "secure my account". */
export function activityRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'emit'>,
): void {
  recentActivityRoutes(web, deps);
  secureAccountRoutes(web, deps);
}

/** Recent activity: the list, its filters, and "this was me" / "this wasn't me". */
function recentActivityRoutes(web: FastifyInstance, deps: Pick<Deps, 'db' | 'clock' | 'config'>): void {
  const row = (pc: PageContext, s: SessionView, e: ActivityView) => {
    const tr = translator(pc.locale);
    return (
      <tr data-testid="activity" data-kind={e.kind}>
        <td data-label={tr('activity.when')}>{formatDateTime(pc.locale, e.createdAt, s.timeZone)}</td>
        <td data-label={tr('activity.what')}>
          {tr(`activity.kind.${e.kind}`)}
          {e.detail.method
            ? `${pc.locale === 'ja' ? '：' : ': '}${describeRecordedMethod(e.detail.method, pc.locale)}`
            : ''}
        </td>
        <td data-label={tr('activity.where')}>
          {countryName(e.country, pc.locale)}
          <br />
          <span class="hint">{e.ip}</span>
        </td>
        <td data-label={tr('activity.device')}>{deviceLabel(describeDevice(e.userAgent), pc.locale)}</td>
      </tr>
    );
  };

  web.get('/security/activity', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const q = req.query as { filter?: string; done?: string };
    const filter: ActivityFilter = ACTIVITY_FILTER_NAMES.find((f) => f === q.filter) ?? 'all';
    const events = await recentActivity(deps, s.accountId, filter);
    const toReview = (await recentActivity(deps, s.accountId, 'all')).filter(
      (e) => e.unusual && e.review === null,
    );
    return sendPage(
      reply,
      pc,
      tr('activity.title'),
      <div>
        <h1>{tr('activity.title')}</h1>
        <p class="lead">{tr('activity.lead', { days: deps.config.activityRetentionDays })}</p>
        {q.done === 'me' ? <Notice kind="ok">{tr('activity.done.me')}</Notice> : null}
        {toReview.map((e) => (
          <section class="card unusual" data-testid="unusual">
            <h2>{tr('activity.unusual.title')}</h2>
            <p>
              {formatDateTime(pc.locale, e.createdAt, s.timeZone)} · {countryName(e.country, pc.locale)} (
              {e.ip}) · {deviceLabel(describeDevice(e.userAgent), pc.locale)}
            </p>
            <p class="hint">{tr('activity.unusual.question')}</p>
            <div class="actions">
              <form method="post" action={`/security/activity/${e.id}/me`} class="inline">
                <Csrf pc={pc} />
                <button type="submit" class="secondary">
                  {tr('activity.unusual.me')}
                </button>
              </form>
              <form method="post" action={`/security/activity/${e.id}/not-me`} class="inline">
                <Csrf pc={pc} />
                <button type="submit" class="danger">
                  {tr('activity.unusual.not_me')}
                </button>
              </form>
            </div>
          </section>
        ))}
        <div class="card">
          <nav class="filters" aria-label={tr('activity.filter')}>
            {ACTIVITY_FILTER_NAMES.map((f) =>
              f === filter ? (
                <strong>{tr(`activity.filter.${f}`)}</strong>
              ) : (
                <a href={`/security/activity?filter=${f}`}>{tr(`activity.filter.${f}`)}</a>
              ),
            )}
          </nav>
          <div class="table-wrap">
            <table class="stack">
              <thead>
                <tr>
                  <th>{tr('activity.when')}</th>
                  <th>{tr('activity.what')}</th>
                  <th>{tr('activity.where')}</th>
                  <th>{tr('activity.device')}</th>
                </tr>
              </thead>
              <tbody>{events.map((e) => row(pc, s, e))}</tbody>
            </table>
          </div>
          <p class="hint">{tr('activity.geo_attribution')}</p>
          <p>
            <a href="/security">{tr('common.back')}</a>
          </p>
        </div>
      </div>,
    );
  });

  web.post('/security/activity/:id/me', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    await reviewActivity(deps.db, s.accountId, (req.params as { id: string }).id, 'me');
    return reply.redirect('/security/activity?done=me', 303);
  });
  web.post('/security/activity/:id/not-me', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    // The event is marked "not me" when the account is actually secured (secure-account.ts), so stopping
    // half-way leaves it on top of the page.
    return reply.redirect('/security/secure', 303);
  });
}

/** Secure my account: a new password, every other session and trusted device ended. */
function secureAccountRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'emit'>,
): void {
  // Secure my account
  const securePage = async (req: Req, reply: Rep, _s: SessionView, error?: string, status = 200) => {
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    return sendPage(
      reply,
      pc,
      tr('secure.title'),
      <div class="card narrow">
        <h1>{tr('secure.title')}</h1>
        <p class="lead">{tr('secure.lead')}</p>
        <ol>
          <li>{tr('secure.step_password')}</li>
          <li>{tr('secure.step_sessions')}</li>
          <li>{tr('secure.step_devices')}</li>
          <li>{tr('secure.step_review')}</li>
        </ol>
        <form method="post" action="/security/secure" novalidate>
          <Csrf pc={pc} />
          <Field
            id="password"
            name="password"
            type="password"
            label={tr('field.new_password')}
            autocomplete="new-password"
            required
            maxLength={1024}
            error={error}
            hint={tr('password.hint')}
          />
          <button type="submit" class="danger">
            {tr('secure.submit')}
          </button>
        </form>
        <p>
          <a href="/security/activity">{tr('common.cancel')}</a>
        </p>
      </div>,
      status,
    );
  };
  web.get('/security/secure', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s || !freshOrRedirect(deps, reply, s, '/security/secure')) return reply;
    return securePage(req, reply, s);
  });
  web.post('/security/secure', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s || !freshOrRedirect(deps, reply, s, '/security/secure')) return reply;
    const r = await attempt(req, () =>
      secureAccount(deps, s, { password: readForm(req, SecureAccountForm).password }, req.ctx),
    );
    if (!r.ok) return securePage(req, reply, s, r.message, r.error.status);
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const methods = (await listMethods(deps.db, s.accountId)).filter((m) => m.verifiedAt);
    return sendPage(
      reply,
      pc,
      tr('secure.done_title'),
      <div class="card narrow">
        <h1>{tr('secure.done_title')}</h1>
        <Notice kind="ok">
          {tr('secure.done', { sessions: r.value.endedSessions, devices: r.value.revokedDevices })}
        </Notice>
        <p>{tr('secure.review')}</p>
        <ul class="methods">
          {methods.map((m) => (
            <li data-testid="review-method">
              <div class="m-main">
                <div class="m-value">
                  {m.kind === 'email' || m.kind === 'phone' ? m.value : describeMethod(m, pc.locale)}
                </div>
              </div>
              <a class="button secondary" href={`/security/methods/${m.id}/remove`}>
                {tr('secure.not_mine')}
              </a>
            </li>
          ))}
        </ul>
        <p>
          <a class="button" href="/security">
            {tr('secure.finish')}
          </a>
        </p>
      </div>,
    );
  });
}
