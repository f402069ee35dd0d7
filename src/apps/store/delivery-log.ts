import type { Sql } from '../../kernel/sql.ts';

/** One line of the delivery log (no body: it may name the account; the log shows facts only). */
export interface DeliveryLogRow {
  id: string;
  kind: string;
  recipient: string;
  org_id: string | null;
  event_type: string;
  status: 'pending' | 'sending' | 'sent' | 'parked';
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
  /** Where it goes: the endpoint's URL (webhook, signals receiver) or the client's logout URI. */
  target: string | null;
  /** The client's name (signals, logouts) or the webhook endpoint's description. */
  label: string | null;
}

/**
 * The newest deliveries, newest first, `limit` at most: every one (`orgId` undefined: the operator), or only
 * those to the endpoints of organisation `orgId`. `recipient`: one endpoint's only.
 */
export async function listDeliveryLog(
  sql: Sql,
  o: { orgId?: string; recipient?: string; limit: number },
): Promise<DeliveryLogRow[]> {
  return sql.query<DeliveryLogRow>(
    `SELECT d.id, d.kind, d.recipient, d.org_id, d.event_type, d.status, d.attempts, d.next_attempt_at,
       d.last_error, d.created_at, d.sent_at,
       coalesce(w.url, r.endpoint_url, c.metadata->>'backchannel_logout_uri') AS target,
       coalesce(nullif(w.description, ''), rc.name, c.name) AS label
     FROM app_deliveries d
     LEFT JOIN webhook_endpoints w ON d.kind = 'webhook' AND w.id = d.recipient
     LEFT JOIN signal_receivers r ON d.kind = 'signal' AND r.id = d.recipient
     LEFT JOIN app_clients rc ON rc.client_id = r.client_id
     LEFT JOIN app_clients c ON d.kind = 'backchannel_logout' AND c.client_id = d.recipient
     WHERE ($1::text IS NULL OR d.org_id = $1) AND ($2::text IS NULL OR d.recipient = $2)
     ORDER BY d.created_at DESC, d.seq DESC
     LIMIT $3`,
    [o.orgId ?? null, o.recipient ?? null, o.limit],
  );
}

/** A delivery as "send again" copies it (body still encrypted). */
export interface ResendSource {
  id: string;
  kind: 'webhook' | 'signal' | 'backchannel_logout';
  recipient: string;
  account_id: string | null;
  org_id: string | null;
  event_type: string;
  body_text: string;
  headers: Record<string, string> | string;
}

/** The delivery `id` (of organisation `orgId` when given), or null. */
export async function findResendSource(sql: Sql, id: string, orgId?: string): Promise<ResendSource | null> {
  const rows = await sql.query<ResendSource>(
    `SELECT id, kind, recipient, account_id, org_id, event_type, body_text, headers FROM app_deliveries
     WHERE id = $1 AND ($2::text IS NULL OR org_id = $2)`,
    [id, orgId ?? null],
  );
  return rows[0] ?? null;
}
