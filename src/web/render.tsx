import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ComponentChildren, h, type VNode } from 'preact';
import { render } from 'preact-render-to-string';
import { type MessageKey, type Params, t } from '../i18n/index.ts';
import type { Locale } from '../kernel/context.ts';
import { textField } from './read-fields.ts';

export interface PageContext {
  locale: Locale;
  csrf: string;
  signedIn: boolean;
  displayName?: string;
  path: string;
  /**
   * Right after the header language switch, when the signed-in account's language (emails) differs: offer
   * to save the page language to the account.
   */
  offerLanguage?: boolean;
}

/** Translation bound to a page's locale. */
export type T = (key: MessageKey, params?: Params) => string;
export const translator =
  (locale: Locale): T =>
  (key, params) =>
    t(locale, key, params);

/** Pages shown in answer to a form post: the page to come back to when switching language. */
const POST_TO_PAGE: [RegExp, string][] = [
  [/^\/forgot(\/.*)?$/, '/forgot'],
  [/^\/sign-up\/(resend|confirm)$/, '/sign-up/confirm'],
  [/^\/security\/methods\/([^/]+)\/(resend|verify)$/, '/security/methods/$1/verify'],
  [/^\/security\/reauth(\/.*)?$/, '/security/reauth'],
];

/** Public pages that carry their token in the query: the language switch keeps it. */
const TOKEN_PAGES = new Set(['/replacement/cancel', '/replacement/not-me']);

function pagePath(req: FastifyRequest): string {
  const path = req.url.split('?')[0] ?? '/';
  const token = textField(req.query, 'token');
  if (
    req.method === 'GET' &&
    TOKEN_PAGES.has(path) &&
    typeof token === 'string' &&
    /^[\w-]{1,100}$/.test(token)
  ) {
    return `${path}?token=${token}`;
  }
  if (req.method === 'GET') return path;
  for (const [re, page] of POST_TO_PAGE) if (re.test(path)) return path.replace(re, page);
  return path;
}

export function pageContext(req: FastifyRequest, reply: FastifyReply): PageContext {
  return {
    locale: req.ctx.locale,
    csrf: reply.generateCsrf(),
    signedIn: req.session !== null,
    displayName: req.session?.displayName,
    path: pagePath(req),
    offerLanguage:
      req.method === 'GET' &&
      textField(req.query, 'lang_offer') === '1' &&
      req.session !== null &&
      req.session.locale !== req.ctx.locale,
  };
}

function Layout(props: { pc: PageContext; title: string; children: ComponentChildren }) {
  const { pc } = props;
  const tr = translator(pc.locale);
  const other: Locale = pc.locale === 'ja' ? 'en' : 'ja';
  return (
    <html lang={pc.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} – Mamori`}</title>
        <link rel="icon" href="/favicon.ico" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/app.css" />
      </head>
      <body>
        <header class="top">
          <div class="in">
            {/* In the operator console the logo leads to the console, not to an account page. */}
            <a
              class="brand"
              href={
                pc.path === '/operator' || pc.path.startsWith('/operator/')
                  ? '/operator'
                  : pc.signedIn
                    ? '/security'
                    : '/sign-in'
              }
            >
              Mamori<small>{tr('brand.tagline')}</small>
            </a>
            <nav class="lang" aria-label={tr('nav.language')}>
              <strong lang={pc.locale}>{pc.locale === 'ja' ? '日本語' : 'English'}</strong>
              <a href={`/lang/${other}?next=${encodeURIComponent(pc.path)}`} lang={other} hreflang={other}>
                {other === 'ja' ? '日本語' : 'English'}
              </a>
            </nav>
            {pc.signedIn ? (
              <div class="user">
                <a href="/account" class="account-link" data-testid="account-link">
                  {tr('deadends.account.title')}
                </a>
                <form method="post" action="/sign-out" class="inline">
                  <input type="hidden" name="_csrf" value={pc.csrf} />
                  <button type="submit" class="secondary" data-testid="sign-out">
                    {tr('nav.sign_out')}
                  </button>
                </form>
              </div>
            ) : null}
          </div>
        </header>
        <main id="main">
          {pc.offerLanguage ? (
            <form method="post" action="/account/language" class="notice ok" data-testid="lang-offer">
              <input type="hidden" name="_csrf" value={pc.csrf} />
              <input type="hidden" name="locale" value={pc.locale} />
              <input type="hidden" name="next" value={pc.path} />
              <p>{tr('deadends.lang.offer')}</p>
              <button type="submit" class="secondary">
                {tr('deadends.lang.save')}
              </button>
            </form>
          ) : null}
          {props.children}
        </main>
        <footer class="bottom">{tr('footer.note')}</footer>
        <script src="/assets/app.js" defer />
      </body>
    </html>
  );
}

/** A whole page (Mamori's layout around `body`) as HTML, for answers written without a Fastify reply. */
export function pageHtml(pc: PageContext, title: string, body: VNode): string {
  return `<!doctype html>${render(
    <Layout pc={pc} title={title}>
      {body}
    </Layout>,
  )}`;
}

export function sendPage(reply: FastifyReply, pc: PageContext, title: string, body: VNode, status = 200) {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(pageHtml(pc, title, body));
}

/**
 * The error page as a whole document: the message only, nothing else from the request but the path of a GET
 * to a page that exists, when it is a plain local path (the language switch shows the same page in the other
 * language); after a 404, 414 or anything else, the switch leads to the start page. Also used where there is no reply object (answers written to a socket).
 */
export function errorPageHtml(
  locale: Locale,
  message: string,
  o: { csrf?: string; signedIn?: boolean; path?: string } = {},
) {
  const tr = translator(locale);
  const path = o.path && /^\/[a-z0-9\-/_]*$/i.test(o.path) && !o.path.startsWith('//') ? o.path : '/';
  const pc: PageContext = { locale, csrf: o.csrf ?? '', signedIn: o.signedIn ?? false, path };
  return pageHtml(
    pc,
    tr('page.error.title'),
    <div class="card narrow">
      <h1>{tr('page.error.title')}</h1>
      <p role="alert">{message}</p>
      <p>
        <a href="/">{tr('page.error.home')}</a>
      </p>
    </div>,
  );
}

export function renderErrorPage(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  message: string,
  locale: Locale = req.ctx?.locale ?? 'ja',
) {
  let csrf = '';
  try {
    csrf = reply.generateCsrf();
  } catch {
    csrf = '';
  }
  const signedIn = Boolean(req.session);
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(
      errorPageHtml(locale, message, {
        csrf,
        signedIn,
        // Only for a page that exists (never an unknown path or id an attacker chose: nothing is echoed).
        path:
          req.method === 'GET' && status !== 404 && status !== 414 && req.routeOptions?.url
            ? req.url.split('?')[0]
            : undefined,
      }),
    );
}

/** CSRF hidden field for every form. */
export function Csrf(props: { pc: PageContext }) {
  return <input type="hidden" name="_csrf" value={props.pc.csrf} />;
}

export interface FieldProps {
  id: string;
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'tel';
  value?: string;
  error?: string;
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  inputmode?: 'numeric' | 'email' | 'tel' | 'text';
  class?: string;
  maxLength?: number;
}

/** A labelled input with its hint and error next to it (aria-describedby / aria-invalid). */
export function Field(p: FieldProps) {
  const describedBy = [p.hint ? `${p.id}-hint` : '', p.error ? `${p.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div>
      <label for={p.id}>{p.label}</label>
      {h('input', {
        id: p.id,
        name: p.name,
        type: p.type ?? 'text',
        value: p.value ?? '',
        autocomplete: p.autocomplete,
        required: p.required,
        inputmode: p.inputmode,
        class: p.class,
        maxLength: p.maxLength,
        'aria-invalid': p.error ? 'true' : undefined,
        'aria-describedby': describedBy || undefined,
      } as never)}
      {p.hint ? (
        <p class="hint" id={`${p.id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      {p.error ? (
        <p class="field-error" id={`${p.id}-error`} role="alert">
          {p.error}
        </p>
      ) : null}
    </div>
  );
}

export function Notice(props: { kind: 'ok' | 'warn' | 'error'; children: ComponentChildren }) {
  return (
    <div class={`notice ${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}

/**
 * The "send a new code" button, disabled by the page script until `resendAt` (the server enforces the wait;
 * without JavaScript the hint says how long it is).
 */
export function ResendForm(props: { pc: PageContext; action: string; resendAt: Date | null; now: Date }) {
  const tr = translator(props.pc.locale);
  const wait = props.resendAt
    ? Math.max(0, Math.ceil((props.resendAt.getTime() - props.now.getTime()) / 1000))
    : 0;
  const ja = props.pc.locale === 'ja';
  return (
    <form method="post" action={props.action}>
      <Csrf pc={props.pc} />
      {wait > 0 ? <p class="hint">{tr('code.resend_wait', { seconds: wait })}</p> : null}
      <button
        type="submit"
        class="secondary"
        data-resend-at={props.resendAt && wait > 0 ? props.resendAt.toISOString() : undefined}
        data-label={tr('code.resend')}
        data-wait-s={tr('code.resend_in', { wait: ja ? '{n}秒' : '{n} s' })}
        data-wait-m={tr('code.resend_in', { wait: ja ? '{n}分' : '{n} min' })}
      >
        {tr('code.resend')}
      </button>
    </form>
  );
}

/** Code entry with a resend button that counts down (server-enforced; the script only shows it). */
export function CodeForm(props: {
  pc: PageContext;
  action: string;
  resendAction: string;
  resendAt: Date | null;
  error?: string;
  now: Date;
  extra?: ComponentChildren;
}) {
  const tr = translator(props.pc.locale);
  return (
    <div>
      <form method="post" action={props.action} novalidate>
        <Csrf pc={props.pc} />
        <Field
          id="code"
          name="code"
          label={tr('code.label')}
          hint={tr('code.hint')}
          error={props.error}
          autocomplete="one-time-code"
          inputmode="numeric"
          class="code"
          maxLength={12}
          required
        />
        {props.extra}
        <button type="submit">{tr('code.submit')}</button>
      </form>
      <ResendForm pc={props.pc} action={props.resendAction} resendAt={props.resendAt} now={props.now} />
    </div>
  );
}
