import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network a request comes from, as a limiter key: an IPv4 address as it is, an IPv6 address as its
 * /64 (one subscriber usually gets a whole /64, so counting single IPv6 addresses counts nothing), an
 * IPv4-mapped IPv6 address as the IPv4 address. Anything else is used as it is.
 */
export function sourceNetwork(ip: string): string {
  const raw = ip
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(raw);
  if (mapped?.[1] && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(raw)) return raw;
  const noZone = raw.replace(/%.*$/, '');
  if (!isIPv6(noZone)) return raw;
  return `${expandIPv6(noZone).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, without leading zeros. */
function expandIPv6(ip: string): string[] {
  let s = ip;
  // A trailing dotted quad (e.g. 64:ff9b::1.2.3.4) is two groups.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    s = `${s.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? (s.split('::') as [string, string]) : [s, null];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === null ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => Number.parseInt(g || '0', 16).toString(16));
}
