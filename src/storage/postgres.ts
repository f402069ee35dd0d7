import pg from 'pg';
import type { Db, Sql } from './db.ts';

/**
 * PostgreSQL through a node-postgres pool of `max` connections. Waiting for a free connection ends after
 * `connectTimeoutMs` (an error, not a hang, when the pool or the server is exhausted); idle connections close
 * after 30 s. `onPoolError` hears about idle connections that dropped (logged by the caller).
 */
export async function openPostgres(
  url: string,
  max = 10,
  o: { connectTimeoutMs?: number; onPoolError?: (e: Error) => void } = {},
): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: o.connectTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client whose connection drops (server restart, failover) is discarded by the pool; without a
  // listener that 'error' event would crash the process. Queries in flight report their own errors.
  pool.on('error', (e) => o.onPoolError?.(e));
  // Fail fast with a clear message if the server is unreachable.
  const client = await pool.connect();
  client.release();
  const sql: Sql = {
    async query<T>(text: string, params?: unknown[]) {
      const res = await pool.query(text, params as unknown[]);
      return res.rows as T[];
    },
    // Without parameters node-postgres uses the simple-query protocol, which runs several statements.
    async script(text: string) {
      await pool.query(text);
    },
  };
  return {
    kind: 'postgres',
    ...sql,
    async tx(fn) {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const result = await fn({
          async query<T>(text: string, params?: unknown[]) {
            return (await c.query(text, params as unknown[])).rows as T[];
          },
          async script(text: string) {
            await c.query(text);
          },
        });
        await c.query('COMMIT');
        return result;
      } catch (e) {
        await c.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        c.release();
      }
    },
    close: () => pool.end(),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}
