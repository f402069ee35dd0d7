import { Webhook } from 'standardwebhooks';
import type { Deps } from '../../deps.ts';
import {
  type AppDelivery,
  type DeliveryAttempt,
  type HttpDelivery,
  PermanentDeliveryError,
  TemporaryDeliveryError,
} from '../../notifications/ports.ts';
import { appsCipher } from '../cipher.ts';
import type { ProviderSigner } from '../model.ts';
import { findLogoutUri, findSignalTarget, findWebhookTarget } from '../store/delivery-endpoints.ts';
import { LOGOUT_TOKEN_SECONDS, type StoredLogoutToken } from './logout.ts';
import { RefusedTargetError, safePost } from './safe-post.ts';
import type { StoredSet } from './signals.ts';

/** At most this much of an endpoint's answer is read (bytes). */
const MAX_RESPONSE_BYTES = 4096;

/** One request ready to go: where, what, and how to read the answer. */
interface Prepared {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** RFC 8935 §2.3: a 400 carries `{ err, description }`. */
  setPush: boolean;
}

/**
 * The `webhook-signature` header (Standard Webhooks): `v1,<base64 HMAC-SHA256>` with the current secret, and
 * during a rotation (until `previous_until`) a second one with the previous secret, space-separated.
 */
export function webhookSignature(
  secrets: string[],
  webhookId: string,
  timestamp: Date,
  payload: string,
): string {
  return secrets.map((s) => new Webhook(s).sign(webhookId, timestamp, payload)).join(' ');
}

/** A short, secret-free description of an endpoint's refusal (status and, for a SET push, its `err`). */
function refusal(status: number, body: string, setPush: boolean): string {
  let err = '';
  if (setPush && status === 400) {
    try {
      const parsed = JSON.parse(body) as { err?: unknown };
      if (typeof parsed.err === 'string' && /^[a-z_]{1,40}$/.test(parsed.err)) err = ` (err: ${parsed.err})`;
    } catch {
      // not JSON: the status says enough
    }
  }
  return `HTTP ${status}${err}`;
}

/**
 * Sends webhooks (Standard Webhooks 1.0, signed with the endpoint's secret(s) at send time), Security Event
 * Tokens (RFC 8417, pushed per RFC 8935, signed at send time with the provider's key, `typ: secevent+jwt`) and
 * back-channel logout tokens (OpenID Connect Back-Channel Logout 1.0, `typ: logout+jwt`, form-encoded
 * `logout_token`). The endpoint is read at send time. HTTP is sent by {@link safePost} (SSRF defence, no
 * redirects, at most 4 KiB of the answer read). Outcome: 2xx delivered; 408, 429 and 5xx
 * `TemporaryDeliveryError` (retried); any other status, a refused target or a disabled endpoint
 * `PermanentDeliveryError` (parked); a network error after connecting leaves the outcome unknown (retried).
 */
export function appsHttpDelivery(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'cipher' | 'log'>,
  signer: ProviderSigner,
): HttpDelivery {
  const secrets = appsCipher(deps.config.secret);

  async function prepare(d: AppDelivery): Promise<Prepared> {
    const now = deps.clock.now();
    const iat = Math.floor(now.getTime() / 1000);
    if (d.kind === 'webhook') {
      const e = await findWebhookTarget(deps.db, d.recipient);
      if (!e || e.disabled_at) throw new PermanentDeliveryError('the webhook endpoint is disabled or gone');
      const keys = [secrets.decrypt(e.secret)];
      if (e.previous_secret && e.previous_until && new Date(e.previous_until).getTime() > now.getTime())
        keys.push(secrets.decrypt(e.previous_secret));
      const id = d.headers['webhook-id'] ?? d.reference;
      return {
        url: e.url,
        body: d.body,
        setPush: false,
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(iat),
          'webhook-signature': webhookSignature(keys, id, now, d.body),
        },
      };
    }
    if (d.kind === 'signal') {
      const r = await findSignalTarget(deps.db, d.recipient);
      if (!r || r.disabled_at || r.client_disabled_at)
        throw new PermanentDeliveryError('the signal receiver or its client is disabled or gone');
      const stored = JSON.parse(d.body) as StoredSet;
      const set = {
        ...stored,
        iss: signer.issuer,
        iat,
        sub_id: { ...stored.sub_id, iss: signer.issuer },
      };
      const headers: Record<string, string> = {
        'content-type': 'application/secevent+jwt',
        accept: 'application/json',
      };
      if (r.auth_token) headers.authorization = `Bearer ${secrets.decrypt(r.auth_token)}`;
      return {
        url: r.endpoint_url,
        body: await signer.signJwt(set, 'secevent+jwt'),
        setPush: true,
        headers,
      };
    }
    if (d.kind === 'backchannel_logout') {
      const uri = await findLogoutUri(deps.db, d.recipient);
      if (!uri) throw new PermanentDeliveryError('the client is disabled or has no back-channel logout URI');
      const stored = JSON.parse(d.body) as StoredLogoutToken;
      const token = await signer.signJwt(
        { ...stored, iss: signer.issuer, iat, exp: iat + LOGOUT_TOKEN_SECONDS },
        'logout+jwt',
      );
      return {
        url: uri,
        body: new URLSearchParams({ logout_token: token }).toString(),
        setPush: false,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      };
    }
    throw new PermanentDeliveryError(`unknown application delivery kind ${d.kind.slice(0, 40)}`);
  }

  return {
    timeoutMs: deps.config.apps.deliveryTimeoutSeconds * 1000,
    async send(d: AppDelivery, attempt: DeliveryAttempt) {
      const p = await prepare(d);
      let res: { status: number; body: string };
      try {
        res = await safePost(p.url, {
          headers: { 'user-agent': 'Mamori-Delivery/1', ...p.headers },
          body: p.body,
          signal: attempt.signal,
          allowPrivateNetworks: deps.config.apps.allowPrivateNetworks,
          maxResponseBytes: MAX_RESPONSE_BYTES,
          beforeTransmit: () => attempt.beforeTransmit(),
        });
      } catch (e) {
        if (e instanceof RefusedTargetError) throw new PermanentDeliveryError(e.message);
        throw e;
      }
      if (res.status >= 200 && res.status < 300) return;
      const why = refusal(res.status, res.body, p.setPush);
      if (res.status === 408 || res.status === 429 || res.status >= 500)
        throw new TemporaryDeliveryError(why);
      throw new PermanentDeliveryError(why);
    },
  };
}
