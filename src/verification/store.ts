import type { Sql } from '../kernel/sql.ts';
import type { Purpose } from './challenges.ts';

// --- used by sessions

/** The id of the challenge issued for `purpose` and `subject`, null when there is none. */
export async function findChallengeId(sql: Sql, purpose: Purpose, subject: string): Promise<string | null> {
  const rows = await sql.query<{ id: string }>(
    'SELECT id FROM challenges WHERE purpose = $2 AND subject = $1',
    [subject, purpose],
  );
  return rows[0]?.id ?? null;
}

/** Whether a code has been sent for the challenge of `purpose` and `subject`. */
export async function hasSentCode(sql: Sql, purpose: Purpose, subject: string): Promise<boolean> {
  const rows = await sql.query<{ id: string }>(
    'SELECT id FROM challenges WHERE purpose = $2 AND subject = $1 AND code_sent_at IS NOT NULL',
    [subject, purpose],
  );
  return rows.length > 0;
}

// --- used by accounts

/** A sign-up challenge: the address as typed, its comparison key and the account (null: a decoy). */
export interface SignupChallenge {
  id: string;
  account_id: string | null;
  destination: string;
  destination_key: string;
}

/**
 * The sign-up challenge with this subject (SHA-256 of the sign-up token), only while it is the newest
 * sign-up of its address (a later sign-up ends the earlier tokens, real or decoy alike). Null otherwise.
 */
export async function findNewestSignupChallenge(sql: Sql, subject: string): Promise<SignupChallenge | null> {
  const rows = await sql.query<SignupChallenge>(
    `SELECT c.id, c.account_id, c.destination, c.destination_key FROM challenges c
     WHERE c.purpose = 'signup' AND c.subject = $1 AND NOT EXISTS (
       SELECT 1 FROM challenges n WHERE n.purpose = 'signup' AND n.destination_key = c.destination_key
         AND n.created_at > c.created_at)`,
    [subject],
  );
  return rows[0] ?? null;
}

/** Deletes the real (not decoy) sign-up challenges of the address with comparison key `destinationKey`. */
export async function deleteSignupChallenges(sql: Sql, destinationKey: string): Promise<void> {
  await sql.query(
    `DELETE FROM challenges WHERE purpose = 'signup' AND destination_key = $1 AND account_id IS NOT NULL`,
    [destinationKey],
  );
}

/** The comparison key of the address a sign-up challenge (by subject) was issued to, null when there is none. */
export async function signupDestinationKey(sql: Sql, subject: string): Promise<string | null> {
  const rows = await sql.query<{ destination_key: string }>(
    `SELECT destination_key FROM challenges WHERE purpose = 'signup' AND subject = $1`,
    [subject],
  );
  return rows[0]?.destination_key ?? null;
}
