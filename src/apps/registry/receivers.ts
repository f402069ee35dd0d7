import { fail } from '../../kernel/errors.ts';
import { newId } from '../../kernel/random.ts';
import { appsCipher } from '../cipher.ts';
import { findClientRow } from '../store/registry-clients.ts';
import {
  countActiveSignalReceivers,
  disableSignalReceiverRow,
  findSignalReceiverRow,
  insertSignalReceiver,
  listSignalReceiverRows,
  type SignalReceiverRow,
} from '../store/registry-receivers.ts';
import {
  auditRegistry,
  auditUrl,
  LIMITS,
  type RegistryActor,
  type RegistryDeps,
  requireReach,
} from './actor.ts';
import { checkAuthToken, checkSignalEvents } from './inputs.ts';
import { SIGNAL_EVENT_TYPES, type SignalEventType } from './signal-events.ts';
import { checkEndpointUrl } from './uris.ts';

/**
 * Shared-signals receivers of a client (OpenID Shared Signals Framework, push delivery of Security Event
 * Tokens per RFC 8935): where Mamori POSTs the CAEP/RISC events the receiver asked for (SIGNAL_EVENT_TYPES),
 * optionally with a bearer token the receiver expects (sealed at rest, never shown again). A receiver belongs
 * to a client, and so to the client's organisation.
 */

/** A receiver as the consoles show it (never its token). */
export interface SignalReceiverView {
  id: string;
  clientId: string;
  orgId: string | null;
  endpointUrl: string;
  hasAuthToken: boolean;
  events: SignalEventType[];
  createdAt: Date;
  disabledAt: Date | null;
}

const view = (r: SignalReceiverRow): SignalReceiverView => ({
  id: r.id,
  clientId: r.client_id,
  orgId: r.org_id,
  endpointUrl: r.endpoint_url,
  hasAuthToken: r.auth_token !== null,
  events: r.events as SignalEventType[],
  createdAt: r.created_at,
  disabledAt: r.disabled_at,
});

/**
 * Registers a receiver for the client `input.clientId` (within the actor's reach, not disabled). The URL as
 * `checkEndpointUrl`; `authToken` optional (16–512 characters of RFC 6750 `b64token`); at least one event of
 * SIGNAL_EVENT_TYPES. At most LIMITS.receiversPerClient active receivers per client. Audited.
 *
 * Errors: `apps.not_found`, `apps.disabled`, `apps.url_invalid`, `apps.url_not_allowed`,
 * `apps.auth_token_invalid`, `apps.events_invalid`, `apps.limit_reached`.
 */
export async function registerSignalReceiver(
  deps: RegistryDeps,
  by: RegistryActor,
  input: { clientId: string; endpointUrl: string; authToken?: string; events: string[] },
): Promise<{ id: string }> {
  const endpointUrl = checkEndpointUrl(input.endpointUrl, deps.config.apps.allowPrivateNetworks);
  const authToken = checkAuthToken(input.authToken);
  const events = checkSignalEvents(input.events, SIGNAL_EVENT_TYPES);
  const id = newId(deps.random, 'ssr');
  await deps.db.tx(async (tx) => {
    if (typeof input.clientId !== 'string' || input.clientId.length > 64) fail('apps.not_found');
    // The client's row, locked: receivers of one client are counted one registration at a time.
    const client = await findClientRow(tx, input.clientId, true);
    if (!client) fail('apps.not_found');
    requireReach(by, client.org_id);
    if (client.disabled_at) fail('apps.disabled');
    if ((await countActiveSignalReceivers(tx, client.client_id)) >= LIMITS.receiversPerClient)
      fail('apps.limit_reached', { limit: LIMITS.receiversPerClient });
    await insertSignalReceiver(tx, {
      id,
      clientId: client.client_id,
      endpointUrl,
      authToken: authToken === null ? null : appsCipher(deps.config.secret).encrypt(authToken),
      events,
      createdAt: deps.clock.now(),
    });
    await auditRegistry(
      deps,
      tx,
      by,
      client.org_id,
      { operator: 'apps.receiver_register', org: 'receiver.registered' },
      auditUrl(endpointUrl),
      { clientId: client.client_id, receiverId: id },
    );
  });
  return { id };
}

/**
 * Disables a receiver for good. Returns whether this call disabled it. Audited.
 * Errors: `apps.not_found` (unknown, or out of reach).
 */
export async function disableSignalReceiver(
  deps: RegistryDeps,
  by: RegistryActor,
  id: string,
): Promise<boolean> {
  if (typeof id !== 'string' || id.length > 64) fail('apps.not_found');
  return deps.db.tx(async (tx) => {
    const row = await findSignalReceiverRow(tx, id);
    if (!row) fail('apps.not_found');
    requireReach(by, row.org_id);
    if (!(await disableSignalReceiverRow(tx, row.id, deps.clock.now()))) return false;
    await auditRegistry(
      deps,
      tx,
      by,
      row.org_id,
      { operator: 'apps.receiver_disable', org: 'receiver.disabled' },
      auditUrl(row.endpoint_url),
      { clientId: row.client_id, receiverId: row.id },
    );
    return true;
  });
}

/** The receivers of a client, active first, newest first; never their tokens. */
export async function listSignalReceivers(
  deps: Pick<RegistryDeps, 'db'>,
  clientId: string,
): Promise<SignalReceiverView[]> {
  return (await listSignalReceiverRows(deps.db, clientId)).map(view);
}
