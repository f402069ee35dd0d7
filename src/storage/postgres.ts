import pg from 'pg';
import type { Db, Sql } from './db.ts';

/** PostgreSQL through a node-postgres pool. */
export async function openPostgres(url: string, max = 10): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client whose connection drops (server restart, failover) is discarded by the pool; without a
  // listener that 'error' event would crash the process. Queries in flight report their own errors.
  pool.on('error', () => {});
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
  };
}
