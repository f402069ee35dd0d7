import type { RequestContext } from '../kernel/context.ts';
import { newId, type Random } from '../kernel/random.ts';
import type { Sql } from '../storage/db.ts';

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

export function recordActivity(
  sql: Sql,
  random: Random,
  now: Date,
  accountId: string,
  kind: ActivityKind,
  ctx: Pick<RequestContext, 'ip' | 'userAgent'>,
  detail: Record<string, string> = {},
): Promise<unknown> {
  return sql.query(
    'INSERT INTO activity (id, account_id, kind, created_at, ip, user_agent, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [newId(random, 'act'), accountId, kind, now, ctx.ip, ctx.userAgent.slice(0, 512), JSON.stringify(detail)],
  );
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
