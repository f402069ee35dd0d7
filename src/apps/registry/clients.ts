import { fail } from '../../kernel/errors.ts';
import { newId, token } from '../../kernel/random.ts';
import type { Sql } from '../../kernel/sql.ts';
import { appsCipher } from '../cipher.ts';
import type { AppClient, ClientMetadata } from '../model.ts';
import {
  type ClientRow,
  countActiveClients,
  disableClientRow,
  findClientRow,
  insertClient,
  listClientRows,
  setClientSecret,
  updateClientRow,
} from '../store/registry-clients.ts';
import {
  auditRegistry,
  LIMITS,
  lockScope,
  organisationNames,
  type RegistryActor,
  type RegistryDeps,
  reachable,
  requireReach,
} from './actor.ts';
import { checkClientType, checkName } from './inputs.ts';
import { checkEndpointUrl, checkRedirectUris } from './uris.ts';

/**
 * Relying applications: OpenID Connect clients (OpenID Connect Core 1.0 §2, Dynamic Client Registration 1.0
 * §2 metadata names; docs/flows/apps-registry.md). A client is `confidential` (a server that keeps a secret:
 * `client_secret_basic`) or `public` (a native or browser app: no secret, PKCE, RFC 8252). The client_id is
 * `app_` + 96 random bits; a confidential client's secret is 256 random bits in base64url, sealed at rest with
 * the apps cipher and shown once.
 */

/** The prefix of every client_id. */
export const CLIENT_ID_PREFIX = 'app_';

export type ClientType = 'confidential' | 'public';

/** A client as the consoles show it (never its secret). */
export interface ClientView {
  clientId: string;
  orgId: string | null;
  orgName: string | null;
  name: string;
  type: ClientType;
  metadata: ClientMetadata;
  createdAt: Date;
  disabledAt: Date | null;
}

/** What a registration or a change carries (`registerClient`, `updateClient`). */
export interface ClientInput {
  orgId: string | null;
  name: string;
  type: ClientType;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  backchannelLogoutUri?: string;
}

const typeOf = (m: ClientMetadata): ClientType =>
  m.token_endpoint_auth_method === 'none' ? 'public' : 'confidential';

const view = (r: ClientRow, orgNames: Map<string, string>): ClientView => ({
  clientId: r.client_id,
  orgId: r.org_id,
  orgName: r.org_id === null ? null : (orgNames.get(r.org_id) ?? null),
  name: r.name,
  type: typeOf(r.metadata),
  metadata: r.metadata,
  createdAt: r.created_at,
  disabledAt: r.disabled_at,
});

/**
 * The client metadata of a checked input. A public client whose redirect URIs are all loopback or private-use
 * scheme URIs is a `native` application (RFC 8252), otherwise `web`.
 */
function metadataOf(
  deps: RegistryDeps,
  type: ClientType,
  input: { redirectUris: unknown; postLogoutRedirectUris?: unknown; backchannelLogoutUri?: unknown },
): ClientMetadata {
  const redirect = checkRedirectUris(input.redirectUris, type, 1);
  const postLogout = checkRedirectUris(input.postLogoutRedirectUris ?? [], type, 0);
  const backchannel =
    input.backchannelLogoutUri === undefined ||
    input.backchannelLogoutUri === null ||
    input.backchannelLogoutUri === ''
      ? undefined
      : checkEndpointUrl(input.backchannelLogoutUri, deps.config.apps.allowPrivateNetworks);
  const native = type === 'public' && redirect.every((u) => !u.startsWith('https:'));
  return {
    redirect_uris: redirect,
    post_logout_redirect_uris: postLogout,
    ...(backchannel
      ? { backchannel_logout_uri: backchannel, backchannel_logout_session_required: true }
      : {}),
    token_endpoint_auth_method: type === 'public' ? 'none' : 'client_secret_basic',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    application_type: native ? 'native' : 'web',
  };
}

/** The client `clientId` within the actor's reach, locked when `lock`. Errors: `apps.not_found`. */
async function reachableClient(
  sql: Sql,
  by: RegistryActor,
  clientId: unknown,
  lock = false,
): Promise<ClientRow> {
  return reachable(sql, by, clientId, findClientRow, lock);
}

/**
 * Registers a client in `input.orgId` (null: the deployment's own; an organisation admin only in their own
 * organisation). Every field is checked as hostile input (uris.ts, inputs.ts). At most LIMITS.clientsPerScope
 * active clients per scope, counted under the scope's lock (concurrent registrations cannot pass it). Audited.
 *
 * Returns the client_id and, for a confidential client, its secret in clear — to be shown once and never
 * again (null for a public client).
 *
 * Errors: `apps.not_found` (an organisation out of reach or unknown), `apps.name_invalid`,
 * `apps.client_type_invalid`, `apps.redirect_uri_invalid`, `apps.redirect_uris_count`, `apps.url_invalid`,
 * `apps.url_not_allowed` (back-channel logout URI), `apps.limit_reached`.
 */
export async function registerClient(
  deps: RegistryDeps,
  by: RegistryActor,
  input: ClientInput,
): Promise<{ clientId: string; secret: string | null }> {
  const orgId = input.orgId ?? null;
  requireReach(by, orgId);
  const name = checkName(input.name);
  const type = checkClientType(input.type);
  const metadata = metadataOf(deps, type, input);
  const clientId = newId(deps.random, 'app');
  const secret = type === 'confidential' ? token(deps.random, 32) : null;
  const sealed = secret === null ? null : appsCipher(deps.config.secret).encrypt(secret);
  await deps.db.tx(async (tx) => {
    await lockScope(tx, orgId);
    if ((await countActiveClients(tx, orgId)) >= LIMITS.clientsPerScope)
      fail('apps.limit_reached', { limit: LIMITS.clientsPerScope });
    await insertClient(tx, {
      clientId,
      orgId,
      name,
      metadata,
      secret: sealed,
      createdBy: by.id,
      createdAt: deps.clock.now(),
    });
    await auditRegistry(
      deps,
      tx,
      by,
      orgId,
      { operator: 'apps.client_register', org: 'app.registered' },
      name,
      { clientId, type },
    );
  });
  return { clientId, secret };
}

/**
 * Changes a client's name, redirect URIs, post-logout redirect URIs or back-channel logout URI (the fields
 * given; `backchannelLogoutUri: ''` removes it). The type and client_id never change. Audited, with the
 * redirect URIs before and after (they decide where codes go).
 *
 * Errors: as `registerClient`, and `apps.not_found` (unknown or out of reach), `apps.disabled`.
 */
export async function updateClient(
  deps: RegistryDeps,
  by: RegistryActor,
  clientId: string,
  input: Partial<
    Pick<ClientInput, 'name' | 'redirectUris' | 'postLogoutRedirectUris' | 'backchannelLogoutUri'>
  >,
): Promise<ClientView> {
  return deps.db.tx(async (tx) => {
    const row = await reachableClient(tx, by, clientId, true);
    if (row.disabled_at) fail('apps.disabled');
    const m = row.metadata;
    const name = input.name === undefined ? row.name : checkName(input.name);
    const metadata = metadataOf(deps, typeOf(m), {
      redirectUris: input.redirectUris ?? m.redirect_uris,
      postLogoutRedirectUris: input.postLogoutRedirectUris ?? m.post_logout_redirect_uris,
      backchannelLogoutUri:
        input.backchannelLogoutUri === undefined ? m.backchannel_logout_uri : input.backchannelLogoutUri,
    });
    await updateClientRow(tx, row.client_id, { name, metadata });
    await auditRegistry(
      deps,
      tx,
      by,
      row.org_id,
      { operator: 'apps.client_update', org: 'app.updated' },
      name,
      {
        clientId: row.client_id,
        redirectUrisBefore: m.redirect_uris.join(' ').slice(0, 1000),
        redirectUrisAfter: metadata.redirect_uris.join(' ').slice(0, 1000),
      },
    );
    return view({ ...row, name, metadata }, await organisationNames(tx, [row.org_id]));
  });
}

/**
 * Gives a confidential client a new secret; the old one stops working at once (the provider reads the
 * client's secret on every token request). Returns the new secret, to be shown once. Audited.
 *
 * Errors: `apps.not_found`, `apps.disabled`, `apps.client_type_invalid` (a public client has no secret).
 */
export async function rotateClientSecret(
  deps: RegistryDeps,
  by: RegistryActor,
  clientId: string,
): Promise<string> {
  const secret = token(deps.random, 32);
  const sealed = appsCipher(deps.config.secret).encrypt(secret);
  await deps.db.tx(async (tx) => {
    const row = await reachableClient(tx, by, clientId, true);
    if (row.disabled_at) fail('apps.disabled');
    if (typeOf(row.metadata) !== 'confidential') fail('apps.client_type_invalid');
    await setClientSecret(tx, row.client_id, sealed);
    await auditRegistry(
      deps,
      tx,
      by,
      row.org_id,
      { operator: 'apps.client_secret_rotate', org: 'app.secret_rotated' },
      row.name,
      { clientId: row.client_id },
    );
  });
  return secret;
}

/**
 * Disables a client for good (no sign-in, no token; its signal receivers stop too). Returns whether this call
 * disabled it (false when it already was). Audited.
 *
 * Errors: `apps.not_found`.
 */
export async function disableClient(
  deps: RegistryDeps,
  by: RegistryActor,
  clientId: string,
): Promise<boolean> {
  return deps.db.tx(async (tx) => {
    const row = await reachableClient(tx, by, clientId, true);
    if (!(await disableClientRow(tx, row.client_id, deps.clock.now()))) return false;
    await auditRegistry(
      deps,
      tx,
      by,
      row.org_id,
      { operator: 'apps.client_disable', org: 'app.disabled' },
      row.name,
      { clientId: row.client_id },
    );
    return true;
  });
}

/**
 * The clients of `orgId` (null: the deployment's own; `'all'`: every scope, for operators), active first,
 * newest first, at most 500. Never their secrets.
 */
export async function listClients(
  deps: Pick<RegistryDeps, 'db'>,
  orgId: string | null | 'all',
): Promise<ClientView[]> {
  const rows = await listClientRows(deps.db, orgId);
  const names = await organisationNames(
    deps.db,
    rows.map((r) => r.org_id),
  );
  return rows.map((r) => view(r, names));
}

/** One client within the actor's reach. Errors: `apps.not_found` (unknown, or another organisation's). */
export async function getClient(
  deps: Pick<RegistryDeps, 'db'>,
  by: RegistryActor,
  clientId: unknown,
): Promise<ClientView> {
  const row = await reachableClient(deps.db, by, clientId);
  return view(row, await organisationNames(deps.db, [row.org_id]));
}

/**
 * The client as the OpenID Connect provider needs it, its secret decrypted, or null when unknown. A disabled
 * client is returned with `disabled: true` (the provider refuses it).
 */
export async function clientForProvider(
  deps: Pick<RegistryDeps, 'db' | 'config'>,
  clientId: string,
): Promise<AppClient | null> {
  if (clientId.length > 64) return null;
  const row = await findClientRow(deps.db, clientId);
  if (!row) return null;
  return {
    clientId: row.client_id,
    orgId: row.org_id,
    name: row.name,
    metadata: row.metadata,
    secret: row.secret === null ? null : appsCipher(deps.config.secret).decrypt(row.secret),
    disabled: row.disabled_at !== null,
  };
}
