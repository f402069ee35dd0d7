import { listNoticeRecipients } from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import { MINUTE } from '../kernel/clock.ts';
import type { Locale } from '../kernel/context.ts';
import { AppError } from '../kernel/errors.ts';
import { textProblem } from '../kernel/free-text.ts';
import { newId } from '../kernel/random.ts';
import type { Sql } from '../kernel/sql.ts';
import { contactAddresses } from '../notifications/notify.ts';
import { enqueue, newReference } from '../notifications/outbox.ts';
import { auditOperator, type Operator } from '../operator/operator-auth.ts';
import { isNoticeCategory, type NoticeCategory, unsubscribeToken } from './preferences.ts';
import { renderNoticeEmail } from './render-notice.tsx';
import {
  claimNoticeDelivery,
  countDeliveriesSince,
  findNoticeRow,
  insertNotice,
  listNoticeRows,
  lockNextSendingNotice,
  lockNoticeDelivery,
  lockNoticeStatus,
  markNoticeSending,
  markNoticeSent,
  moveNoticeCursor,
  type NoticeRow,
  optedOutAmong,
} from './store.ts';

type Env = Record<string, string | undefined>;

/**
 * NOTICES_PER_MINUTE: how many notice emails may be put in the outbox per minute, over all notices
 * (default 60). Read at each run; an invalid value throws (call it once at start to fail fast).
 */
export function noticesPerMinute(env: Env = process.env): number {
  const raw = env.NOTICES_PER_MINUTE;
  if (raw === undefined || raw.trim() === '') return 60;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 100_000)
    throw new Error(`NOTICES_PER_MINUTE must be an integer between 1 and 100000 (got "${raw}")`);
  return n;
}

export const SUBJECT_MAX = 200;
export const BODY_MAX = 10_000;

export type NoticeStatus = 'draft' | 'sending' | 'sent';

export interface Notice {
  id: string;
  category: NoticeCategory;
  subject: Record<Locale, string>;
  body: Record<Locale, string>;
  status: NoticeStatus;
  createdBy: string;
  createdAt: Date;
  sendStartedAt: Date | null;
  sentBy: string | null;
  completedAt: Date | null;
  /** Emails put in the outbox so far. */
  delivered: number;
}

type Row = NoticeRow;

const toNotice = (r: Row): Notice => ({
  id: r.id,
  category: r.category,
  subject: { ja: r.subject_ja, en: r.subject_en },
  body: { ja: r.body_ja, en: r.body_en },
  status: r.status,
  createdBy: r.created_by,
  createdAt: r.created_at,
  sendStartedAt: r.send_started_at,
  sentBy: r.sent_by,
  completedAt: r.completed_at,
  delivered: Number(r.delivered ?? 0),
});

export interface NoticeInput {
  category?: unknown;
  subjectJa?: unknown;
  bodyJa?: unknown;
  subjectEn?: unknown;
  bodyEn?: unknown;
}

/** A subject is one line; a body is plain text. Both languages are required. */
export function validateNotice(input: NoticeInput) {
  const line = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const text = (v: unknown) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n').trim() : '');
  const n = {
    category: input.category,
    subjectJa: line(input.subjectJa),
    subjectEn: line(input.subjectEn),
    bodyJa: text(input.bodyJa),
    bodyEn: text(input.bodyEn),
  };
  /** Control characters other than the newline (and tab in bodies) are refused. */
  const controls = (s: string, allowed: string) =>
    [...s].some((ch) => {
      const c = ch.charCodeAt(0);
      return (c < 0x20 || c === 0x7f) && !allowed.includes(ch);
    });
  // Nothing blank-looking or reordered by direction controls reaches every user's inbox (kernel/free-text.ts).
  const subjectOk = (s: string) =>
    s.length > 0 && s.length <= SUBJECT_MAX && !controls(s, '') && textProblem(s) === null;
  const bodyOk = (s: string) =>
    s.length > 0 && s.length <= BODY_MAX && !controls(s, '\n\t') && textProblem(s, true) === null;
  if (
    !isNoticeCategory(n.category) ||
    !subjectOk(n.subjectJa) ||
    !subjectOk(n.subjectEn) ||
    !bodyOk(n.bodyJa) ||
    !bodyOk(n.bodyEn)
  )
    throw new AppError('notice.invalid');
  return { ...n, category: n.category };
}

export async function listNotices(sql: Sql): Promise<Notice[]> {
  return (await listNoticeRows(sql)).map(toNotice);
}

export async function findNotice(sql: Sql, id: unknown): Promise<Notice | null> {
  if (typeof id !== 'string' || id.length > 64) return null;
  const r = await findNoticeRow(sql, id);
  return r ? toNotice(r) : null;
}

/** An operator writes a notice (a draft: nothing is sent yet). Audited. */
export async function createNotice(
  deps: Pick<Deps, 'db' | 'clock' | 'random'>,
  operator: Operator,
  input: NoticeInput,
): Promise<Notice> {
  const n = validateNotice(input);
  const id = newId(deps.random, 'ntc');
  const now = deps.clock.now();
  await deps.db.tx(async (tx) => {
    await insertNotice(tx, {
      id,
      category: n.category,
      subjectJa: n.subjectJa,
      bodyJa: n.bodyJa,
      subjectEn: n.subjectEn,
      bodyEn: n.bodyEn,
      createdBy: operator.id,
      createdAt: now,
    });
    await auditOperator(
      tx,
      operator,
      'notice.create',
      id,
      { category: n.category, subject: n.subjectEn },
      now,
    );
  });
  return (await findNotice(deps.db, id)) as Notice;
}

/**
 * An operator sends a draft: it goes to every account that exists now, at NOTICES_PER_MINUTE, through
 * `runNoticeDelivery`. Sending an already started notice again does nothing. Audited.
 */
export async function sendNotice(
  deps: Pick<Deps, 'db' | 'clock'>,
  operator: Operator,
  id: unknown,
): Promise<Notice> {
  const now = deps.clock.now();
  await deps.db.tx(async (tx) => {
    const n = typeof id === 'string' && id.length <= 64 ? await lockNoticeStatus(tx, id) : undefined;
    if (!n) throw new AppError('notice.not_found');
    if (n.status !== 'draft') return;
    await markNoticeSending(tx, id as string, now, operator.id);
    await auditOperator(tx, operator, 'notice.send', id as string, {}, now);
  });
  return (await findNotice(deps.db, id)) as Notice;
}

/** Messages written per transaction at most. */
const CHUNK = 200;

/**
 * Puts the next notice emails in the outbox, within NOTICES_PER_MINUTE over the last minute (counted over
 * every notice and every instance). Resumable: accounts are walked in id order from the notice's cursor;
 * each address gets a notice exactly once (notice_deliveries' key), whatever stops a run half-way.
 * Only accounts that receive the notice's category get it, at their primary and verified contact
 * addresses, in their language. Returns how many emails were enqueued. Call it every minute.
 */
export async function runNoticeDelivery(
  deps: Pick<Deps, 'db' | 'clock' | 'random' | 'cipher' | 'config'>,
): Promise<number> {
  const perMinute = noticesPerMinute();
  let total = 0;
  for (;;) {
    const step = await deps.db.tx(async (tx) => deliverChunk(deps, tx, perMinute));
    total += step.sent;
    if (!step.progress) break;
  }
  return total;
}

async function deliverChunk(
  deps: Pick<Deps, 'clock' | 'random' | 'cipher' | 'config'>,
  tx: Sql,
  perMinute: number,
): Promise<{ sent: number; progress: boolean }> {
  await lockNoticeDelivery(tx);
  const now = deps.clock.now();
  const recent = await countDeliveriesSince(tx, new Date(now.getTime() - MINUTE));
  let budget = Math.min(perMinute - recent, CHUNK);
  if (budget <= 0) return { sent: 0, progress: false };
  const notice = await lockNextSendingNotice(tx);
  if (!notice) return { sent: 0, progress: false };
  const fetched = await listNoticeRecipients(tx, notice.send_started_at, notice.cursor_account, budget);
  const optedOut = await optedOutAmong(
    tx,
    notice.category,
    fetched.map((a) => a.id),
  );
  if (fetched.length === 0) {
    await markNoticeSent(tx, notice.id, now);
    return { sent: 0, progress: true };
  }
  let sent = 0;
  let cursor = notice.cursor_account;
  outer: for (const a of fetched) {
    // The account switched this category off: nothing to send, and the cursor moves past it.
    if (optedOut.has(a.id)) {
      cursor = a.id;
      continue;
    }
    for (const to of await contactAddresses(tx, {
      id: a.id,
      email: a.email,
      displayName: a.display_name,
      locale: a.locale,
      timeZone: a.time_zone,
    })) {
      if (budget <= 0) break outer;
      const reference = newReference(deps.random);
      const claimed = await claimNoticeDelivery(tx, {
        noticeId: notice.id,
        recipientKey: to.toLowerCase(),
        accountId: a.id,
        reference,
        at: now,
      });
      if (!claimed) continue; // already sent to this address (this run or an earlier one)
      const locale: Locale = a.locale === 'en' ? 'en' : 'ja';
      const token = unsubscribeToken(deps.config.secret, a.id, notice.category);
      const unsubscribeUrl = `${deps.config.publicUrl}/unsubscribe?token=${encodeURIComponent(token)}`;
      const mail = renderNoticeEmail({
        locale,
        category: notice.category,
        subject: locale === 'ja' ? notice.subject_ja : notice.subject_en,
        body: locale === 'ja' ? notice.body_ja : notice.body_en,
        displayName: a.display_name,
        phrase: a.personal_phrase,
        publicUrl: deps.config.publicUrl,
        reference,
        unsubscribeUrl,
      });
      await enqueue(
        tx,
        { random: deps.random, cipher: deps.cipher, now },
        {
          accountId: a.id,
          channel: 'email',
          kind: 'notice',
          recipient: to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          reference,
          headers: {
            'List-Unsubscribe': `<${unsubscribeUrl}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        },
      );
      budget--;
      sent++;
    }
    cursor = a.id; // every address of this account is done
  }
  await moveNoticeCursor(tx, notice.id, cursor);
  return { sent, progress: sent > 0 || cursor !== notice.cursor_account };
}
