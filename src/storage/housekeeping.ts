import { deleteExpiredLimits } from '../abuse/store.ts';
import { deleteExpiredActivity } from '../activity/store.ts';
import { deleteOldAppDeliveries, deleteRetiredOidcKeys } from '../apps/store/housekeeping.ts';
import type { Deps } from '../deps.ts';
import { DAY } from '../kernel/clock.ts';
import { deleteExpiredResetFlows } from '../recovery/store.ts';
import { deleteExpiredDraftRequests, deleteExpiredPowSpent } from '../recovery-form/store.ts';
import { deleteExpiredWebauthnChallenges } from '../security-info/store.ts';
import { KNOWN_DEVICE_DAYS } from '../sessions/known-devices.ts';
import {
  deleteExpiredKnownDevices,
  deleteExpiredPendingSignIns,
  deleteExpiredSessions,
  deleteExpiredTrustedDevices,
} from '../sessions/store.ts';
import { deleteExpiredChallenges, deleteExpiredCodeSends } from '../verification/store.ts';

/** One more task of the hourly round (composed in app.ts), returning how many things it handled. */
export type HousekeepingTask = () => Promise<number>;

/**
 * Deletes what has expired: activity past its retention, ended sessions, spent or stale challenges and
 * flows, old send records and limit windows — each through its owner's store — then runs `tasks` in order
 * (app.ts adds the periodic reminders). Idempotent and safe on several instances at once.
 * Returns the number of rows removed per table, and each task's count under its name.
 */
export async function housekeeping(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  tasks: Record<string, HousekeepingTask> = {},
): Promise<Record<string, number>> {
  const now = deps.clock.now();
  const dayAgo = new Date(now.getTime() - DAY);
  const sql = deps.db;
  const jobs: [string, () => Promise<number>][] = [
    [
      'activity',
      () => deleteExpiredActivity(sql, new Date(now.getTime() - deps.config.activityRetentionDays * DAY)),
    ],
    ['sessions', () => deleteExpiredSessions(sql, now)],
    ['pending_signins', () => deleteExpiredPendingSignIns(sql, dayAgo)],
    ['trusted_devices', () => deleteExpiredTrustedDevices(sql, now)],
    [
      'known_devices',
      () => deleteExpiredKnownDevices(sql, new Date(now.getTime() - KNOWN_DEVICE_DAYS * DAY)),
    ],
    ['reset_flows', () => deleteExpiredResetFlows(sql, dayAgo)],
    ['challenges', () => deleteExpiredChallenges(sql, dayAgo)],
    ['code_sends', () => deleteExpiredCodeSends(sql, dayAgo)],
    ['limits', () => deleteExpiredLimits(sql, now)],
    ['webauthn_challenges', () => deleteExpiredWebauthnChallenges(sql, dayAgo)],
    ['recovery_pow_spent', () => deleteExpiredPowSpent(sql, now)],
    ['recovery_requests', () => deleteExpiredDraftRequests(sql, dayAgo)],
    ['oidc_keys', () => deleteRetiredOidcKeys(sql, now)],
    // The delivery log of webhooks and signals keeps 30 days of delivered items (waiting and parked stay).
    ['app_deliveries', () => deleteOldAppDeliveries(sql, new Date(now.getTime() - 30 * DAY))],
  ];
  const removed: Record<string, number> = {};
  for (const [table, run] of jobs) removed[table] = await run();
  for (const [name, task] of Object.entries(tasks)) removed[name] = await task();
  return removed;
}
