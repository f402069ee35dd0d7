import type { Sql } from '../kernel/sql.ts';
import { lastSendAt, recordSends, sendLedgerWindow } from '../verification/store.ts';
import { lockNamed } from './store.ts';

export { lockNamed };

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
    const s = await sendLedgerWindow(tx, r.key, new Date(now.getTime() - r.windowMs));
    const last = s?.last ? s.last.getTime() : null;
    if (r.cooldownMs && last !== null && now.getTime() - last < r.cooldownMs)
      return { key: r.key, reason: 'cooldown', retryAfterMs: last + r.cooldownMs - now.getTime() };
    if ((s?.n ?? 0) >= r.max) {
      const oldest = s?.oldest ? s.oldest.getTime() : now.getTime();
      return { key: r.key, reason: 'max', retryAfterMs: Math.max(0, oldest + r.windowMs - now.getTime()) };
    }
  }
  await recordSends(
    tx,
    rules.map((r) => r.key),
    now,
  );
  return null;
}

/** When the next entry under `key` is allowed by its cooldown (null when now). For countdowns on pages. */
export async function ledgerCooldownEnds(sql: Sql, key: string, cooldownMs: number, now: Date) {
  const last = await lastSendAt(sql, key);
  if (!last) return null;
  const at = new Date(last.getTime() + cooldownMs);
  return at > now ? at : null;
}
