import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { formatDateTime, localeFromAcceptLanguage, t } from './index.ts';
import { ja } from './ja.ts';

describe('i18n', () => {
  it('formats times in the user time zone with the zone shown', () => {
    const d = new Date('2026-11-24T01:05:00Z');
    expect(formatDateTime('ja', d, 'Asia/Tokyo')).toBe('2026/11/24 10:05 JST');
    expect(formatDateTime('en', d, 'Europe/London')).toMatch(/24 Nov 2026, 01:05 (GMT|UTC)/);
  });

  it('fills placeholders and picks the language from Accept-Language', () => {
    expect(t('ja', 'error.code.wrong', { remaining: 3 })).toBe(
      'コードが正しくありません。あと3回入力できます。',
    );
    expect(localeFromAcceptLanguage('en-US,en;q=0.9,ja;q=0.8')).toBe('en');
    expect(localeFromAcceptLanguage('fr-FR, ja;q=0.5')).toBe('ja');
    expect(localeFromAcceptLanguage(undefined)).toBe('ja');
  });

  it('has the same placeholders in both languages for every message', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(names(ja[key]), key).toEqual(names(en[key]));
    }
  });
});
