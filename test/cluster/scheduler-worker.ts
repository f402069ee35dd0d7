/**
 * One instance of test/cluster/schedulers.test.ts: a Mamori app (createApp, as `src/main.ts` builds it) on
 * the database in DATABASE_URL, whose timers are off (manualDispatch) so the test decides when the jobs run.
 * On "go" it runs, `rounds` times, what the timers of src/app.ts run — the replacement scheduler, the hourly
 * housekeeping with the periodic reminders, the notice delivery — and delivers the outbox, then reports what
 * each job said it did.
 */
import { createApp } from '../../src/app.ts';
import { sendPeriodicReminders } from '../../src/checkup/periodic.ts';
import { loadConfig } from '../../src/config/config.ts';
import { runNoticeDelivery } from '../../src/notices/notices.ts';
import { housekeeping } from '../../src/storage/housekeeping.ts';

const app = await createApp(loadConfig(process.env), { manualDispatch: true });
const deps = app.deps;

export interface WorkerReport {
  completed: number;
  reminded: number;
  notices: number;
  sessionsRemoved: number;
}

process.on('message', async (m: { go: number }) => {
  const out: WorkerReport = { completed: 0, reminded: 0, notices: 0, sessionsRemoved: 0 };
  try {
    for (let i = 0; i < m.go; i++) {
      const [completed, removed, notices] = await Promise.all([
        app.replacementScheduler.runOnce(),
        housekeeping(deps, { reminded: () => sendPeriodicReminders(deps) }),
        runNoticeDelivery(deps),
      ]);
      out.completed += completed;
      out.reminded += removed.reminded ?? 0;
      out.sessionsRemoved += removed.sessions ?? 0;
      out.notices += notices;
    }
    await deps.dispatcher.drain();
    process.send?.({ ok: true, report: out });
  } catch (e) {
    process.send?.({ ok: false, error: String((e as Error).stack ?? e) });
  } finally {
    await app.close();
    process.disconnect?.();
  }
});
process.send?.({ ready: true });
