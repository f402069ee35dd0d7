import { render } from 'preact-render-to-string';
import { type MessageKey, type Params, t } from '../i18n/index.ts';
import type { Locale } from '../kernel/context.ts';
import type { MessageKind } from './message-kinds.ts';

export type CodePurpose =
  | 'signup'
  | 'add_email'
  | 'add_phone'
  | 'reset'
  | 'reauth'
  | 'signin'
  | 'replace'
  | 'recovery_form';

/** Every email Mamori sends, with the variables it needs. */
export type EmailKind =
  | { kind: 'code'; purpose: CodePurpose; code: string; minutes: number; account: string }
  | { kind: 'signup_exists' }
  | { kind: 'method_added'; method: string; time: string; ip: string }
  | { kind: 'method_removed'; method: string; time: string; ip: string }
  | { kind: 'password_changed'; time: string; ip: string }
  | { kind: 'password_reset'; time: string; ip: string }
  | { kind: 'two_step_on'; time: string; ip: string }
  | { kind: 'two_step_off'; time: string; ip: string }
  /** `first`: the account had no working recovery code before (nothing stops working). */
  | { kind: 'recovery_code_created'; time: string; ip: string; first: boolean }
  | { kind: 'recovery_code_used'; time: string; ip: string }
  | { kind: 'unusual_signin'; time: string; ip: string; country: string; device: string }
  | { kind: 'account_secured'; time: string; ip: string }
  /** Any other message made of dictionary keys, for capabilities that need their own emails. */
  | {
      kind: 'custom';
      /** The outbox kind recorded and listed in "messages we sent". */
      name: MessageKind;
      subject: MessageKey;
      lines: MessageKey[];
      params: Params;
      highlight?: string;
      action?: { label: MessageKey; path: string };
      warn?: MessageKey;
      anonymous?: boolean;
    };

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

interface Part {
  subject: MessageKey;
  lines: MessageKey[];
  /** Shown as a highlighted block (the code), followed by `after`. */
  highlight?: string;
  after?: MessageKey[];
  /** Code emails may reach someone other than the owner: no name in them. */
  anonymous?: boolean;
  action?: { label: MessageKey; path: string };
  warn?: MessageKey;
}

/** Code emails whose "if this was not you" advice needs the owner to act, with where to act. */
const CODE_ACTION: Partial<Record<CodePurpose, { label: MessageKey; path: string }>> = {
  // Sent only after the right password: someone knows it.
  signin: { label: 'mail.code.secure_action', path: '/security/secure' },
  // Sent only to someone signed in to the account.
  reauth: { label: 'mail.code.secure_action', path: '/security/secure' },
};

function parts(m: EmailKind): Part {
  switch (m.kind) {
    case 'code':
      return {
        subject: `mail.code.${m.purpose}.subject`,
        lines: [`mail.code.${m.purpose}.intro`],
        highlight: m.code,
        after: ['mail.code.validity', 'mail.code.never_share'],
        anonymous: true,
        // What the reader should do if they did not ask for it depends on why the code was sent.
        warn: `mail.code.${m.purpose}.not_you`,
        action: CODE_ACTION[m.purpose],
      };
    case 'signup_exists':
      return {
        subject: 'mail.signup_exists.subject',
        lines: ['mail.signup_exists.body', 'mail.signup_exists.ignore'],
        action: { label: 'mail.signup_exists.action', path: '/forgot' },
      };
    case 'method_added':
      return {
        subject: 'mail.method_added.subject',
        lines: ['mail.method_added.body', 'mail.when_where'],
        action: { label: 'mail.review_action', path: '/security' },
        warn: 'mail.not_you',
      };
    case 'method_removed':
      return {
        subject: 'mail.method_removed.subject',
        lines: ['mail.method_removed.body', 'mail.when_where'],
        action: { label: 'mail.review_action', path: '/security' },
        warn: 'mail.not_you',
      };
    case 'password_changed':
    case 'account_secured':
      // Whoever did this chose a new password: the owner's old one no longer signs in, so the way back
      // is a reset.
      return {
        subject: `mail.${m.kind}.subject`,
        lines: [`mail.${m.kind}.body`, 'mail.when_where'],
        action: { label: 'mail.reset_action', path: '/forgot' },
        warn: 'mail.not_you_changed',
      };
    case 'password_reset':
    case 'recovery_code_used':
      // Whoever did this got a code at the security info, or had the recovery code.
      return {
        subject: `mail.${m.kind}.subject`,
        lines: [`mail.${m.kind}.body`, 'mail.when_where'],
        action: { label: 'mail.reset_action', path: '/forgot' },
        warn: m.kind === 'password_reset' ? 'mail.not_you_reset' : 'mail.not_you_recovery_used',
      };
    case 'two_step_on':
    case 'two_step_off':
      return {
        subject: `mail.${m.kind}.subject`,
        lines: [`mail.${m.kind}.body`, 'mail.when_where'],
        action: { label: 'mail.review_action', path: '/security' },
        warn: 'mail.not_you',
      };
    case 'recovery_code_created':
      return {
        subject: 'mail.recovery_code_created.subject',
        lines: [
          m.first ? 'mail.recovery_code_created.body_first' : 'mail.recovery_code_created.body',
          'mail.when_where',
        ],
        action: { label: 'mail.review_action', path: '/security' },
        warn: 'mail.not_you',
      };
    case 'custom':
      return {
        subject: m.subject,
        lines: m.lines,
        highlight: m.highlight,
        action: m.action,
        warn: m.warn,
        anonymous: m.anonymous,
      };
    case 'unusual_signin':
      return {
        subject: 'mail.unusual_signin.subject',
        lines: ['mail.unusual_signin.body', 'mail.unusual_signin.details'],
        action: { label: 'mail.unusual_signin.action', path: '/security/activity' },
        warn: 'mail.unusual_signin.not_you',
      };
  }
}

/**
 * Renders an email in the recipient's language: subject, plain text and HTML, with the reference in the
 * footer. The only link is to `publicUrl`. Messages never ask for a password or a code by reply.
 */
export function renderEmail(
  locale: Locale,
  m: EmailKind,
  ctx: { publicUrl: string; reference: string; displayName: string; phrase?: string },
): RenderedEmail {
  const p = parts(m);
  const params: Params = {
    ...(m.kind === 'custom' ? m.params : (m as unknown as Params)),
    name: ctx.displayName,
    reference: ctx.reference,
    forgotUrl: `${ctx.publicUrl}/forgot`,
  };
  const lines = p.lines.map((k) => t(locale, k, params));
  const after = (p.after ?? []).map((k) => t(locale, k, params));
  const subject = t(locale, p.subject, params);
  const greeting = p.anonymous || !ctx.displayName ? null : t(locale, 'mail.greeting', params);
  const actionUrl = p.action ? `${ctx.publicUrl}${p.action.path}` : null;
  const footer = [t(locale, 'mail.footer.never_ask'), t(locale, 'mail.footer.reference', params)];

  const phrase = ctx.phrase ? t(locale, 'mail.phrase', { phrase: ctx.phrase }) : null;
  const text = [
    ...(phrase ? [phrase, ''] : []),
    ...(greeting ? [greeting, ''] : []),
    ...lines.flatMap((l) => [l, '']),
    ...(p.highlight ? [`    ${p.highlight}`, ''] : []),
    ...after.flatMap((l) => [l, '']),
    ...(p.warn ? [t(locale, p.warn, params), ''] : []),
    ...(actionUrl && p.action
      ? [t(locale, 'mail.link_line', { label: t(locale, p.action.label), url: actionUrl }), '']
      : []),
    '—',
    ...footer,
    t(locale, 'mail.footer.team'),
  ].join('\n');

  const html = `<!doctype html>${render(
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <title>{subject}</title>
      </head>
      <body style="margin:0;padding:24px;background:#f4f5f7;font-family:'Hiragino Sans','Noto Sans JP','Yu Gothic',Meiryo,Arial,sans-serif;color:#1f2328">
        <div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:28px;border:1px solid #e3e5e8">
          <p style="margin:0 0 16px;font-size:15px;font-weight:bold;color:#0b5cad">Mamori</p>
          <h1 style="font-size:20px;margin:0 0 16px">{subject}</h1>
          {phrase ? (
            <p style="font-size:14px;background:#eef6ee;border:1px solid #a5d6b5;padding:8px 12px;border-radius:6px">
              {phrase}
            </p>
          ) : null}
          {greeting ? <p style="font-size:15px;line-height:1.7">{greeting}</p> : null}
          {lines.map((l) => (
            <p key={l} style="font-size:15px;line-height:1.7">
              {l}
            </p>
          ))}
          {p.highlight ? (
            <p style="font-size:30px;letter-spacing:6px;font-weight:bold;background:#f0f4fa;padding:12px 16px;border-radius:6px;text-align:center;font-family:Menlo,Consolas,monospace">
              {p.highlight}
            </p>
          ) : null}
          {after.map((l) => (
            <p key={l} style="font-size:15px;line-height:1.7">
              {l}
            </p>
          ))}
          {p.warn ? (
            <p style="font-size:14px;line-height:1.7;color:#8a4b00;background:#fff7e6;padding:10px 12px;border-radius:6px">
              {t(locale, p.warn, params)}
            </p>
          ) : null}
          {actionUrl && p.action ? (
            <p style="margin:20px 0">
              <a
                href={actionUrl}
                style="background:#0b5cad;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none;font-size:15px"
              >
                {t(locale, p.action.label)}
              </a>
            </p>
          ) : null}
          <hr style="border:none;border-top:1px solid #e3e5e8;margin:24px 0 12px" />
          {footer.map((f) => (
            <p key={f} style="font-size:12px;color:#59636e;line-height:1.6;margin:4px 0">
              {f}
            </p>
          ))}
          <p style="font-size:12px;color:#59636e;margin:4px 0">{t(locale, 'mail.footer.team')}</p>
        </div>
      </body>
    </html>,
  )}`;
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
