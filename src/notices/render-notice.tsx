import { t } from '../i18n/index.ts';
import type { Locale } from '../kernel/context.ts';
import { type EmailFrame, emailHtml, emailText, Para } from '../notifications/layout.tsx';
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
 * A service notice as plain text and simple HTML, in the one email layout (`notifications/layout.tsx`). The
 * operator's text is escaped (never HTML); above the safety footer: the category, the unsubscribe and
 * preference links (to PUBLIC_URL only).
 */
export function renderNoticeEmail(m: NoticeMailInput): { subject: string; text: string; html: string } {
  const tr = (k: Parameters<typeof t>[1], p: Record<string, string> = {}) => t(m.locale, k, p);
  const category = tr(`notices.category.${m.category}`);
  const greeting = m.displayName ? tr('mail.greeting', { name: m.displayName }) : null;
  const why = tr('notices.mail.why', { category });
  const prefsUrl = `${m.publicUrl}/security/notices`;
  const unsubscribe = tr('notices.mail.unsubscribe', { category });
  const preferences = tr('notices.mail.preferences');
  const frame: EmailFrame = {
    locale: m.locale,
    subject: m.subject,
    reference: m.reference,
    phrase: m.phrase ? tr('mail.phrase', { phrase: m.phrase }) : null,
    eyebrow: category,
    note: {
      text: [
        why,
        tr('mail.link_line', { label: unsubscribe, url: m.unsubscribeUrl }),
        tr('mail.link_line', { label: preferences, url: prefsUrl }),
      ],
      html: [
        why,
        <>
          <a href={m.unsubscribeUrl}>{unsubscribe}</a>
          {' · '}
          <a href={prefsUrl}>{preferences}</a>
        </>,
      ],
    },
    footerLead: [tr('notices.mail.security_always')],
  };
  const paras = paragraphs(m.body);
  return {
    subject: m.subject,
    text: emailText(frame, [...(greeting ? [greeting] : []), ...paras]),
    html: emailHtml(
      frame,
      <>
        {greeting ? <Para>{greeting}</Para> : null}
        {paras.map((p) => (
          <Para>{p.split('\n').flatMap((line, i) => (i === 0 ? [line] : [<br />, line]))}</Para>
        ))}
      </>,
    ),
  };
}
