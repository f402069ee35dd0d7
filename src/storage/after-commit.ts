import type { Db, Sql } from './db.ts';

type Hook = () => void | Promise<void>;
const hooks = new WeakMap<Sql, Hook[]>();

/**
 * Runs `fn` once the transaction `sql` has committed, before `db.tx` returns to its caller (never when it
 * rolls back). Outside a transaction (`sql` is the Db itself, whose statements commit one by one) `fn`
 * runs at once. Hooks must not throw: the change is already committed, a failure cannot undo it.
 */
export async function afterCommit(sql: Sql, fn: Hook): Promise<void> {
  const list = hooks.get(sql);
  if (list) list.push(fn);
  else await fn();
}

/**
 * Wraps a Db so that its transactions run their afterCommit hooks after COMMIT. Used by the composition
 * root (app.ts) around every store, so "invalidate after commit" holds on PGlite and PostgreSQL alike.
 */
export function withAfterCommit(db: Db): Db {
  return {
    kind: db.kind,
    query<T>(text: string, params?: unknown[]) {
      return db.query<T>(text, params);
    },
    script: (text) => db.script(text),
    async tx(fn) {
      const list: Hook[] = [];
      const result = await db.tx((inner) => {
        const tx: Sql = {
          query<T>(text: string, params?: unknown[]) {
            return inner.query<T>(text, params);
          },
          script: (text) => inner.script(text),
        };
        hooks.set(tx, list);
        return fn(tx);
      });
      for (const h of list) await h();
      return result;
    },
    close: () => db.close(),
  };
}
