import type { Sql } from '../../kernel/sql.ts';

// --- used by storage (housekeeping.ts): the apps capability's expired rows

/** Deletes signing keys whose retirement ended before `now` (they are no longer published). */
export async function deleteRetiredOidcKeys(sql: Sql, now: Date): Promise<number> {
  return (
    await sql.query("DELETE FROM oidc_keys WHERE status = 'retiring' AND retire_after < $1 RETURNING kid", [
      now,
    ])
  ).length;
}

/** Deletes deliveries to apps that were delivered before `before` (the delivery log keeps the rest). */
export async function deleteOldAppDeliveries(sql: Sql, before: Date): Promise<number> {
  return (
    await sql.query("DELETE FROM app_deliveries WHERE status = 'sent' AND sent_at < $1 RETURNING id", [
      before,
    ])
  ).length;
}
