import type { Locale } from '../kernel/context.ts';
import { en } from './en.ts';
import { ja } from './ja.ts';

export type MessageKey = keyof typeof en;
export type Params = Record<string, string | number>;

const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, ja };

/** Looks up `key` in the locale's dictionary and fills `{name}` placeholders. */
export function t(locale: Locale, key: MessageKey, params: Params = {}): string {
  const template = dictionaries[locale][key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (_: string, name: string) =>
    params[name] === undefined ? `{${name}}` : String(params[name]),
  );
}

export function hasKey(key: string): key is MessageKey & string {
  return key in en;
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

/** Formats a date in the given time zone, in the locale's style. */
export function formatDateTime(locale: Locale, date: Date, timeZone = 'Asia/Tokyo'): string {
  return new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', {
    year: 'numeric',
    month: locale === 'ja' ? '2-digit' : 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
    timeZoneName: 'short',
  }).format(date);
}
