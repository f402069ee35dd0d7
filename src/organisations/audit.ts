import type { Deps } from '../deps.ts';
import { newId } from '../kernel/random.ts';
import type { Sql } from '../kernel/sql.ts';
import type { OrgAuditAction } from './audit-actions.ts';
import { insertOrgAudit, type OrgActorKind } from './store/audit.ts';

/** Who did something in an organisation: an operator, an admin (an account), an API token, the member, Mamori. */
export interface OrgActor {
  kind: OrgActorKind;
  id: string | null;
  name: string;
}

/**
 * Appends an entry to the organisation's audit log, in the caller's transaction (so an action and its entry
 * commit together). A refused attempt is recorded with `outcome: 'refused'` by the caller, outside the
 * rolled-back transaction. A done action of an admin, an API token or an operator is also raised as the
 * event `policy.changed` (a policy save) or `admin.action` (anything else), when `deps.emit` is given.
 */
export async function recordOrgAudit(
  deps: Pick<Deps, 'clock' | 'random'> & Partial<Pick<Deps, 'emit'>>,
  sql: Sql,
  e: {
    orgId: string;
    actor: OrgActor;
    action: OrgAuditAction;
    targetAccountId?: string | null;
    target?: string;
    outcome?: 'done' | 'refused';
    detail?: Record<string, unknown>;
  },
): Promise<void> {
  await insertOrgAudit(sql, {
    id: newId(deps.random, 'oau'),
    orgId: e.orgId,
    actorKind: e.actor.kind,
    actorId: e.actor.id,
    actorName: e.actor.name,
    action: e.action,
    targetAccountId: e.targetAccountId ?? null,
    target: e.target ?? '',
    outcome: e.outcome ?? 'done',
    detail: e.detail ?? {},
    createdAt: deps.clock.now(),
  });
  if (!deps.emit || (e.outcome ?? 'done') !== 'done') return;
  if (!['admin', 'token', 'operator'].includes(e.actor.kind)) return;
  const at = deps.clock.now();
  if (e.action === 'policy.changed')
    await deps.emit(sql, { type: 'policy.changed', orgId: e.orgId, at, version: Number(e.detail?.to ?? 0) });
  else
    await deps.emit(sql, {
      type: 'admin.action',
      orgId: e.orgId,
      at,
      action: e.action,
      targetAccountId: e.targetAccountId ?? null,
      actorKind: e.actor.kind,
    });
}
