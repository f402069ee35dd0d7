import type { Sql } from '../kernel/sql.ts';

// --- used by recovery, replacement

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

/** The id of the challenge of `purpose` for `subject` (at most one exists), or null. */
export async function findChallengeId(sql: Sql, subject: string, purpose: string): Promise<string | null> {
  const rows = await sql.query<{ id: string }>(
    'SELECT id FROM challenges WHERE subject = $1 AND purpose = $2',
    [subject, purpose],
  );
  return rows[0]?.id ?? null;
}

/** Deletes the challenge(s) of `purpose` for `subject`: its code no longer opens anything. */
export async function deleteChallengesFor(tx: Sql, subject: string, purpose: string): Promise<void> {
  await tx.query('DELETE FROM challenges WHERE subject = $1 AND purpose = $2', [subject, purpose]);
}
