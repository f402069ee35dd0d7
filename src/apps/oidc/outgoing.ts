import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { Deps } from '../../deps.ts';

/** Addresses an app's URL may not point at unless APPS_ALLOW_PRIVATE_NETWORKS is on (no SSRF). */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['::ffff:0:0', 96],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6');

/**
 * The provider's own outgoing requests (back-channel logout tokens sent at RP-initiated logout): http(s)
 * only, no redirects followed, a timeout of APPS_DELIVERY_TIMEOUT_SECONDS, and — unless
 * `config.apps.allowPrivateNetworks` — refused when the host resolves to a private, loopback, link-local or
 * multicast address, before and at connection. Throws on refusal (oidc-provider then records a back-channel
 * error, logged, and goes on).
 */
export function guardedFetch(deps: Pick<Deps, 'config'>) {
  return async (url: string | URL, init: RequestInit = {}): Promise<Response> => {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('refused: not http(s)');
    if (!deps.config.apps.allowPrivateNetworks) {
      const host = u.hostname.replace(/^\[|\]$/g, '');
      const addresses = isIP(host)
        ? [{ address: host, family: isIP(host) }]
        : await lookup(host, { all: true });
      for (const a of addresses)
        if (PRIVATE.check(a.address, a.family === 6 ? 'ipv6' : 'ipv4'))
          throw new Error('refused: a private network address');
    }
    // oidc-provider passes a dispatcher that refuses special-use addresses at connect time (which also stops
    // a DNS answer changing between the check above and the connection): kept unless private networks are
    // allowed.
    const { dispatcher, ...rest } = init as RequestInit & { dispatcher?: unknown };
    return fetch(u, {
      ...rest,
      ...(deps.config.apps.allowPrivateNetworks ? {} : { dispatcher }),
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.config.apps.deliveryTimeoutSeconds * 1000),
    } as RequestInit);
  };
}
