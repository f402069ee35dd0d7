import { createRequire } from 'node:module';

/**
 * User-Agent → browser, OS and device type, through ua-parser-js 1.x (MIT; 2.x is AGPL — do not upgrade).
 * See docs/adr/0009-ip-country-and-device.md.
 */
export interface DeviceInfo {
  browser: string;
  os: string;
  device: 'desktop' | 'mobile' | 'tablet' | 'other';
}

// ua-parser-js 1.x ships no type declarations (and @types/ua-parser-js is not installed), so a typed
// `import` fails under strict mode (TS7016). Its CommonJS export is loaded with `require` and given the
// small shape used here.
interface UABrowser {
  name?: string;
  version?: string;
  major?: string;
}
interface UAOS {
  name?: string;
  version?: string;
}
interface UADevice {
  type?: string;
  model?: string;
  vendor?: string;
}
interface UAParserInstance {
  getBrowser(): UABrowser;
  getOS(): UAOS;
  getDevice(): UADevice;
}
type UAExtensions = Record<string, Array<RegExp[] | Array<string | [string, string]>>>;
interface UAParserClass {
  new (ua: string, extensions?: UAExtensions): UAParserInstance;
}
const { UAParser } = createRequire(import.meta.url)('ua-parser-js') as { UAParser: UAParserClass };

/** ua-parser-js 1.x does not know command-line and library clients; these are tried before its own rules. */
const EXTENSIONS: UAExtensions = {
  browser: [
    [
      /^(curl|wget|httpie|python-requests|python-httpx|python-urllib|aiohttp|go-http-client|okhttp|axios|node-fetch|undici|postmanruntime|insomnia)\/v?(\d[\w.]*)/i,
    ],
    ['name', 'version'],
  ],
};

export const MAX_USER_AGENT_LENGTH = 512;

const UNKNOWN: DeviceInfo = { browser: '', os: '', device: 'other' };

const DESKTOP_OS =
  /^(?:windows|macos|chromeos|chromium os|linux|ubuntu|kubuntu|xubuntu|lubuntu|debian|fedora|arch|mint|gentoo|slackware|suse|opensuse|redhat|red hat|centos|manjaro|deepin|elementary os|mageia|mandriva|freebsd|openbsd|netbsd|dragonfly|solaris|haiku)$/i;
const MOBILE_OS =
  /^(?:android|ios|harmonyos|kaios|windows phone|windows mobile|blackberry|symbian|firefox os|sailfish)$/i;

/**
 * `Chrome 131` / `iOS 17.5` / `Windows 10` / `macOS`; unknown parts are `''`. Never throws.
 *
 * Versions that browsers freeze are left out: macOS (always 10.15.7), ChromeOS, and Android in Chrome's
 * reduced UA (`Android 10; K`). Windows 11 still says "Windows NT 10.0", so it shows as `Windows 10`.
 */
export function describeDevice(userAgent: string): DeviceInfo {
  if (typeof userAgent !== 'string') return { ...UNKNOWN };
  const ua = userAgent.slice(0, MAX_USER_AGENT_LENGTH);
  // Parsing is costly and the same few User-Agents come back again and again: remember the last ones.
  const known = PARSED.get(ua);
  if (known) return { ...known };
  const info = parseDevice(ua);
  if (PARSED.size >= PARSED_MAX) PARSED.delete(PARSED.keys().next().value as string);
  PARSED.set(ua, info);
  return { ...info };
}

/** The most recent User-Agents parsed (insertion order: the oldest is dropped first). */
const PARSED = new Map<string, DeviceInfo>();
const PARSED_MAX = 2000;

function parseDevice(ua: string): DeviceInfo {
  // With an empty string the parser falls back to `window.navigator.userAgent` where a `window` exists.
  if (ua.trim() === '') return { ...UNKNOWN };
  // Only the three parts used here (getResult() would also run the engine and CPU rules).
  let result: { browser: UABrowser; os: UAOS; device: UADevice };
  try {
    const parser = new UAParser(ua, EXTENSIONS);
    result = { browser: parser.getBrowser(), os: parser.getOS(), device: parser.getDevice() };
  } catch {
    return { ...UNKNOWN };
  }

  const browserName = clean(result.browser.name).replace(/^Mobile /, '');
  const browser = browserName === '' ? '' : join(browserName, clean(result.browser.major));

  let osName = clean(result.os.name);
  let osVersion = clean(result.os.version);
  if (osName === 'Mac OS' || osName === 'macOS') {
    osName = 'macOS';
    osVersion = '';
  } else if (osName === 'Chromium OS') {
    osName = 'ChromeOS';
    osVersion = '';
  } else if (osName === 'Android' && result.device.model === 'K') {
    osVersion = '';
  }
  const os = osName === '' ? '' : join(osName, osVersion);

  return { browser, os, device: deviceType(result.device.type, osName) };
}

function deviceType(type: string | undefined, osName: string): DeviceInfo['device'] {
  if (type === 'mobile') return 'mobile';
  if (type === 'tablet') return 'tablet';
  if (type !== undefined && type !== '') return 'other'; // console, smarttv, wearable, embedded, xr
  if (DESKTOP_OS.test(osName)) return 'desktop';
  if (MOBILE_OS.test(osName)) return 'mobile';
  return 'other';
}

/** Parser output is built from the request header: keep it printable and short. */
function clean(value: string | undefined): string {
  if (typeof value !== 'string') return '';
  return value
    .replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 40)
    .trim();
}

function join(name: string, version: string): string {
  return version === '' ? name : `${name} ${version}`;
}

/** A version that `describeDevice` appended: a last word starting with a digit. */
const TRAILING_VERSION = / \d\S*$/;

/**
 * Stable key for "have we seen this device on this account before": browser and OS names without their
 * versions, and the device type, so a browser or OS update is not a new device.
 */
export function deviceKey(info: DeviceInfo): string {
  const browser = info.browser.replace(TRAILING_VERSION, '').toLowerCase();
  const os = info.os.replace(TRAILING_VERSION, '').toLowerCase();
  return `${browser}|${os}|${info.device}`;
}

const UNKNOWN_DEVICE = { ja: '不明なデバイス', en: 'Unknown device' } as const;

/** `Chrome 131 · Windows 10`; `不明なデバイス` / `Unknown device` when neither is known. */
export function deviceLabel(info: DeviceInfo, locale: 'ja' | 'en'): string {
  const parts = [info.browser, info.os].filter((part) => part !== '');
  return parts.length === 0 ? UNKNOWN_DEVICE[locale] : parts.join(' · ');
}
