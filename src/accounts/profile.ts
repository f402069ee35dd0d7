import type { Deps } from '../deps.ts';
import { isLocale, type Locale } from '../kernel/context.ts';
import { fail } from '../kernel/errors.ts';
import type { SessionView } from '../sessions/session-cache.ts';
import { sessionsChanged } from '../sessions/sessions.ts';
import { validTimeZone } from './accounts-service.ts';
import { normalizeDisplayName } from './display-name.ts';
import { setProfile } from './store.ts';

export interface Profile {
  displayName: string;
  locale: Locale;
  timeZone: string;
}

/**
 * Changes the account's display name, language and time zone (any of them; what is absent stays). These are
 * not security info: no step-up, no security-stamp change, nothing restricted during a replacement. Emails,
 * SMS and pages use the new language and time zone from the next one on; every session sees them at once.
 */
export async function updateProfile(
  deps: Pick<Deps, 'db' | 'clock' | 'emit'>,
  session: Pick<SessionView, 'accountId' | 'displayName' | 'locale' | 'timeZone'>,
  input: { displayName?: unknown; locale?: unknown; timeZone?: unknown },
): Promise<Profile> {
  const displayName =
    input.displayName === undefined ? session.displayName : normalizeDisplayName(input.displayName);
  if (!displayName) fail('account.display_name_invalid');
  if (input.locale !== undefined && !isLocale(input.locale)) fail('request.invalid');
  const locale: Locale = isLocale(input.locale) ? input.locale : session.locale;
  const timeZone = input.timeZone === undefined ? session.timeZone : validTimeZone(input.timeZone);
  if (!timeZone) fail('account.time_zone_invalid');
  await deps.db.tx(async (tx) => {
    await setProfile(tx, session.accountId, { displayName, locale, timeZone }, deps.clock.now());
    // Sessions carry the name, language and time zone: every one of them sees the change now.
    await sessionsChanged(deps, tx, session.accountId);
  });
  return { displayName, locale, timeZone };
}

/**
 * Old IANA names that Node 20's ICU still lists instead of the current ones (tzdata's `backward` file): the
 * list offers the current name, which Intl accepts as well.
 */
const CURRENT_NAME: Record<string, string> = {
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Louisville': 'America/Kentucky/Louisville',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

/** The current IANA name of a zone (an old alias becomes its current name; anything else is unchanged). */
export function currentZoneName(zone: string): string {
  return CURRENT_NAME[zone] ?? zone;
}

export interface TimeZoneChoice {
  /** The IANA name stored. */
  value: string;
  /** "UTC+05:30 India Standard Time (Kolkata)" in the reader's language. */
  label: string;
  offsetMinutes: number;
}

/**
 * Time zones a person can choose, the current one included: current IANA names only, each labelled with its
 * offset now and its name in `locale` (and its city, since many zones share a name), sorted by offset.
 */
export function timeZoneChoices(current: string, locale: Locale, now: Date): TimeZoneChoice[] {
  // Labels take ~100 ms to build and change only with daylight saving time: built once an hour per language.
  const hour = Math.floor(now.getTime() / 3_600_000);
  let cached = choicesCache.get(locale);
  if (cached?.hour !== hour) {
    const zones = new Set<string>(Intl.supportedValuesOf('timeZone').map(currentZoneName));
    zones.add('UTC');
    cached = { hour, list: [...zones].map((zone) => zoneChoice(zone, locale, now)) };
    choicesCache.set(locale, cached);
  }
  const wanted = currentZoneName(current);
  const list = cached.list.some((z) => z.value === wanted)
    ? cached.list
    : [...cached.list, zoneChoice(wanted, locale, now)];
  return [...list].sort(
    (a, b) => a.offsetMinutes - b.offsetMinutes || a.label.localeCompare(b.label, locale),
  );
}

const choicesCache = new Map<Locale, { hour: number; list: TimeZoneChoice[] }>();

function zoneChoice(zone: string, locale: Locale, now: Date): TimeZoneChoice {
  const part = (timeZoneName: 'longOffset' | 'longGeneric', lang: string) =>
    new Intl.DateTimeFormat(lang, { timeZone: zone, timeZoneName })
      .formatToParts(now)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const offset = part('longOffset', 'en').replace(/^GMT/, 'UTC');
  const m = /^UTC([+-])(\d{2}):(\d{2})$/.exec(offset);
  const offsetMinutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const utc = m ? offset : 'UTC';
  const city = zone.includes('/') ? (zone.split('/').pop() ?? zone).replace(/_/g, ' ') : zone;
  const name = part('longGeneric', locale);
  const label =
    zone === 'UTC' ? 'UTC' : locale === 'ja' ? `${utc} ${name}（${city}）` : `${utc} ${name} (${city})`;
  return { value: zone, label, offsetMinutes };
}
