import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Operator } from '../operator/operator-auth.ts';
import { Csrf, type PageContext, translator } from './render.tsx';

type Req = FastifyRequest;
type Rep = FastifyReply;

/** What every operator console page shares: its own page context and its navigation. */
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
