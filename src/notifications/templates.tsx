import { type Params, t } from '../i18n/index.ts';
import type { Locale } from '../kernel/context.ts';
import { type CodePurpose, type EmailKind, partsOf, templateIdOf } from './catalogue/index.ts';
import { type EmailFrame, emailHtml, emailText, Para } from './layout.tsx';
import { fillTemplate, type TemplateOverrides } from './overrides.ts';

export type { CodePurpose, EmailKind } from './catalogue/index.ts';

/**
 * Renders Mamori's emails: the words of each kind come from the catalogue (`catalogue/`, one file per kind
 * group) or from an override of the templates directory (`overrides.ts`), and go into the one layout
 * (`layout.tsx`) that service notices use too.
 */

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * Renders an email in the recipient's language: subject, plain text and HTML, with the reference in the
 * footer. The only link is to `publicUrl`. Messages never ask for a password or a code by reply.
 * `templates`: the checked overrides of TEMPLATES_DIR (config `templates`); without them, the built-in words.
 */
export function renderEmail(
  locale: Locale,
  m: EmailKind,
  ctx: {
    publicUrl: string;
    reference: string;
    displayName: string;
    phrase?: string;
    templates?: TemplateOverrides;
  },
): RenderedEmail {
  const p = partsOf(m);
  const params: Params = {
    ...(m.kind === 'custom' ? m.params : (m as unknown as Params)),
    name: ctx.displayName,
    reference: ctx.reference,
    forgotUrl: `${ctx.publicUrl}/forgot`,
  };
  const actionUrl = p.action ? `${ctx.publicUrl}${p.action.path}` : null;
  const phrase = ctx.phrase ? t(locale, 'mail.phrase', { phrase: ctx.phrase }) : null;
  const id = templateIdOf(m);
  const override = id ? ctx.templates?.get(`${id}/${locale}`) : undefined;
  const values = {
    ...params,
    name: p.anonymous ? '' : ctx.displayName,
    publicUrl: ctx.publicUrl,
    actionUrl: actionUrl ?? '',
  };
  const subject = override?.subject
    ? fillTemplate(override.subject, values, false)
    : t(locale, p.subject, params);
  const frame: EmailFrame = { locale, subject, reference: ctx.reference, phrase };

  if (override?.text !== undefined && override.html !== undefined) {
    return {
      subject,
      text: emailText(frame, [fillTemplate(override.text, values, false)]),
      // The self-hoster's own HTML (trusted, checked at start); the values in it are escaped.
      html: emailHtml(
        frame,
        <div dangerouslySetInnerHTML={{ __html: fillTemplate(override.html, values, true) }} />,
      ),
    };
  }

  const lines = p.lines.map((k) => t(locale, k, params));
  const after = (p.after ?? []).map((k) => t(locale, k, params));
  const greeting = p.anonymous || !ctx.displayName ? null : t(locale, 'mail.greeting', params);
  const warn = p.warn ? t(locale, p.warn, params) : null;
  const label = p.action ? t(locale, p.action.label) : null;

  const text = emailText(frame, [
    ...(greeting ? [greeting] : []),
    ...lines,
    ...(p.highlight ? [`    ${p.highlight}`] : []),
    ...after,
    ...(warn ? [warn] : []),
    ...(actionUrl && label ? [t(locale, 'mail.link_line', { label, url: actionUrl })] : []),
  ]);

  const html = emailHtml(
    frame,
    <>
      {greeting ? <Para>{greeting}</Para> : null}
      {lines.map((l) => (
        <Para key={l}>{l}</Para>
      ))}
      {p.highlight ? (
        <p style="font-size:30px;letter-spacing:6px;font-weight:bold;background:#f0f4fa;padding:12px 16px;border-radius:6px;text-align:center;font-family:Menlo,Consolas,monospace">
          {p.highlight}
        </p>
      ) : null}
      {after.map((l) => (
        <Para key={l}>{l}</Para>
      ))}
      {warn ? (
        <p style="font-size:14px;line-height:1.7;color:#8a4b00;background:#fff7e6;padding:10px 12px;border-radius:6px">
          {warn}
        </p>
      ) : null}
      {actionUrl && label ? (
        <p style="margin:20px 0">
          <a
            href={actionUrl}
            style="background:#0b5cad;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none;font-size:15px"
          >
            {label}
          </a>
        </p>
      ) : null}
    </>,
  );
  return { subject, text, html };
}

/**
 * SMS body for a code: short, in the recipient's language, saying what the code is for, never a link. The
 * last line binds the code to the site (origin-bound one-time codes, WICG sms-one-time-codes:
 * `@host #123456`), so that browsers offer it only on `host` and phishing pages cannot auto-fill it.
 */
export function renderSms(
  locale: Locale,
  m: { purpose: CodePurpose; code: string; minutes: number; publicUrl: string },
): string {
  const host = new URL(m.publicUrl).hostname;
  return `${t(locale, `sms.code.${m.purpose}`, { code: m.code, minutes: m.minutes })}\n\n@${host} #${m.code}`;
}
