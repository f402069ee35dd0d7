import { sendPeriodicReminders } from '../checkup/periodic.ts';
import type { Deps } from '../deps.ts';
import { DAY } from '../kernel/clock.ts';
import { KNOWN_DEVICE_DAYS } from '../sessions/known-devices.ts';

/**
 * Deletes what has expired: activity past its retention, ended sessions, spent or stale challenges and
 * flows, old send records and limit windows. Idempotent and safe on several instances at once.
 * Returns the number of rows removed per table.
 */
export async function housekeeping(deps: Deps): Promise<Record<string, number>> {
  const now = deps.clock.now();
  const dayAgo = new Date(now.getTime() - DAY);
  const jobs: [string, string, unknown[]][] = [
    [
      'activity',
      'DELETE FROM activity WHERE created_at < $1',
      [new Date(now.getTime() - deps.config.activityRetentionDays * DAY)],
    ],
    ['sessions', 'DELETE FROM sessions WHERE expires_at < $1', [now]],
    ['pending_signins', 'DELETE FROM pending_signins WHERE expires_at < $1', [dayAgo]],
    ['trusted_devices', 'DELETE FROM trusted_devices WHERE expires_at < $1', [now]],
    [
      'known_devices',
      'DELETE FROM known_devices WHERE last_seen_at < $1',
      [new Date(now.getTime() - KNOWN_DEVICE_DAYS * DAY)],
    ],
    ['reset_flows', 'DELETE FROM reset_flows WHERE expires_at < $1', [dayAgo]],
    [
      'challenges',
      'DELETE FROM challenges WHERE code_expires_at < $1 AND (locked_until IS NULL OR locked_until < $1)',
      [dayAgo],
    ],
    ['code_sends', 'DELETE FROM code_sends WHERE sent_at < $1', [dayAgo]],
    ['limits', 'DELETE FROM limits WHERE expires_at < $1', [now]],
    ['webauthn_challenges', 'DELETE FROM webauthn_challenges WHERE expires_at < $1', [dayAgo]],
    ['recovery_pow_spent', 'DELETE FROM recovery_pow_spent WHERE expires_at < $1', [now]],
    [
      'recovery_requests',
      "DELETE FROM recovery_requests WHERE status = 'draft' AND expires_at < $1",
      [dayAgo],
    ],
  ];
  const removed: Record<string, number> = {};
  for (const [table, sql, params] of jobs)
    removed[table] = (await deps.db.query(`${sql} RETURNING 1`, params)).length;
  // Periodic "is this still yours?" reminders ride on the same hourly round.
  removed.reminded = await sendPeriodicReminders(deps);
  return removed;
}
