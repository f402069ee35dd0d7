import type { Account } from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import { formatDateTime } from '../i18n/index.ts';
import { sha256 } from '../kernel/crypto.ts';
import { maskEmail } from '../kernel/mask.ts';
import { token } from '../kernel/random.ts';
import type { Sql } from '../kernel/sql.ts';
import { contactAddresses, sendEmail } from '../notifications/notify.ts';
import { describeMethod } from '../security-info/methods-service.ts';
import { insertCancelToken, type ReplacementItem } from './store.ts';

/** The new info as it may be shown in a message that anyone with the old mailbox reads: masked. */
export function maskedInfo(
  account: Pick<Account, 'locale'>,
  items: Pick<ReplacementItem, 'kind' | 'value'>[],
) {
  return items.map((i) => describeMethod(i, account.locale)).join(account.locale === 'ja' ? '、' : ', ');
}

/** A new cancel link: only the SHA-256 of its token is stored. */
async function newCancelToken(
  deps: Pick<Deps, 'random' | 'clock'>,
  tx: Sql,
  replacementId: string,
): Promise<string> {
  const raw = token(deps.random);
  await insertCancelToken(tx, sha256(raw), replacementId, deps.clock.now());
  return raw;
}

/**
 * Tells every current (old) contact — the sign-in address and each verified contact email — that the
 * security info is about to be replaced, when, and how to cancel. Every message has its own cancel link.
 */
export async function noticeToOldContacts(
  deps: Pick<Deps, 'config' | 'clock' | 'random' | 'cipher'>,
  tx: Sql,
  account: Account,
  r: { id: string; effectiveAt: Date; items: Pick<ReplacementItem, 'kind' | 'value'>[]; source: string },
  day: number,
): Promise<number> {
  const date = formatDateTime(account.locale, r.effectiveAt, account.timeZone);
  const daysLeft = Math.max(
    1,
    Math.ceil((r.effectiveAt.getTime() - deps.clock.now().getTime()) / 86_400_000),
  );
  const recipients = await contactAddresses(tx, account);
  for (const to of recipients) {
    const raw = await newCancelToken(deps, tx, r.id);
    const q = `?token=${encodeURIComponent(raw)}`;
    await sendEmail(deps, tx, to, account, account.locale, {
      kind: 'custom',
      name: day === 0 ? 'replacement_started' : 'replacement_reminder',
      subject: day === 0 ? 'replacement.mail.started.subject' : 'replacement.mail.reminder.subject',
      lines: [
        day === 0
          ? r.source === 'recovery_form'
            ? 'replacement.mail.started.body_form'
            : 'replacement.mail.started.body'
          : 'replacement.mail.reminder.body',
        'replacement.mail.when',
        'replacement.mail.if_you',
        'replacement.mail.cancel_how',
        'replacement.mail.not_me',
      ],
      params: {
        account: maskEmail(account.email),
        newInfo: maskedInfo(account, r.items),
        date,
        days: daysLeft,
        notMeUrl: `${deps.config.publicUrl}/replacement/not-me${q}`,
      },
      action: { label: 'replacement.mail.cancel_action', path: `/replacement/cancel${q}` },
    });
  }
  return recipients.length;
}

/** Tells the old contacts (and the new addresses, if given) that the request was cancelled. */
export async function noticeCancelled(
  deps: Pick<Deps, 'config' | 'clock' | 'random' | 'cipher'>,
  tx: Sql,
  account: Account,
): Promise<void> {
  const time = formatDateTime(account.locale, deps.clock.now(), account.timeZone);
  for (const to of await contactAddresses(tx, account)) {
    await sendEmail(deps, tx, to, account, account.locale, {
      kind: 'custom',
      name: 'replacement_cancelled',
      subject: 'replacement.mail.cancelled.subject',
      lines: ['replacement.mail.cancelled.body'],
      params: { account: maskEmail(account.email), time },
      action: { label: 'mail.review_action', path: '/security' },
      warn: 'replacement.mail.cancelled.warn',
    });
  }
}

/** Tells the old and the new addresses that the new info has replaced the old. */
export async function noticeCompleted(
  deps: Pick<Deps, 'config' | 'clock' | 'random' | 'cipher'>,
  tx: Sql,
  account: Account,
  oldRecipients: string[],
  items: Pick<ReplacementItem, 'kind' | 'value'>[],
): Promise<void> {
  const time = formatDateTime(account.locale, deps.clock.now(), account.timeZone);
  const recipients = new Map<string, string>();
  for (const to of [...oldRecipients, ...items.filter((i) => i.kind === 'email').map((i) => i.value)])
    recipients.set(to.toLowerCase(), to);
  for (const to of recipients.values()) {
    await sendEmail(deps, tx, to, account, account.locale, {
      kind: 'custom',
      name: 'replacement_completed',
      subject: 'replacement.mail.completed.subject',
      lines: ['replacement.mail.completed.body', 'replacement.mail.completed.next'],
      params: { account: maskEmail(account.email), time, newInfo: maskedInfo(account, items) },
      action: { label: 'mail.review_action', path: '/security' },
      warn: 'replacement.mail.completed.warn',
    });
  }
}

/** "{date}" for the account.restricted error: the end of the wait in the account's time zone. */
export function restrictedUntil(account: Pick<Account, 'locale' | 'timeZone'>, effectiveAt: Date): string {
  return formatDateTime(account.locale, effectiveAt, account.timeZone);
}
