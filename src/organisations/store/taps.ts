import type { Sql } from '../../kernel/sql.ts';

/**
 * The organisations capability's statements on `temporary_access_passes`: one pass per account (a new one
 * replaces the old), stored by its keyed hash, never in clear.
 */

export interface TapRow {
  account_id: string;
  org_id: string;
  one_time: boolean;
  created_by: string | null;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

/** Stores the account's pass, replacing any earlier one (used, expired or live). */
export async function upsertTap(
  sql: Sql,
  t: {
    accountId: string;
    orgId: string;
    passHash: string;
    oneTime: boolean;
    createdBy: string | null;
    createdAt: Date;
    expiresAt: Date;
    stamp: string;
  },
): Promise<void> {
  await sql.query(
    `INSERT INTO temporary_access_passes (account_id, org_id, pass_hash, one_time, created_by, created_at, expires_at, used_at, stamp)
     VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8)
     ON CONFLICT (account_id) DO UPDATE SET org_id = $2, pass_hash = $3, one_time = $4, created_by = $5,
       created_at = $6, expires_at = $7, used_at = NULL, stamp = $8`,
    [t.accountId, t.orgId, t.passHash, t.oneTime, t.createdBy, t.createdAt, t.expiresAt, t.stamp],
  );
}

/**
 * Spends the pass `passHash` of the account in one statement: a live pass (not expired at `now`) that is
 * multi-use, or one-time and never used. Of many concurrent spends of a one-time pass only one gets a
 * row. Returns the pass, or undefined (no account, wrong pass, expired, already used).
 */
export async function spendTap(
  sql: Sql,
  accountId: string,
  passHash: string,
  now: Date,
): Promise<TapRow | undefined> {
  return (
    await sql.query<TapRow>(
      `UPDATE temporary_access_passes SET used_at = $3
       WHERE account_id = $1 AND pass_hash = $2 AND expires_at > $3 AND (NOT one_time OR used_at IS NULL)
       RETURNING account_id, org_id, one_time, created_by, created_at, expires_at, used_at`,
      [accountId, passHash, now],
    )
  )[0];
}

/** The account's pass as the console shows it (never its hash), or undefined. */
export async function findTap(sql: Sql, accountId: string): Promise<TapRow | undefined> {
  return (
    await sql.query<TapRow>(
      `SELECT account_id, org_id, one_time, created_by, created_at, expires_at, used_at
       FROM temporary_access_passes WHERE account_id = $1`,
      [accountId],
    )
  )[0];
}

/** Deletes the account's pass in the organisation. Returns whether there was one. */
export async function deleteTap(sql: Sql, orgId: string, accountId: string): Promise<boolean> {
  return (
    (
      await sql.query(
        'DELETE FROM temporary_access_passes WHERE org_id = $1 AND account_id = $2 RETURNING account_id',
        [orgId, accountId],
      )
    ).length > 0
  );
}

/** Deletes the account's pass, whatever its organisation; returns the organisation it was in, if any. */
export async function deleteTapOfAccount(sql: Sql, accountId: string): Promise<string | undefined> {
  return (
    await sql.query<{ org_id: string }>(
      'DELETE FROM temporary_access_passes WHERE account_id = $1 RETURNING org_id',
      [accountId],
    )
  )[0]?.org_id;
}
