import type { Deps } from '../../deps.ts';
import { fail } from '../../kernel/errors.ts';
import type { Sql } from '../../kernel/sql.ts';
import type { AuditAction } from '../../operator/audit-actions.ts';
import { auditOperator } from '../../operator/operator-auth.ts';
import { recordOrgAudit } from '../../organisations/audit.ts';
import type { OrgAuditAction } from '../../organisations/audit-actions.ts';

/**
 * Who registers: an operator (the whole deployment, and any organisation's registrations), or an
 * organisation admin (only their organisation's: `orgId`). `name` is what the audit logs show (the operator's
 * name, the admin's email); the id when absent.
 */
export type RegistryActor =
  | { kind: 'operator'; id: string; name?: string }
  | { kind: 'org_admin'; id: string; orgId: string; name?: string };

/** Who may register what, and how much: per scope (an organisation, or the deployment's own). */
export const LIMITS = { clientsPerScope: 50, webhookEndpointsPerScope: 20, receiversPerClient: 5 } as const;

export type RegistryDeps = Pick<Deps, 'db' | 'clock' | 'random' | 'config'>;

/**
 * Refuses a registration outside the actor's reach as if it did not exist (`apps.not_found`): an organisation
 * admin reaches only their organisation's; an operator reaches all.
 */
export function requireReach(by: RegistryActor, orgId: string | null): void {
  if (by.kind === 'org_admin' && orgId !== by.orgId) fail('apps.not_found');
}

/** The pair of audit actions of one registry change: the operator log's and the organisation log's. */
export interface RegistryAudit {
  operator: AuditAction;
  org: OrgAuditAction;
}

/**
 * Writes a change to the audit logs, in the caller's transaction: the operator audit log when an operator made
 * it, the organisation's audit log when it concerns an organisation's registration. `target` is the
 * registration's name or URL (cut to 200 characters); `detail` never holds a secret.
 */
export async function auditRegistry(
  deps: Pick<Deps, 'clock' | 'random'>,
  tx: Sql,
  by: RegistryActor,
  orgId: string | null,
  action: RegistryAudit,
  target: string,
  detail: Record<string, string>,
): Promise<void> {
  const name = by.name ?? by.id;
  if (by.kind === 'operator') {
    await auditOperator(
      tx,
      { id: by.id, name, role: 'admin' },
      action.operator,
      target,
      orgId ? { ...detail, orgId } : detail,
      deps.clock.now(),
    );
  }
  if (orgId !== null) {
    await recordOrgAudit(deps, tx, {
      orgId,
      actor: { kind: by.kind === 'operator' ? 'operator' : 'admin', id: by.id, name },
      action: action.org,
      target,
      detail,
    });
  }
}
