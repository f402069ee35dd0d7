import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeProtectedHeader, importJWK, type JWK, type JWTPayload, jwtVerify } from 'jose';
import { Webhook } from 'standardwebhooks';

/** One request a receiver got. */
export interface Received {
  /** When it arrived, by the receiver's clock (the test's clock when given). */
  at: Date;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A real HTTP receiver of application deliveries (node:http on 127.0.0.1). `mode`: `ok` answers `status`
 * (default 200; a SET push gets 202), `slow` never answers (the request hangs until the sender gives up).
 * Per-path answers can be set with `answer(path, status, body)`.
 */
export interface Receiver {
  url: string;
  received: Received[];
  /** Requests to `path`. */
  at(path: string): Received[];
  answer(path: string, status: number | 'slow', body?: string): void;
  close(): Promise<void>;
}

export async function startReceiver(o: { now?: () => Date } = {}): Promise<Receiver> {
  const now = o.now ?? (() => new Date());
  const received: Received[] = [];
  const answers = new Map<string, { status: number | 'slow'; body: string }>();
  const hanging = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ at: now(), path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const a = answers.get(path) ?? { status: path.startsWith('/sse') ? 202 : 200, body: '' };
      if (a.status === 'slow') {
        hanging.add(res);
        return;
      }
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    at: (path) => received.filter((r) => r.path === path),
    answer(path, status, body = '') {
      answers.set(path, { status, body });
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A URL where nothing listens (connection refused): a port that was just freed. */
export async function downUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return `http://127.0.0.1:${port}/down`;
}

/**
 * Verifies a webhook with the `standardwebhooks` library (throws if no signature matches or the timestamp is
 * more than 5 minutes from the time it arrived, `r.at`: the library reads `Date.now()`, pinned here to it).
 */
export function verifyWebhook(
  secret: string,
  r: Received,
): { type: string; timestamp: string; data: Record<string, unknown> } {
  const headers = {
    'webhook-id': String(r.headers['webhook-id']),
    'webhook-timestamp': String(r.headers['webhook-timestamp']),
    'webhook-signature': String(r.headers['webhook-signature']),
  };
  const realNow = Date.now;
  Date.now = () => r.at.getTime();
  try {
    return new Webhook(secret).verify(r.body, headers) as {
      type: string;
      timestamp: string;
      data: Record<string, unknown>;
    };
  } finally {
    Date.now = realNow;
  }
}

async function keySet(jwks: { keys: JWK[] }) {
  return async (header: { kid?: string }) => {
    const jwk = jwks.keys.find((k) => k.kid === header.kid);
    if (!jwk) throw new Error('unknown kid');
    return importJWK(jwk, 'RS256');
  };
}

/**
 * Verifies a Security Event Token (RFC 8417) pushed per RFC 8935: media type, `typ: secevent+jwt`, signature
 * against the provider's JWKS, `iss` and `aud`; returns its claims.
 */
export async function verifySet(
  r: Received,
  o: { jwks: { keys: JWK[] }; issuer: string; audience: string; currentDate?: Date },
): Promise<JWTPayload & { events: Record<string, Record<string, unknown>>; sub_id: Record<string, string> }> {
  if (r.headers['content-type'] !== 'application/secevent+jwt') throw new Error('wrong content type');
  if (r.headers.accept !== 'application/json') throw new Error('wrong accept');
  const { payload, protectedHeader } = await jwtVerify(r.body, await keySet(o.jwks), {
    issuer: o.issuer,
    audience: o.audience,
    typ: 'secevent+jwt',
    currentDate: o.currentDate,
  });
  if (protectedHeader.alg !== 'RS256') throw new Error('wrong alg');
  if (!payload.jti || !payload.iat) throw new Error('jti and iat are required');
  if (payload.exp !== undefined || payload.sub !== undefined) throw new Error('a SET carries no exp or sub');
  return payload as JWTPayload & {
    events: Record<string, Record<string, unknown>>;
    sub_id: Record<string, string>;
  };
}

/**
 * Validates a back-channel logout token as OpenID Connect Back-Channel Logout 1.0 §2.6 says: form-encoded
 * `logout_token`, `typ: logout+jwt`, signature, `iss`, `aud`, `iat`, `jti`, the `events` member, `sub` or `sid`
 * present, and NO `nonce`. Returns its claims.
 */
export async function verifyLogoutToken(
  r: Received,
  o: { jwks: { keys: JWK[] }; issuer: string; audience: string; currentDate?: Date },
): Promise<JWTPayload & { sid?: string }> {
  if (r.headers['content-type'] !== 'application/x-www-form-urlencoded')
    throw new Error('wrong content type');
  const token = new URLSearchParams(r.body).get('logout_token');
  if (!token) throw new Error('no logout_token');
  if (decodeProtectedHeader(token).typ !== 'logout+jwt') throw new Error('wrong typ');
  const { payload } = await jwtVerify(token, await keySet(o.jwks), {
    issuer: o.issuer,
    audience: o.audience,
    typ: 'logout+jwt',
    requiredClaims: ['iat', 'jti', 'exp'],
    currentDate: o.currentDate,
  });
  const events = payload.events as Record<string, unknown> | undefined;
  if (!events || typeof events['http://schemas.openid.net/event/backchannel-logout'] !== 'object')
    throw new Error('no back-channel logout event');
  if (!payload.sub && !payload.sid) throw new Error('neither sub nor sid');
  if ('nonce' in payload) throw new Error('a logout token must not carry a nonce');
  return payload as JWTPayload & { sid?: string };
}
