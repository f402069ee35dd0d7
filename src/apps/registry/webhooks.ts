import { fail } from '../../kernel/errors.ts';
import { newId } from '../../kernel/random.ts';
import type { Sql } from '../../kernel/sql.ts';
import { appsCipher } from '../cipher.ts';
import {
  countActiveWebhookEndpoints,
  disableWebhookEndpointRow,
  findWebhookEndpointRow,
  insertWebhookEndpoint,
  listWebhookEndpointRows,
  rotateWebhookSecretRow,
  type WebhookEndpointRow,
} from '../store/registry-webhooks.ts';
import {
  auditRegistry,
  auditUrl,
  LIMITS,
  lockScope,
  type RegistryActor,
  type RegistryDeps,
  reachable,
  requireReach,
} from './actor.ts';
import { checkDescription, checkWebhookEvents } from './inputs.ts';
import { checkEndpointUrl } from './uris.ts';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './webhook-events.ts';

/**
 * Webhook endpoints (Standard Webhooks 1.0; docs/flows/apps-registry.md): an HTTPS URL that receives the
 * events it subscribed to (WEBHOOK_EVENT_TYPES), each signed with the endpoint's secret. The secret is
 * `whsec_` + the base64 of 32 random bytes (the format Standard Webhooks libraries read), sealed at rest and
 * shown once. A rotation keeps the previous secret for PREVIOUS_SECRET_HOURS: meanwhile the delivery part
 * signs with both, so a receiver can switch without losing a message.
 */

/** The prefix of a webhook secret (Standard Webhooks). */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** How long the previous secret still signs after a rotation, in hours. */
export const PREVIOUS_SECRET_HOURS = 24;
const SECRET_BYTES = 32;

/** An endpoint as the consoles show it (never its secrets). */
export interface WebhookEndpointView {
  id: string;
  orgId: string | null;
  url: string;
  description: string;
  events: WebhookEventType[];
  createdAt: Date;
  disabledAt: Date | null;
  /** Until when the previous secret still signs (after a rotation), or null. */
  previousUntil: Date | null;
}

const view = (r: WebhookEndpointRow, now: Date): WebhookEndpointView => ({
  id: r.id,
  orgId: r.org_id,
  url: r.url,
  description: r.description,
  events: r.events as WebhookEventType[],
  createdAt: r.created_at,
  disabledAt: r.disabled_at,
  previousUntil: r.previous_until && r.previous_until > now ? r.previous_until : null,
});

function newSecret(deps: RegistryDeps): string {
  return `${WEBHOOK_SECRET_PREFIX}${deps.random.bytes(SECRET_BYTES).toString('base64')}`;
}

async function reachableEndpoint(
  sql: Sql,
  by: RegistryActor,
  id: unknown,
  lock = false,
): Promise<WebhookEndpointRow> {
  return reachable(sql, by, id, findWebhookEndpointRow, lock);
}

/**
 * Registers a webhook endpoint in `input.orgId` (null: the deployment's own). The URL as `checkEndpointUrl`,
 * the description 0–200 characters, at least one event of WEBHOOK_EVENT_TYPES. At most
 * LIMITS.webhookEndpointsPerScope active endpoints per scope (counted under the scope's lock). Audited.
 * Returns the endpoint's id and its secret, to be shown once.
 *
 * Errors: `apps.not_found`, `apps.url_invalid`, `apps.url_not_allowed`, `apps.description_invalid`,
 * `apps.events_invalid`, `apps.limit_reached`.
 */
export async function registerWebhookEndpoint(
  deps: RegistryDeps,
  by: RegistryActor,
  input: { orgId: string | null; url: string; description: string; events: string[] },
): Promise<{ id: string; secret: string }> {
  const orgId = input.orgId ?? null;
  requireReach(by, orgId);
  const url = checkEndpointUrl(input.url, deps.config.apps.allowPrivateNetworks);
  const description = checkDescription(input.description);
  const events = checkWebhookEvents(input.events, WEBHOOK_EVENT_TYPES);
  const id = newId(deps.random, 'whe');
  const secret = newSecret(deps);
  const sealed = appsCipher(deps.config.secret).encrypt(secret);
  await deps.db.tx(async (tx) => {
    await lockScope(tx, orgId);
    if ((await countActiveWebhookEndpoints(tx, orgId)) >= LIMITS.webhookEndpointsPerScope)
      fail('apps.limit_reached', { limit: LIMITS.webhookEndpointsPerScope });
    await insertWebhookEndpoint(tx, {
      id,
      orgId,
      url,
      description,
      events,
      secret: sealed,
      createdBy: by.id,
      createdAt: deps.clock.now(),
    });
    await auditRegistry(
      deps,
      tx,
      by,
      orgId,
      { operator: 'apps.webhook_register', org: 'webhook.registered' },
      auditUrl(url),
      { endpointId: id, events: events.join(' ') },
    );
  });
  return { id, secret };
}

/**
 * Gives an endpoint a new secret. The current one becomes `previous_secret` and still signs until now +
 * PREVIOUS_SECRET_HOURS (a second rotation within that window replaces it: only the secret in use just before
 * the rotation is kept). Returns the new secret, to be shown once. Audited.
 *
 * Errors: `apps.not_found`, `apps.disabled`.
 */
export async function rotateWebhookSecret(
  deps: RegistryDeps,
  by: RegistryActor,
  id: string,
): Promise<string> {
  const secret = newSecret(deps);
  const sealed = appsCipher(deps.config.secret).encrypt(secret);
  await deps.db.tx(async (tx) => {
    const row = await reachableEndpoint(tx, by, id, true);
    if (row.disabled_at) fail('apps.disabled');
    const previousUntil = new Date(deps.clock.now().getTime() + PREVIOUS_SECRET_HOURS * 3_600_000);
    await rotateWebhookSecretRow(tx, row.id, { secret: sealed, previousSecret: row.secret, previousUntil });
    await auditRegistry(
      deps,
      tx,
      by,
      row.org_id,
      { operator: 'apps.webhook_secret_rotate', org: 'webhook.secret_rotated' },
      auditUrl(row.url),
      { endpointId: row.id, previousUntil: previousUntil.toISOString() },
    );
  });
  return secret;
}

/**
 * Disables an endpoint for good (nothing more is sent to it). Returns whether this call disabled it. Audited.
 * Errors: `apps.not_found`.
 */
export async function disableWebhookEndpoint(
  deps: RegistryDeps,
  by: RegistryActor,
  id: string,
): Promise<boolean> {
  return deps.db.tx(async (tx) => {
    const row = await reachableEndpoint(tx, by, id, true);
    if (!(await disableWebhookEndpointRow(tx, row.id, deps.clock.now()))) return false;
    await auditRegistry(
      deps,
      tx,
      by,
      row.org_id,
      { operator: 'apps.webhook_disable', org: 'webhook.disabled' },
      auditUrl(row.url),
      { endpointId: row.id },
    );
    return true;
  });
}

/** The endpoints of `orgId` (null: the deployment's own), active first, newest first; never their secrets. */
export async function listWebhookEndpoints(
  deps: Pick<RegistryDeps, 'db' | 'clock'>,
  orgId: string | null,
): Promise<WebhookEndpointView[]> {
  const now = deps.clock.now();
  return (await listWebhookEndpointRows(deps.db, orgId)).map((r) => view(r, now));
}

/**
 * The secrets an endpoint signs with now (Standard Webhooks: one `v1,` signature per secret): the current one,
 * and the previous one while its `previous_until` has not passed. For the delivery part; null when unknown or
 * disabled.
 */
export async function webhookSigningSecrets(
  deps: Pick<RegistryDeps, 'db' | 'clock' | 'config'>,
  id: string,
): Promise<string[] | null> {
  const row = await findWebhookEndpointRow(deps.db, id);
  if (!row || row.disabled_at) return null;
  const cipher = appsCipher(deps.config.secret);
  const secrets = [cipher.decrypt(row.secret)];
  if (row.previous_secret && row.previous_until && row.previous_until > deps.clock.now())
    secrets.push(cipher.decrypt(row.previous_secret));
  return secrets;
}
