import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { formatDateTime } from '../i18n/index.ts';
import type { DevMessageReader } from '../notifications/ports.ts';
import { pageContext, sendPage, translator } from './render.tsx';

/**
 * The dev mailbox and SMS outbox: only when no real provider is configured and never in production.
 * `devMessages` reads what the dev transports kept (the adapter, wired in app.ts).
 */
export function devRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config'>,
  devMessages: DevMessageReader,
): void {
  if (!deps.config.devTools) return;
  web.get('/dev/mailbox.json', async () => ({ messages: await devMessages('email') }));
  web.get('/dev/sms.json', async () => ({ messages: await devMessages('sms') }));
  web.get('/dev/mailbox', async (req, reply) => {
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const messages = await devMessages('email');
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
    const messages = await devMessages('sms');
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
