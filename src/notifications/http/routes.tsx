import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { throttleNetwork } from '../../abuse/network-limits.ts';
import { setPersonalPhrase } from '../../accounts/personal-phrase.ts';
import { findAccountById } from '../../accounts/store.ts';
import type { Deps } from '../../deps.ts';
import { defaultTimeZone, formatDateTime } from '../../i18n/index.ts';
import { formSchema, readForm, text } from '../../web/form-kit.tsx';
import { Csrf, Field, Notice, pageContext, sendPage, translator } from '../../web/render.tsx';
import { attempt, sessionOrRedirect, setRetryAfter } from '../../web/web-helpers.ts';
import { isMessageKind } from '../message-kinds.ts';
import { checkReference, listSentMessages } from '../sent-messages.ts';

/** The forms of these pages: the fields each handler reads (web/form-kit.tsx). */
const ReferenceCheckForm = formSchema({ reference: text() });
const PhraseForm = formSchema({ phrase: text() });

type Req = FastifyRequest;
type Rep = FastifyReply;

/** Anti-phishing: messages we sent, the public reference check, the personal phrase. */
export function messagesRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'limiter' | 'cipher' | 'emit'>,
): void {
  sentMessagesRoutes(web, deps);
  referenceCheckRoutes(web, deps);
  phraseRoutes(web, deps);
}

/** "Messages we sent": every email and SMS Mamori sent the account. */
function sentMessagesRoutes(web: FastifyInstance, deps: Pick<Deps, 'db'>): void {
  web.get('/security/messages', async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const messages = await listSentMessages(deps, s.accountId);
    return sendPage(
      reply,
      pc,
      tr('messages.title'),
      <div class="card">
        <h1>{tr('messages.title')}</h1>
        <p class="lead">{tr('messages.lead')}</p>
        <div class="table-wrap">
          <table class="stack">
            <thead>
              <tr>
                <th>{tr('activity.when')}</th>
                <th>{tr('messages.kind')}</th>
                <th>{tr('messages.to')}</th>
                <th>{tr('messages.reference')}</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr data-testid="sent-message">
                  <td data-label={tr('activity.when')}>
                    {formatDateTime(pc.locale, m.createdAt, s.timeZone)}
                  </td>
                  <td data-label={tr('messages.kind')} class="primary">
                    {tr(isMessageKind(m.kind) ? `messages.kind.${m.kind}` : 'messages.kind.other')}
                  </td>
                  <td data-label={tr('messages.to')}>
                    {m.channel === 'sms' ? 'SMS ' : ''}
                    {m.to}
                  </td>
                  <td data-label={tr('messages.reference')}>
                    {/* A text message carries no reference: showing one would send the reader looking for it. */}
                    {m.channel === 'sms' ? tr('wording.messages.no_reference') : <code>{m.reference}</code>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p>
          <a href="/messages/check">{tr('check.title')}</a> · <a href="/security">{tr('common.back')}</a>
        </p>
      </div>,
    );
  });
}

/** The public reference check: was this message sent by Mamori? */
function referenceCheckRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'limiter'>,
): void {
  const checkPage = (
    req: Req,
    reply: Rep,
    v: { reference?: string; result?: { genuine: boolean; sentAt: Date | null }; error?: string },
    status = 200,
  ) => {
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    return sendPage(
      reply,
      pc,
      tr('check.title'),
      <div class="card narrow">
        <h1>{tr('check.title')}</h1>
        <p class="lead">{tr('check.lead')}</p>
        {v.result?.genuine ? (
          <Notice kind="ok">
            {tr('check.genuine', {
              // A signed-in reader sees their own time zone, as on every other page.
              date: v.result.sentAt
                ? formatDateTime(
                    pc.locale,
                    v.result.sentAt,
                    req.session?.timeZone ?? defaultTimeZone(pc.locale),
                  )
                : '',
            })}
          </Notice>
        ) : v.result ? (
          <Notice kind="error">{tr('check.not_genuine')}</Notice>
        ) : null}
        {v.error ? <Notice kind="error">{v.error}</Notice> : null}
        <form method="post" action="/messages/check" novalidate>
          <Csrf pc={pc} />
          <Field
            id="reference"
            name="reference"
            label={tr('messages.reference')}
            hint={tr('check.hint')}
            value={v.reference}
            maxLength={64}
            required
          />
          <button type="submit">{tr('check.submit')}</button>
        </form>
      </div>,
      status,
    );
  };
  web.get('/messages/check', async (req, reply) => checkPage(req, reply, {}));
  web.post('/messages/check', { preValidation: web.csrfProtection }, async (req, reply) => {
    const b = readForm(req, ReferenceCheckForm);
    if (typeof b.reference !== 'string' || b.reference.trim() === '')
      return checkPage(req, reply, { error: translator(req.ctx.locale)('wording.check.empty') }, 400);
    const r = await attempt(req, async () => {
      await throttleNetwork(deps, req.ctx.ip, ['reference_check']);
      return checkReference(deps, b.reference);
    });
    if (!r.ok) {
      setRetryAfter(reply, r.error);
      return checkPage(req, reply, { reference: b.reference, error: r.message }, r.error.status);
    }
    return checkPage(req, reply, { reference: b.reference, result: r.value });
  });
}

/** The personal greeting shown in every email. */
function phraseRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'cipher' | 'emit'>,
): void {
  const phrasePage = async (req: Req, reply: Rep, v: { error?: string; saved?: boolean }, status = 200) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const account = await findAccountById(deps.db, s.accountId);
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    return sendPage(
      reply,
      pc,
      tr('phrase.title'),
      <div class="card narrow">
        <h1>{tr('phrase.title')}</h1>
        <p class="lead">{tr('phrase.lead')}</p>
        <Notice kind="warn">{tr('phrase.warning')}</Notice>
        {v.saved ? <Notice kind="ok">{tr('phrase.saved')}</Notice> : null}
        <form method="post" action="/security/phrase" novalidate>
          <Csrf pc={pc} />
          <Field
            id="phrase"
            name="phrase"
            label={tr('phrase.label')}
            hint={tr('phrase.hint')}
            value={account?.personalPhrase ?? ''}
            maxLength={40}
            error={v.error}
          />
          <button type="submit">{tr('common.save')}</button>
        </form>
        <p>
          <a href="/security">{tr('common.back')}</a>
        </p>
      </div>,
      status,
    );
  };
  web.get('/security/phrase', async (req, reply) => phrasePage(req, reply, {}));
  web.post('/security/phrase', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const r = await attempt(req, () =>
      setPersonalPhrase(deps, s, readForm(req, PhraseForm).phrase ?? '', req.ctx),
    );
    if (!r.ok) return phrasePage(req, reply, { error: r.message }, r.error.status);
    return phrasePage(req, reply, { saved: true });
  });
}
