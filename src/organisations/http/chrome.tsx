import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Deps } from '../../deps.ts';
import { fail } from '../../kernel/errors.ts';
import {
  type PageContext,
  pageContext,
  sendPage,
  type T as Translate,
  translator,
} from '../../web/render.tsx';
import { sessionOrRedirect } from '../../web/web-helpers.ts';
import { type OrgAdmin, type OrgCapability, orgAdminAccess, roleCan } from '../admin-access.ts';

type Req = FastifyRequest;
type Rep = FastifyReply;

/* What every organisation console page shares: its guard, its navigation and its frame. */

/**
 * The guard of an organisation console page: the administrator whose role allows `capability`, or null
 * after sending them to sign in, or to prove their second factor again (a session without one). An account
 * without two-step verification, or without the role, gets the error page (`org.two_step_required`,
 * `org.forbidden`), which says what to do.
 */
export function orgConsoleGuard(deps: Pick<Deps, 'db'>, capability: OrgCapability) {
  return async (req: Req, reply: Rep): Promise<OrgAdmin | null> => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return null;
    if (s.twoStep && s.secondFactorAt === null) {
      // Two-step is on but this session never proved it (a passkey-less trusted device, say): prove it now.
      const admin = await orgAdminAccess(deps, { ...s, secondFactorAt: new Date(0) }, capability);
      void admin;
      void reply.redirect(
        `/security/reauth?next=${encodeURIComponent(req.url.split('?')[0] ?? '/org')}`,
        303,
      );
      return null;
    }
    return orgAdminAccess(deps, s, capability);
  };
}

/** The console's own styles (served at /assets/org-console.css): filters in a row, facts, bars, diffs. */
export const ORG_CONSOLE_CSS = `.filter-row{display:flex;flex-wrap:wrap;gap:0 16px}
.filter-row>div{flex:1 1 12em;min-width:0}
.org-facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:6px 16px;margin:12px 0}
.org-facts dt{font-weight:600;color:#59636e}
.org-facts dd{margin:0;overflow-wrap:anywhere}
meter.bar{width:7em;height:12px;vertical-align:middle}
ul.diff{margin:0;padding-left:1.1em}
.pager a{margin-right:16px}
@media (max-width:600px){.org-facts{grid-template-columns:minmax(0,1fr)}.org-facts dd{margin-bottom:6px}}
`;

/** The console's navigation: the pages the admin's role may open. */
export function OrgNav(props: { pc: PageContext; admin: OrgAdmin }) {
  const tr = translator(props.pc.locale);
  const r = props.admin.role;
  const links: [string, string, boolean][] = [
    ['/org', tr('org.nav.overview'), true],
    ['/org/members', tr('org.nav.members'), roleCan(r, 'directory')],
    ['/org/policy', tr('org.nav.policy'), roleCan(r, 'policy')],
    ['/org/reports', tr('org.nav.reports'), roleCan(r, 'reports')],
    ['/org/invitations', tr('org.nav.invitations'), roleCan(r, 'members')],
    ['/org/tokens', tr('org.nav.tokens'), roleCan(r, 'tokens')],
    ['/organisation/console/apps', tr('apps.console.nav'), roleCan(r, 'tokens')],
    ['/org/audit', tr('org.nav.audit'), roleCan(r, 'reports') || roleCan(r, 'policy')],
  ];
  return (
    <nav class="op-nav org-nav" aria-label={tr('org.nav.label', { org: props.admin.orgName })}>
      <link rel="stylesheet" href="/assets/recovery-form.css" />
      <link rel="stylesheet" href="/assets/org-console.css" />
      <strong class="org-name">{props.admin.orgName}</strong>
      {links
        .filter(([, , shown]) => shown)
        .map(([href, label]) => (
          <a href={href} aria-current={props.pc.path === href ? 'page' : undefined}>
            {label}
          </a>
        ))}
      <span class="who">{tr(`org.role.${props.admin.role}`)}</span>
    </nav>
  );
}

/** Sends an organisation console page: the user's page context, the console navigation, then `body`. */
export function sendOrgPage(
  req: Req,
  reply: Rep,
  admin: OrgAdmin,
  view: (c: { pc: PageContext; tr: Translate }) => { title: string; body: VNode },
  status = 200,
) {
  const pc = pageContext(req, reply);
  const tr = translator(pc.locale);
  const v = view({ pc, tr });
  return sendPage(
    reply,
    pc,
    v.title,
    <div>
      <div class="card">
        <OrgNav pc={pc} admin={admin} />
      </div>
      {v.body}
    </div>,
    status,
  );
}

/** Refuses a console request for a capability the admin lacks (a POST the navigation never offered). */
export function requireCapability(admin: OrgAdmin, capability: OrgCapability): void {
  if (!roleCan(admin.role, capability)) fail('org.forbidden');
}
