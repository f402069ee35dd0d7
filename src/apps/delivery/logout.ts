import type { Deps } from '../../deps.ts';
import { newId } from '../../kernel/random.ts';
import type { Sql } from '../../kernel/sql.ts';
import { signalAfterCommit } from '../../kernel/unit-of-work.ts';
import {
  deleteAccountPayloads,
  deleteStaleSessionPayloads,
  insertAppDelivery,
  logoutClients,
  type RemovedPayload,
} from '../store/delivery-outbox.ts';
import { rememberRevokedClients } from './revoked-in-tx.ts';

/** The `events` member of a logout token (OpenID Connect Back-Channel Logout 1.0 §2.4). */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** How long a logout token is valid (seconds): `exp` = `iat` + this. */
export const LOGOUT_TOKEN_SECONDS = 120;

/**
 * A logout token's claims as stored in the outbox: `iat` and `exp` are set when it is signed at delivery
 * time. Never a `nonce` (Back-Channel Logout 1.0 §2.4). `sid` is always included.
 */
export interface StoredLogoutToken {
  iss: string;
  aud: string;
  jti: string;
  sub: string;
  sid: string;
  events: { [BACKCHANNEL_LOGOUT_EVENT]: Record<string, never> };
}

/** The (client, sid) pairs of the provider Sessions removed, as their `authorizations` name them. */
function authorizationsOf(removed: RemovedPayload[]): { clientId: string; sid: string }[] {
  const out = new Map<string, { clientId: string; sid: string }>();
  for (const row of removed) {
    if (row.model !== 'Session' || !row.payload) continue;
    const payload = typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload;
    const auths = (payload as { authorizations?: Record<string, { sid?: unknown }> }).authorizations ?? {};
    for (const [clientId, a] of Object.entries(auths)) {
      if (typeof a?.sid === 'string' && a.sid) out.set(`${clientId} ${a.sid}`, { clientId, sid: a.sid });
    }
  }
  return [...out.values()];
}

/** Enqueues one back-channel logout token per removed authorization whose client registered a logout URI. */
async function enqueueLogouts(
  deps: Pick<Deps, 'clock' | 'random' | 'cipher'>,
  issuer: string,
  tx: Sql,
  accountId: string,
  removed: RemovedPayload[],
): Promise<number> {
  const auths = authorizationsOf(removed);
  rememberRevokedClients(tx, accountId, [
    ...removed.flatMap((r) => (r.client_id ? [r.client_id] : [])),
    ...auths.map((a) => a.clientId),
  ]);
  if (auths.length === 0) return 0;
  const clients = new Map(
    (await logoutClients(tx, [...new Set(auths.map((a) => a.clientId))])).map((c) => [c.client_id, c]),
  );
  const now = deps.clock.now();
  let n = 0;
  for (const a of auths) {
    const client = clients.get(a.clientId);
    if (!client) continue;
    const jti = newId(deps.random, 'lgt');
    const token: StoredLogoutToken = {
      iss: issuer,
      aud: a.clientId,
      jti,
      sub: accountId,
      sid: a.sid,
      events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    };
    await insertAppDelivery(tx, {
      id: newId(deps.random, 'dlv'),
      reference: jti,
      accountId,
      orgId: client.org_id,
      kind: 'backchannel_logout',
      recipient: a.clientId,
      eventType: 'logout',
      bodyText: deps.cipher.encrypt(JSON.stringify(token)),
      headers: {},
      now,
    });
    n++;
  }
  if (n > 0) await signalAfterCommit(tx, 'app_deliveries');
  return n;
}

/**
 * Some of the account's Mamori sessions ended (or may have): every provider row bound to a Mamori session
 * that no longer exists is deleted with its grant's tokens, and a back-channel logout token is enqueued for
 * each removed provider session's client that registered a `backchannel_logout_uri`. In `tx`. Idempotent: a
 * mere step-up (sessions still there) removes nothing. Returns the logout tokens enqueued.
 */
export async function endAppSessionsOfEndedSessions(
  deps: Pick<Deps, 'clock' | 'random' | 'cipher'>,
  issuer: string,
  tx: Sql,
  accountId: string,
): Promise<number> {
  const removed = await deleteStaleSessionPayloads(tx, accountId);
  return enqueueLogouts(deps, issuer, tx, accountId, removed);
}

/**
 * The account was taken back or its access reset (password change or reset, "secure my account", an
 * organisation admin's "revoke all sessions", a temporary password): EVERY provider session, grant,
 * authorization code, access and refresh token of the account is deleted (offline ones too), and back-channel
 * logout tokens are enqueued as above. In `tx`. Returns the logout tokens enqueued.
 */
export async function revokeAllAppAccess(
  deps: Pick<Deps, 'clock' | 'random' | 'cipher'>,
  issuer: string,
  tx: Sql,
  accountId: string,
): Promise<number> {
  const removed = await deleteAccountPayloads(tx, accountId);
  return enqueueLogouts(deps, issuer, tx, accountId, removed);
}
