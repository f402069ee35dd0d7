import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Deps } from '../../deps.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { orgAdminAccess } from '../../organisations/admin-access.ts';
import { sendConsolePage } from '../../web/console-chrome.tsx';
import { requireOperator } from '../../web/operator-guard.ts';
import {
  type PageContext,
  pageContext,
  sendPage,
  type T as Translate,
  translator,
} from '../../web/render.tsx';
import { freshOrRedirect, sessionOrRedirect } from '../../web/web-helpers.ts';
import type { RegistryActor } from '../registry/actor.ts';

type Req = FastifyRequest;
type Rep = FastifyReply;

/**
 * Who is using the apps pages, and what that allows: an operator at /operator/apps (the deployment's own
 * registrations, and a look at every organisation's clients), or an organisation admin at
 * /organisation/console/apps (their organisation's only).
 */
export interface ConsoleUser {
  by: RegistryActor;
  /** Where new registrations go: null for the deployment, the admin's organisation. */
  orgId: string | null;
  /** Which clients the list shows. */
  listScope: string | null | 'all';
  /** Whether the user may change anything (an operator with the reviewer role may only look). */
  canChange: boolean;
  /** Whether changes that issue secrets or move redirect URIs need a fresh proof first (organisation admins). */
  needsFresh: boolean;
  /** A date and time in the user's zone. */
  when(locale: PageContext['locale'], d: Date): string;
  /** Sends a page in this console's frame. */
  send(
    req: Req,
    reply: Rep,
    draw: (c: { pc: PageContext; tr: Translate }) => { title: string; body: VNode },
    status?: number,
  ): Promise<Rep> | Rep;
  /** True when the change may go ahead; otherwise the reply was sent (a redirect to prove it is you). */
  fresh(req: Req, reply: Rep, back: string): boolean;
}

/** One console: its base path and how it finds its user (null after answering, e.g. a redirect to sign in). */
export interface ConsoleKind {
  base: string;
  user(req: Req, reply: Rep): Promise<ConsoleUser | null>;
}

/** The operator console's apps pages (any signed-in operator may look; operator admins may change). */
export function operatorConsole(deps: Pick<Deps, 'db' | 'clock'>): ConsoleKind {
  return {
    base: '/operator/apps',
    async user(req, reply) {
      const op = await requireOperator(deps, req, reply);
      if (!op) return null;
      return {
        by: { kind: 'operator', id: op.id, name: op.name },
        orgId: null,
        listScope: 'all',
        canChange: op.role === 'admin',
        // Operators signed in with a second factor at most 30 idle minutes ago (operator-auth.ts).
        needsFresh: false,
        when: (locale, d) => formatDateTime(locale, d, 'Asia/Tokyo'),
        send: (rq, rp, draw, status) =>
          sendConsolePage(rq, rp, op, { boxed: false }, ({ pc, tr }) => draw({ pc, tr }), status),
        fresh: () => true,
      };
    },
  };
}

/**
 * The organisation console's apps pages: organisation admins (the role that may create API tokens), with
 * two-step verification and a second factor proved in this session, as every console page asks.
 */
export function organisationConsole(deps: Pick<Deps, 'db' | 'config' | 'clock'>): ConsoleKind {
  const base = '/organisation/console/apps';
  return {
    base,
    async user(req, reply) {
      const s = sessionOrRedirect(req, reply);
      if (!s) return null;
      if (s.twoStep && s.secondFactorAt === null) {
        // Two-step is on but this session never proved it: check the role first, then prove it now.
        await orgAdminAccess(deps, { ...s, secondFactorAt: new Date(0) }, 'tokens');
        await reply.redirect(
          `/security/reauth?next=${encodeURIComponent(req.url.split('?')[0] ?? base)}`,
          303,
        );
        return null;
      }
      const admin = await orgAdminAccess(deps, s, 'tokens');
      return {
        by: { kind: 'org_admin', id: admin.accountId, orgId: admin.orgId, name: s.email },
        orgId: admin.orgId,
        listScope: admin.orgId,
        canChange: true,
        needsFresh: true,
        when: (locale, d) => formatDateTime(locale, d, s.timeZone),
        send(rq, rp, draw, status = 200) {
          const pc = pageContext(rq, rp);
          const tr = translator(pc.locale);
          const v = draw({ pc, tr });
          return sendPage(
            rp,
            pc,
            v.title,
            <div>
              <div class="card">
                <OrgAppsNav tr={tr} orgName={admin.orgName} />
              </div>
              {v.body}
            </div>,
            status,
          );
        },
        fresh: (rq, rp, back) => (rq.session ? freshOrRedirect(deps, rp, rq.session, back) : false),
      };
    },
  };
}

/** The organisation console's frame above the apps pages: the organisation and the way back to its console. */
function OrgAppsNav(p: { tr: Translate; orgName: string }) {
  return (
    <nav class="op-nav org-nav" aria-label={p.tr('apps.console.nav_label')}>
      <link rel="stylesheet" href="/assets/recovery-form.css" />
      <link rel="stylesheet" href="/assets/org-console.css" />
      <strong class="org-name">{p.orgName}</strong>
      <a href="/org">{p.tr('apps.console.back_org')}</a>
      <a href="/organisation/console/apps" aria-current="page">
        {p.tr('apps.console.nav')}
      </a>
    </nav>
  );
}
