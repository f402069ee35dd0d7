import type { RequestContext } from '../kernel/context.ts';
import { newId, type Random } from '../kernel/random.ts';
import type { Sql } from '../storage/db.ts';
import { describeDevice, deviceKey } from './device.ts';

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
  await sql.query(
    `INSERT INTO activity (id, account_id, kind, created_at, ip, user_agent, detail, country, device_key, unusual)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      id,
      accountId,
      kind,
      now,
      ctx.ip,
      ctx.userAgent.slice(0, 512),
      JSON.stringify(detail),
      ctx.country,
      deviceKey(describeDevice(ctx.userAgent)),
      o.unusual ?? false,
    ],
  );
  return id;
}

export async function listActivity(sql: Sql, accountId: string, limit = 100): Promise<ActivityEvent[]> {
  const rows = await sql.query<{
    id: string;
    kind: ActivityKind;
    created_at: Date;
    ip: string;
    user_agent: string;
    detail: Record<string, string>;
  }>(
    'SELECT id, kind, created_at, ip, user_agent, detail FROM activity WHERE account_id = $1 ORDER BY created_at DESC, seq DESC LIMIT $2',
    [accountId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    createdAt: r.created_at,
    ip: r.ip,
    userAgent: r.user_agent,
    detail: typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail,
  }));
}
