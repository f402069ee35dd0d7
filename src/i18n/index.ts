import type { Locale } from '../kernel/context.ts';
import { en } from './en.ts';
import { ja } from './ja.ts';

export type MessageKey = keyof typeof en;
export type Params = Record<string, string | number>;

const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, ja };

const pluralRules: Record<Locale, Intl.PluralRules> = {
  en: new Intl.PluralRules('en'),
  ja: new Intl.PluralRules('ja'),
};

/**
 * Looks up `key` in the locale's dictionary and fills it in:
 * - `{name}` is replaced by `params.name`;
 * - `{name, plural, one {…} other {…}}` picks the branch for `params.name` by `Intl.PluralRules` of the
 *   locale (ICU MessageFormat's plural subset; `#` in a branch is the number);
 * - a `seconds` param also fills `{wait}` with the duration in words (`formatDuration`), so that a
 *   10-minute lock reads "10 minutes", not "600 seconds".
 */
export function t(locale: Locale, key: MessageKey, params: Params = {}): string {
  const template = dictionaries[locale][key] ?? en[key];
  const all: Params =
    typeof params.seconds === 'number' && params.wait === undefined
      ? { ...params, wait: formatDuration(locale, params.seconds) }
      : params;
  return template
    .replace(
      /\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{[^{}]*\})+)\s*\}/g,
      (_: string, name: string, branches: string) => {
        const n = Number(all[name]);
        const options = new Map<string, string>();
        for (const m of branches.matchAll(/(=\d+|zero|one|two|few|many|other)\s*\{([^{}]*)\}/g))
          options.set(m[1]!, m[2]!);
        const text =
          options.get(`=${n}`) ?? options.get(pluralRules[locale].select(n)) ?? options.get('other') ?? '';
        return text.replace(/#/g, String(all[name]));
      },
    )
    .replace(/\{(\w+)\}/g, (_: string, name: string) =>
      all[name] === undefined ? `{${name}}` : `\uE000${String(all[name])}\uE001`,
    )
    .replace(locale === 'ja' ? JA_SPACED_VALUE : /(?!)/g, '$1$2')
    .replace(/[\uE000\uE001]/g, '');
}

/** A Japanese character (kana, kanji, full-width forms and punctuation). */
const JA = '[\\u3000-\\u30ff\\u3400-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef]';
/**
 * The space the template puts on either side of a filled-in value, when the characters it separates are both
 * Japanese: "情報に {method} が" with 認証アプリ reads 情報に認証アプリが, while a Latin value keeps its
 * spaces (情報に Google Authenticator が). Only spaces next to a value are dropped, never the template's own.
 */
const JA_SPACED_VALUE = new RegExp(`(${JA}) (?=\uE000${JA})|(${JA}\uE001) (?=${JA})`, 'g');

/**
 * A method name inside an English sentence: "Code from your authenticator app (Work)", not "your
 * Authenticator app". The names start with a capital because they also stand alone, as labels.
 */
export function nameInSentence(locale: Locale, name: string): string {
  if (locale !== 'en') return name;
  for (const key of ['method.kind.totp', 'method.kind.passkey'] as const) {
    const kind = en[key];
    if (name.startsWith(kind)) return kind.toLowerCase() + name.slice(kind.length);
  }
  return name;
}

export function hasKey(key: string): key is MessageKey & string {
  return key in en;
}

/**
 * A wait in words, rounded up so that it is never shorter than the real one: under a minute in seconds,
 * under an hour in minutes, else in hours. `formatDuration('ja', 600)` is "10分", `('en', 61)` "2 minutes".
 */
export function formatDuration(locale: Locale, seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  const [n, unit] =
    s < 60 ? [s, 'second'] : s < 3600 ? [Math.ceil(s / 60), 'minute'] : [Math.ceil(s / 3600), 'hour'];
  if (locale === 'ja') return `${n}${unit === 'second' ? '秒' : unit === 'minute' ? '分' : '時間'}`;
  return `${n} ${unit}${pluralRules.en.select(n) === 'one' ? '' : 's'}`;
}

/** Picks ja or en from an Accept-Language header; Japanese first. */
export function localeFromAcceptLanguage(header: string | undefined): Locale {
  if (!header) return 'ja';
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...rest] = part.trim().split(';');
      const q = rest.find((r) => r.trim().startsWith('q='));
      return { tag: (tag ?? '').toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('ja')) return 'ja';
    if (tag.startsWith('en')) return 'en';
  }
  return 'ja';
}

/** The time zone of pages without a signed-in account: Japan for Japanese, UTC for English. */
export function defaultTimeZone(locale: Locale): string {
  return locale === 'ja' ? 'Asia/Tokyo' : 'UTC';
}

/**
 * The name of a time zone at `date`, the same way on every page and in every email: "JST" for Japan, else
 * the offset from UTC ("UTC", "UTC+1", "UTC-4", "UTC+5:30").
 */
export function timeZoneLabel(date: Date, timeZone: string): string {
  if (timeZone === 'Asia/Tokyo') return 'JST';
  const offset =
    new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'shortOffset' })
      .formatToParts(date)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const rest = offset.replace(/^(GMT|UTC)/, '');
  return rest === '' || rest === '+0' || rest === '-0' ? 'UTC' : `UTC${rest}`;
}

/** Formats a date in the given time zone, in the locale's style, with the zone shown (`timeZoneLabel`). */
export function formatDateTime(
  locale: Locale,
  date: Date,
  timeZone: string = defaultTimeZone(locale),
): string {
  const text = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', {
    year: 'numeric',
    month: locale === 'ja' ? '2-digit' : 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(date);
  return `${text} ${timeZoneLabel(date, timeZone)}`;
}

/** Formats a day (no time) in the given time zone, in the locale's style: "2027/02/22", "22 Feb 2027". */
export function formatDate(locale: Locale, date: Date, timeZone: string = defaultTimeZone(locale)): string {
  return new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', {
    year: 'numeric',
    month: locale === 'ja' ? '2-digit' : 'short',
    day: '2-digit',
    timeZone,
  }).format(date);
}
