import type { Sql } from '../../kernel/sql.ts';

/** The organisations capability's statements on `org_audit`: append-only. */

export type OrgActorKind = 'operator' | 'admin' | 'token' | 'member' | 'system';

export interface OrgAuditEntry {
  id: string;
  orgId: string;
  actorKind: OrgActorKind;
  actorId: string | null;
  actorName: string;
  /** A stable action name (organisations/audit-actions.ts), ≤ 64 characters. */
  action: string;
  targetAccountId: string | null;
  /** What the action was about, as shown (an address, a domain), ≤ 200 characters. */
  target: string;
  outcome: 'done' | 'refused';
  /** Strings, or for a policy change its list of changes. */
  detail: Record<string, unknown>;
  createdAt: Date;
}

/** Appends an entry. */
export async function insertOrgAudit(sql: Sql, e: OrgAuditEntry): Promise<void> {
  await sql.query(
    `INSERT INTO org_audit (id, org_id, actor_kind, actor_id, actor_name, action, target_account_id, target, outcome,
                            detail, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      e.id,
      e.orgId,
      e.actorKind,
      e.actorId,
      e.actorName.slice(0, 200),
      e.action.slice(0, 64),
      e.targetAccountId,
      e.target.slice(0, 200),
      e.outcome,
      JSON.stringify(e.detail),
      e.createdAt,
    ],
  );
}

/** The organisation's latest entries, newest first; `before` (a seq) pages back. */
export async function listOrgAudit(
  sql: Sql,
  orgId: string,
  limit: number,
  before?: number,
): Promise<(OrgAuditEntry & { seq: number })[]> {
  const rows = await sql.query<{
    seq: string;
    id: string;
    org_id: string;
    actor_kind: OrgActorKind;
    actor_id: string | null;
    actor_name: string;
    action: string;
    target_account_id: string | null;
    target: string;
    outcome: 'done' | 'refused';
    detail: Record<string, unknown>;
    created_at: Date;
  }>(
    `SELECT seq, id, org_id, actor_kind, actor_id, actor_name, action, target_account_id, target, outcome, detail,
            created_at
     FROM org_audit WHERE org_id = $1 AND ($3::bigint IS NULL OR seq < $3) ORDER BY seq DESC LIMIT $2`,
    [orgId, limit, before ?? null],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    id: r.id,
    orgId: r.org_id,
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    actorName: r.actor_name,
    action: r.action,
    targetAccountId: r.target_account_id,
    target: r.target,
    outcome: r.outcome,
    detail: r.detail,
    createdAt: r.created_at,
  }));
}
