import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { formatDateTime } from '../../i18n/index.ts';
import type { Locale } from '../../kernel/context.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Operator } from '../../operator/operator-auth.ts';
import {
  type ConsoleFrame,
  type ConsoleView,
  consoleGet,
  consolePost,
  sendConsolePage,
} from '../../web/console-chrome.tsx';
import {
  formPage,
  formSchema,
  readForm,
  readParams,
  readQuery,
  submitForm,
  text,
} from '../../web/form-kit.tsx';
import {
  Csrf,
  Notice as Note,
  type PageContext,
  pageContext,
  renderErrorPage,
  sendPage,
  type T as Translate,
  translator,
} from '../../web/render.tsx';
import { sessionOrRedirect, speakEmailLanguage } from '../../web/web-helpers.ts';
import { createNotice, findNotice, listNotices, noticesPerMinute, sendNotice } from '../notices.ts';
import {
  NOTICE_CATEGORIES,
  type NoticeCategory,
  noticePreferences,
  setNoticePreferences,
  unsubscribe,
  unsubscribeTarget,
} from '../preferences.ts';
import { renderNoticeEmail } from '../render-notice.tsx';
import { NoticeForm, statusKey } from './pages.tsx';

/** The forms of these pages: the fields each handler reads (web/form-kit.tsx). */
const NoticePreferencesForm = formSchema(Object.fromEntries(NOTICE_CATEGORIES.map((c) => [c, text()])));
const CreateNoticeForm = formSchema({
  category: text(),
  subjectJa: text(),
  bodyJa: text(),
  subjectEn: text(),
  bodyEn: text(),
});
const SendNoticeForm = formSchema({ confirm: text() });
/** The one-click unsubscribe body (RFC 8058), with the token when it is not in the link. */
const OneClickForm = formSchema({ 'List-Unsubscribe': text(), token: text() });
/** The queries and path parameters of these pages. */
const DoneQuery = formSchema({ done: text() });
const TokenQuery = formSchema({ token: text() });
const IdParams = formSchema({ id: text() });

/** The notices' console pages draw the navigation in a card of its own, the page in sections under it. */
const OPEN: ConsoleFrame = { boxed: false };

/** RFC 8058 one-click: the body names `List-Unsubscribe=One-Click` (urlencoded, or a multipart field). */
function isOneClick(req: FastifyRequest): boolean {
  const b: unknown = req.body;
  if (typeof b === 'string') return /name="?List-Unsubscribe"?/i.test(b) && /\bOne-Click\b/.test(b);
  return readForm(req, OneClickForm)['List-Unsubscribe'] === 'One-Click';
}

const tokenOf = (req: FastifyRequest) => readQuery(req, TokenQuery).token;

/** Service notices: the user's preferences, one-click unsubscribe, and the operators' console pages. */
export function noticesRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'emit'>,
): void {
  preferenceRoutes(web, deps);
  unsubscribeRoutes(web, deps);
  noticeListRoutes(web, deps);
  noticeRoutes(web, deps);
}

/** Preferences: which categories of service notices the user receives. */
function preferenceRoutes(web: FastifyInstance, deps: Pick<Deps, 'db' | 'clock' | 'emit'>): void {
  formPage(web, {
    path: '/security/notices',
    form: NoticePreferencesForm,
    guard: sessionOrRedirect,
    page: async ({ req, pc, tr, who }) => {
      const prefs = await noticePreferences(deps.db, who.accountId);
      return {
        title: tr('notices.prefs.title'),
        body: (
          <div class="card narrow">
            <h1>{tr('notices.prefs.title')}</h1>
            <p class="lead">{tr('notices.prefs.lead')}</p>
            {readQuery(req, DoneQuery).done === 'saved' ? (
              <Note kind="ok">{tr('notices.prefs.saved')}</Note>
            ) : null}
            <form method="post" action="/security/notices">
              <Csrf pc={pc} />
              <input type="hidden" name="form" value="1" />
              <fieldset>
                <legend>{tr('notices.prefs.categories')}</legend>
                {NOTICE_CATEGORIES.map((c) => (
                  <div class="radio">
                    <input
                      type="checkbox"
                      id={`cat-${c}`}
                      name={c}
                      value="on"
                      checked={prefs[c]}
                      aria-describedby={`cat-${c}-hint`}
                      data-testid={`notice-${c}`}
                    />
                    <label for={`cat-${c}`}>
                      {tr(`notices.category.${c}`)}
                      <span class="hint" id={`cat-${c}-hint`}>
                        <br />
                        {tr(`notices.category_hint.${c}`)}
                      </span>
                    </label>
                  </div>
                ))}
              </fieldset>
              <button type="submit">{tr('notices.prefs.save')}</button>
            </form>
            <h2>{tr('notices.prefs.security_title')}</h2>
            <p data-testid="security-always">{tr('notices.prefs.security_always')}</p>
            <p>
              <a href="/security">{tr('common.back')}</a>
            </p>
          </div>
        ),
      };
    },
    submit: ({ req, who, form }) =>
      setNoticePreferences(
        deps,
        who.accountId,
        Object.fromEntries(NOTICE_CATEGORIES.map((c) => [c, form[c] === 'on'])),
        req.ctx,
      ),
    done: ({ reply }) => reply.redirect('/security/notices?done=saved', 303),
  });
}

/** Unsubscribe links (RFC 8058): no session, no CSRF token; the HMAC-signed token is the authority. */
function unsubscribeRoutes(web: FastifyInstance, deps: Pick<Deps, 'db' | 'clock' | 'emit' | 'config'>): void {
  const unsubPage = (
    req: FastifyRequest,
    reply: Parameters<typeof pageContext>[1],
    v: { category: NoticeCategory; state: 'confirm' | 'done' | 'already'; token: string },
  ) => {
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const category = tr(`notices.category.${v.category}`);
    const title = v.state === 'confirm' ? tr('notices.unsub.title') : tr('notices.unsub.done_title');
    return sendPage(
      reply,
      pc,
      title,
      <div class="card narrow">
        <h1>{title}</h1>
        {v.state === 'confirm' ? (
          <form method="post" action={`/unsubscribe?token=${encodeURIComponent(v.token)}`}>
            <p>{tr('notices.unsub.confirm', { category })}</p>
            <input type="hidden" name="List-Unsubscribe" value="One-Click" />
            <button type="submit">{tr('notices.unsub.submit')}</button>
          </form>
        ) : (
          <Note kind="ok">
            {tr(v.state === 'done' ? 'notices.unsub.done' : 'notices.unsub.already', { category })}
          </Note>
        )}
        <p>{tr('notices.unsub.security')}</p>
        <p>
          <a href="/security/notices">{tr('notices.unsub.manage')}</a>
        </p>
      </div>,
    );
  };
  web.get('/unsubscribe', async (req, reply) => {
    const token = tokenOf(req);
    const target = await unsubscribeTarget(deps, token);
    speakEmailLanguage(req, target.locale);
    return unsubPage(req, reply, {
      category: target.category,
      state: target.subscribed ? 'confirm' : 'already',
      token: String(token),
    });
  });
  web.register(async (scope) => {
    // Mail providers may post the one-click body as multipart/form-data (RFC 8058 §3.1).
    scope.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'string', bodyLimit: 16 * 1024 },
      (_r, b, done) => done(null, b),
    );
    scope.post('/unsubscribe', async (req, reply) => {
      const token = tokenOf(req) ?? readForm(req, OneClickForm).token;
      if (!isOneClick(req)) throw new AppError('unsubscribe.invalid');
      await unsubscribe(deps, token, req.ctx);
      const { category, locale } = await unsubscribeTarget(deps, token);
      speakEmailLanguage(req, locale);
      return unsubPage(req, reply, { category, state: 'done', token: String(token) });
    });
  });
}

/** Operator console: the list of notices and writing a new one. */
function noticeListRoutes(web: FastifyInstance, deps: Pick<Deps, 'db' | 'clock' | 'random'>): void {
  /** The notices sent or drafted, and the form that writes a new one (with its error and values). */
  const listView = async (
    pc: PageContext,
    tr: Translate,
    v: { error?: string; form?: Record<string, string | undefined> } = {},
  ): Promise<ConsoleView> => {
    const notices = await listNotices(deps.db);
    return {
      title: tr('notices.op.title'),
      body: (
        <>
          <h1>{tr('notices.op.title')}</h1>
          <p class="lead">{tr('notices.op.lead', { rate: noticesPerMinute() })}</p>
          <section class="card">
            <h2>{tr('notices.op.list')}</h2>
            {notices.length === 0 ? (
              <p>{tr('notices.op.empty')}</p>
            ) : (
              <ul class="methods">
                {notices.map((n) => (
                  <li data-testid="notice" data-status={n.status}>
                    <div class="m-main">
                      <div class="m-value">
                        <a href={`/operator/notices/${n.id}`}>
                          {pc.locale === 'ja' ? n.subject.ja : n.subject.en}
                        </a>
                        <span class={n.status === 'sent' ? 'badge' : 'badge pending'}>
                          {tr(statusKey(n))}
                        </span>
                      </div>
                      <div class="m-meta">
                        {tr(`notices.category.${n.category}`)} ·{' '}
                        {tr('notices.op.created', { date: formatDateTime(pc.locale, n.createdAt) })} ·{' '}
                        {tr('notices.op.delivered', { count: n.delivered })}
                      </div>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section class="card">
            <h2>{tr('notices.op.new')}</h2>
            <NoticeForm pc={pc} error={v.error} v={v.form ?? {}} />
          </section>
        </>
      ),
    };
  };
  consoleGet(web, deps, '/operator/notices', OPEN, ({ pc, tr }) => listView(pc, tr));
  consolePost(
    web,
    deps,
    '/operator/notices',
    async (req, reply, op) => {
      const form = readForm(req, CreateNoticeForm);
      const r = await submitForm(
        req,
        reply,
        () => createNotice(deps, op, form),
        (f) =>
          sendConsolePage(
            req,
            reply,
            op,
            OPEN,
            ({ pc, tr }) => listView(pc, tr, { error: f.message, form }),
            f.status,
          ),
      );
      return r.ok ? reply.redirect(`/operator/notices/${r.value.id}`, 303) : r.reply;
    },
    // Japanese text is 9 bytes a character once form-encoded: allow two 10 000-character bodies.
    256 * 1024,
  );
}

/** Operator console: one notice, its preview, and sending it. */
function noticeRoutes(web: FastifyInstance, deps: Pick<Deps, 'db' | 'clock' | 'config'>): void {
  /** The notice's preview in both languages and, for an admin, the form that sends a draft. */
  const noticeView = async (
    id: string,
    pc: PageContext,
    tr: Translate,
    op: Operator,
    v: { confirmError?: boolean } = {},
  ): Promise<ConsoleView> => {
    const n = await findNotice(deps.db, id);
    if (!n) throw new AppError('notice.not_found');
    const preview = (locale: Locale) =>
      renderNoticeEmail({
        locale,
        category: n.category,
        subject: n.subject[locale],
        body: n.body[locale],
        displayName: op.name,
        phrase: '',
        publicUrl: deps.config.publicUrl,
        reference: 'MMR-XXXX-XXXX',
        unsubscribeUrl: `${deps.config.publicUrl}/unsubscribe?token=…`,
      });
    return {
      title: tr('notices.op.preview'),
      body: (
        <>
          <h1>{tr('notices.op.preview')}</h1>
          <p>
            <span class={n.status === 'sent' ? 'badge' : 'badge pending'} data-testid="notice-status">
              {tr(statusKey(n))}
            </span>{' '}
            {tr(`notices.category.${n.category}`)} · {tr('notices.op.delivered', { count: n.delivered })}
          </p>
          {(['ja', 'en'] as const).map((locale) => {
            const m = preview(locale);
            return (
              <details class="mail" open lang={locale}>
                <summary>{m.subject}</summary>
                <pre>{m.text}</pre>
              </details>
            );
          })}
          {n.status === 'draft' ? (
            op.role === 'admin' ? (
              <form method="post" action={`/operator/notices/${n.id}/send`} class="card" novalidate>
                <Csrf pc={pc} />
                <p class="hint">{tr('notices.op.send_hint')}</p>
                {/* Sending cannot be stopped: an explicit confirmation, refused (at the box) when missing. */}
                <label class="radio">
                  <input
                    type="checkbox"
                    id="confirm"
                    name="confirm"
                    value="yes"
                    required
                    aria-invalid={v.confirmError ? 'true' : undefined}
                    aria-describedby={v.confirmError ? 'confirm-error' : undefined}
                  />
                  {tr('notices.op.confirm_label', { category: tr(`notices.category.${n.category}`) })}
                </label>
                {v.confirmError ? (
                  <p class="field-error" id="confirm-error" role="alert">
                    {tr('notices.op.confirm_required')}
                  </p>
                ) : null}
                <button type="submit" class="danger">
                  {tr('notices.op.send')}
                </button>
              </form>
            ) : (
              <Note kind="warn">{tr('notices.op.admin_only')}</Note>
            )
          ) : null}
          <p>
            <a href="/operator/notices">{tr('notices.op.back')}</a>
          </p>
        </>
      ),
    };
  };
  const idOf = (req: FastifyRequest) => readParams(req, IdParams).id ?? '';
  consoleGet(web, deps, '/operator/notices/:id', OPEN, ({ req, pc, tr, op }) =>
    noticeView(idOf(req), pc, tr, op),
  );
  consolePost(web, deps, '/operator/notices/:id/send', async (req, reply, op) => {
    const id = idOf(req);
    if (op.role !== 'admin')
      return renderErrorPage(req, reply, 403, translator(req.ctx.locale)('notices.op.admin_only'));
    if (readForm(req, SendNoticeForm).confirm !== 'yes')
      return sendConsolePage(
        req,
        reply,
        op,
        OPEN,
        ({ pc, tr }) => noticeView(id, pc, tr, op, { confirmError: true }),
        400,
      );
    await sendNotice(deps, op, id);
    return reply.redirect(`/operator/notices/${id}`, 303);
  });
}
