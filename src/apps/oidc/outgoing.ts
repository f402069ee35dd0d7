import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Deps } from '../../deps.ts';
import { isPrivateAddress } from '../network.ts';

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
        if (isPrivateAddress(a.address)) throw new Error('refused: a private network address');
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
