import { render } from 'preact-render-to-string';
import { t } from '../i18n/index.ts';
import type { Locale } from '../kernel/context.ts';
import type { NoticeCategory } from './preferences.ts';

export interface NoticeMailInput {
  locale: Locale;
  category: NoticeCategory;
  subject: string;
  /** The operator's plain text. */
  body: string;
  displayName: string;
  phrase: string;
  publicUrl: string;
  reference: string;
  unsubscribeUrl: string;
}

/** Paragraphs of plain text: blank lines separate paragraphs, single newlines are kept as line breaks. */
const paragraphs = (text: string) =>
  text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean);

/**
 * A service notice as plain text and simple HTML. The operator's text is escaped (never HTML), the
 * footer carries the category, the unsubscribe and preference links (to PUBLIC_URL only) and the reference.
 */
export function renderNoticeEmail(m: NoticeMailInput): { subject: string; text: string; html: string } {
  const tr = (k: Parameters<typeof t>[1], p: Record<string, string> = {}) => t(m.locale, k, p);
  const category = tr(`notices.category.${m.category}`);
  const greeting = m.displayName ? tr('mail.greeting', { name: m.displayName }) : null;
  const phrase = m.phrase ? tr('mail.phrase', { phrase: m.phrase }) : null;
  const why = tr('notices.mail.why', { category });
  const prefsUrl = `${m.publicUrl}/security/notices`;
  const footer = [
    tr('notices.mail.security_always'),
    tr('mail.footer.never_ask'),
    tr('mail.footer.reference', { reference: m.reference }),
  ];
  const paras = paragraphs(m.body);
  const text = [
    ...(phrase ? [phrase, ''] : []),
    ...(greeting ? [greeting, ''] : []),
    ...paras.flatMap((p) => [p, '']),
    '—',
    why,
    tr('mail.link_line', { label: tr('notices.mail.unsubscribe', { category }), url: m.unsubscribeUrl }),
    tr('mail.link_line', { label: tr('notices.mail.preferences'), url: prefsUrl }),
    '',
    ...footer,
    tr('mail.footer.team'),
  ].join('\n');
  const small = 'font-size:12px;color:#59636e;line-height:1.6;margin:4px 0';
  const html = `<!doctype html>${render(
    <html lang={m.locale}>
      <head>
        <meta charset="utf-8" />
        <title>{m.subject}</title>
      </head>
      <body style="margin:0;padding:24px;background:#f4f5f7;font-family:'Hiragino Sans','Noto Sans JP','Yu Gothic',Meiryo,Arial,sans-serif;color:#1f2328">
        <div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:28px;border:1px solid #e3e5e8">
          <p style="margin:0 0 16px;font-size:15px;font-weight:bold;color:#0b5cad">Mamori</p>
          <p style="margin:0 0 8px;font-size:12px;color:#59636e">{category}</p>
          <h1 style="font-size:20px;margin:0 0 16px">{m.subject}</h1>
          {phrase ? (
            <p style="font-size:14px;background:#eef6ee;border:1px solid #a5d6b5;padding:8px 12px;border-radius:6px">
              {phrase}
            </p>
          ) : null}
          {greeting ? <p style="font-size:15px;line-height:1.7">{greeting}</p> : null}
          {paras.map((p) => (
            <p style="font-size:15px;line-height:1.7">
              {p.split('\n').flatMap((line, i) => (i === 0 ? [line] : [<br />, line]))}
            </p>
          ))}
          <hr style="border:none;border-top:1px solid #e3e5e8;margin:24px 0 12px" />
          <p style={small}>{why}</p>
          <p style={small}>
            <a href={m.unsubscribeUrl}>{tr('notices.mail.unsubscribe', { category })}</a>
            {' · '}
            <a href={prefsUrl}>{tr('notices.mail.preferences')}</a>
          </p>
          {footer.map((f) => (
            <p style={small}>{f}</p>
          ))}
          <p style={small}>{tr('mail.footer.team')}</p>
        </div>
      </body>
    </html>,
  )}`;
  return { subject: m.subject, text, html };
}
