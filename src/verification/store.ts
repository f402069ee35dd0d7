import type { Sql } from '../kernel/sql.ts';

/**
 * The verification store: every statement on `challenges` (one per purpose, subject and destination: the
 * latest code's HMAC, its sends, wrong entries and lock) and `code_sends` (the send ledger: one row per
 * code sent per budget key). Nothing else reads or writes these tables.
 */

/** What a code proves (src/verification/challenges.ts). */
export type Purpose =
  | 'signup'
  | 'add_email'
  | 'add_phone'
  | 'reset'
  | 'reauth'
  | 'signin'
  | 'replace'
  | 'recovery_form';

/** One `challenges` row as stored; `stamp_text` is the security stamp it is bound to (decimal) or null. */
export interface ChallengeRow {
  id: string;
  purpose: Purpose;
  subject: string;
  failures: number;
  locked_until: Date | null;
  consumed_at: Date | null;
  code_hmac: string | null;
  code_sent_at: Date | null;
  code_expires_at: Date | null;
  channel: 'email' | 'phone';
  destination: string;
  account_id: string | null;
  stamp_text: string | null;
}

/** A challenge as other capabilities see it: where its code went, and whether one was ever sent. */
export interface ChallengeInfo {
  id: string;
  channel: 'email' | 'phone';
  destination: string;
  destinationKey: string;
  accountId: string | null;
  codeSent: boolean;
}

/** A code bound to a stamp verifies only while the account's stamp is still that one. */
const STAMP_CURRENT = `(stamp IS NULL OR stamp = (SELECT a.security_stamp FROM accounts a WHERE a.id = challenges.account_id))`;

// ---------------------------------------------------------------------------------------------------
// challenges: issuing and checking codes — only verification/challenges.ts (issueCode, verifyCode) calls these

/** The challenge of (purpose, subject, destination), row-locked until `tx` ends; null when none. */
export async function lockChallengeForIssue(
  tx: Sql,
  purpose: Purpose,
  subject: string,
  destinationKey: string,
): Promise<ChallengeRow | undefined> {
  return (
    await tx.query<ChallengeRow>(
      `SELECT *, stamp::text AS stamp_text FROM challenges
       WHERE purpose = $1 AND subject = $2 AND destination_key = $3 FOR UPDATE`,
      [purpose, subject, destinationKey],
    )
  )[0];
}

/**
 * A code as stored on its challenge: the challenge `id`, the code's HMAC, when it was sent and expires, where
 * it went, the account and security stamp it is bound to (null: none) and whether it is a decoy.
 */
export interface StoredCode {
  id: string;
  codeHmac: string;
  sentAt: Date;
  expiresAt: Date;
  channel: 'email' | 'phone';
  destination: string;
  accountId: string | null;
  stamp: string | null;
  decoy: boolean;
}

/** A new code for an existing challenge: the previous one stops working; `resetFailures` zeroes the count. */
export async function storeNewCode(tx: Sql, c: StoredCode & { resetFailures: boolean }): Promise<void> {
  await tx.query(
    `UPDATE challenges SET code_hmac = $2, code_sent_at = $3, code_expires_at = $4, consumed_at = NULL,
       locked_until = NULL, failures = CASE WHEN $5 THEN 0 ELSE failures END,
       channel = $6, destination = $7, account_id = $8, stamp = $9::bigint, decoy = $10
     WHERE id = $1`,
    [
      c.id,
      c.codeHmac,
      c.sentAt,
      c.expiresAt,
      c.resetFailures,
      c.channel,
      c.destination,
      c.accountId,
      c.stamp,
      c.decoy,
    ],
  );
}

/** Creates a challenge with its first code (`sentAt` is also its creation time). */
export async function insertChallenge(
  tx: Sql,
  c: StoredCode & { purpose: Purpose; subject: string; destinationKey: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO challenges (id, purpose, subject, account_id, channel, destination, destination_key, code_hmac,
       code_sent_at, code_expires_at, created_at, stamp, decoy)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9, $11::bigint, $12)`,
    [
      c.id,
      c.purpose,
      c.subject,
      c.accountId,
      c.channel,
      c.destination,
      c.destinationKey,
      c.codeHmac,
      c.sentAt,
      c.expiresAt,
      c.stamp,
      c.decoy,
    ],
  );
}

/**
 * Consumes the challenge in one statement when `codeHmac` is its current code, unexpired, unlocked, under
 * `maxAttempts` failures, not a decoy and still bound to the account's stamp. Of concurrent calls at most
 * one gets the row; the others get null.
 */
export async function consumeChallenge(
  tx: Sql,
  c: { id: string; purpose: Purpose; subject: string; now: Date; codeHmac: string; maxAttempts: number },
): Promise<{ id: string; destination: string } | null> {
  const rows = await tx.query<{ id: string; destination: string }>(
    `UPDATE challenges SET consumed_at = $4
     WHERE id = $1 AND purpose = $2 AND subject = $3 AND consumed_at IS NULL AND code_hmac = $5 AND NOT decoy
       AND code_expires_at > $4 AND failures < $6 AND (locked_until IS NULL OR locked_until <= $4)
       AND ${STAMP_CURRENT}
     RETURNING id, destination`,
    [c.id, c.purpose, c.subject, c.now, c.codeHmac, c.maxAttempts],
  );
  return rows[0] ?? null;
}

/** The challenge by id, purpose and subject, with `stale` true when its stamp is no longer the account's. */
export async function findChallengeForCheck(
  tx: Sql,
  id: string,
  purpose: Purpose,
  subject: string,
): Promise<(ChallengeRow & { stale: boolean }) | undefined> {
  return (
    await tx.query<ChallengeRow & { stale: boolean }>(
      `SELECT *, NOT ${STAMP_CURRENT} AS stale FROM challenges WHERE id = $1 AND purpose = $2 AND subject = $3`,
      [id, purpose, subject],
    )
  )[0];
}

/**
 * Counts one wrong entry, atomically and never past `maxAttempts`; the entry that reaches it locks the
 * challenge until `lockUntil`. Returns the new count, or null when the count was already at the cap.
 */
export async function countWrongEntry(
  tx: Sql,
  id: string,
  maxAttempts: number,
  lockUntil: Date,
): Promise<number | null> {
  const updated = await tx.query<{ failures: number }>(
    `UPDATE challenges SET failures = failures + 1,
       locked_until = CASE WHEN failures + 1 >= $2 THEN $3::timestamptz ELSE locked_until END
     WHERE id = $1 AND failures < $2 RETURNING failures`,
    [id, maxAttempts, lockUntil],
  );
  return updated[0]?.failures ?? null;
}

// ---------------------------------------------------------------------------------------------------
// challenges: reads and deletes for the flows that own a subject — accounts (accounts-service.ts,
// http/signup-routes.tsx), sessions (reauth.ts, second-factor.ts, http/reauth-routes.tsx), security-info
// (methods-service.ts, store.ts), replacement (replacement-service.ts), recovery (reset-service.ts);
// storage/housekeeping.ts deletes the expired ones

type InfoRow = {
  id: string;
  channel: 'email' | 'phone';
  destination: string;
  destination_key: string;
  account_id: string | null;
  code_sent_at: Date | null;
};

const toInfo = (r: InfoRow): ChallengeInfo => ({
  id: r.id,
  channel: r.channel,
  destination: r.destination,
  destinationKey: r.destination_key,
  accountId: r.account_id,
  codeSent: r.code_sent_at !== null,
});

/**
 * The challenge of a flow step: `purpose` and `subject` (a method id, `session:method`, a pending sign-in's
 * `id:method`, a replacement item, the SHA-256 of a sign-up token). Null when none was ever issued.
 */
export async function findChallengeBySubject(
  sql: Sql,
  purpose: Purpose,
  subject: string,
): Promise<ChallengeInfo | null> {
  const rows = await sql.query<InfoRow>(
    `SELECT id, channel, destination, destination_key, account_id, code_sent_at FROM challenges
     WHERE purpose = $1 AND subject = $2`,
    [purpose, subject],
  );
  return rows[0] ? toInfo(rows[0]) : null;
}

/** Whether a code was ever sent for (purpose, subject): a code can be entered only then. */
export async function codeWasSent(sql: Sql, purpose: Purpose, subject: string): Promise<boolean> {
  const rows = await sql.query(
    'SELECT 1 FROM challenges WHERE purpose = $1 AND subject = $2 AND code_sent_at IS NOT NULL',
    [purpose, subject],
  );
  return rows.length > 0;
}

/** Deletes the challenges of (purpose, subject), e.g. of a replacement item that was removed. */
export async function deleteChallenges(sql: Sql, purpose: Purpose, subject: string): Promise<void> {
  await sql.query('DELETE FROM challenges WHERE purpose = $1 AND subject = $2', [purpose, subject]);
}

/** Deletes every challenge, of any purpose, whose subject is one of `subjects` (methods being removed). */
export async function deleteChallengesOfSubjects(sql: Sql, subjects: string[]): Promise<void> {
  await sql.query('DELETE FROM challenges WHERE subject = ANY($1::text[])', [subjects]);
}

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

/** The id of the challenge issued for `purpose` and `subject`, null when there is none. */
export async function findChallengeId(sql: Sql, purpose: Purpose, subject: string): Promise<string | null> {
  return (await findChallengeBySubject(sql, purpose, subject))?.id ?? null;
}

/** The comparison key of the address a sign-up challenge (by subject) was issued to, null when there is none. */
export async function signupDestinationKey(sql: Sql, subject: string): Promise<string | null> {
  return (await findChallengeBySubject(sql, 'signup', subject))?.destinationKey ?? null;
}

/** Where a challenge's code goes: channel, destination (address, number or `decoy`) and its key; null if gone. */
export async function findChallengeDestination(
  sql: Sql,
  challengeId: string,
): Promise<{ channel: 'email' | 'phone'; destination: string; destination_key: string } | null> {
  const rows = await sql.query<{ channel: 'email' | 'phone'; destination: string; destination_key: string }>(
    'SELECT channel, destination, destination_key FROM challenges WHERE id = $1',
    [challengeId],
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

/**
 * Deletes the challenges whose code expired before `before` and that are not locked past it
 * (housekeeping). Returns the number removed.
 */
export async function deleteExpiredChallenges(sql: Sql, before: Date): Promise<number> {
  const rows = await sql.query(
    'DELETE FROM challenges WHERE code_expires_at < $1 AND (locked_until IS NULL OR locked_until < $1) RETURNING 1',
    [before],
  );
  return rows.length;
}

// ---------------------------------------------------------------------------------------------------
// code_sends: the send ledger — abuse/ledger.ts takes and reads it, storage/housekeeping.ts prunes it

/** Records one send at `at` under each key, in one statement. */
export async function recordSends(tx: Sql, keys: string[], at: Date): Promise<void> {
  if (keys.length === 0) return;
  const values = keys.map((_, i) => `($1, $${i + 2})`).join(', ');
  await tx.query(`INSERT INTO code_sends (sent_at, destination_key) VALUES ${values}`, [at, ...keys]);
}

/** The time of the latest send under `key`, or null when none is recorded. */
export async function lastSendAt(sql: Sql, key: string): Promise<Date | null> {
  const last = (
    await sql.query<{ sent_at: Date }>(
      'SELECT sent_at FROM code_sends WHERE destination_key = $1 ORDER BY sent_at DESC LIMIT 1',
      [key],
    )
  )[0];
  return last?.sent_at ?? null;
}

/** Entries of the send ledger (`code_sends`) under `key` after `since`: how many, the latest and the oldest. */
export async function sendLedgerWindow(
  sql: Sql,
  key: string,
  since: Date,
): Promise<{ n: number; last: Date | null; oldest: Date | null } | undefined> {
  return (
    await sql.query<{ n: number; last: Date | null; oldest: Date | null }>(
      `SELECT count(*)::int AS n, max(sent_at) AS last, min(sent_at) AS oldest FROM code_sends
         WHERE destination_key = $1 AND sent_at > $2`,
      [key, since],
    )
  )[0];
}

/** Deletes the send-ledger entries made before `before`; returns how many. */
export async function deleteExpiredCodeSends(sql: Sql, before: Date): Promise<number> {
  return (await sql.query('DELETE FROM code_sends WHERE sent_at < $1 RETURNING 1', [before])).length;
}
