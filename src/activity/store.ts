import type { Sql } from '../kernel/sql.ts';

// --- used by recovery, recovery-form

/**
 * Writes one activity entry with an empty detail if `accountId` is not null, in ONE statement that runs
 * either way (`INSERT … SELECT … WHERE $2 IS NOT NULL`): a caller that must answer an unknown address with
 * the same work as an account (password reset start) waits for the same statement. `deviceKey` is the
 * caller's `deviceKey(describeDevice(userAgent))`; `userAgent` is cut to 512 characters here.
 */
export async function recordActivityIfAccount(
  tx: Sql,
  e: {
    id: string;
    accountId: string | null;
    kind: string;
    at: Date;
    ip: string;
    userAgent: string;
    country: string;
    deviceKey: string;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO activity (id, account_id, kind, created_at, ip, user_agent, detail, country, device_key, unusual)
     SELECT $1, $2::text, $3, $4, $5, $6, '{}', $7, $8, false WHERE $2::text IS NOT NULL`,
    [e.id, e.accountId, e.kind, e.at, e.ip, e.userAgent.slice(0, 512), e.country, e.deviceKey],
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
