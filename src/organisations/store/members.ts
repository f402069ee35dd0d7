import type { Sql } from '../../kernel/sql.ts';

/** The organisations capability's statements on `org_members`. An account belongs to at most one organisation. */

export const ORG_ROLES = ['member', 'reader', 'auth_admin', 'org_admin'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

export interface MemberRow {
  account_id: string;
  org_id: string;
  role: OrgRole;
  joined_at: Date;
  snoozes_used: number;
  snoozed_until: Date | null;
  must_reregister: boolean;
  must_change_password: boolean;
  /** The sign-in was interrupted by the registration requirement: held to the required page until it is met. */
  registration_held: boolean;
}

const COLUMNS =
  'account_id, org_id, role, joined_at, snoozes_used, snoozed_until, must_reregister, must_change_password, registration_held';

/**
 * Makes the account a member with `role`, unless it already belongs to an organisation. Returns whether it
 * joined (false: already a member of this or another organisation; the caller decides what that means).
 */
export async function insertMember(
  sql: Sql,
  m: { accountId: string; orgId: string; role: OrgRole; joinedAt: Date },
): Promise<boolean> {
  const rows = await sql.query(
    `INSERT INTO org_members (account_id, org_id, role, joined_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (account_id) DO NOTHING RETURNING account_id`,
    [m.accountId, m.orgId, m.role, m.joinedAt],
  );
  return rows.length > 0;
}

/** The membership of an account, or undefined; `forUpdate` locks the row for the caller's transaction. */
export async function findMember(
  sql: Sql,
  accountId: string,
  forUpdate = false,
): Promise<MemberRow | undefined> {
  return (
    await sql.query<MemberRow>(
      `SELECT ${COLUMNS} FROM org_members WHERE account_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [accountId],
    )
  )[0];
}

/** Every member of the organisation, oldest first. */
export async function listMembers(sql: Sql, orgId: string): Promise<MemberRow[]> {
  return sql.query<MemberRow>(
    `SELECT ${COLUMNS} FROM org_members WHERE org_id = $1 ORDER BY joined_at, account_id`,
    [orgId],
  );
}

/** Changes a member's role. */
export async function setMemberRole(
  sql: Sql,
  orgId: string,
  accountId: string,
  role: OrgRole,
): Promise<boolean> {
  return (
    (
      await sql.query(
        'UPDATE org_members SET role = $3 WHERE org_id = $1 AND account_id = $2 RETURNING account_id',
        [orgId, accountId, role],
      )
    ).length > 0
  );
}

/** Removes an account from its organisation. */
export async function deleteMember(sql: Sql, orgId: string, accountId: string): Promise<boolean> {
  return (
    (
      await sql.query('DELETE FROM org_members WHERE org_id = $1 AND account_id = $2 RETURNING account_id', [
        orgId,
        accountId,
      ])
    ).length > 0
  );
}

/**
 * Spends one snooze if the member has one left (`max`), in one statement: of many concurrent snoozes only
 * those under the allowance succeed. Returns the new count, or null when none was left.
 */
export async function takeSnooze(
  sql: Sql,
  accountId: string,
  max: number,
  until: Date,
): Promise<number | null> {
  const rows = await sql.query<{ snoozes_used: number }>(
    `UPDATE org_members SET snoozes_used = snoozes_used + 1, snoozed_until = $3
     WHERE account_id = $1 AND snoozes_used < $2 RETURNING snoozes_used`,
    [accountId, max, until],
  );
  return rows[0]?.snoozes_used ?? null;
}

/** Clears the snoozes (the member met the policy, or the policy changed what it asks). */
export async function resetSnoozes(sql: Sql, accountId: string): Promise<void> {
  await sql.query(
    'UPDATE org_members SET snoozes_used = 0, snoozed_until = NULL WHERE account_id = $1 AND (snoozes_used > 0 OR snoozed_until IS NOT NULL)',
    [accountId],
  );
}

/** Sets or clears the "set up new methods at next sign-in" mark. */
export async function setMustReregister(sql: Sql, accountId: string, on: boolean): Promise<void> {
  await sql.query('UPDATE org_members SET must_reregister = $2 WHERE account_id = $1', [accountId, on]);
}

/** Sets or clears the "change the temporary password at next sign-in" mark. */
export async function setMustChangePassword(sql: Sql, accountId: string, on: boolean): Promise<void> {
  await sql.query('UPDATE org_members SET must_change_password = $2 WHERE account_id = $1', [accountId, on]);
}

/** Sets or clears the registration hold; returns whether it changed. */
export async function setRegistrationHeld(sql: Sql, accountId: string, on: boolean): Promise<boolean> {
  const rows = await sql.query(
    'UPDATE org_members SET registration_held = $2 WHERE account_id = $1 AND registration_held <> $2 RETURNING account_id',
    [accountId, on],
  );
  return rows.length > 0;
}

/** Whether the account is held to its organisation's registration requirement now (a fresh read). */
export async function isRegistrationHeld(sql: Sql, accountId: string): Promise<boolean> {
  const rows = await sql.query<{ registration_held: boolean }>(
    'SELECT registration_held FROM org_members WHERE account_id = $1',
    [accountId],
  );
  return rows[0]?.registration_held === true;
}
