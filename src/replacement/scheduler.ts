import { findAccountById } from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import { MINUTE } from '../kernel/clock.ts';
import { noticeToOldContacts } from './replacement-mail.ts';
import { applyReplacement, SYSTEM_CTX } from './replacement-service.ts';
import { itemsOf, REMINDER_DAYS } from './replacement-store.ts';

interface DueRow {
  id: string;
  account_id: string;
  source: string;
  started_at: Date;
  effective_at: Date;
}

/**
 * Applies due replacements and sends the reminders of the wait; safe on several instances. All state is
 * in the database: a due replacement is claimed under a lock on its account row, then on itself (the lock
 * order of every transaction that touches a replacement), and completed with a conditional update
 * (status = 'pending'), so it takes effect exactly once; each reminder day is a row of
 * replacement_reminders written in the same transaction as its messages, so it is sent exactly once.
 */
export function createReplacementScheduler(deps: Deps, o: { pollMs?: number } = {}) {
  const pollMs = o.pollMs ?? MINUTE;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let stopped = true;

  /** Ends one due replacement: 1 applied, 0 cancelled because the account changed meanwhile, null none left. */
  async function completeOne(): Promise<number | null> {
    return deps.db.tx(async (tx) => {
      const now = deps.clock.now();
      const due = (
        await tx.query<{ id: string; account_id: string }>(
          `SELECT id, account_id FROM replacements WHERE status = 'pending' AND effective_at <= $1
           ORDER BY effective_at, id LIMIT 1`,
          [now],
        )
      )[0];
      if (!due) return null;
      // Lock order, as everywhere: the account row, then the replacement. (Locking the replacement first
      // deadlocks with a proof by an old method, which holds the account row and then cancels it.)
      await tx.query('SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE', [due.account_id]);
      const row = (
        await tx.query<{ id: string }>(
          `SELECT id FROM replacements WHERE id = $1 AND status = 'pending' AND effective_at <= $2 FOR UPDATE`,
          [due.id, now],
        )
      )[0];
      // Ended meanwhile (cancelled, or applied by another instance): on to the next one.
      if (!row) return 0;
      return (await applyReplacement(deps, tx, row.id, 'wait_over', SYSTEM_CTX)) ? 1 : 0;
    });
  }

  /** Sends the reminder of one replacement that has a due, unsent reminder day; false when none is left. */
  async function remindOne(): Promise<boolean> {
    return deps.db.tx(async (tx) => {
      const now = deps.clock.now();
      const row = (
        await tx.query<DueRow>(
          `SELECT r.id, r.account_id, r.source, r.started_at, r.effective_at FROM replacements r
           WHERE r.status = 'pending' AND r.effective_at > $1
             AND EXISTS (SELECT 1 FROM unnest($2::int[]) AS d(day)
                         WHERE r.started_at + d.day * interval '24 hours' <= $1
                           AND NOT EXISTS (SELECT 1 FROM replacement_reminders x
                                           WHERE x.replacement_id = r.id AND x.day = d.day))
           ORDER BY r.started_at, r.id LIMIT 1 FOR UPDATE SKIP LOCKED`,
          [now, [...REMINDER_DAYS]],
        )
      )[0];
      if (!row) return false;
      const due = REMINDER_DAYS.filter((d) => row.started_at.getTime() + d * 86_400_000 <= now.getTime());
      // Days missed while no instance ran are recorded too, but only one message goes out.
      const inserted = await tx.query<{ day: number }>(
        `INSERT INTO replacement_reminders (replacement_id, day, sent_at)
         SELECT $1, d, $3 FROM unnest($2::int[]) AS d ON CONFLICT DO NOTHING RETURNING day`,
        [row.id, due, now],
      );
      if (inserted.length === 0) return true;
      const account = await findAccountById(tx, row.account_id);
      if (!account) return true;
      await noticeToOldContacts(
        deps,
        tx,
        account,
        { id: row.id, effectiveAt: row.effective_at, items: await itemsOf(tx, row.id), source: row.source },
        Math.max(...inserted.map((i) => i.day)),
      );
      return true;
    });
  }

  /** Processes everything due now; returns how many replacements took effect. */
  async function runOnce(): Promise<number> {
    let completed = 0;
    for (let n = await completeOne(); n !== null; n = await completeOne()) completed += n;
    while (await remindOne()) {
      // one reminder per round until none is due
    }
    return completed;
  }

  function tick(): Promise<number> {
    if (!running) {
      running = runOnce().finally(() => {
        running = null;
      });
    }
    return running;
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(async () => {
      try {
        await tick();
      } catch (e) {
        deps.log.error({ err: e }, 'replacement scheduler tick failed');
      }
      schedule();
    }, pollMs);
    timer.unref?.();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
    /** Processes everything due now; returns how many replacements took effect. */
    runOnce: tick,
  };
}
export type ReplacementScheduler = ReturnType<typeof createReplacementScheduler>;
