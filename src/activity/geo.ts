import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { open } from 'maxmind';
import { japaneseCountryName } from '../i18n/country-names-ja.ts';

/**
 * IP address → country, offline (docs/adr/0009-ip-country-and-device.md).
 *
 * `country()` returns an ISO 3166-1 alpha-2 code (`'JP'`), `'LOCAL'` for addresses that never leave a
 * private network (loopback, RFC 1918, link-local, CGNAT, ULA, unspecified — IPv4 and IPv6, including
 * IPv4-mapped IPv6), and `'??'` when the address is unknown to the database or not an IP at all.
 */
export interface GeoLookup {
  country(ip: string): string;
}

export const LOCAL_COUNTRY = 'LOCAL';
export const UNKNOWN_COUNTRY = '??';

const DB_MODULE = '@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb';

/**
 * Opens the combined IPv4+IPv6 database (~7.5 MB, read fully into memory) once. Call at start-up and share
 * the result; lookups are synchronous (~1 µs).
 */
export async function openGeoLookup(): Promise<GeoLookup> {
  const path = createRequire(import.meta.url).resolve(DB_MODULE);
  // The records are `{ country_code: 'JP' }`, not MaxMind's GeoLite2 shape (`country.iso_code`), so the
  // reader is left untyped and every record is checked below.
  const reader = await open(path);
  return {
    country(ip: string): string {
      const addr = classify(ip);
      if (addr === 'local') return LOCAL_COUNTRY;
      if (addr === 'unknown') return UNKNOWN_COUNTRY;
      const record: unknown = reader.get(addr);
      if (typeof record === 'object' && record !== null && 'country_code' in record) {
        const code = record.country_code;
        if (typeof code === 'string' && /^[A-Z]{2}$/.test(code)) return code;
      }
      return UNKNOWN_COUNTRY;
    },
  };
}

/**
 * `'local'`, `'unknown'` (not an IP, or a documentation address), or the address to look up: IPv4-mapped
 * IPv6 becomes dotted IPv4 (the database has no entries under ::ffff:0:0/96) and zone ids are dropped.
 * The reader itself does not validate: `reader.get('1.2.3')` returns a country.
 */
function classify(input: string): 'local' | 'unknown' | string {
  if (typeof input !== 'string' || input.length > 64) return 'unknown';
  const family = isIP(input);
  if (family === 4) return isLocalV4(parseV4(input)) ? 'local' : input;
  if (family !== 6) return 'unknown';
  const address = input.split('%', 1)[0] ?? '';
  const h = parseV6(address);
  if (h === null) return 'unknown';
  // ::ffff:a.b.c.d
  if (h[0] === 0 && h[1] === 0 && h[2] === 0 && h[3] === 0 && h[4] === 0 && h[5] === 0xffff) {
    const v4 = [h[6]! >> 8, h[6]! & 0xff, h[7]! >> 8, h[7]! & 0xff];
    return isLocalV4(v4) ? 'local' : v4.join('.');
  }
  const first = h[0]!;
  const upperZero = h.slice(0, 7).every((x) => x === 0);
  if (upperZero && (h[7] === 0 || h[7] === 1)) return 'local'; // :: and ::1
  if ((first & 0xfe00) === 0xfc00) return 'local'; // fc00::/7 unique local
  if ((first & 0xffc0) === 0xfe80) return 'local'; // fe80::/10 link-local
  if ((first & 0xffc0) === 0xfec0) return 'local'; // fec0::/10 site-local (deprecated)
  if (first === 0x2001 && h[1] === 0x0db8) return 'unknown'; // 2001:db8::/32 documentation (the data says JP)
  return address;
}

function parseV4(address: string): number[] {
  return address.split('.').map(Number);
}

function isLocalV4(o: number[]): boolean {
  const a = o[0]!;
  const b = o[1]!;
  return (
    a === 0 || // 0.0.0.0/8 "this network" / unspecified
    a === 10 || // 10.0.0.0/8
    a === 127 || // loopback
    (a === 100 && b >= 64 && b <= 127) || // 100.64.0.0/10 CGNAT
    (a === 169 && b === 254) || // link-local
    (a === 172 && b >= 16 && b <= 31) || // 172.16.0.0/12
    (a === 192 && b === 168) // 192.168.0.0/16
  );
}

/** Eight 16-bit groups of an address `isIP` already accepted (zone id removed). */
function parseV6(address: string): number[] | null {
  const lastColon = address.lastIndexOf(':');
  let text = address;
  if (address.includes('.', lastColon)) {
    // Embedded IPv4 (::ffff:1.2.3.4) → two hex groups.
    const [a = 0, b = 0, c = 0, d = 0] = parseV4(address.slice(lastColon + 1));
    text = `${address.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const groups = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  let all: number[];
  const gap = text.indexOf('::');
  if (gap === -1) {
    all = groups(text);
  } else {
    const left = groups(text.slice(0, gap));
    const right = groups(text.slice(gap + 2));
    const zeros = 8 - left.length - right.length;
    if (zeros < 0) return null;
    all = [...left, ...new Array<number>(zeros).fill(0), ...right];
  }
  if (all.length !== 8 || all.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return null;
  return all;
}

const LOCAL_NAMES = { ja: 'ローカルネットワーク', en: 'Local network' } as const;
const UNKNOWN_NAMES = { ja: '不明', en: 'Unknown' } as const;
const displayNames = new Map<string, Intl.DisplayNames>();

/** Country name for a code from `GeoLookup.country` (`'JP'` → `日本` / `Japan`). */
export function countryName(code: string, locale: 'ja' | 'en'): string {
  if (code === LOCAL_COUNTRY) return LOCAL_NAMES[locale];
  const upper = typeof code === 'string' ? code.toUpperCase() : '';
  if (!/^[A-Z]{2}$/.test(upper) || upper === 'ZZ') return UNKNOWN_NAMES[locale];
  let names = displayNames.get(locale);
  if (names === undefined) {
    names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' });
    displayNames.set(locale, names);
  }
  try {
    const name = names.of(upper) ?? upper;
    return locale === 'ja' ? japaneseCountryName(upper, name) : name;
  } catch {
    return upper;
  }
}
