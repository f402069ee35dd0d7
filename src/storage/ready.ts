import type { Sql } from '../kernel/sql.ts';

/**
 * Whether the store answers a query now (the readiness probe, `GET /readyz`): true when a trivial
 * statement runs, false when it fails (the database is down, the pool cannot connect, the store is closed).
 * Never throws.
 */
export async function storeReady(sql: Sql): Promise<boolean> {
  try {
    await sql.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
