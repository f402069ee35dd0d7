import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { formatDateTime, type MessageKey } from '../../i18n/index.ts';
import { formSchema, readParams, readQuery, text } from '../../web/form-kit.tsx';
import type { PageContext } from '../../web/render.tsx';
import { Notice, pageContext, sendPage, translator } from '../../web/render.tsx';
import { sessionOrRedirect } from '../../web/web-helpers.ts';
import type { SessionView } from '../session-cache.ts';
import { listSessions, ownerEndsOtherSessions, ownerEndsSession } from '../sessions.ts';
import { DeviceTable } from './pages.tsx';

/** The session a form is about (`/security/sessions/:id/end`, its public id). */
const SessionParams = formSchema({ id: text() });
/** What was just done, for the page's notice (`?done=…`). */
const DoneQuery = formSchema({ done: text() });

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
    const done = DONE[readQuery(req, DoneQuery).done ?? ''];
    return sendPage(
      reply,
      pc,
      tr('sessions.title'),
      <div class="card">
        <h1>{tr('sessions.title')}</h1>
        {done ? <Notice kind="ok">{tr(done)}</Notice> : null}
        <DeviceTable
          pc={pc}
          whenLabel={tr('sessions.last_seen')}
          testId="session"
          rows={sessions.map((x) => ({
            userAgent: x.userAgent,
            ip: x.ip,
            when: fmt(pc, s, x.lastSeenAt),
            end: x.current ? null : `/security/sessions/${x.publicId}/end`,
          }))}
          endLabel={tr('sessions.end')}
          currentLabel={tr('sessions.current')}
          endAll={{ action: '/security/sessions/end-others', label: tr('sessions.end_others') }}
        />
        <p>
          <a href="/security">{tr('common.back')}</a>
        </p>
      </div>,
    );
  });
  web.post('/security/sessions/:id/end', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const ended = await ownerEndsSession(deps, s.accountId, readParams(req, SessionParams).id ?? '', req.ctx);
    // "Ended" only when this request ended it (it may have ended by itself meanwhile).
    return reply.redirect(ended ? '/security/sessions?done=session_ended' : '/security/sessions', 303);
  });
  web.post('/security/sessions/end-others', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    await ownerEndsOtherSessions(deps, s.accountId, s.id, req.ctx);
    return reply.redirect('/security/sessions?done=others_ended', 303);
  });
}
