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
 * rolled-back transaction.
 */
export async function recordOrgAudit(
  deps: Pick<Deps, 'clock' | 'random'>,
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
}
