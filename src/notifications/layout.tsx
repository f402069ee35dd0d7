import type { ComponentChildren } from 'preact';
import { render } from 'preact-render-to-string';
import { t } from '../i18n/index.ts';
import type { Locale } from '../kernel/context.ts';

/**
 * The one layout of every email Mamori sends (security messages, codes, capability messages and service
 * notices), as HTML and as plain text. It owns what no message may drop: the brand line, the subject as
 * title, the owner's personal phrase, and the safety footer ("we never ask for your password or a code" and
 * the message reference). A message brings only its own words (`body` / `blocks`) and, for notices, the
 * lines about why it was sent (`note`).
 */
export interface EmailFrame {
  locale: Locale;
  subject: string;
  /** The reference printed in the footer (`MMR-XXXX-XXXX`). */
  reference: string;
  /** "Your personal greeting: …" already in words, or null (codes to an address being added). */
  phrase: string | null;
  /** A small line above the title (a notice's category). */
  eyebrow?: string;
  /** Lines under the rule before the safety footer (a notice: why it was sent, unsubscribe links). */
  note?: { text: string[]; html: ComponentChildren[] };
  /** Footer lines before the safety lines (a notice: "security messages are always sent"). */
  footerLead?: string[];
}

const SMALL = 'font-size:12px;color:#59636e;line-height:1.6;margin:4px 0';

/** The footer lines every email ends with, in order: `lead`, never-ask, reference. The team line follows. */
function safetyFooter(f: EmailFrame): string[] {
  return [
    ...(f.footerLead ?? []),
    t(f.locale, 'mail.footer.never_ask'),
    t(f.locale, 'mail.footer.reference', { reference: f.reference }),
  ];
}

/**
 * The plain-text version: the phrase, each block followed by a blank line, a dash, the notice lines (then a
 * blank line), the safety footer and the team line, joined by `\n`.
 */
export function emailText(f: EmailFrame, blocks: string[]): string {
  return [
    ...(f.phrase ? [f.phrase, ''] : []),
    ...blocks.flatMap((b) => [b, '']),
    '—',
    ...(f.note ? [...f.note.text, ''] : []),
    ...safetyFooter(f),
    t(f.locale, 'mail.footer.team'),
  ].join('\n');
}

/** The HTML version (inline styles only, for mail clients): `<!doctype html>` and the layout around `body`. */
export function emailHtml(f: EmailFrame, body: ComponentChildren): string {
  return `<!doctype html>${render(<EmailLayout frame={f}>{body}</EmailLayout>)}`;
}

/** The HTML layout as a component; `children` are the message's own paragraphs. */
export function EmailLayout({ frame: f, children }: { frame: EmailFrame; children?: ComponentChildren }) {
  return (
    <html lang={f.locale}>
      <head>
        <meta charset="utf-8" />
        <title>{f.subject}</title>
      </head>
      <body style="margin:0;padding:24px;background:#f4f5f7;font-family:'Hiragino Sans','Noto Sans JP','Yu Gothic',Meiryo,Arial,sans-serif;color:#1f2328">
        <div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:28px;border:1px solid #e3e5e8">
          <p style="margin:0 0 16px;font-size:15px;font-weight:bold;color:#0b5cad">Mamori</p>
          {f.eyebrow ? <p style="margin:0 0 8px;font-size:12px;color:#59636e">{f.eyebrow}</p> : null}
          <h1 style="font-size:20px;margin:0 0 16px">{f.subject}</h1>
          {f.phrase ? (
            <p style="font-size:14px;background:#eef6ee;border:1px solid #a5d6b5;padding:8px 12px;border-radius:6px">
              {f.phrase}
            </p>
          ) : null}
          {children}
          <hr style="border:none;border-top:1px solid #e3e5e8;margin:24px 0 12px" />
          {(f.note?.html ?? []).map((n) => (
            <p style={SMALL}>{n}</p>
          ))}
          {safetyFooter(f).map((line) => (
            <p style={SMALL}>{line}</p>
          ))}
          <p style="font-size:12px;color:#59636e;margin:4px 0">{t(f.locale, 'mail.footer.team')}</p>
        </div>
      </body>
    </html>
  );
}

/** A paragraph of the message's own words, in the body style. */
export function Para({ children }: { children?: ComponentChildren }) {
  return <p style="font-size:15px;line-height:1.7">{children}</p>;
}
