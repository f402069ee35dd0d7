import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Deps } from '../deps.ts';
import type { Operator } from '../operator/operator-auth.ts';
import { requireOperator } from './operator-guard.ts';
import { Csrf, type PageContext, sendPage, type T as Translate, translator } from './render.tsx';

type Req = FastifyRequest;
type Rep = FastifyReply;

/* What every operator console page shares: its own page context, its navigation and its frame. */

/** Console pages never show the user's header (signed in as a user or not): their own context. */
export function consoleContext(req: Req, reply: Rep): PageContext {
  return {
    locale: req.ctx.locale,
    csrf: reply.generateCsrf(),
    signedIn: false,
    path: req.method === 'GET' ? (req.url.split('?')[0] ?? '/operator') : '/operator',
  };
}

export function ConsoleNav(props: { pc: PageContext; op: Operator }) {
  const tr = translator(props.pc.locale);
  return (
    <nav class="op-nav" aria-label={tr('operator.title')}>
      {/* The console's styles (op-nav and the rest), wherever the navigation is shown. */}
      <link rel="stylesheet" href="/assets/recovery-form.css" />
      <a href="/operator">{tr('operator.nav.queue')}</a>
      <a href="/operator/outbox">{tr('operator.nav.outbox')}</a>
      <a href="/operator/audit">{tr('operator.nav.audit')}</a>
      <a href="/operator/notices">{tr('notices.op.title')}</a>
      <a href="/operator/organisations">{tr('operator.nav.orgs')}</a>
      <a href="/operator/apps">{tr('apps.console.nav')}</a>
      <span class="who">
        {tr('operator.signed_in_as', { name: props.op.name, role: tr(`operator.role.${props.op.role}`) })}
      </span>
      <form method="post" action="/operator/sign-out" class="inline">
        <Csrf pc={props.pc} />
        <button type="submit" class="secondary" data-testid="operator-sign-out">
          {tr('operator.signout')}
        </button>
      </form>
    </nav>
  );
}

/** What a console page draws: its title and the body under the navigation. */
export interface ConsoleView {
  title: string;
  body: VNode;
}

/** Draws a console page's view from the console's page context (locale, CSRF token) and the operator. */
export type ConsoleDraw = (input: {
  req: Req;
  pc: PageContext;
  tr: Translate;
  op: Operator;
}) => ConsoleView | Promise<ConsoleView>;

/** How a console page is framed: all in one card (`boxed`), or the navigation in a card of its own. */
export interface ConsoleFrame {
  boxed: boolean;
}

/**
 * Sends a console page for a signed-in operator: the console's context (no user header), the navigation,
 * then the view, with `status` (200 unless said).
 */
export async function sendConsolePage(
  req: Req,
  reply: Rep,
  op: Operator,
  frame: ConsoleFrame,
  draw: ConsoleDraw,
  status = 200,
) {
  const pc = consoleContext(req, reply);
  const tr = translator(pc.locale);
  const view = await draw({ req, pc, tr, op });
  const nav = <ConsoleNav pc={pc} op={op} />;
  return sendPage(
    reply,
    pc,
    view.title,
    frame.boxed ? (
      <div class="card">
        {nav}
        {view.body}
      </div>
    ) : (
      <div>
        <div class="card">{nav}</div>
        {view.body}
      </div>
    ),
    status,
  );
}

/**
 * `GET path`: a console page for the signed-in operator (anyone else is sent on with the sign-in, see
 * `requireOperator`).
 */
export function consoleGet(
  web: FastifyInstance,
  deps: Pick<Deps, 'db' | 'clock'>,
  path: string,
  frame: ConsoleFrame,
  draw: ConsoleDraw,
): void {
  web.get(path, async (req, reply) => {
    const op = await requireOperator(deps, req, reply);
    if (!op) return reply;
    return sendConsolePage(req, reply, op, frame, draw);
  });
}

/**
 * `POST path` (CSRF-checked, `bodyLimit` bytes at most if given) for the signed-in operator: `handle` runs
 * with the operator; anyone else is sent on with the sign-in (`requireOperator`).
 */
export function consolePost(
  web: FastifyInstance,
  deps: Pick<Deps, 'db' | 'clock'>,
  path: string,
  handle: (req: Req, reply: Rep, op: Operator) => Promise<Rep>,
  bodyLimit?: number,
): void {
  web.post(
    path,
    bodyLimit ? { preValidation: web.csrfProtection, bodyLimit } : { preValidation: web.csrfProtection },
    async (req, reply) => {
      const op = await requireOperator(deps, req, reply);
      if (!op) return reply;
      return handle(req, reply, op);
    },
  );
}
