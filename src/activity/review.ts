import type { Deps } from '../deps.ts';
import { DAY } from '../kernel/clock.ts';
import { fail } from '../kernel/errors.ts';
import type { Sql } from '../kernel/sql.ts';
import type { ActivityKind } from './activity.ts';
import { listActivitySince, markActivityReviewed } from './store.ts';

/** The filters of the recent-activity page (each needs `activity.filter.<name>` in both dictionaries). */
export const ACTIVITY_FILTER_NAMES = ['all', 'signin', 'security', 'password'] as const;
export type ActivityFilter = (typeof ACTIVITY_FILTER_NAMES)[number];

/** Kinds shown under each filter of the recent-activity page. */
export const ACTIVITY_FILTERS: Record<ActivityFilter, (k: ActivityKind) => boolean> = {
  all: () => true,
  signin: (k) =>
    k.startsWith('signin.') || k === 'signout' || k === 'session.ended' || k === 'reauth.success',
  security: (k) =>
    k.startsWith('method.') ||
    k.startsWith('two_step.') ||
    k.startsWith('recovery_code.') ||
    k.startsWith('device.'),
  password: (k) => k.startsWith('password.') || k === 'reset.started' || k === 'account.secured',
};

export interface ActivityView {
  id: string;
  kind: ActivityKind;
  createdAt: Date;
  ip: string;
  country: string;
  userAgent: string;
  unusual: boolean;
  review: 'me' | 'not_me' | null;
  detail: Record<string, string>;
}

/** Recent activity within the retention period, newest first, optionally filtered. */
export async function recentActivity(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  accountId: string,
  filter = 'all',
  limit = 200,
): Promise<ActivityView[]> {
  const keep = ACTIVITY_FILTERS[filter as ActivityFilter] ?? ACTIVITY_FILTERS.all;
  const since = new Date(deps.clock.now().getTime() - deps.config.activityRetentionDays * DAY);
  const rows = await listActivitySince(deps.db, accountId, since, limit * 2);
  return rows
    .map((r) => ({
      id: r.id,
      kind: r.kind as ActivityKind,
      createdAt: r.created_at,
      ip: r.ip,
      country: r.country,
      userAgent: r.user_agent,
      unusual: r.unusual,
      review: r.review,
      detail: typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail,
    }))
    .filter((e) => keep(e.kind))
    .slice(0, limit);
}

/** "This was me" / "This wasn't me" on an unusual event of the account. */
export async function reviewActivity(
  sql: Sql,
  accountId: string,
  activityId: unknown,
  review: 'me' | 'not_me',
): Promise<void> {
  if (typeof activityId !== 'string' || activityId.length > 64) fail('request.not_found');
  if (!(await markActivityReviewed(sql, accountId, activityId, review))) fail('request.not_found');
}
