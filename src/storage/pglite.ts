import { PGlite } from '@electric-sql/pglite';
import type { Db, Sql } from './db.ts';

/**
 * The embedded store: PostgreSQL compiled to WASM, in-process. PGlite has one connection and queues
 * queries and transactions itself, so transactions never interleave.
 * `dataDir` null means in memory (tests).
 */
export async function openPglite(dataDir: string | null): Promise<Db> {
  const pg = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const wrap = (q: { query: PGlite['query']; exec: PGlite['exec'] }): Sql => ({
    async query<T>(text: string, params?: unknown[]) {
      const res = await q.query<T>(text, params as unknown[]);
      return res.rows;
    },
    async script(text: string) {
      await q.exec(text);
    },
  });
  return {
    kind: 'pglite',
    ...wrap(pg),
    tx: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    close: () => pg.close(),
  };
}
