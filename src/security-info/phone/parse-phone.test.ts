import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { japaneseCountrySortKey } from '../../i18n/country-names-ja.ts';
import { parsePhone, phoneCountries } from './parse-phone.ts';

const JP_MOBILE = { ok: true, e164: '+819012345678', country: 'JP' };

describe('parsePhone', () => {
  it.each([
    '090-1234-5678',
    '09012345678',
    '9012345678',
    '090 1234 5678',
    '(090) 1234-5678',
    '０９０－１２３４－５６７８',
    '０９０ー１２３４ー５６７８',
    '090−1234−5678',
    '090‐1234‐5678',
    '　090-1234-5678　',
    '+81 90-1234-5678',
    '+81 090 1234 5678',
    '＋８１９０１２３４５６７８',
  ])('reads the Japanese mobile %j', (input) => {
    expect(parsePhone(input, 'JP')).toEqual(JP_MOBILE);
  });

  it('accepts lower-case country codes', () => {
    expect(parsePhone('090-1234-5678', 'jp')).toEqual(JP_MOBILE);
  });

  it('lets an international prefix win over the picked country', () => {
    expect(parsePhone('+819012345678', 'US')).toEqual(JP_MOBILE);
    expect(parsePhone('+44 7400 123456', 'JP')).toEqual({ ok: true, e164: '+447400123456', country: 'GB' });
  });

  it('accepts other countries’ mobiles, and US numbers (fixed line or mobile)', () => {
    expect(parsePhone('07400 123456', 'GB')).toEqual({ ok: true, e164: '+447400123456', country: 'GB' });
    expect(parsePhone('(201) 555-0123', 'US')).toEqual({ ok: true, e164: '+12015550123', country: 'US' });
    expect(parsePhone('080-1234-5678', 'JP')).toEqual({ ok: true, e164: '+818012345678', country: 'JP' });
    expect(parsePhone('070-1234-5678', 'JP')).toEqual({ ok: true, e164: '+817012345678', country: 'JP' });
  });

  it.each([
    ['03-1234-5678', 'fixed line'],
    ['0120-123-456', 'toll free'],
    ['050-1234-5678', 'VoIP'],
  ])('refuses %s (%s) as not a mobile', (input) => {
    expect(parsePhone(input, 'JP')).toEqual({ ok: false, code: 'phone.not_mobile' });
  });

  it.each([
    '090-1234-567',
    '090-1234-56789',
    '',
    '   ',
    '-',
    'abc',
    '090-CALL-NOW',
    '090-1234-5678 ext. 12',
    '090+1234+5678',
    '+',
    '1'.repeat(80),
  ])('refuses %j as invalid', (input) => {
    expect(parsePhone(input, 'JP')).toEqual({ ok: false, code: 'phone.invalid' });
  });

  it('refuses unknown countries', () => {
    expect(parsePhone('090-1234-5678', 'XX')).toEqual({ ok: false, code: 'phone.country_unsupported' });
    expect(parsePhone('090-1234-5678', '')).toEqual({ ok: false, code: 'phone.country_unsupported' });
    expect(parsePhone('090-1234-5678', 'JPN')).toEqual({ ok: false, code: 'phone.country_unsupported' });
    expect(parsePhone('+819012345678', 'ZZ')).toEqual({ ok: false, code: 'phone.country_unsupported' });
  });

  const anyString = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.stringMatching(/^\+?[0-9０-９ ()\-ー−－]{0,20}$/),
  );
  const country = fc.oneof(
    fc.constantFrom('JP', 'US', 'GB', 'KR', 'CN', 'DE', 'IN', 'jp'),
    fc.string({ maxLength: 3 }),
  );

  it('never throws, and every accepted number is E.164', () => {
    fc.assert(
      fc.property(anyString, country, (input, c) => {
        const result = parsePhone(input, c);
        if (result.ok) {
          expect(result.e164).toMatch(/^\+[1-9]\d{6,14}$/);
          expect(result.country).toMatch(/^[A-Z]{2}$/);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('parses any valid Japanese mobile to the same E.164 however it is written', () => {
    const digits = fc.stringMatching(/^[0-9]{8}$/);
    fc.assert(
      fc.property(fc.constantFrom('70', '80', '90'), digits, (prefix, rest) => {
        const national = `0${prefix}-${rest.slice(0, 4)}-${rest.slice(4)}`;
        const result = parsePhone(national, 'JP');
        expect(result).toEqual(parsePhone(`+81${prefix}${rest}`, 'US'));
        if (result.ok) expect(result.e164).toBe(`+81${prefix}${rest}`);
      }),
    );
  });
});

describe('phoneCountries', () => {
  it.each(['ja', 'en'] as const)(
    'lists Japan first, then the rest by %s name (Japanese: by reading)',
    (locale) => {
      const list = phoneCountries(locale);
      expect(list.length).toBeGreaterThan(200);
      expect(list[0]).toEqual({ code: 'JP', name: locale === 'ja' ? '日本' : 'Japan', dial: '+81' });
      const rest = list.slice(1);
      const collator = new Intl.Collator(locale);
      const key = (c: { code: string; name: string }) =>
        locale === 'ja' ? japaneseCountrySortKey(c.code, c.name) : c.name;
      for (let i = 1; i < rest.length; i++) {
        expect(collator.compare(key(rest[i - 1]!), key(rest[i]!))).toBeLessThanOrEqual(0);
      }
      expect(new Set(list.map((c) => c.code)).size).toBe(list.length);
      expect(list.filter((c) => c.code === 'JP')).toHaveLength(1);
    },
  );

  it('sorts Japanese names that start with kanji by their reading, as a Japanese reader looks for them', () => {
    const names = phoneCountries('ja').map((c) => c.name);
    const at = (n: string) => names.indexOf(n);
    // 韓国 (かんこく) among the カ, 中国 (ちゅうごく) and 台湾 (たいわん) among the タ/チ, all before ロシア.
    expect(at('韓国')).toBeGreaterThan(at('ガーナ'));
    expect(at('韓国')).toBeLessThan(at('カンボジア'));
    expect(at('台湾')).toBeLessThan(at('タンザニア'));
    expect(at('中国')).toBeGreaterThan(at('チャド'));
    expect(at('中国')).toBeLessThan(at('チリ'));
    for (const n of ['中国', '韓国', '台湾', '香港', '南アフリカ'])
      expect(at(n), n).toBeLessThan(at('ロシア'));
    expect(names).toContain('香港');
    expect(names).not.toContain('中華人民共和国香港特別行政区');
  });

  it('gives localised names and dial codes', () => {
    expect(phoneCountries('en').find((c) => c.code === 'US')).toEqual({
      code: 'US',
      name: 'United States',
      dial: '+1',
    });
    expect(phoneCountries('ja').find((c) => c.code === 'US')).toEqual({
      code: 'US',
      name: 'アメリカ合衆国',
      dial: '+1',
    });
    expect(phoneCountries('ja').find((c) => c.code === 'KR')?.dial).toBe('+82');
    for (const c of phoneCountries('en')) {
      expect(c.code).toMatch(/^[A-Z]{2}$/);
      expect(c.dial).toMatch(/^\+[1-9]\d{0,3}$/);
      expect(c.name).not.toBe('');
    }
  });

  it('returns a fresh copy each time', () => {
    const first = phoneCountries('en');
    (first[0] as { name: string }).name = 'changed';
    first.pop();
    expect(phoneCountries('en')[0]?.name).toBe('Japan');
    expect(phoneCountries('en')).toHaveLength(first.length + 1);
  });
});
