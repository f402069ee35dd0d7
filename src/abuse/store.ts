import type { Sql } from '../kernel/sql.ts';

/**
 * The store of the abuse capability: every statement on `limits` (fixed-window counters of the SQL
 * limiter) and the named advisory locks.
 */

/** Advisory-lock namespace of named locks (the two-key form keeps them apart from other advisory locks). */
const NAMED_LOCKS = 7301;

/**
 * Serialises transactions on one named thing until the transaction ends. Works on PostgreSQL and PGlite.
 * Names hash to 32 bits; two names that collide only wait for each other. Take several in a fixed order.
 */
export async function lockNamed(tx: Sql, name: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1::int4, hashtext($2))', [NAMED_LOCKS, name]);
}

/** A window of the limiter: units taken so far and when the window ends. */
export interface LimitWindow {
  count: number;
  expires_at: Date;
}

/**
 * Takes one unit under `key` in one statement: starts a new window (ending at `windowEndsAt`) when the old
 * one ended at or before `now`, else counts one more when fewer than `limit` were taken. The row lock makes
 * concurrent takes queue. Returns the window after the take, or undefined when refused (nothing counted).
 */
export async function takeLimitUnit(
  sql: Sql,
  key: string,
  now: Date,
  windowEndsAt: Date,
  limit: number,
): Promise<LimitWindow | undefined> {
  const rows = await sql.query<LimitWindow>(
    `INSERT INTO limits (key, count, expires_at) VALUES ($1, 1, $3)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN limits.expires_at <= $2 THEN 1 ELSE limits.count + 1 END,
           expires_at = CASE WHEN limits.expires_at <= $2 THEN $3 ELSE limits.expires_at END
         WHERE limits.expires_at <= $2 OR limits.count < $4
         RETURNING count, expires_at`,
    [key, now, windowEndsAt, limit],
  );
  return rows[0];
}

/** The current window of `key`, if any (information only). */
export async function findLimitWindow(sql: Sql, key: string): Promise<LimitWindow | undefined> {
  return (await sql.query<LimitWindow>('SELECT count, expires_at FROM limits WHERE key = $1', [key]))[0];
}

/**
 * Gives one unit back under `key` (never below zero); with `windowEndsAt`, only to that same window (a unit
 * taken in an ended window is not returned to the next one).
 */
export async function giveBackLimitUnit(sql: Sql, key: string, windowEndsAt?: Date): Promise<void> {
  if (!windowEndsAt) {
    await sql.query('UPDATE limits SET count = count - 1 WHERE key = $1 AND count > 0', [key]);
    return;
  }
  await sql.query('UPDATE limits SET count = count - 1 WHERE key = $1 AND expires_at = $2 AND count > 0', [
    key,
    windowEndsAt,
  ]);
}

/** Forgets the window of `key`. */
export async function deleteLimit(sql: Sql, key: string): Promise<void> {
  await sql.query('DELETE FROM limits WHERE key = $1', [key]);
}

// --- used by storage (housekeeping.ts)

/** Deletes the windows that ended before `now`; returns how many. */
export async function deleteExpiredLimits(sql: Sql, now: Date): Promise<number> {
  return (await sql.query('DELETE FROM limits WHERE expires_at < $1 RETURNING 1', [now])).length;
}
