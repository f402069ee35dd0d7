import { isIP } from 'node:net';
import { fail } from '../../kernel/errors.ts';
import { isPrivateAddress } from '../network.ts';

/**
 * The URLs a registration carries, from hostile input. Every URL is kept exactly as typed (never normalised:
 * the provider compares redirect URIs as strings, RFC 9700 §4.1.3, so a stored form must never be wider than
 * the one the registrant saw), and refused unless it is:
 * - at most URL_MAX characters of printable ASCII (a host in another script goes in its `xn--` form), with no
 *   backslash (which WHATWG parsers read as `/`), no fragment (RFC 6749 §3.1.2) and no userinfo;
 * - an absolute URL with a host made of letters, digits, dots and hyphens, or an IP literal (no wildcards).
 */
export const URL_MAX = 2000;
/** At most this many redirect URIs, and as many post-logout redirect URIs, per client. */
export const REDIRECT_URIS_MAX = 10;

/** The examples the messages of `apps.redirect_uri_invalid` and `apps.url_invalid` name (not translated). */
export const URI_EXAMPLES = {
  https: 'https://',
  loopback: 'http://localhost, http://127.0.0.1, http://[::1]',
  example: 'com.example.app:/callback',
} as const;

const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const HOST_NAME = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.?$/i;
/** RFC 8252 §7.1: a private-use URI scheme in reverse domain name form (`com.example.app`). */
const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9+-]*(?:\.[a-z0-9+-]+)+$/;
/** RFC 8252 §7.3: the loopback hosts a native app may listen on, any port. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The parts of `raw` every URL rule needs, or null when it is not an acceptable absolute URL at all. */
function parse(raw: unknown): { raw: string; url: URL } | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > URL_MAX) return null;
  if (!PRINTABLE_ASCII.test(raw) || raw.includes('\\') || raw.includes('#')) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  // Userinfo (`https://good@evil/`) makes a URL read as another host.
  if (url.username !== '' || url.password !== '' || /^[^:]+:\/\/[^/?]*@/.test(raw)) return null;
  return { raw, url };
}

/** A web host: a DNS name or an IP literal, nothing else (no `*`, `%`, `_`). */
function isWebHost(url: URL): boolean {
  const h = url.hostname;
  if (h === '') return false;
  if (h.startsWith('[')) return isIP(h.slice(1, -1)) === 6;
  return HOST_NAME.test(h);
}

/**
 * A redirect URI (or post-logout redirect URI) of a client, as typed. Confidential clients: `https` only.
 * Public (native) clients may also use `http` on a loopback host with any port (`http://localhost`,
 * `http://127.0.0.1`, `http://[::1]`, RFC 8252 §7.3) and a private-use scheme in reverse domain form
 * (`com.example.app:/cb`, RFC 8252 §7.1).
 *
 * Errors: `apps.redirect_uri_invalid`.
 */
export function checkRedirectUri(raw: unknown, type: 'confidential' | 'public'): string {
  const p = parse(raw);
  if (!p) fail('apps.redirect_uri_invalid', URI_EXAMPLES);
  const { url } = p;
  const scheme = url.protocol.slice(0, -1);
  if (scheme === 'https' && isWebHost(url)) return p.raw;
  if (type === 'public') {
    if (scheme === 'http' && LOOPBACK_HOSTS.has(url.hostname)) return p.raw;
    // A private-use scheme: the scheme name has a dot; what follows must be a path, not an authority.
    if (PRIVATE_USE_SCHEME.test(scheme) && /^[^:]+:\/[^/]/.test(p.raw)) return p.raw;
  }
  fail('apps.redirect_uri_invalid', URI_EXAMPLES);
}

/**
 * A list of redirect URIs from a form or a caller: each checked by `checkRedirectUri`, duplicates (the same
 * string) kept once, `min`–REDIRECT_URIS_MAX of them.
 *
 * Errors: `apps.redirect_uri_invalid`, `apps.redirect_uris_count`.
 */
export function checkRedirectUris(raw: unknown, type: 'confidential' | 'public', min: number): string[] {
  if (raw !== undefined && !Array.isArray(raw)) fail('apps.redirect_uri_invalid', URI_EXAMPLES);
  const list = (raw ?? []) as unknown[];
  if (list.length > REDIRECT_URIS_MAX * 4) fail('apps.redirect_uris_count');
  const out = [...new Set(list.map((u) => checkRedirectUri(u, type)))];
  if (out.length < min || out.length > REDIRECT_URIS_MAX) fail('apps.redirect_uris_count');
  return out;
}

/** Host names that always mean this machine or a local network (RFC 6761 §6.3, RFC 6762, RFC 8375). */
const LOCAL_NAME = /(?:^|\.)(?:localhost|local|internal|home\.arpa|localdomain)\.?$/i;

/**
 * Whether `url`'s host is a loopback, private, link-local or otherwise non-public IP literal, or a name that
 * always means a local network. IPv4 written in other forms (`0x7f.1`, `2130706433`) is caught too: the URL
 * parser writes it in dotted form first; IPv4-mapped IPv6 (`[::ffff:127.0.0.1]`) is checked as IPv4.
 */
export function isPrivateHost(url: URL): boolean {
  const h = url.hostname;
  if (h.startsWith('[')) return isPrivateAddress(h.slice(1, -1));
  if (isIP(h) === 4) return isPrivateAddress(h);
  return LOCAL_NAME.test(h);
}

/**
 * A URL Mamori sends to (a webhook endpoint, a shared-signals receiver, a back-channel logout URI), as typed:
 * `https` (also `http` when `allowPrivateNetworks`), no userinfo, no fragment, and a host that is not a
 * loopback, private or link-local literal or local name unless `allowPrivateNetworks`. The delivery part
 * checks the addresses the name resolves to again at send time (a DNS answer can change).
 *
 * Errors: `apps.url_invalid` (not such a URL), `apps.url_not_allowed` (a private or local host).
 */
export function checkEndpointUrl(raw: unknown, allowPrivateNetworks: boolean): string {
  const p = parse(raw);
  if (!p || !isWebHost(p.url)) fail('apps.url_invalid', URI_EXAMPLES);
  const scheme = p.url.protocol;
  if (scheme !== 'https:' && !(scheme === 'http:' && allowPrivateNetworks))
    fail('apps.url_invalid', URI_EXAMPLES);
  if (!allowPrivateNetworks && isPrivateHost(p.url)) fail('apps.url_not_allowed');
  return p.raw;
}
