import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { AppError } from '../../kernel/errors.ts';
import { orgAdminAccess } from '../../organisations/admin-access.ts';
import { consoleGet, consolePost, sendConsolePage } from '../../web/console-chrome.tsx';
import { DataTable } from '../../web/data-table.tsx';
import { formSchema, PostButton, readParams, readQuery, text } from '../../web/form-kit.tsx';
import { Notice, type PageContext, pageContext, sendPage, type T, translator } from '../../web/render.tsx';
import { sessionOrRedirect } from '../../web/web-helpers.ts';
import {
  type LogReader,
  RESENDS_PER_ENDPOINT,
  readDeliveryLog,
  resendDelivery,
} from '../delivery/delivery-log.ts';
import type { DeliveryLogRow } from '../store/delivery-log.ts';
import { AppsTabs } from './console-views.tsx';

const OPERATOR_LOG = '/operator/apps/deliveries';
const ORG_LOG = '/org/apps/deliveries';
const LogQuery = formSchema({ endpoint: text() });
const IdParams = formSchema({ id: text() });

/** What the page says above the log after "send again". */
type Outcome = { kind: 'ok' | 'error'; text: string } | null;

function when(pc: PageContext, d: Date): string {
  return formatDateTime(pc.locale, new Date(d), pc.locale === 'ja' ? 'Asia/Tokyo' : 'UTC');
}

/** A delivery's state as a person reads it: delivered (when), waiting to retry (next time), queued, parked. */
function statusText(pc: PageContext, tr: T, r: DeliveryLogRow): string {
  if (r.status === 'sent')
    return tr('apps.delivery.status.sent', { time: r.sent_at ? when(pc, r.sent_at) : '' });
  if (r.status === 'parked') return tr('apps.delivery.status.parked');
  if (r.status === 'sending') return tr('apps.delivery.status.sending');
  if (r.attempts > 0) return tr('apps.delivery.status.retry', { time: when(pc, r.next_attempt_at) });
  return tr('apps.delivery.status.queued');
}

/** The endpoint as shown: its kind, label and host (never a token or the query string). */
function endpointText(tr: T, r: DeliveryLogRow): string {
  const kind = tr(
    r.kind === 'signal'
      ? 'apps.delivery.kind.signal'
      : r.kind === 'backchannel_logout'
        ? 'apps.delivery.kind.backchannel_logout'
        : 'apps.delivery.kind.webhook',
  );
  let where = r.recipient;
  try {
    if (r.target) {
      const u = new URL(r.target);
      where = `${u.host}${u.pathname}`;
    }
  } catch {
    // a stored URL that does not parse: show the endpoint id
  }
  return [kind, r.label, where].filter(Boolean).join(' · ');
}

/** The delivery log: newest first, one row per delivery, with "send again". */
function DeliveryLog(p: {
  pc: PageContext;
  rows: DeliveryLogRow[];
  base: string;
  endpoint: string | undefined;
  outcome: Outcome;
  lead: string;
  back: { href: string; label: string };
  /** The console's apps pages (`/operator/apps`, `/organisation/console/apps`): their tabs lead on from here. */
  appsBase: string;
}) {
  const tr = translator(p.pc.locale);
  const filter = p.endpoint ? `?endpoint=${encodeURIComponent(p.endpoint)}` : '';
  return (
    <div>
      <div class="card">
        <AppsTabs s={{ tr, base: p.appsBase }} current="deliveries" />
      </div>
      <div class="card" data-testid="delivery-log">
        <h1>{tr('apps.delivery.title')}</h1>
        <p>{p.lead}</p>
        {p.outcome && <Notice kind={p.outcome.kind}>{p.outcome.text}</Notice>}
        {p.endpoint && (
          <p>
            {tr('apps.delivery.filtered')} <a href={p.base}>{tr('apps.delivery.show_all')}</a>
          </p>
        )}
        {p.rows.length === 0 ? (
          <p data-testid="delivery-log-empty">{tr('apps.delivery.empty')}</p>
        ) : (
          <DataTable
            stack
            testid="delivery-rows"
            rows={p.rows}
            rowProps={(r) => ({ 'data-testid': 'delivery', 'data-status': r.status, 'data-id': r.id })}
            columns={[
              { label: tr('apps.delivery.col.event'), primary: true, cell: (r) => r.event_type },
              {
                label: tr('apps.delivery.col.endpoint'),
                cell: (r) => (
                  <span>
                    {endpointText(tr, r)}{' '}
                    {!p.endpoint && (
                      <a href={`${p.base}?endpoint=${encodeURIComponent(r.recipient)}`}>
                        {tr('apps.delivery.only_this')}
                      </a>
                    )}
                  </span>
                ),
              },
              { label: tr('apps.delivery.col.status'), cell: (r) => statusText(p.pc, tr, r) },
              { label: tr('apps.delivery.col.attempts'), cell: (r) => String(r.attempts) },
              {
                label: tr('apps.delivery.col.error'),
                cell: (r) => r.last_error ?? tr('apps.delivery.no_error'),
              },
              { label: tr('apps.delivery.col.created'), cell: (r) => when(p.pc, r.created_at) },
              {
                label: '',
                cell: (r) => (
                  <PostButton
                    pc={p.pc}
                    action={`${p.base}/${encodeURIComponent(r.id)}/resend${filter}`}
                    label={tr('apps.delivery.resend')}
                    class="secondary"
                    inline
                  />
                ),
              },
            ]}
          />
        )}
        <p>
          <a href={p.back.href}>{p.back.label}</a>
        </p>
      </div>
    </div>
  );
}

/** Runs "send again" and says what happened (a refusal keeps its status: 404, 429). */
async function resend(
  deps: Deps,
  reader: LogReader,
  req: FastifyRequest,
  tr: T,
): Promise<{ outcome: Outcome; status: number }> {
  try {
    await resendDelivery(deps, reader, readParams(req, IdParams).id);
    return { outcome: { kind: 'ok', text: tr('apps.delivery.resent') }, status: 200 };
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    if (e.code === 'request.rate_limited')
      return {
        outcome: {
          kind: 'error',
          text: tr('apps.delivery.limited', { limit: RESENDS_PER_ENDPOINT, seconds: e.params.seconds ?? 1 }),
        },
        status: 429,
      };
    return { outcome: { kind: 'error', text: tr('apps.delivery.gone') }, status: e.status };
  }
}

/**
 * The delivery log of webhooks, Security Event Tokens and back-channel logouts (docs/flows/apps-delivery.md):
 * the operator's (`/operator/apps/deliveries`, every endpoint, behind the operator sign-in with its second
 * factor) and an organisation admin's (`/org/apps/deliveries`, their organisation's endpoints only, role
 * `org_admin`, a session with a second factor). "Send again" is a CSRF-checked POST, limited per endpoint.
 */
export function deliveryRoutes(web: FastifyInstance, deps: Deps): void {
  // --- the operator's log
  const operatorPage = async (
    req: FastifyRequest,
    pc: PageContext,
    tr: T,
    outcome: Outcome,
  ): Promise<{ title: string; body: ReturnType<typeof DeliveryLog> }> => {
    const endpoint = readQuery(req, LogQuery).endpoint;
    const rows = await readDeliveryLog(deps, { kind: 'operator' }, endpoint);
    return {
      title: tr('apps.delivery.title'),
      body: (
        <DeliveryLog
          pc={pc}
          rows={rows}
          base={OPERATOR_LOG}
          endpoint={endpoint}
          outcome={outcome}
          lead={tr('apps.delivery.lead')}
          back={{ href: '/operator', label: tr('apps.delivery.back_operator') }}
          appsBase="/operator/apps"
        />
      ),
    };
  };
  consoleGet(web, deps, OPERATOR_LOG, { boxed: false }, ({ req, pc, tr }) => operatorPage(req, pc, tr, null));
  consolePost(web, deps, `${OPERATOR_LOG}/:id/resend`, async (req, reply, op) => {
    const tr = translator(req.ctx.locale);
    const { outcome, status } = await resend(deps, { kind: 'operator' }, req, tr);
    return sendConsolePage(
      req,
      reply,
      op,
      { boxed: false },
      ({ pc }) => operatorPage(req, pc, tr, outcome),
      status,
    );
  });

  // --- an organisation admin's log
  const orgAdmin = async (req: FastifyRequest, reply: FastifyReply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return null;
    if (s.twoStep && s.secondFactorAt === null) {
      void reply.redirect(`/security/reauth?next=${encodeURIComponent(ORG_LOG)}`, 303);
      return null;
    }
    return orgAdminAccess(deps, s, 'tokens');
  };
  const orgPage = async (req: FastifyRequest, reply: FastifyReply, outcome: Outcome, status: number) => {
    const admin = await orgAdmin(req, reply);
    if (!admin) return reply;
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const endpoint = readQuery(req, LogQuery).endpoint;
    const rows = await readDeliveryLog(deps, { kind: 'org', orgId: admin.orgId }, endpoint);
    return sendPage(
      reply,
      pc,
      tr('apps.delivery.title'),
      <DeliveryLog
        pc={pc}
        rows={rows}
        base={ORG_LOG}
        endpoint={endpoint}
        outcome={outcome}
        lead={tr('apps.delivery.org_lead', { org: admin.orgName })}
        back={{ href: '/org', label: tr('apps.delivery.back_org') }}
        appsBase="/organisation/console/apps"
      />,
      status,
    );
  };
  web.get(ORG_LOG, (req, reply) => orgPage(req, reply, null, 200));
  web.post(`${ORG_LOG}/:id/resend`, { preValidation: web.csrfProtection }, async (req, reply) => {
    const admin = await orgAdmin(req, reply);
    if (!admin) return reply;
    const { outcome, status } = await resend(
      deps,
      { kind: 'org', orgId: admin.orgId },
      req,
      translator(req.ctx.locale),
    );
    return orgPage(req, reply, outcome, status);
  });
  // The address the issue names for the organisation's log: the console lives under /org.
  web.get('/organisation/console/apps/deliveries', (_req, reply) => reply.redirect(ORG_LOG, 301));
}
