import type { Deps } from '../../deps.ts';
import { fail } from '../../kernel/errors.ts';
import type { Sql } from '../../kernel/sql.ts';
import type { AuditAction } from '../../operator/audit-actions.ts';
import { auditOperator } from '../../operator/operator-auth.ts';
import { recordOrgAudit } from '../../organisations/audit.ts';
import type { OrgAuditAction } from '../../organisations/audit-actions.ts';
import { findOrganisation, lockOrganisation } from '../../organisations/store/orgs.ts';
import { lockDeploymentRegistry } from '../store/registry-clients.ts';

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

/**
 * A registration by its id (a client, a webhook endpoint), read with `find` (locked when `lock`), if it is
 * within the actor's reach; otherwise `apps.not_found`, the same for an unknown id, an over-long one and
 * another organisation's.
 */
export async function reachable<R extends { org_id: string | null }>(
  sql: Sql,
  by: RegistryActor,
  id: unknown,
  find: (sql: Sql, id: string, lock: boolean) => Promise<R | undefined>,
  lock = false,
): Promise<R> {
  if (typeof id !== 'string' || id.length > 64) fail('apps.not_found');
  const row = await find(sql, id, lock);
  if (!row) fail('apps.not_found');
  requireReach(by, row.org_id);
  return row;
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

/**
 * A URL as the audit logs name it: without its query (a receiver's URL may carry a key in it, and readers of
 * the organisation's audit log must not learn it).
 */
export function auditUrl(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : `${url.slice(0, q)}?…`;
}

/**
 * Serialises registrations in one scope until the caller's transaction ends, so that a limit counted after it
 * holds under concurrent registrations: the organisation's row (its owner's lock), or for the deployment's own
 * (`orgId` null) an advisory lock. Errors: `apps.not_found` (no such organisation).
 */
export async function lockScope(tx: Sql, orgId: string | null): Promise<void> {
  if (orgId === null) return lockDeploymentRegistry(tx);
  if (!(await lockOrganisation(tx, orgId))) fail('apps.not_found');
}

/** The names of organisations by id (for the operator's list of every organisation's clients). */
export async function organisationNames(sql: Sql, ids: (string | null)[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((id): id is string => id !== null))];
  const rows = await Promise.all(unique.map((id) => findOrganisation(sql, id)));
  return new Map(rows.flatMap((r) => (r ? [[r.id, r.name] as [string, string]] : [])));
}
