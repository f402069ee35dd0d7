import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { isPrivateAddress } from '../network.ts';

/** The check of every resolved address (one list for the apps capability: ../network.ts). */
export { isPrivateAddress } from '../network.ts';

/** Why a delivery was not even attempted: it will not get better by retrying (bad URL, forbidden address). */
export class RefusedTargetError extends Error {
  override name = 'RefusedTargetError';
}

export interface SafePostOptions {
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
  /** `config.apps.allowPrivateNetworks`: loopback and private addresses are allowed (development, tests). */
  allowPrivateNetworks: boolean;
  /** Largest part of the response body read (bytes); the rest is dropped. */
  maxResponseBytes: number;
  /** Called once connected (TLS done), right before the request is written (the dispatcher's handover). */
  beforeTransmit(): Promise<void>;
}

/**
 * POSTs `body` to `url` with an SSRF defence: only `http:`/`https:` URLs without credentials; the host is
 * resolved once, EVERY address it resolves to must be public (unless private networks are allowed), and the
 * connection goes to the checked address (no second resolution: no DNS rebinding), with TLS still verified
 * against the host name. Redirects are not followed (a 3xx is returned as is). Resolves with the status and at
 * most `maxResponseBytes` of the response body (UTF-8). Rejects with {@link RefusedTargetError} before
 * connecting, or with the network error; `signal` aborts it.
 */
export async function safePost(url: string, o: SafePostOptions): Promise<{ status: number; body: string }> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new RefusedTargetError('the endpoint URL is not valid');
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:')
    throw new RefusedTargetError('only http and https endpoints are allowed');
  if (target.username || target.password) throw new RefusedTargetError('credentials in the URL are refused');
  const hostname = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = isIP(hostname)
    ? [{ address: hostname, family: isIP(hostname) }]
    : await lookup(hostname, { all: true, verbatim: true }).catch(() => {
        throw new RefusedTargetError('the endpoint host does not resolve');
      });
  if (addresses.length === 0) throw new RefusedTargetError('the endpoint host does not resolve');
  if (!o.allowPrivateNetworks && addresses.some((a) => isPrivateAddress(a.address)))
    throw new RefusedTargetError('the endpoint resolves to a private or reserved address');
  o.signal.throwIfAborted();
  const chosen = addresses[0] as { address: string; family: number };
  const secure = target.protocol === 'https:';
  const lib = secure ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(e instanceof Error ? e : new Error(String(e)));
    };
    const req = lib.request({
      protocol: target.protocol,
      host: chosen.address,
      family: chosen.family,
      port: target.port || (secure ? 443 : 80),
      path: `${target.pathname}${target.search}`,
      method: 'POST',
      headers: { ...o.headers, host: target.host, 'content-length': String(Buffer.byteLength(o.body)) },
      servername: secure && !isIP(hostname) ? hostname : undefined,
      agent: false,
      signal: o.signal,
    });
    req.on('error', fail);
    req.on('socket', (socket) => {
      const ready = () => {
        o.beforeTransmit().then(
          () => {
            if (!settled) req.end(o.body);
          },
          (e) => fail(e),
        );
      };
      socket.once(secure ? 'secureConnect' : 'connect', ready);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        if (settled) return;
        settled = true;
        res.destroy();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      };
      res.on('data', (c: Buffer) => {
        if (size < o.maxResponseBytes) chunks.push(c.subarray(0, o.maxResponseBytes - size));
        size += c.length;
        if (size >= o.maxResponseBytes) done();
      });
      res.on('end', done);
      res.on('error', fail);
    });
  });
}
