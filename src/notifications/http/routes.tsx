import type { FastifyInstance, FastifyRequest } from 'fastify';
import { throttleNetwork } from '../../abuse/network-limits.ts';
import { setPersonalPhrase } from '../../accounts/personal-phrase.ts';
import { findAccountById } from '../../accounts/store.ts';
import type { Deps } from '../../deps.ts';
import { defaultTimeZone, formatDateTime } from '../../i18n/index.ts';
import type { SessionView } from '../../sessions/session-cache.ts';
import { DataTable } from '../../web/data-table.tsx';
import { FormCard, type FormPageView, formPage, formSchema, sendView, text } from '../../web/form-kit.tsx';
import {
  Field,
  Notice,
  type PageContext,
  pageContext,
  sendPage,
  type T as Translate,
  translator,
} from '../../web/render.tsx';
import { sessionOrRedirect } from '../../web/web-helpers.ts';
import { isMessageKind } from '../message-kinds.ts';
import { checkReference, listSentMessages } from '../sent-messages.ts';

/** The forms of these pages: the fields each handler reads (web/form-kit.tsx). */
const ReferenceCheckForm = formSchema({ reference: text() });
const PhraseForm = formSchema({ phrase: text() });

type Req = FastifyRequest;

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
          <DataTable
            stack
            rows={messages}
            rowProps={() => ({ 'data-testid': 'sent-message' })}
            columns={[
              { label: tr('activity.when'), cell: (m) => formatDateTime(pc.locale, m.createdAt, s.timeZone) },
              {
                label: tr('messages.kind'),
                primary: true,
                cell: (m) => tr(isMessageKind(m.kind) ? `messages.kind.${m.kind}` : 'messages.kind.other'),
              },
              {
                label: tr('messages.to'),
                cell: (m) => (
                  <>
                    {m.channel === 'sms' ? 'SMS ' : ''}
                    {m.to}
                  </>
                ),
              },
              {
                label: tr('messages.reference'),
                // A text message carries no reference: showing one would send the reader looking for it.
                cell: (m) =>
                  m.channel === 'sms' ? tr('wording.messages.no_reference') : <code>{m.reference}</code>,
              },
            ]}
          />
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
  /** The check's form, with the answer about the reference last checked or the error. */
  const checkView = (
    req: Req,
    pc: PageContext,
    tr: Translate,
    v: { reference?: string; result?: { genuine: boolean; sentAt: Date | null }; error?: string },
  ): FormPageView => ({
    title: tr('check.title'),
    body: (
      <FormCard
        pc={pc}
        title={tr('check.title')}
        lead={tr('check.lead')}
        error={v.error}
        action="/messages/check"
        submit={tr('check.submit')}
        before={
          v.result?.genuine ? (
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
          ) : null
        }
      >
        <Field
          id="reference"
          name="reference"
          label={tr('messages.reference')}
          hint={tr('check.hint')}
          value={v.reference}
          maxLength={64}
          required
        />
      </FormCard>
    ),
  });
  formPage(web, {
    path: '/messages/check',
    form: ReferenceCheckForm,
    guard: () => true,
    page: ({ req, pc, tr, values, failure }) =>
      checkView(req, pc, tr, { reference: values.reference, error: failure?.message }),
    // An empty reference is not checked (nor counted against the network): null.
    submit: async ({ req, form }) => {
      if (form.reference === undefined || form.reference.trim() === '') return null;
      await throttleNetwork(deps, req.ctx.ip, ['reference_check']);
      return checkReference(deps, form.reference);
    },
    done: ({ req, reply, form, value }) =>
      value === null
        ? sendView(req, reply, (pc, tr) => checkView(req, pc, tr, { error: tr('wording.check.empty') }), 400)
        : sendView(req, reply, (pc, tr) =>
            checkView(req, pc, tr, { reference: form.reference, result: value }),
          ),
  });
}

/** The personal greeting shown in every email. */
function phraseRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'cipher' | 'emit'>,
): void {
  /** The greeting's form with the greeting saved so far (never the one refused), and what just happened. */
  const phraseView = async (
    pc: PageContext,
    tr: Translate,
    s: SessionView,
    v: { error?: string; saved?: boolean },
  ): Promise<FormPageView> => {
    const account = await findAccountById(deps.db, s.accountId);
    return {
      title: tr('phrase.title'),
      body: (
        <FormCard
          pc={pc}
          title={tr('phrase.title')}
          lead={tr('phrase.lead')}
          action="/security/phrase"
          submit={tr('common.save')}
          back={{ href: '/security', label: tr('common.back') }}
          before={
            <>
              <Notice kind="warn">{tr('phrase.warning')}</Notice>
              {v.saved ? (
                <Notice kind="ok">{tr(account?.personalPhrase ? 'phrase.saved' : 'phrase.removed')}</Notice>
              ) : null}
            </>
          }
        >
          <Field
            id="phrase"
            name="phrase"
            label={tr('phrase.label')}
            hint={tr('phrase.hint')}
            value={account?.personalPhrase ?? ''}
            maxLength={40}
            error={v.error}
          />
        </FormCard>
      ),
    };
  };
  formPage(web, {
    path: '/security/phrase',
    form: PhraseForm,
    guard: sessionOrRedirect,
    page: ({ pc, tr, who, failure }) => phraseView(pc, tr, who, { error: failure?.message }),
    submit: ({ req, who, form }) => setPersonalPhrase(deps, who, form.phrase ?? '', req.ctx),
    done: ({ req, reply, who }) => sendView(req, reply, (pc, tr) => phraseView(pc, tr, who, { saved: true })),
  });
}
