import type { Sql } from '../kernel/sql.ts';

// --- used by sessions

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

/**
 * Records a failed sign-in (`kind`) in the activity of the account whose comparison key is `emailKey`, in
 * one statement that runs the same whether or not such an account exists (for an unknown address it inserts
 * nothing). `detail` is empty, `unusual` false.
 */
export async function recordFailedSignInByKey(
  sql: Sql,
  e: {
    id: string;
    emailKey: string;
    kind: string;
    at: Date;
    ip: string;
    userAgent: string;
    country: string;
    deviceKey: string;
  },
): Promise<void> {
  await sql.query(
    `INSERT INTO activity (id, account_id, kind, created_at, ip, user_agent, detail, country, device_key, unusual)
       SELECT $1, a.id, $3, $4, $5, $6, '{}', $7, $8, false FROM accounts a WHERE a.email_key = $2`,
    [e.id, e.emailKey, e.kind, e.at, e.ip, e.userAgent, e.country, e.deviceKey],
  );
}

// --- used by accounts

/** Marks every unreviewed unusual entry of the account as "not me" ("secure my account"). */
export async function markUnusualNotMe(sql: Sql, accountId: string): Promise<void> {
  await sql.query(
    `UPDATE activity SET review = 'not_me' WHERE account_id = $1 AND unusual AND review IS NULL`,
    [accountId],
  );
}
