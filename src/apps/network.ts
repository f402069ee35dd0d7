import { BlockList, isIP } from 'node:net';

/**
 * Addresses Mamori never sends an application's request to (webhooks, Security Event Tokens, back-channel
 * logout tokens) unless APPS_ALLOW_PRIVATE_NETWORKS: the IANA special-purpose registries (RFC 6890) —
 * unspecified, loopback, private, carrier-grade NAT, link-local, documentation, benchmarking, multicast,
 * reserved, NAT64 (RFC 6052), discard-only (RFC 6666) and site-local. One list for the registry's check of a
 * typed URL, the delivery's check of resolved addresses and the provider's own outgoing requests.
 */
const NOT_PUBLIC = (() => {
  const b = new BlockList();
  for (const [net, bits] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.0.2.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['198.51.100.0', 24],
    ['203.0.113.0', 24],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ] as const)
    b.addSubnet(net, bits, 'ipv4');
  for (const [net, bits] of [
    ['::', 128],
    ['::1', 128],
    ['::', 96],
    ['64:ff9b::', 96],
    ['100::', 64],
    ['2001:db8::', 32],
    ['fc00::', 7],
    ['fe80::', 10],
    ['fec0::', 10],
    ['ff00::', 8],
  ] as const)
    b.addSubnet(net, bits, 'ipv6');
  return b;
})();

/**
 * Whether `address` (an IPv4 or IPv6 literal, without brackets) is not a public unicast address (see
 * NOT_PUBLIC). IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`, in either notation) are judged as their IPv4
 * address; anything that is not an IP literal counts as not public.
 */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return NOT_PUBLIC.check(address, 'ipv4');
  if (family !== 6) return true;
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted?.[1]) return NOT_PUBLIC.check(dotted[1], 'ipv4');
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex?.[1] && hex[2]) {
    const hi = Number.parseInt(hex[1], 16);
    const lo = Number.parseInt(hex[2], 16);
    return NOT_PUBLIC.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4');
  }
  return NOT_PUBLIC.check(address, 'ipv6');
}
