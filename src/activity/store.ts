import type { Sql } from '../kernel/sql.ts';

/** The store of the activity capability: every statement on `activity` (the account's recent activity). */

/** One entry as written by {@link insertActivity}. */
export interface ActivityInsert {
  id: string;
  accountId: string;
  kind: string;
  createdAt: Date;
  ip: string;
  /** At most 512 characters (the caller cuts it). */
  userAgent: string;
  detail: Record<string, string>;
  country: string;
  deviceKey: string;
  unusual: boolean;
}

/** Appends one activity entry. */
export async function insertActivity(sql: Sql, e: ActivityInsert): Promise<void> {
  await sql.query(
    `INSERT INTO activity (id, account_id, kind, created_at, ip, user_agent, detail, country, device_key, unusual)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      e.id,
      e.accountId,
      e.kind,
      e.createdAt,
      e.ip,
      e.userAgent,
      JSON.stringify(e.detail),
      e.country,
      e.deviceKey,
      e.unusual,
    ],
  );
}

/** An entry as read back; `detail` is JSON text on some drivers (the caller parses it). */
export interface ActivityRow {
  id: string;
  kind: string;
  created_at: Date;
  ip: string;
  country: string;
  user_agent: string;
  unusual: boolean;
  review: 'me' | 'not_me' | null;
  detail: Record<string, string> | string;
}

/** The account's latest entries, newest first (ties: latest written first), at most `limit`. */
export async function listAccountActivity(
  sql: Sql,
  accountId: string,
  limit: number,
): Promise<Pick<ActivityRow, 'id' | 'kind' | 'created_at' | 'ip' | 'user_agent' | 'detail'>[]> {
  return sql.query(
    'SELECT id, kind, created_at, ip, user_agent, detail FROM activity WHERE account_id = $1 ORDER BY created_at DESC, seq DESC LIMIT $2',
    [accountId, limit],
  );
}

/** The account's entries after `since`, newest first, at most `limit`, with country, unusual flag and review. */
export async function listActivitySince(
  sql: Sql,
  accountId: string,
  since: Date,
  limit: number,
): Promise<ActivityRow[]> {
  return sql.query<ActivityRow>(
    `SELECT id, kind, created_at, ip, country, user_agent, unusual, review, detail FROM activity
     WHERE account_id = $1 AND created_at > $2 ORDER BY created_at DESC, seq DESC LIMIT $3`,
    [accountId, since, limit],
  );
}

/** Records the owner's review of an unusual entry of theirs; false when there is no such unusual entry. */
export async function markActivityReviewed(
  sql: Sql,
  accountId: string,
  activityId: string,
  review: 'me' | 'not_me',
): Promise<boolean> {
  const rows = await sql.query(
    'UPDATE activity SET review = $3 WHERE id = $1 AND account_id = $2 AND unusual RETURNING id',
    [activityId, accountId, review],
  );
  return rows.length > 0;
}

/** Deletes the entries created before `before` (the retention limit); returns how many. */
export async function deleteExpiredActivity(sql: Sql, before: Date): Promise<number> {
  return (await sql.query('DELETE FROM activity WHERE created_at < $1 RETURNING 1', [before])).length;
}
