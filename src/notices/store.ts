import type { Sql } from '../kernel/sql.ts';

/**
 * The store of the notices capability: every statement on `notices`, `notice_deliveries` (one row per
 * notice and address) and `notice_optouts` (categories an account does not want).
 */

/** A notice row; `delivered` (emails put in the outbox so far) comes back as text on some drivers. */
export interface NoticeRow {
  id: string;
  category: 'terms' | 'service_end' | 'billing' | 'other';
  subject_ja: string;
  body_ja: string;
  subject_en: string;
  body_en: string;
  status: 'draft' | 'sending' | 'sent';
  created_by: string;
  created_at: Date;
  send_started_at: Date | null;
  sent_by: string | null;
  cursor_account: string | null;
  completed_at: Date | null;
  delivered?: number | string;
}

const SELECT = `SELECT n.*, (SELECT count(*) FROM notice_deliveries d WHERE d.notice_id = n.id) AS delivered FROM notices n`;

/** The latest 200 notices with their delivery counts, newest first. */
export async function listNoticeRows(sql: Sql): Promise<NoticeRow[]> {
  return sql.query<NoticeRow>(`${SELECT} ORDER BY n.created_at DESC, n.id LIMIT 200`);
}

/** One notice with its delivery count. */
export async function findNoticeRow(sql: Sql, id: string): Promise<NoticeRow | undefined> {
  return (await sql.query<NoticeRow>(`${SELECT} WHERE n.id = $1`, [id]))[0];
}

/** Adds a draft notice. */
export async function insertNotice(
  sql: Sql,
  n: {
    id: string;
    category: NoticeRow['category'];
    subjectJa: string;
    bodyJa: string;
    subjectEn: string;
    bodyEn: string;
    createdBy: string;
    createdAt: Date;
  },
): Promise<void> {
  await sql.query(
    `INSERT INTO notices (id, category, subject_ja, body_ja, subject_en, body_en, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [n.id, n.category, n.subjectJa, n.bodyJa, n.subjectEn, n.bodyEn, n.createdBy, n.createdAt],
  );
}

/** The status of a notice, its row locked until the transaction ends. */
export async function lockNoticeStatus(
  sql: Sql,
  id: string,
): Promise<{ status: NoticeRow['status'] } | undefined> {
  return (
    await sql.query<{ status: NoticeRow['status'] }>('SELECT status FROM notices WHERE id = $1 FOR UPDATE', [
      id,
    ])
  )[0];
}

/** Starts sending a notice at `at`, by operator `sentBy`. */
export async function markNoticeSending(sql: Sql, id: string, at: Date, sentBy: string): Promise<void> {
  await sql.query(`UPDATE notices SET status = 'sending', send_started_at = $2, sent_by = $3 WHERE id = $1`, [
    id,
    at,
    sentBy,
  ]);
}

/** Advisory lock id that serialises notice delivery across instances. */
const DELIVERY_LOCK = 727_275;

/** Serialises notice delivery across instances until the transaction ends. */
export async function lockNoticeDelivery(sql: Sql): Promise<void> {
  await sql.query('SELECT pg_advisory_xact_lock($1)', [DELIVERY_LOCK]);
}

/** How many notice emails were put in the outbox after `since` (over every notice). */
export async function countDeliveriesSince(sql: Sql, since: Date): Promise<number> {
  const r = (
    await sql.query<{ n: number | string }>(
      'SELECT count(*) AS n FROM notice_deliveries WHERE created_at > $1',
      [since],
    )
  )[0];
  return Number(r?.n ?? 0);
}

/** The notice being sent that started first, locked until the transaction ends. */
export async function lockNextSendingNotice(sql: Sql): Promise<NoticeRow | undefined> {
  return (
    await sql.query<NoticeRow>(
      `SELECT * FROM notices WHERE status = 'sending' ORDER BY send_started_at, id LIMIT 1 FOR UPDATE`,
    )
  )[0];
}

/** Marks a notice completely sent at `at`. */
export async function markNoticeSent(sql: Sql, id: string, at: Date): Promise<void> {
  await sql.query(`UPDATE notices SET status = 'sent', completed_at = $2 WHERE id = $1`, [id, at]);
}

/** Moves the notice's cursor: every account up to `cursor` (in id order) is done. */
export async function moveNoticeCursor(sql: Sql, id: string, cursor: string | null): Promise<void> {
  await sql.query('UPDATE notices SET cursor_account = $2 WHERE id = $1', [id, cursor]);
}

/**
 * Claims the delivery of a notice to one address (`recipientKey`: lower-cased); true for the one caller
 * that claimed it, false when it was delivered already.
 */
export async function claimNoticeDelivery(
  sql: Sql,
  d: { noticeId: string; recipientKey: string; accountId: string; reference: string; at: Date },
): Promise<boolean> {
  const claimed = await sql.query(
    `INSERT INTO notice_deliveries (notice_id, recipient_key, account_id, reference, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING notice_id`,
    [d.noticeId, d.recipientKey, d.accountId, d.reference, d.at],
  );
  return claimed.length > 0;
}

/** The categories the account switched off. */
export async function listOptouts(sql: Sql, accountId: string): Promise<string[]> {
  const off = await sql.query<{ category: string }>(
    'SELECT category FROM notice_optouts WHERE account_id = $1',
    [accountId],
  );
  return off.map((r) => r.category);
}

/** Of these accounts, the ones that switched off `category`. */
export async function optedOutAmong(sql: Sql, category: string, accountIds: string[]): Promise<Set<string>> {
  if (accountIds.length === 0) return new Set();
  const rows = await sql.query<{ account_id: string }>(
    'SELECT account_id FROM notice_optouts WHERE category = $1 AND account_id = ANY($2::text[])',
    [category, accountIds],
  );
  return new Set(rows.map((r) => r.account_id));
}

/** Switches `category` back on for the account. */
export async function deleteOptout(sql: Sql, accountId: string, category: string): Promise<void> {
  await sql.query('DELETE FROM notice_optouts WHERE account_id = $1 AND category = $2', [
    accountId,
    category,
  ]);
}

/** Switches `category` off for the account at `at` (idempotent). */
export async function insertOptout(sql: Sql, accountId: string, category: string, at: Date): Promise<void> {
  await sql.query(
    'INSERT INTO notice_optouts (account_id, category, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [accountId, category, at],
  );
}
