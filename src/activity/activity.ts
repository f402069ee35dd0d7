import type { RequestContext } from '../kernel/context.ts';
import { newId, type Random } from '../kernel/random.ts';
import type { Sql } from '../kernel/sql.ts';
import { describeDevice, deviceKey } from './device.ts';
import {
  type ActivityAccount,
  insertActivity,
  listAccountActivity,
  recordActivityIfAccount,
} from './store.ts';

/** Stable activity event kinds (docs/events.md). */
export const ACTIVITY_KINDS = [
  'account.created',
  'account.email_confirmed',
  'signin.success',
  'signin.wrong_password',
  'signin.throttled',
  'signout',
  'session.ended',
  'method.added',
  'method.verified',
  'method.removed',
  'method.relabelled',
  'password.changed',
  'password.reset',
  'reset.started',
  'reauth.success',
  'signin.unusual',
  'signin.challenged',
  'signin.second_factor',
  'two_step.on',
  'two_step.off',
  'recovery_code.created',
  'recovery_code.used',
  'device.trusted',
  'device.revoked',
  'account.secured',
  'phrase.changed',
  'replacement.started',
  'replacement.cancelled',
  'replacement.completed',
  'recovery_form.submitted',
  'recovery_form.approved',
  'recovery_form.denied',
  'periodic.confirmed',
  'notices.preferences',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/**
 * The activity kinds that are not events: their callers write them with `recordActivityIfAccount`
 * (activity/store.ts), one statement that runs whether or not the account exists and writes only for one, so
 * that the work done never tells a stranger whether an address has an account (a failed or throttled
 * sign-in, a password reset start, a recovery form's submission and its denial).
 */
export const ACCOUNT_BLIND_KINDS = [
  'reset.started',
  'signin.throttled',
  'recovery_form.submitted',
  'recovery_form.denied',
] as const satisfies readonly ActivityKind[];

export interface ActivityEvent {
  id: string;
  kind: ActivityKind;
  createdAt: Date;
  ip: string;
  userAgent: string;
  detail: Record<string, string>;
}

export async function recordActivity(
  sql: Sql,
  random: Random,
  now: Date,
  accountId: string,
  kind: ActivityKind,
  ctx: Pick<RequestContext, 'ip' | 'userAgent' | 'country'>,
  detail: Record<string, string> = {},
  o: { unusual?: boolean; id?: string } = {},
): Promise<string> {
  const id = o.id ?? newId(random, 'act');
  await insertActivity(sql, {
    id,
    accountId,
    kind,
    createdAt: now,
    ip: ctx.ip,
    userAgent: ctx.userAgent.slice(0, 512),
    detail,
    country: ctx.country,
    deviceKey: deviceKey(describeDevice(ctx.userAgent)),
    unusual: o.unusual ?? false,
  });
  return id;
}

/**
 * Records `kind` about `account` (by id, null for none, or by address key) in ONE statement that runs whether
 * or not there is such an account and writes only when there is (`recordActivityIfAccount`): for the
 * `ACCOUNT_BLIND_KINDS`, whose callers must do the same work for an unknown address. Same shape as
 * {@link recordActivity}: the device and country come from `ctx`.
 */
export async function recordActivityBlind(
  sql: Sql,
  random: Random,
  now: Date,
  account: ActivityAccount,
  kind: ActivityKind,
  ctx: Pick<RequestContext, 'ip' | 'userAgent' | 'country'>,
  detail?: Record<string, string>,
): Promise<void> {
  await recordActivityIfAccount(sql, {
    id: newId(random, 'act'),
    account,
    kind,
    at: now,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    country: ctx.country,
    deviceKey: deviceKey(describeDevice(ctx.userAgent)),
    detail,
  });
}

export async function listActivity(sql: Sql, accountId: string, limit = 100): Promise<ActivityEvent[]> {
  const rows = await listAccountActivity(sql, accountId, limit);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as ActivityKind,
    createdAt: r.created_at,
    ip: r.ip,
    userAgent: r.user_agent,
    detail: typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail,
  }));
}
