import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { appsCipher } from '../../src/apps/cipher.ts';
import { sha256 } from '../../src/kernel/crypto.ts';
import type { TestApp } from './harness.ts';

/**
 * Registrations inserted directly (the registry's services are another part's work): webhook endpoints,
 * clients, signal receivers, and provider sessions/grants/tokens as oidc-provider would store them.
 */

let n = 0;
const next = (prefix: string) => `${prefix}_${++n}_${randomBytes(4).toString('hex')}`;

/** A fresh Standard Webhooks secret: `whsec_` + base64 of 24 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export interface TestEndpoint {
  id: string;
  secret: string;
}

/** A webhook endpoint (deployment-wide unless `orgId`), subscribed to `events`. */
export async function webhookEndpoint(
  t: TestApp,
  o: {
    url: string;
    events: string[];
    orgId?: string | null;
    secret?: string;
    previousSecret?: string;
    previousUntil?: Date;
  },
): Promise<TestEndpoint> {
  const cipher = appsCipher(t.app.deps.config.secret);
  const id = next('whe');
  const secret = o.secret ?? newWebhookSecret();
  await t.app.deps.db.query(
    `INSERT INTO webhook_endpoints (id, org_id, url, events, secret, previous_secret, previous_until, created_at)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)`,
    [
      id,
      o.orgId ?? null,
      o.url,
      JSON.stringify(o.events),
      cipher.encrypt(secret),
      o.previousSecret ? cipher.encrypt(o.previousSecret) : null,
      o.previousUntil ?? null,
      t.clock.now(),
    ],
  );
  return { id, secret };
}

/** A registered client (confidential, code flow), with a back-channel logout URI when given. */
export async function appClient(
  t: TestApp,
  o: { orgId?: string | null; backchannelLogoutUri?: string; name?: string } = {},
): Promise<string> {
  const clientId = next('cli');
  const metadata = {
    redirect_uris: ['https://app.example.com/cb'],
    post_logout_redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    application_type: 'web',
    ...(o.backchannelLogoutUri
      ? { backchannel_logout_uri: o.backchannelLogoutUri, backchannel_logout_session_required: true }
      : {}),
  };
  await t.app.deps.db.query(
    `INSERT INTO app_clients (client_id, org_id, name, metadata, secret, created_at)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6)`,
    [
      clientId,
      o.orgId ?? null,
      o.name ?? 'Test app',
      JSON.stringify(metadata),
      appsCipher(t.app.deps.config.secret).encrypt('client-secret-never-sent'),
      t.clock.now(),
    ],
  );
  return clientId;
}

/** A shared-signals receiver of `clientId` (RFC 8935 push), with an optional bearer token. */
export async function signalReceiver(
  t: TestApp,
  o: { clientId: string; url: string; events: string[]; authToken?: string },
): Promise<string> {
  const id = next('ssr');
  await t.app.deps.db.query(
    `INSERT INTO signal_receivers (id, client_id, endpoint_url, auth_token, events, created_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6)`,
    [
      id,
      o.clientId,
      o.url,
      o.authToken ? appsCipher(t.app.deps.config.secret).encrypt(o.authToken) : null,
      JSON.stringify(o.events),
      t.clock.now(),
    ],
  );
  return id;
}

/** The account and the Mamori session (public id) behind a session token. */
export async function sessionOf(t: TestApp, token: string): Promise<{ accountId: string; publicId: string }> {
  const rows = await t.app.deps.db.query<{ account_id: string; public_id: string }>(
    'SELECT account_id, public_id FROM sessions WHERE id = $1',
    [sha256(token)],
  );
  const row = rows[0];
  if (!row) throw new Error('no such session');
  return { accountId: row.account_id, publicId: row.public_id };
}

export interface ProviderLogin {
  sid: string;
  grantId: string;
  sessionId: string;
  /** Opaque token values stored by the provider (the test scans payloads for them). */
  accessToken: string;
  refreshToken: string;
}

/**
 * What oidc-provider stores when an account signs in to `clientId` under Mamori session `mamoriSession`: a
 * provider Session (with `authorizations[clientId] = { sid, grantId }`), a Grant, an access token and a refresh
 * token. `offline`: the refresh token is not bound to the Mamori session (offline_access).
 */
export async function providerLogin(
  t: TestApp,
  o: { accountId: string; mamoriSession: string; clientId: string; offline?: boolean },
): Promise<ProviderLogin> {
  const sid = next('sid');
  const grantId = next('grt');
  const sessionId = next('pses');
  const accessToken = next('at');
  const refreshToken = next('rt');
  const exp = new Date(t.clock.now().getTime() + 3600_000);
  const rows: [string, string, Record<string, unknown>, string | null, string | null][] = [
    [
      'Session',
      sessionId,
      { accountId: o.accountId, authorizations: { [o.clientId]: { sid, grantId } }, uid: sessionId },
      null,
      o.mamoriSession,
    ],
    ['Grant', grantId, { accountId: o.accountId, clientId: o.clientId }, grantId, o.mamoriSession],
    [
      'AccessToken',
      accessToken,
      { accountId: o.accountId, clientId: o.clientId, grantId, sid },
      grantId,
      o.mamoriSession,
    ],
    [
      'RefreshToken',
      refreshToken,
      { accountId: o.accountId, clientId: o.clientId, grantId, sid },
      grantId,
      o.offline ? null : o.mamoriSession,
    ],
  ];
  for (const [model, id, payload, grant, mamori] of rows)
    await t.app.deps.db.query(
      `INSERT INTO oidc_payloads (model, id, payload, account_id, grant_id, uid, mamori_session, expires_at)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8)`,
      [model, id, JSON.stringify(payload), o.accountId, grant, model === 'Session' ? id : null, mamori, exp],
    );
  return { sid, grantId, sessionId, accessToken, refreshToken };
}

/** The provider rows left for the account, as `model:id`. */
export async function payloadsOf(t: TestApp, accountId: string): Promise<string[]> {
  const rows = await t.app.deps.db.query<{ model: string; id: string }>(
    'SELECT model, id FROM oidc_payloads WHERE account_id = $1 ORDER BY model, id',
    [accountId],
  );
  return rows.map((r) => `${r.model}:${r.id}`);
}

/** Every application delivery, oldest first. */
export async function appDeliveries(t: TestApp): Promise<
  {
    id: string;
    reference: string;
    kind: string;
    recipient: string;
    event_type: string;
    status: string;
    attempts: number;
    last_error: string | null;
    headers: Record<string, string>;
    org_id: string | null;
  }[]
> {
  return t.app.deps.db.query(
    `SELECT id, reference, kind, recipient, event_type, status, attempts, last_error, headers, org_id
     FROM app_deliveries ORDER BY seq`,
  );
}

/** Delivers every due application delivery. */
export async function drainApps(t: TestApp): Promise<void> {
  await t.app.appsDispatcher.drain();
}

/**
 * Checks a webhook body against its JSON Schema (docs/events/<type>.schema.json, draft-07, with ajv as
 * installed with Fastify). Returns the problems (empty when it validates).
 */
export function webhookSchemaProblems(body: string): string[] {
  const payload = JSON.parse(body) as { type?: unknown };
  if (typeof payload.type !== 'string' || !/^[a-z_]+\.[a-z_]+$/.test(payload.type)) return ['no type'];
  const file = new URL(`../../docs/events/${payload.type}.schema.json`, import.meta.url);
  if (!existsSync(file)) return [`no schema for ${payload.type}`];
  const validate =
    validators.get(payload.type) ?? ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object);
  validators.set(payload.type, validate);
  const type = payload.type;
  if (validate(payload)) return [];
  return (validate.errors ?? []).map((e) => `${type}${e.instancePath} ${e.message}`);
}
const ajv = new Ajv({
  strict: true,
  allErrors: true,
  formats: { 'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/ },
});
const validators = new Map<string, ValidateFunction>();
