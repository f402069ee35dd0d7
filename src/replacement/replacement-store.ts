import { DAY } from '../kernel/clock.ts';
import type { Sql } from '../storage/db.ts';

/**
 * How long new security info waits before it replaces the old info. 30 days; an operator may change it
 * with REPLACEMENT_WAIT_DAYS (read once, at start). The owner can never shorten it, except with a
 * valid recovery code.
 */
export const REPLACEMENT_DAYS = (() => {
  const raw = process.env.REPLACEMENT_WAIT_DAYS;
  const n = raw ? Number(raw) : 30;
  return Number.isInteger(n) && n >= 1 && n <= 365 ? n : 30;
})();
export const REPLACEMENT_WAIT_MS = REPLACEMENT_DAYS * DAY;

/** Days of the wait on which the old contacts are reminded (day 0 is the notice sent at once). */
export const REMINDER_DAYS: readonly number[] = [1, 7, 21, 28].filter((d) => d < REPLACEMENT_DAYS);

export type ReplacementStatus = 'draft' | 'pending' | 'cancelled' | 'completed';
export type ReplacementSource = 'self' | 'recovery_form';

export interface ReplacementItem {
  id: string;
  kind: 'email' | 'phone';
  value: string;
  valueKey: string;
  verifiedAt: Date | null;
  createdAt: Date;
}

export interface Replacement {
  id: string;
  accountId: string;
  status: ReplacementStatus;
  source: ReplacementSource;
  createdAt: Date;
  startedAt: Date | null;
  effectiveAt: Date | null;
  items: ReplacementItem[];
}

export interface ReplacementRow {
  id: string;
  account_id: string;
  status: ReplacementStatus;
  source: ReplacementSource;
  created_at: Date;
  started_at: Date | null;
  effective_at: Date | null;
}

interface ItemRow {
  id: string;
  kind: 'email' | 'phone';
  value: string;
  value_key: string;
  verified_at: Date | null;
  created_at: Date;
}

export async function itemsOf(sql: Sql, replacementId: string): Promise<ReplacementItem[]> {
  const rows = await sql.query<ItemRow>(
    'SELECT * FROM replacement_items WHERE replacement_id = $1 ORDER BY kind, created_at, id',
    [replacementId],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    value: r.value,
    valueKey: r.value_key,
    verifiedAt: r.verified_at,
    createdAt: r.created_at,
  }));
}

export async function toReplacement(sql: Sql, r: ReplacementRow): Promise<Replacement> {
  return {
    id: r.id,
    accountId: r.account_id,
    status: r.status,
    source: r.source,
    createdAt: r.created_at,
    startedAt: r.started_at,
    effectiveAt: r.effective_at,
    items: await itemsOf(sql, r.id),
  };
}

/** The account's draft or pending replacement, with its items (null when there is none). */
export async function findReplacement(
  sql: Sql,
  accountId: string,
  status: 'draft' | 'pending',
  forUpdate = false,
): Promise<Replacement | null> {
  const rows = await sql.query<ReplacementRow>(
    `SELECT * FROM replacements WHERE account_id = $1 AND status = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [accountId, status],
  );
  return rows[0] ? toReplacement(sql, rows[0]) : null;
}
