import type { Sql } from '../kernel/sql.ts';

/** The store of the activity capability: every statement on `activity` (the account's recent activity). */

// --- activity's own: activity/activity.ts writes and lists, activity/review.ts reviews, storage/housekeeping.ts
// prunes

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

// --- used by sessions (risk.ts, sign-in.ts), recovery (reset-service.ts), accounts (secure-account.ts),
// recovery-form (form-service.ts)

/**
 * Whether the account's successful sign-ins since `since` came from `country` and from the device kind
 * `deviceKey` (either null when none did). Sign-ins from an origin the owner said was not them ("this
 * wasn't me") do not count.
 */
export async function signInFamiliarity(
  sql: Sql,
  accountId: string,
  since: Date,
  country: string,
  deviceKey: string,
): Promise<{ sameCountry: boolean | null; sameDevice: boolean | null }> {
  const rows = await sql.query<{ same_country: boolean | null; same_device: boolean | null }>(
    `SELECT bool_or(a.country = $3) AS same_country, bool_or(a.device_key = $4) AS same_device
     FROM activity a WHERE a.account_id = $1 AND a.kind = 'signin.success' AND a.created_at > $2
       AND NOT EXISTS (SELECT 1 FROM activity u WHERE u.account_id = a.account_id AND u.unusual
         AND u.review = 'not_me' AND u.country = a.country AND u.device_key = a.device_key)`,
    [accountId, since, country, deviceKey],
  );
  return { sameCountry: rows[0]?.same_country ?? null, sameDevice: rows[0]?.same_device ?? null };
}

/** Marks every unreviewed unusual entry of the account as "not me" ("secure my account"). */
export async function markUnusualNotMe(sql: Sql, accountId: string): Promise<void> {
  await sql.query(
    `UPDATE activity SET review = 'not_me' WHERE account_id = $1 AND unusual AND review IS NULL`,
    [accountId],
  );
}

/** The account an entry is about: by id (null: none), or by the comparison key of its primary address. */
export type ActivityAccount = { id: string | null } | { emailKey: string };

/**
 * Writes one activity entry (not unusual; `detail` empty unless given) about `e.account` if there is such an
 * account, in ONE statement that runs either way (`INSERT … SELECT … FROM accounts WHERE …`): for a null id
 * or an address without an account it writes nothing, so a caller that must answer an unknown address with
 * the same work as an account (a failed sign-in, a password reset start, a recovery form's submission and
 * denial) waits for the same statement. `deviceKey` is the caller's `deviceKey(describeDevice(userAgent))`;
 * `userAgent` is cut to 512 characters here.
 */
export async function recordActivityIfAccount(
  sql: Sql,
  e: {
    id: string;
    account: ActivityAccount;
    kind: string;
    at: Date;
    ip: string;
    userAgent: string;
    country: string;
    deviceKey: string;
    /** Shown in "recent activity" (strings only); empty when left out. */
    detail?: Record<string, string>;
  },
): Promise<void> {
  const [column, value] = 'emailKey' in e.account ? ['email_key', e.account.emailKey] : ['id', e.account.id];
  await sql.query(
    `INSERT INTO activity (id, account_id, kind, created_at, ip, user_agent, detail, country, device_key, unusual)
       SELECT $1, a.id, $3, $4, $5, $6, $9::jsonb, $7, $8, false FROM accounts a WHERE a.${column} = $2`,
    [
      e.id,
      value,
      e.kind,
      e.at,
      e.ip,
      e.userAgent.slice(0, 512),
      e.country,
      e.deviceKey,
      JSON.stringify(e.detail ?? {}),
    ],
  );
}

/**
 * Whether an entry about a method (added, verified or removed) shows this masked method
 * (`ta*****@example.com`, `*******78`): activity keeps only the masked form.
 */
export async function methodSeenInActivity(sql: Sql, accountId: string, masked: string): Promise<boolean> {
  const rows = await sql.query(
    `SELECT 1 FROM activity WHERE account_id = $1 AND kind IN ('method.added', 'method.verified', 'method.removed')
       AND detail->>'method' = $2 LIMIT 1`,
    [accountId, masked],
  );
  return rows.length > 0;
}

/**
 * The distinct (country, device key) pairs of the account's entries of `kinds` after `since`, leaving out
 * entries the owner marked "not me".
 */
export async function presenceSince(
  sql: Sql,
  accountId: string,
  since: Date,
  kinds: readonly string[],
): Promise<{ country: string; device_key: string }[]> {
  return sql.query<{ country: string; device_key: string }>(
    `SELECT DISTINCT country, device_key FROM activity
         WHERE account_id = $1 AND created_at > $2 AND kind = ANY($3) AND (review IS NULL OR review <> 'not_me')`,
    [accountId, since, [...kinds]],
  );
}
