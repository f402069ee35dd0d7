import type { Sql } from '../../kernel/sql.ts';
import type { OrgRole } from './members.ts';

/**
 * The organisations capability's statements on `org_invitations`: by address, stored by the SHA-256 of
 * their token; one open invitation per address and organisation (a new one withdraws the old).
 */

export interface InvitationRow {
  id: string;
  org_id: string;
  email: string;
  email_key: string;
  role: OrgRole;
  invited_by: string | null;
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS =
  'id, org_id, email, email_key, role, invited_by, created_at, expires_at, accepted_at, revoked_at';

/** Withdraws the open invitations of the address in the organisation (at `now`). Returns how many. */
export async function revokeOpenInvitationsOf(
  sql: Sql,
  orgId: string,
  emailKey: string,
  now: Date,
): Promise<number> {
  return (
    await sql.query(
      `UPDATE org_invitations SET revoked_at = $3
       WHERE org_id = $1 AND email_key = $2 AND accepted_at IS NULL AND revoked_at IS NULL RETURNING id`,
      [orgId, emailKey, now],
    )
  ).length;
}

/** Stores a new invitation. */
export async function insertInvitation(
  sql: Sql,
  i: Omit<InvitationRow, 'accepted_at' | 'revoked_at'> & { token_hash: string },
): Promise<void> {
  await sql.query(
    `INSERT INTO org_invitations (id, org_id, email, email_key, role, token_hash, invited_by, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [i.id, i.org_id, i.email, i.email_key, i.role, i.token_hash, i.invited_by, i.created_at, i.expires_at],
  );
}

/** The organisation's invitations that are neither accepted, withdrawn nor expired at `now`, newest first. */
export async function listOpenInvitations(sql: Sql, orgId: string, now: Date): Promise<InvitationRow[]> {
  return sql.query<InvitationRow>(
    `SELECT ${COLUMNS} FROM org_invitations
     WHERE org_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $2
     ORDER BY created_at DESC, id`,
    [orgId, now],
  );
}

/** Withdraws one open invitation of the organisation. Returns it, or undefined. */
export async function revokeInvitation(
  sql: Sql,
  orgId: string,
  id: string,
  now: Date,
): Promise<InvitationRow | undefined> {
  return (
    await sql.query<InvitationRow>(
      `UPDATE org_invitations SET revoked_at = $3
       WHERE org_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL RETURNING ${COLUMNS}`,
      [orgId, id, now],
    )
  )[0];
}

/** The invitation with this token hash, whatever its state; `forUpdate` locks it. */
export async function findInvitationByHash(
  sql: Sql,
  tokenHash: string,
  forUpdate = false,
): Promise<InvitationRow | undefined> {
  return (
    await sql.query<InvitationRow>(
      `SELECT ${COLUMNS} FROM org_invitations WHERE token_hash = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [tokenHash],
    )
  )[0];
}

/** Withdraws every open invitation `accountId` sent in the organisation (at `now`); returns how many. */
export async function revokeOpenInvitationsBy(
  sql: Sql,
  orgId: string,
  accountId: string,
  now: Date,
): Promise<number> {
  return (
    await sql.query(
      `UPDATE org_invitations SET revoked_at = $3
       WHERE org_id = $1 AND invited_by = $2 AND accepted_at IS NULL AND revoked_at IS NULL RETURNING id`,
      [orgId, accountId, now],
    )
  ).length;
}

/**
 * Marks an open invitation accepted, if whoever sent it is still an organisation admin of its organisation
 * (only they invite). Returns whether it was accepted.
 */
export async function markInvitationAccepted(sql: Sql, id: string, now: Date): Promise<boolean> {
  return (
    (
      await sql.query(
        `UPDATE org_invitations i SET accepted_at = $2
         WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL
           AND (i.invited_by IS NULL OR EXISTS (SELECT 1 FROM org_members m
                WHERE m.account_id = i.invited_by AND m.org_id = i.org_id AND m.role = 'org_admin'))
         RETURNING id`,
        [id, now],
      )
    ).length > 0
  );
}
