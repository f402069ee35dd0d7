import { findAccountById, lockAccount } from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import { MINUTE } from '../kernel/clock.ts';
import { noticeToOldContacts } from './replacement-mail.ts';
import { applyReplacement, SYSTEM_CTX } from './replacement-service.ts';
import { itemsOf, lockDue, nextDue, nextReminderDue, REMINDER_DAYS, recordReminders } from './store.ts';

/**
 * Applies due replacements and sends the reminders of the wait; safe on several instances. All state is
 * in the database: a due replacement is claimed under a lock on its account row, then on itself (the lock
 * order of every transaction that touches a replacement), and completed with a conditional update
 * (status = 'pending'), so it takes effect exactly once; each reminder day is a row of
 * replacement_reminders written in the same transaction as its messages, so it is sent exactly once.
 */
export function createReplacementScheduler(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'cipher' | 'emit'>,
  o: { pollMs?: number } = {},
) {
  const pollMs = o.pollMs ?? MINUTE;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let stopped = true;

  /** Ends one due replacement: 1 applied, 0 cancelled because the account changed meanwhile, null none left. */
  async function completeOne(): Promise<number | null> {
    return deps.db.tx(async (tx) => {
      const now = deps.clock.now();
      const due = await nextDue(tx, now);
      if (!due) return null;
      // Lock order, as everywhere: the account row, then the replacement. (Locking the replacement first
      // deadlocks with a proof by an old method, which holds the account row and then cancels it.)
      await lockAccount(tx, due.account_id);
      // Ended meanwhile (cancelled, or applied by another instance): on to the next one.
      if (!(await lockDue(tx, due.id, now))) return 0;
      return (await applyReplacement(deps, tx, due.id, 'wait_over', SYSTEM_CTX)) ? 1 : 0;
    });
  }

  /** Sends the reminder of one replacement that has a due, unsent reminder day; false when none is left. */
  async function remindOne(): Promise<boolean> {
    return deps.db.tx(async (tx) => {
      const now = deps.clock.now();
      const row = await nextReminderDue(tx, now, REMINDER_DAYS);
      if (!row) return false;
      const due = REMINDER_DAYS.filter((d) => row.started_at.getTime() + d * 86_400_000 <= now.getTime());
      // Days missed while no instance ran are recorded too, but only one message goes out.
      const inserted = await recordReminders(tx, row.id, due, now);
      if (inserted.length === 0) return true;
      const account = await findAccountById(tx, row.account_id);
      if (!account) return true;
      await noticeToOldContacts(
        deps,
        tx,
        account,
        { id: row.id, effectiveAt: row.effective_at, items: await itemsOf(tx, row.id), source: row.source },
        Math.max(...inserted),
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
