import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { formatDateTime } from '../../i18n/index.ts';
import type { Locale } from '../../kernel/context.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Operator } from '../../operator/operator-auth.ts';
import { ConsoleNav, consoleContext } from '../../web/console-chrome.tsx';
import { formSchema, readForm, text } from '../../web/form-kit.tsx';
import { requireOperator } from '../../web/operator-guard.ts';
import {
  Csrf,
  Notice as Note,
  pageContext,
  renderErrorPage,
  sendPage,
  translator,
} from '../../web/render.tsx';
import { attempt, sessionOrRedirect, speakEmailLanguage } from '../../web/web-helpers.ts';
import { createNotice, findNotice, listNotices, noticesPerMinute, sendNotice } from '../notices.ts';
import {
  NOTICE_CATEGORIES,
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

/** RFC 8058 one-click: the body names `List-Unsubscribe=One-Click` (urlencoded, or a multipart field). */
function isOneClick(req: FastifyRequest): boolean {
  const b = req.body as Record<string, unknown> | string | undefined;
  if (typeof b === 'string') return /name="?List-Unsubscribe"?/i.test(b) && /\bOne-Click\b/.test(b);
  return b?.['List-Unsubscribe'] === 'One-Click';
}

const tokenOf = (req: FastifyRequest) => (req.query as { token?: unknown }).token;

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
  const prefsPage = async (req: FastifyRequest, reply: Parameters<typeof pageContext>[1], saved: boolean) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    const prefs = await noticePreferences(deps.db, s.accountId);
    return sendPage(
      reply,
      pc,
      tr('notices.prefs.title'),
      <div class="card narrow">
        <h1>{tr('notices.prefs.title')}</h1>
        <p class="lead">{tr('notices.prefs.lead')}</p>
        {saved ? <Note kind="ok">{tr('notices.prefs.saved')}</Note> : null}
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
      </div>,
    );
  };
  web.get('/security/notices', async (req, reply) =>
    prefsPage(req, reply, (req.query as { done?: string }).done === 'saved'),
  );
  web.post('/security/notices', { preValidation: web.csrfProtection }, async (req, reply) => {
    const s = sessionOrRedirect(req, reply);
    if (!s) return reply;
    const b = readForm(req, NoticePreferencesForm);
    await setNoticePreferences(
      deps,
      s.accountId,
      Object.fromEntries(NOTICE_CATEGORIES.map((c) => [c, b[c] === 'on'])),
      req.ctx,
    );
    return reply.redirect('/security/notices?done=saved', 303);
  });
}

/** Unsubscribe links (RFC 8058): no session, no CSRF token; the HMAC-signed token is the authority. */
function unsubscribeRoutes(web: FastifyInstance, deps: Pick<Deps, 'db' | 'clock' | 'emit' | 'config'>): void {
  const unsubPage = (
    req: FastifyRequest,
    reply: Parameters<typeof pageContext>[1],
    v: { category: (typeof NOTICE_CATEGORIES)[number]; state: 'confirm' | 'done' | 'already'; token: string },
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
      const b = req.body as Record<string, unknown> | undefined;
      const token = tokenOf(req) ?? (typeof b === 'object' ? b?.token : undefined);
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
  const consolePage = async (
    req: FastifyRequest,
    reply: Parameters<typeof pageContext>[1],
    op: Operator,
    v: { error?: string; form?: Record<string, string | undefined> },
    status = 200,
  ) => {
    const pc = consoleContext(req, reply);
    const tr = translator(pc.locale);
    const notices = await listNotices(deps.db);
    return sendPage(
      reply,
      pc,
      tr('notices.op.title'),
      <div>
        <div class="card">
          <ConsoleNav pc={pc} op={op} />
        </div>
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
                      <span class={n.status === 'sent' ? 'badge' : 'badge pending'}>{tr(statusKey(n))}</span>
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
      </div>,
      status,
    );
  };
  web.get('/operator/notices', async (req, reply) => {
    const op = await requireOperator(deps, req, reply);
    if (!op) return reply;
    return consolePage(req, reply, op, {});
  });
  web.post(
    '/operator/notices',
    // Japanese text is 9 bytes a character once form-encoded: allow two 10 000-character bodies.
    { preValidation: web.csrfProtection, bodyLimit: 256 * 1024 },
    async (req, reply) => {
      const op = await requireOperator(deps, req, reply);
      if (!op) return reply;
      const b = readForm(req, CreateNoticeForm);
      const r = await attempt(req, () => createNotice(deps, op, b));
      if (!r.ok) return consolePage(req, reply, op, { error: r.message, form: b }, r.error.status);
      return reply.redirect(`/operator/notices/${r.value.id}`, 303);
    },
  );
}

/** Operator console: one notice, its preview, and sending it. */
function noticeRoutes(web: FastifyInstance, deps: Pick<Deps, 'db' | 'clock' | 'config'>): void {
  const noticePage = async (
    req: FastifyRequest,
    reply: Parameters<typeof pageContext>[1],
    op: Operator,
    v: { confirmError?: boolean } = {},
    status = 200,
  ) => {
    const n = await findNotice(deps.db, (req.params as { id: string }).id);
    if (!n) throw new AppError('notice.not_found');
    const pc = consoleContext(req, reply);
    const tr = translator(pc.locale);
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
    return sendPage(
      reply,
      pc,
      tr('notices.op.preview'),
      <div>
        <div class="card">
          <ConsoleNav pc={pc} op={op} />
        </div>
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
      </div>,
      status,
    );
  };
  web.get('/operator/notices/:id', async (req, reply) => {
    const op = await requireOperator(deps, req, reply);
    if (!op) return reply;
    return noticePage(req, reply, op);
  });
  web.post('/operator/notices/:id/send', { preValidation: web.csrfProtection }, async (req, reply) => {
    const op = await requireOperator(deps, req, reply);
    if (!op) return reply;
    const id = (req.params as { id: string }).id;
    if (op.role !== 'admin')
      return renderErrorPage(req, reply, 403, translator(req.ctx.locale)('notices.op.admin_only'));
    if (readForm(req, SendNoticeForm).confirm !== 'yes')
      return noticePage(req, reply, op, { confirmError: true }, 400);
    await sendNotice(deps, op, id);
    return reply.redirect(`/operator/notices/${id}`, 303);
  });
}
