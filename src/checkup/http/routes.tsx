import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { formatDate, formatDateTime } from '../../i18n/index.ts';
import { DAY } from '../../kernel/clock.ts';
import { requirementForPage } from '../../organisations/enforcement.ts';
import { currentRecoveryCodeVersion } from '../../security-info/recovery-code-service.ts';
import { formSchema, readQuery, submitForm, text } from '../../web/form-kit.tsx';
import { OrgRequirements, shortfallText } from '../../web/org-requirements.tsx';
import { Csrf, Notice, pageContext, sendPage, translator } from '../../web/render.tsx';
import { safeNext, sessionOrRedirect } from '../../web/web-helpers.ts';
import type { CheckItem } from '../checkup.ts';
import {
  accountCheckup,
  confirmSecurityInfo,
  periodicState,
  verifiedMethodsWithConfirmation,
} from '../periodic.ts';
import { Action, advice, MethodDates, withDate } from './pages.tsx';

/** What was just done (`?done=confirmed`) and where to go after the periodic check (`?next=…`). */
const CheckupQuery = formSchema({ done: text(), next: text() });

/** The security checkup page and the periodic "is this still yours?" check. */
export function checkupRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'emit'>,
): void {
  checkupPageRoutes(web, deps);
  periodicCheckRoutes(web, deps);
}

/** The security checkup: a score and what to improve, with one-click links. */
function checkupPageRoutes(web: FastifyInstance, deps: Pick<Deps, 'config' | 'db' | 'clock'>): void {
  web.get('/security/checkup', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const c = await accountCheckup(deps, s.accountId);
    const methods = await verifiedMethodsWithConfirmation(deps.db, s.accountId);
    const periodic = await periodicState(deps, s.accountId);
    // The recovery-code button names the code it replaces (a form sent again makes nothing).
    const fields: Record<string, Record<string, string>> = {
      '/security/recovery-code': { replaces: await currentRecoveryCodeVersion(deps.db, s.accountId) },
    };
    const org = await requirementForPage(deps, s.accountId, deps.config.maxMethods);
    const todo = c.items.filter((i) => !i.ok);
    const done = c.items.filter((i) => i.ok);
    // "Confirmed" is met by a real confirmation, or by a new account that is not due yet: say which.
    const confirmedText = () =>
      periodic.everConfirmed
        ? withDate(
            tr,
            'checkup.item.confirmed.done',
            formatDateTime(pc.locale, periodic.lastConfirmedAt, s.timeZone),
          )
        : withDate(
            tr,
            'checkup.item.confirmed.new',
            formatDate(
              pc.locale,
              new Date(periodic.lastConfirmedAt.getTime() + periodic.periodDays * DAY),
              s.timeZone,
            ),
          );
    const item = (i: CheckItem) => (
      <li data-testid="checkup-item" data-check={i.id} data-ok={String(i.ok)}>
        <div class="m-main">
          <div class="m-value">
            {i.id === 'confirmed' && i.ok ? confirmedText() : tr(advice(i).title)}
            {i.ok ? <span class="badge">✓</span> : null}
          </div>
          {i.ok ? null : <div class="m-meta">{tr(advice(i).why)}</div>}
          {i.addresses.length > 0 ? (
            <div class="m-meta">{tr('checkup.addresses', { addresses: i.addresses.join(', ') })}</div>
          ) : null}
        </div>
        {i.actions.length > 0 ? (
          <div class="actions">
            {i.actions.map((a, n) => (
              <Action pc={pc} action={a} primary={n === 0} fields={fields[a.path]} />
            ))}
          </div>
        ) : null}
      </li>
    );
    return sendPage(
      reply,
      pc,
      tr('checkup.title'),
      <div>
        <h1>{tr('checkup.title')}</h1>
        <p class="lead">{tr('checkup.lead')}</p>
        {readQuery(req, CheckupQuery).done === 'confirmed' ? (
          <Notice kind="ok">{tr('confirm_info.done')}</Notice>
        ) : null}
        <section class="card">
          <h2>{tr('checkup.score')}</h2>
          <p class="score-line">
            <strong data-testid="checkup-score" data-score={String(c.score)}>
              {tr('checkup.score_value', { score: c.score })}
            </strong>
            <span data-testid="checkup-rating">
              {tr('checkup.rating_sep')}
              {tr(`checkup.rating.${c.score < 50 ? 'low' : c.score < 80 ? 'fair' : 'good'}`)}
            </span>
          </p>
          <meter
            class="score-meter"
            data-testid="checkup-bar"
            min={0}
            max={100}
            low={50}
            high={80}
            optimum={100}
            value={c.score}
            aria-label={tr('checkup.score')}
            aria-valuetext={tr('checkup.score_value', { score: c.score })}
          >
            {tr('checkup.score_value', { score: c.score })}
          </meter>
          {todo.length === 0 ? <Notice kind="ok">{tr('checkup.all_done')}</Notice> : null}
        </section>
        {org ? (
          <section class="card">
            <OrgRequirements pc={pc} r={org} />
            {org.met && !org.reregister ? null : (
              <ul data-testid="checkup-org-missing">
                {org.shortfalls.map((f) => (
                  <li>{shortfallText(pc, f)}</li>
                ))}
              </ul>
            )}
          </section>
        ) : null}
        {todo.length > 0 ? (
          <section class="card">
            <h2>{tr('checkup.improve')}</h2>
            <ul class="methods">{todo.map(item)}</ul>
          </section>
        ) : null}
        {done.length > 0 ? (
          <section class="card">
            <h2>{tr('checkup.done')}</h2>
            <ul class="methods">{done.map(item)}</ul>
          </section>
        ) : null}
        {methods.length > 0 ? (
          <section class="card">
            <h2>{tr('checkup.methods')}</h2>
            <MethodDates pc={pc} timeZone={s.timeZone} methods={methods} />
          </section>
        ) : null}
        <p>
          <a href="/security">{tr('common.back')}</a>
        </p>
      </div>,
    );
  });
}

/** The periodic check: "is this security info still yours?" */
function periodicCheckRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'emit'>,
): void {
  web.get('/security/confirm-info', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const next = safeNext(readQuery(req, CheckupQuery).next);
    const st = await periodicState(deps, s.accountId);
    const date = formatDateTime(pc.locale, st.lastConfirmedAt, s.timeZone);
    const q = `?next=${encodeURIComponent(next)}`;
    return sendPage(
      reply,
      pc,
      tr('confirm_info.title'),
      <div class="card narrow">
        <h1>{tr('confirm_info.title')}</h1>
        <p class="lead">{tr('confirm_info.lead', { days: st.periodDays || 90 })}</p>
        <p data-testid="last-confirmed">
          {st.everConfirmed ? tr('confirm_info.last', { date }) : tr('confirm_info.never', { date })}
        </p>
        <h2>{tr('confirm_info.primary')}</h2>
        <p data-testid="primary-email">{st.primaryEmail}</p>
        <h2>{tr('confirm_info.methods')}</h2>
        {st.methods.length > 0 ? (
          <MethodDates pc={pc} timeZone={s.timeZone} methods={st.methods} />
        ) : (
          <p>{tr('confirm_info.none')}</p>
        )}
        <form method="post" action={`/security/confirm-info${q}`}>
          <Csrf pc={pc} />
          <button type="submit">{tr('confirm_info.submit')}</button>
        </form>
        <div class="actions">
          <a class="button secondary" href="/security">
            {tr('confirm_info.update')}
          </a>
          <a class="button secondary" href={next} data-testid="later">
            {tr('confirm_info.later')}
          </a>
        </div>
      </div>,
    );
  });
  web.post('/security/confirm-info', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const next = safeNext(readQuery(req, CheckupQuery).next);
    const r = await submitForm(
      req,
      reply,
      () => confirmSecurityInfo(deps, s, req.ctx),
      (f) => {
        // The security info changed since this session last proved itself: prove it again, then look again.
        if (f.error.code === 'auth.reauth_required')
          return reply.redirect(`/security/reauth?next=${encodeURIComponent('/security/confirm-info')}`, 303);
        throw f.error;
      },
    );
    if (!r.ok) return r.reply;
    // Back to where the person was going; the overview and the checkup show the thanks.
    const thanks = next === '/security' || next === '/security/checkup';
    return reply.redirect(thanks ? `${next}?done=confirmed` : next, 303);
  });
}
