import type { Sql } from '../kernel/sql.ts';

// --- used by housekeeping

/** Deletes the sessions that expired before `now`; returns how many. */
export async function deleteExpiredSessions(sql: Sql, now: Date): Promise<number> {
  return (await sql.query('DELETE FROM sessions WHERE expires_at < $1 RETURNING 1', [now])).length;
}

/** Deletes the pending sign-ins that expired before `before`; returns how many. */
export async function deleteExpiredPendingSignIns(sql: Sql, before: Date): Promise<number> {
  return (await sql.query('DELETE FROM pending_signins WHERE expires_at < $1 RETURNING 1', [before])).length;
}

/** Deletes the trusted devices whose trust ended before `now`; returns how many. */
export async function deleteExpiredTrustedDevices(sql: Sql, now: Date): Promise<number> {
  return (await sql.query('DELETE FROM trusted_devices WHERE expires_at < $1 RETURNING 1', [now])).length;
}

/** Deletes the known devices last seen before `before`; returns how many. */
export async function deleteExpiredKnownDevices(sql: Sql, before: Date): Promise<number> {
  return (await sql.query('DELETE FROM known_devices WHERE last_seen_at < $1 RETURNING 1', [before])).length;
}
