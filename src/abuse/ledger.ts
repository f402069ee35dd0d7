import type { Sql } from '../storage/db.ts';

/** Advisory-lock namespace of named locks (the two-key form keeps them apart from other advisory locks). */
const NAMED_LOCKS = 7301;

/**
 * Serialises transactions on one named thing until the transaction ends. Works on PostgreSQL and PGlite.
 * Names hash to 32 bits; two names that collide only wait for each other. Take several in a fixed order.
 */
export async function lockNamed(tx: Sql, name: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1::int4, hashtext($2))', [NAMED_LOCKS, name]);
}

/** One budget of the send ledger: at most `max` entries under `key` in any `windowMs`, `cooldownMs` apart. */
export interface LedgerRule {
  key: string;
  max: number;
  windowMs: number;
  /** Minimum time since the previous entry (≤ windowMs); none when absent. */
  cooldownMs?: number;
}

export interface LedgerRefusal {
  key: string;
  reason: 'cooldown' | 'max';
  /** Until an entry may be made again. */
  retryAfterMs: number;
}

/**
 * The send ledger (`code_sends`): rolling-window budgets for what Mamori sends. Inside the caller's
 * transaction, locks every key (in the order given), checks every rule and, when all pass, records one entry
 * per key, so concurrent transactions cannot both take the last unit, and a rollback gives it back.
 * Returns null when taken, or the first refusal (nothing recorded).
 */
export async function takeLedger(tx: Sql, rules: LedgerRule[], now: Date): Promise<LedgerRefusal | null> {
  for (const r of rules) await lockNamed(tx, `ledger:${r.key}`);
  for (const r of rules) {
    const s = (
      await tx.query<{ n: number; last: Date | null; oldest: Date | null }>(
        `SELECT count(*)::int AS n, max(sent_at) AS last, min(sent_at) AS oldest FROM code_sends
         WHERE destination_key = $1 AND sent_at > $2`,
        [r.key, new Date(now.getTime() - r.windowMs)],
      )
    )[0];
    const last = s?.last ? s.last.getTime() : null;
    if (r.cooldownMs && last !== null && now.getTime() - last < r.cooldownMs)
      return { key: r.key, reason: 'cooldown', retryAfterMs: last + r.cooldownMs - now.getTime() };
    if ((s?.n ?? 0) >= r.max) {
      const oldest = s?.oldest ? s.oldest.getTime() : now.getTime();
      return { key: r.key, reason: 'max', retryAfterMs: Math.max(0, oldest + r.windowMs - now.getTime()) };
    }
  }
  const values = rules.map((_, i) => `($1, $${i + 2})`).join(', ');
  await tx.query(`INSERT INTO code_sends (sent_at, destination_key) VALUES ${values}`, [
    now,
    ...rules.map((r) => r.key),
  ]);
  return null;
}

/** When the next entry under `key` is allowed by its cooldown (null when now). For countdowns on pages. */
export async function ledgerCooldownEnds(sql: Sql, key: string, cooldownMs: number, now: Date) {
  const last = (
    await sql.query<{ sent_at: Date }>(
      'SELECT sent_at FROM code_sends WHERE destination_key = $1 ORDER BY sent_at DESC LIMIT 1',
      [key],
    )
  )[0];
  if (!last) return null;
  const at = new Date(last.sent_at.getTime() + cooldownMs);
  return at > now ? at : null;
}
