import type { FastifyInstance } from 'fastify';
import { describeDevice, deviceLabel } from '../../activity/device.ts';
import type { Deps } from '../../deps.ts';
import { formatDateTime, type MessageKey } from '../../i18n/index.ts';
import type { PageContext } from '../../web/render.tsx';
import { Csrf, Notice, pageContext, sendPage, translator } from '../../web/render.tsx';
import { sessionOrRedirect } from '../../web/web-helpers.ts';
import type { SessionView } from '../session-cache.ts';
import { endOtherSessions, endSession, listSessions } from '../sessions.ts';

const DONE: Record<string, MessageKey> = {
  session_ended: 'security.done.session_ended',
  others_ended: 'security.done.others_ended',
};

/** The signed-in sessions of the account (`/security/sessions`): list, end one, end all others. */
export function sessionsRoutes(web: FastifyInstance, deps: Pick<Deps, 'db' | 'clock' | 'emit'>): void {
  const fmt = (pc: PageContext, s: SessionView, d: Date | null) =>
    d ? formatDateTime(pc.locale, d, s.timeZone) : '—';

  // Sessions
  web.get('/security/sessions', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const sessions = await listSessions(deps, s.accountId, s.id);
    const done = DONE[(req.query as { done?: string }).done ?? ''];
    return sendPage(
      reply,
      pc,
      tr('sessions.title'),
      <div class="card">
        <h1>{tr('sessions.title')}</h1>
        {done ? <Notice kind="ok">{tr(done)}</Notice> : null}
        <div class="table-wrap">
          <table class="stack">
            <thead>
              <tr>
                <th>{tr('sessions.device')}</th>
                <th>{tr('sessions.ip')}</th>
                <th>{tr('sessions.last_seen')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {sessions.map((x) => (
                <tr data-testid="session">
                  <td data-label={tr('sessions.device')} class="primary">
                    {deviceLabel(describeDevice(x.userAgent), pc.locale)}
                  </td>
                  <td data-label={tr('sessions.ip')}>{x.ip}</td>
                  <td data-label={tr('sessions.last_seen')}>{fmt(pc, s, x.lastSeenAt)}</td>
                  <td class="row-action">
                    {x.current ? (
                      <strong>{tr('sessions.current')}</strong>
                    ) : (
                      <form method="post" action={`/security/sessions/${x.publicId}/end`}>
                        <Csrf pc={pc} />
                        <button type="submit" class="secondary">
                          {tr('sessions.end')}
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {sessions.length > 1 ? (
          <form method="post" action="/security/sessions/end-others">
            <Csrf pc={pc} />
            <button type="submit" class="danger">
              {tr('sessions.end_others')}
            </button>
          </form>
        ) : null}
        <p>
          <a href="/security">{tr('common.back')}</a>
        </p>
      </div>,
    );
  });
  web.post('/security/sessions/:id/end', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const ended = await deps.db.tx(async (tx) => {
      if (!(await endSession(deps, tx, s.accountId, (req.params as { id: string }).id))) return false;
      await deps.emit(tx, {
        type: 'session.ended',
        accountId: s.accountId,
        ctx: req.ctx,
        at: deps.clock.now(),
      });
      return true;
    });
    // "Ended" only when this request ended it (it may have ended by itself meanwhile).
    return reply.redirect(ended ? '/security/sessions?done=session_ended' : '/security/sessions', 303);
  });
  web.post('/security/sessions/end-others', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    await deps.db.tx(async (tx) => {
      const n = await endOtherSessions(deps, tx, s.accountId, s.id);
      await deps.emit(tx, {
        type: 'session.ended',
        accountId: s.accountId,
        ctx: req.ctx,
        at: deps.clock.now(),
        detail: { count: String(n) },
      });
    });
    return reply.redirect('/security/sessions?done=others_ended', 303);
  });
}
