import type { Db, Sql } from './sql.ts';

type Hook = () => void | Promise<void>;

/** The work a transaction still owes once it has committed, and which commit signals it already queued. */
interface TxState {
  hooks: Hook[];
  signalled: Set<string>;
}

/** The listeners of one unit-of-work Db (see `onCommitted`). */
type Listeners = Map<string, Set<() => void>>;

const txState = new WeakMap<Sql, TxState>();
const listenersOf = new WeakMap<Sql, Listeners>();

/**
 * Runs `fn` once the transaction `sql` has committed, before `db.tx` returns to its caller (never when it
 * rolls back). Outside a transaction (`sql` is the Db itself, whose statements commit one by one) `fn`
 * runs at once. Hooks must not throw: the change is already committed, a failure cannot undo it.
 */
export async function afterCommit(sql: Sql, fn: Hook): Promise<void> {
  const state = txState.get(sql);
  if (state) state.hooks.push(fn);
  else await fn();
}

/**
 * Tells the listeners of `topic` (see `onCommitted`) once `sql`'s transaction has committed — once per
 * transaction however often it is called, never on rollback; at once outside a transaction. The outbox
 * signals `outbox` for every message it writes, and the dispatcher wakes by itself (no hand `kick()`).
 */
export async function signalAfterCommit(sql: Sql, topic: string): Promise<void> {
  const listeners = listenersOf.get(sql)?.get(topic);
  if (!listeners || listeners.size === 0) return;
  const state = txState.get(sql);
  if (!state) {
    for (const fn of listeners) fn();
    return;
  }
  if (state.signalled.has(topic)) return;
  state.signalled.add(topic);
  state.hooks.push(() => {
    for (const fn of listeners) fn();
  });
}

/** Registers `fn` for every commit that signalled `topic` on `db` (a Db made by `unitOfWork`). */
export function onCommitted(db: Db, topic: string, fn: () => void): void {
  const listeners = listenersOf.get(db);
  if (!listeners) throw new Error('onCommitted needs a Db made by unitOfWork()');
  const set = listeners.get(topic) ?? new Set();
  set.add(fn);
  listeners.set(topic, set);
}

/**
 * Wraps a Db so that its transactions are units of work: their `afterCommit` hooks and commit signals run
 * after COMMIT, before `tx` returns. Used by the composition root (app.ts) around every store, so "invalidate
 * after commit" and "wake the dispatcher after commit" hold on PGlite and PostgreSQL alike.
 */
export function unitOfWork(db: Db): Db {
  const listeners: Listeners = new Map();
  const wrapped: Db = {
    kind: db.kind,
    query<T>(text: string, params?: unknown[]) {
      return db.query<T>(text, params);
    },
    script: (text) => db.script(text),
    async tx(fn) {
      const state: TxState = { hooks: [], signalled: new Set() };
      const result = await db.tx((inner) => {
        const tx: Sql = {
          query<T>(text: string, params?: unknown[]) {
            return inner.query<T>(text, params);
          },
          script: (text) => inner.script(text),
        };
        txState.set(tx, state);
        listenersOf.set(tx, listeners);
        return fn(tx);
      });
      for (const h of state.hooks) await h();
      return result;
    },
    close: () => db.close(),
    ...(db.poolStats ? { poolStats: () => db.poolStats?.() ?? { total: 0, idle: 0, waiting: 0 } } : {}),
  };
  listenersOf.set(wrapped, listeners);
  return wrapped;
}
