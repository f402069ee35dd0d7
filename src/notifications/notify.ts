import type { Deps } from '../deps.ts';
import { formatDateTime } from '../i18n/index.ts';
import type { Locale, RequestContext } from '../kernel/context.ts';
import type { Sql } from '../kernel/sql.ts';
import { verifiedContactEmails } from '../security-info/store.ts';
import { enqueue, newReference } from './outbox.ts';
import { type CodePurpose, type EmailKind, renderEmail, renderSms } from './templates.tsx';

export interface AccountForMail {
  id: string;
  email: string;
  displayName: string;
  locale: Locale;
  timeZone: string;
  /** The owner's anti-phishing phrase, shown in emails to the account's own addresses. */
  personalPhrase?: string;
}

/** Codes to an address that is being added (or at sign-up) may reach someone else: no phrase there. */
const carriesPhrase = (m: EmailKind) =>
  m.kind !== 'code' || ['reset', 'reauth', 'signin'].includes(m.purpose);

/** Sends one email through the outbox (inside `tx`). */
export async function sendEmail(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'random'>,
  tx: Sql,
  to: string,
  account: AccountForMail | null,
  locale: Locale,
  m: EmailKind,
  write = true,
): Promise<string> {
  const reference = newReference(deps.random);
  const rendered = renderEmail(locale, m, {
    publicUrl: deps.config.publicUrl,
    reference,
    displayName: account?.displayName ?? '',
    phrase: account?.personalPhrase && carriesPhrase(m) ? account.personalPhrase : '',
    templates: deps.config.templates,
  });
  await enqueue(
    tx,
    { random: deps.random, cipher: deps.cipher, now: deps.clock.now() },
    {
      accountId: account?.id ?? null,
      channel: 'email',
      kind: m.kind === 'custom' ? m.name : m.kind,
      recipient: to,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      reference,
    },
    write,
  );
  return reference;
}

/** Sends a code to an email address or phone (inside `tx`). */
export async function sendCode(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'random'>,
  tx: Sql,
  channel: 'email' | 'phone',
  to: string,
  account: AccountForMail | null,
  locale: Locale,
  purpose: CodePurpose,
  code: string,
  maskedAccount: string,
  write = true,
): Promise<void> {
  const minutes = deps.config.codes.ttlMinutes;
  if (channel === 'email') {
    await sendEmail(
      deps,
      tx,
      to,
      account,
      locale,
      { kind: 'code', purpose, code, minutes, account: maskedAccount },
      write,
    );
    return;
  }
  await enqueue(
    tx,
    { random: deps.random, cipher: deps.cipher, now: deps.clock.now() },
    {
      accountId: account?.id ?? null,
      channel: 'sms',
      kind: 'code',
      recipient: to,
      subject: '',
      text: renderSms(locale, { purpose, code, minutes, publicUrl: deps.config.publicUrl }),
      html: '',
      reference: newReference(deps.random),
    },
    write,
  );
}

type Announcement =
  | 'method_added'
  | 'method_removed'
  | 'password_changed'
  | 'password_reset'
  | 'two_step_on'
  | 'two_step_off'
  | 'recovery_code_created'
  | 'recovery_code_used'
  | 'account_secured'
  | 'unusual_signin';

/**
 * Announces a security change to every verified contact email of the account and its primary address,
 * plus `extra` recipients (a method that was just removed).
 */
export async function announce(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'random'>,
  tx: Sql,
  account: AccountForMail,
  kind: Announcement,
  ctx: Pick<RequestContext, 'ip'>,
  vars: { method?: string; country?: string; device?: string; first?: boolean } = {},
  extra: string[] = [],
): Promise<void> {
  const contacts = await verifiedContactEmails(tx, account.id);
  const recipients = new Map<string, string>();
  for (const to of [account.email, ...contacts, ...extra]) recipients.set(to.toLowerCase(), to);
  const time = formatDateTime(account.locale, deps.clock.now(), account.timeZone);
  for (const to of recipients.values()) {
    const m: EmailKind =
      kind === 'method_added' || kind === 'method_removed'
        ? { kind, method: vars.method ?? '', time, ip: ctx.ip }
        : kind === 'unusual_signin'
          ? { kind, time, ip: ctx.ip, country: vars.country ?? '', device: vars.device ?? '' }
          : kind === 'recovery_code_created'
            ? { kind, time, ip: ctx.ip, first: vars.first === true }
            : { kind, time, ip: ctx.ip };
    await sendEmail(deps, tx, to, account, account.locale, m);
  }
}

/** The account's primary address and every verified contact email (lower-case unique), plus `extra`. */
export async function contactAddresses(
  tx: Sql,
  account: AccountForMail,
  extra: string[] = [],
): Promise<string[]> {
  const contacts = await verifiedContactEmails(tx, account.id);
  const recipients = new Map<string, string>();
  for (const to of [account.email, ...contacts, ...extra]) recipients.set(to.toLowerCase(), to);
  return [...recipients.values()];
}

/** Sends one custom message (see EmailKind 'custom') to every contact of the account, plus `extra`. */
export async function announceCustom(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'random'>,
  tx: Sql,
  account: AccountForMail,
  m: Extract<EmailKind, { kind: 'custom' }>,
  extra: string[] = [],
): Promise<string[]> {
  const refs: string[] = [];
  for (const to of await contactAddresses(tx, account, extra))
    refs.push(await sendEmail(deps, tx, to, account, account.locale, m));
  return refs;
}
