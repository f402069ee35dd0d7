import type { Sql } from '../../kernel/sql.ts';
import { findMember } from '../../organisations/store/members.ts';

/**
 * The store of deliveries to applications (table `app_deliveries`, migration 0022) as the delivery part writes
 * and reads them: enqueueing webhooks, Security Event Tokens and back-channel logout tokens in the change's
 * transaction, the endpoints they go to, and the delivery log. Bodies are stored as given (callers encrypt).
 */

/** Kinds of application delivery. */
export type AppDeliveryKind = 'webhook' | 'signal' | 'backchannel_logout';

/**
 * Writes one webhook delivery per enabled endpoint subscribed to `eventType` that may see it: the deployment's
 * endpoints (org_id NULL) always; an organisation's endpoints when `orgId` is theirs. One statement whether
 * or not it writes (`write` false: a rehearsal that stores nothing, for account-blind events). Each delivery's
 * reference (the `webhook-id`) is `referencePrefix` + `_` + the endpoint's id. Returns how many were written.
 */
export async function insertWebhookDeliveries(
  sql: Sql,
  d: {
    idPrefix: string;
    referencePrefix: string;
    accountId: string | null;
    orgId: string | null;
    eventType: string;
    bodyText: string;
    now: Date;
  },
  write = true,
): Promise<number> {
  const rows = await sql.query(
    `INSERT INTO app_deliveries (id, reference, account_id, org_id, kind, recipient, event_type, body_text,
       next_attempt_at, created_at, headers)
     SELECT $1 || '_' || e.id, $2 || '_' || e.id, $3, e.org_id, 'webhook', e.id, $5, $6, $7::timestamptz,
       $7::timestamptz, jsonb_build_object('webhook-id', $2 || '_' || e.id)
     FROM webhook_endpoints e
     WHERE $8::boolean AND e.disabled_at IS NULL AND e.events ? $5
       AND (e.org_id IS NULL OR e.org_id = $4)
     ORDER BY e.id
     RETURNING 1`,
    [d.idPrefix, d.referencePrefix, d.accountId, d.orgId, d.eventType, d.bodyText, d.now, write],
  );
  return rows.length;
}

/** One delivery to write with {@link insertAppDelivery}. */
export interface AppDeliveryInsert {
  id: string;
  reference: string;
  accountId: string | null;
  orgId: string | null;
  kind: AppDeliveryKind;
  recipient: string;
  eventType: string;
  bodyText: string;
  headers: Record<string, string>;
  now: Date;
}

/** Writes one pending delivery (due at `now`). */
export async function insertAppDelivery(sql: Sql, d: AppDeliveryInsert): Promise<void> {
  await sql.query(
    `INSERT INTO app_deliveries (id, reference, account_id, org_id, kind, recipient, event_type, body_text,
       next_attempt_at, created_at, headers)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10::jsonb)`,
    [
      d.id,
      d.reference,
      d.accountId,
      d.orgId,
      d.kind,
      d.recipient,
      d.eventType,
      d.bodyText,
      d.now,
      JSON.stringify(d.headers),
    ],
  );
}

/** The organisation an account is a member of, or null (organisations' own statement). */
export async function memberOrg(sql: Sql, accountId: string): Promise<string | null> {
  return (await findMember(sql, accountId))?.org_id ?? null;
}

/** A signal receiver that should hear about an account: its client has a grant for the account. */
export interface ReceiverRow {
  id: string;
  client_id: string;
  org_id: string | null;
}

/**
 * The enabled signal receivers subscribed to any of `eventUris` whose client is enabled and holds a grant for
 * `accountId` (an app is never told about a user who never used it), or is among `revokedClients` (its grant
 * was revoked earlier in the same transaction, by the change being told).
 */
export async function receiversForAccount(
  sql: Sql,
  accountId: string,
  eventUris: string[],
  revokedClients: string[] = [],
): Promise<(ReceiverRow & { events: string[] | string })[]> {
  return sql.query(
    `SELECT r.id, r.client_id, c.org_id, r.events
     FROM signal_receivers r JOIN app_clients c ON c.client_id = r.client_id
     WHERE r.disabled_at IS NULL AND c.disabled_at IS NULL AND r.events ?| $2::text[]
       AND (r.client_id = ANY($3::text[])
            OR EXISTS (SELECT 1 FROM oidc_payloads g
                       WHERE g.model = 'Grant' AND g.account_id = $1 AND g.payload->>'clientId' = r.client_id))
     ORDER BY r.id`,
    [accountId, eventUris, revokedClients],
  );
}

/** A provider row removed by {@link deleteStaleSessionPayloads} or {@link deleteAccountPayloads}. */
export interface RemovedPayload {
  model: string;
  id: string;
  /** The payload of a provider Session (its `authorizations`); null for other models. */
  payload: Record<string, unknown> | string | null;
  /** The client of a removed row, when its payload names one (`clientId`). */
  client_id: string | null;
}

/**
 * Deletes every provider row of the account bound to a Mamori session that no longer exists: the provider
 * Session, its grants and the codes and tokens issued under it. Rows the provider stored without a Mamori
 * session (an offline refresh token) stay until {@link deleteAccountPayloads}. Returns the removed rows
 * (Sessions with their payload).
 */
export async function deleteStaleSessionPayloads(sql: Sql, accountId: string): Promise<RemovedPayload[]> {
  return sql.query<RemovedPayload>(
    `DELETE FROM oidc_payloads p
     WHERE p.account_id = $1 AND p.mamori_session IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.public_id = p.mamori_session AND s.account_id = $1)
     RETURNING p.model, p.id, CASE WHEN p.model = 'Session' THEN p.payload END AS payload,
       p.payload->>'clientId' AS client_id`,
    [accountId],
  );
}

/**
 * Deletes every provider row of the account (sessions, grants, authorization codes, access and refresh tokens,
 * offline ones too) and every row of its grants. Returns the removed rows (Sessions with their payload).
 */
export async function deleteAccountPayloads(sql: Sql, accountId: string): Promise<RemovedPayload[]> {
  return sql.query<RemovedPayload>(
    `WITH grants AS (
       SELECT grant_id FROM oidc_payloads WHERE account_id = $1 AND grant_id IS NOT NULL
       UNION SELECT id FROM oidc_payloads WHERE account_id = $1 AND model = 'Grant'),
     gone AS (
       DELETE FROM oidc_payloads p
       WHERE p.account_id = $1 OR p.grant_id IN (SELECT grant_id FROM grants)
          OR (p.model = 'Grant' AND p.id IN (SELECT grant_id FROM grants))
       RETURNING p.model, p.id, p.payload)
     SELECT model, id, CASE WHEN model = 'Session' THEN payload END AS payload, payload->>'clientId' AS client_id
     FROM gone`,
    [accountId],
  );
}

/** A client's back-channel logout registration. */
export interface LogoutClientRow {
  client_id: string;
  org_id: string | null;
  metadata: { backchannel_logout_uri?: string; backchannel_logout_session_required?: boolean } | string;
}

/** The enabled clients among `clientIds` that registered a `backchannel_logout_uri`. */
export async function logoutClients(sql: Sql, clientIds: string[]): Promise<LogoutClientRow[]> {
  if (clientIds.length === 0) return [];
  return sql.query<LogoutClientRow>(
    `SELECT client_id, org_id, metadata FROM app_clients
     WHERE client_id = ANY($1::text[]) AND disabled_at IS NULL
       AND coalesce(metadata->>'backchannel_logout_uri', '') <> ''
     ORDER BY client_id`,
    [clientIds],
  );
}
