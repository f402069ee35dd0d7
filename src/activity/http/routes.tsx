import type { FastifyInstance } from 'fastify';
import { secureAccount } from '../../accounts/secure-account.ts';
import type { Deps } from '../../deps.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { describeMethod, describeRecordedMethod } from '../../security-info/methods-service.ts';
import { listMethods } from '../../security-info/store.ts';
import { NewPasswordField } from '../../web/account-fields.tsx';
import { DataTable } from '../../web/data-table.tsx';
import { FormCard, formPage, formSchema, readParams, readQuery, text } from '../../web/form-kit.tsx';
import { Csrf, Notice, pageContext, sendPage, translator } from '../../web/render.tsx';
import { freshSession, sessionOrRedirect } from '../../web/web-helpers.ts';
import { describeDevice, deviceLabel } from '../device.ts';
import { countryName } from '../geo.ts';
import { ACTIVITY_FILTER_NAMES, type ActivityFilter, recentActivity, reviewActivity } from '../review.ts';

/** The forms of these pages: the fields each handler reads (web/form-kit.tsx). */
const SecureAccountForm = formSchema({ password: text() });
/** The queries and path parameters of these pages. */
const ActivityQuery = formSchema({ filter: text(), done: text() });
const IdParams = formSchema({ id: text() });

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
  web.get('/security/activity', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const q = readQuery(req, ActivityQuery);
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
            <DataTable
              stack
              rows={events}
              rowProps={(e) => ({ 'data-testid': 'activity', 'data-kind': e.kind })}
              columns={[
                {
                  label: tr('activity.when'),
                  cell: (e) => formatDateTime(pc.locale, e.createdAt, s.timeZone),
                },
                {
                  label: tr('activity.what'),
                  cell: (e) => (
                    <>
                      {tr(`activity.kind.${e.kind}`)}
                      {e.detail.method
                        ? `${pc.locale === 'ja' ? '：' : ': '}${describeRecordedMethod(e.detail.method, pc.locale)}`
                        : ''}
                    </>
                  ),
                },
                {
                  label: tr('activity.where'),
                  cell: (e) => (
                    <>
                      {countryName(e.country, pc.locale)}
                      <br />
                      <span class="hint">{e.ip}</span>
                    </>
                  ),
                },
                {
                  label: tr('activity.device'),
                  cell: (e) => deviceLabel(describeDevice(e.userAgent), pc.locale),
                },
              ]}
            />
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
    await reviewActivity(deps.db, s.accountId, readParams(req, IdParams).id ?? '', 'me');
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
  formPage(web, {
    path: '/security/secure',
    form: SecureAccountForm,
    guard: freshSession(deps),
    // The password is never drawn back.
    forget: ['password'],
    page: ({ pc, tr, failure }) => ({
      title: tr('secure.title'),
      body: (
        <FormCard
          pc={pc}
          title={tr('secure.title')}
          lead={tr('secure.lead')}
          before={
            <ol>
              <li>{tr('secure.step_password')}</li>
              <li>{tr('secure.step_sessions')}</li>
              <li>{tr('secure.step_devices')}</li>
              <li>{tr('secure.step_review')}</li>
            </ol>
          }
          action="/security/secure"
          submit={tr('secure.submit')}
          submitClass="danger"
          back={{ href: '/security/activity', label: tr('common.cancel') }}
        >
          <NewPasswordField tr={tr} error={failure?.message} />
        </FormCard>
      ),
    }),
    submit: ({ req, who, form }) => secureAccount(deps, who, { password: form.password }, req.ctx),
    // Secured: what was done, and the security info to look over ("not mine" removes it).
    done: async ({ req, reply, who, value }) => {
      const pc = pageContext(req, reply);
      const tr = translator(pc.locale);
      const methods = (await listMethods(deps.db, who.accountId)).filter((m) => m.verifiedAt);
      return sendPage(
        reply,
        pc,
        tr('secure.done_title'),
        <div class="card narrow">
          <h1>{tr('secure.done_title')}</h1>
          <Notice kind="ok">
            {tr('secure.done', { sessions: value.endedSessions, devices: value.revokedDevices })}
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
    },
  });
}
