import type { FastifyInstance } from 'fastify';
import { listDevMessages } from '../adapters/email/dev-mailbox.ts';
import type { Deps } from '../deps.ts';
import { formatDateTime } from '../i18n/index.ts';
import { pageContext, sendPage, translator } from './render.tsx';

/** The dev mailbox and SMS outbox: only when no real provider is configured and never in production. */
export function devRoutes(web: FastifyInstance, deps: Deps): void {
  if (!deps.config.devTools) return;
  web.get('/dev/mailbox.json', async () => ({ messages: await listDevMessages(deps.db, 'email') }));
  web.get('/dev/sms.json', async () => ({ messages: await listDevMessages(deps.db, 'sms') }));
  web.get('/dev/mailbox', async (req, reply) => {
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const messages = await listDevMessages(deps.db, 'email');
    return sendPage(
      reply,
      pc,
      tr('dev.mailbox.title'),
      <div>
        <h1>{tr('dev.mailbox.title')}</h1>
        <p class="hint">{tr(deps.config.smtpUrl ? 'dev.mailbox.smtp' : 'dev.mailbox.lead')}</p>
        {messages.length === 0 ? <p>{tr('dev.empty')}</p> : null}
        {messages.map((m, i) => (
          <details class="mail" open={i === 0} data-testid="mail">
            <summary>
              <strong>{m.subject}</strong> — {m.recipient} · {formatDateTime(pc.locale, m.createdAt)} ·{' '}
              {m.reference}
            </summary>
            <pre>{m.bodyText}</pre>
          </details>
        ))}
      </div>,
    );
  });
  web.get('/dev/sms', async (req, reply) => {
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const messages = await listDevMessages(deps.db, 'sms');
    return sendPage(
      reply,
      pc,
      tr('dev.sms.title'),
      <div>
        <h1>{tr('dev.sms.title')}</h1>
        <p class="hint">{tr('dev.sms.lead')}</p>
        {messages.length === 0 ? <p>{tr('dev.empty')}</p> : null}
        {messages.map((m) => (
          <details class="mail" open data-testid="sms">
            <summary>
              {m.recipient} · {formatDateTime(pc.locale, m.createdAt)}
            </summary>
            <pre>{m.bodyText}</pre>
          </details>
        ))}
      </div>,
    );
  });
}
