import {
  type CountryCode,
  getCountries,
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/max';
import { japaneseCountryName, japaneseCountrySortKey } from '../../i18n/country-names-ja.ts';

export type ParsePhoneResult =
  | { ok: true; e164: string; country: string }
  | { ok: false; code: 'phone.invalid' | 'phone.not_mobile' | 'phone.country_unsupported' };

/** Anything a person might type as a dash between digit groups, after NFKC. */
const DASHES = /[\u2010-\u2015\u2212\u2E3A\u2E3B\u30FC\uFE58\uFE63\uFF0D\uFF70]/g;
/** What may remain once the number is cleaned: digits and separators, with `+` only in front. */
const ALLOWED = /^\+?[0-9().\- ]+$/;
/** Generous bound on the raw input; the longest E.164 number has 15 digits. */
const MAX_INPUT_LENGTH = 64;

function clean(input: string): string {
  return input
    .normalize('NFKC') // full-width digits, ＋, （）, U+3000
    .replace(DASHES, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Parses a phone number typed for the country chosen in the picker into E.164. National input may
 * have or omit the trunk `0`; a leading `+` makes the number international and the picker is then
 * only a hint. Only numbers that can receive SMS are accepted: MOBILE, and FIXED_LINE_OR_MOBILE for
 * plans (US, CA, …) where the two are indistinguishable. Never throws.
 */
export function parsePhone(input: string, country: string): ParsePhoneResult {
  const picked = country.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(picked) || !isSupportedCountry(picked)) {
    return { ok: false, code: 'phone.country_unsupported' };
  }
  if (input.length > MAX_INPUT_LENGTH) return { ok: false, code: 'phone.invalid' };
  const text = clean(input);
  // Letters (vanity numbers, "ext."), a second "+", or other symbols: refuse rather than guess.
  if (!ALLOWED.test(text) || !/[0-9]/.test(text)) return { ok: false, code: 'phone.invalid' };

  let parsed: ReturnType<typeof parsePhoneNumberFromString>;
  try {
    parsed = parsePhoneNumberFromString(text, { defaultCountry: picked as CountryCode, extract: false });
  } catch {
    return { ok: false, code: 'phone.invalid' };
  }
  if (!parsed || parsed.ext || !parsed.isValid()) return { ok: false, code: 'phone.invalid' };
  const type = parsed.getType();
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') return { ok: false, code: 'phone.not_mobile' };
  // Non-geographic numbers (+881 satellite, +882/+883 networks) belong to no country we can serve.
  if (!parsed.country) return { ok: false, code: 'phone.country_unsupported' };
  return { ok: true, e164: parsed.number, country: parsed.country };
}

export interface PhoneCountry {
  /** ISO 3166-1 alpha-2, e.g. `JP`. */
  code: string;
  /** Localised country name, e.g. `日本` / `Japan`. */
  name: string;
  /** Calling code with a plus, e.g. `+81`. */
  dial: string;
}

const countryCache = new Map<string, PhoneCountry[]>();

/** Countries for the phone picker: Japan first, then the rest sorted by localised name (Japanese: by reading). */
export function phoneCountries(locale: 'ja' | 'en'): PhoneCountry[] {
  const cached = countryCache.get(locale);
  if (cached) return cached.map((c) => ({ ...c }));
  const names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
  const collator = new Intl.Collator(locale);
  const list = getCountries().map((code) => {
    const icu = names.of(code) ?? code;
    return {
      code,
      name: locale === 'ja' ? japaneseCountryName(code, icu) : icu,
      dial: `+${getCountryCallingCode(code)}`,
    };
  });
  // Japanese names are sorted by their reading (kanji would otherwise sort by code point, after ロシア).
  const key = (c: PhoneCountry) => (locale === 'ja' ? japaneseCountrySortKey(c.code, c.name) : c.name);
  list.sort((a, b) => {
    if (a.code === 'JP' || b.code === 'JP') return a.code === 'JP' ? (b.code === 'JP' ? 0 : -1) : 1;
    return collator.compare(key(a), key(b)) || a.code.localeCompare(b.code);
  });
  countryCache.set(locale, list);
  return list.map((c) => ({ ...c }));
}
