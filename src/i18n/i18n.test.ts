import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { formatDateTime, formatDuration, localeFromAcceptLanguage, t, timeZoneLabel } from './index.ts';
import { ja } from './ja.ts';

/** The parameters a message uses: `{name}` and `{name, plural, …}`. */
const names = (s: string) =>
  [...new Set([...s.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1]!))].sort();

describe('i18n', () => {
  it('formats times in the user time zone with the zone shown, the same way everywhere', () => {
    const winter = new Date('2026-11-24T01:05:00Z');
    const summer = new Date('2026-07-24T01:05:00Z');
    expect(formatDateTime('ja', winter, 'Asia/Tokyo')).toBe('2026/11/24 10:05 JST');
    expect(formatDateTime('en', winter, 'Asia/Tokyo')).toBe('24 Nov 2026, 10:05 JST');
    expect(formatDateTime('en', winter, 'Europe/London')).toBe('24 Nov 2026, 01:05 UTC');
    expect(formatDateTime('en', winter, 'UTC')).toBe('24 Nov 2026, 01:05 UTC');
    expect(formatDateTime('en', summer, 'Europe/London')).toBe('24 Jul 2026, 02:05 UTC+1');
    expect(timeZoneLabel(summer, 'America/New_York')).toBe('UTC-4');
    expect(timeZoneLabel(summer, 'Asia/Kolkata')).toBe('UTC+5:30');
    // No signed-in account: Japan for Japanese, UTC for English.
    expect(formatDateTime('ja', winter)).toBe('2026/11/24 10:05 JST');
    expect(formatDateTime('en', winter)).toBe('24 Nov 2026, 01:05 UTC');
  });

  it('says waits in seconds, minutes or hours, rounded up', () => {
    expect(formatDuration('ja', 35)).toBe('35秒');
    expect(formatDuration('ja', 600)).toBe('10分');
    expect(formatDuration('ja', 61)).toBe('2分');
    expect(formatDuration('ja', 7200)).toBe('2時間');
    expect(formatDuration('en', 1)).toBe('1 second');
    expect(formatDuration('en', 59)).toBe('59 seconds');
    expect(formatDuration('en', 60)).toBe('1 minute');
    expect(formatDuration('en', 900)).toBe('15 minutes');
    expect(formatDuration('en', 3601)).toBe('2 hours');
    expect(t('ja', 'error.code.too_many_attempts', { seconds: 600 })).toBe(
      '誤ったコードの入力が多すぎます。10分後にもう一度お試しください。',
    );
    expect(t('en', 'error.code.resend_wait', { seconds: 1 })).toBe(
      'Wait 1 second before asking for a new code.',
    );
  });

  it('picks plural forms with Intl.PluralRules', () => {
    expect(t('en', 'twostep.need_methods', { count: 1 })).toMatch(/^You have 1 verified way to prove/);
    expect(t('en', 'twostep.need_methods', { count: 0 })).toMatch(/^You have no verified way to prove/);
    expect(t('en', 'twostep.need_methods', { count: 3 })).toMatch(/^You have 3 verified ways to prove/);
    expect(t('en', 'remove.left', { count: 1 })).toBe(
      'After this you will have 1 verified way to prove it is you:',
    );
    expect(t('ja', 'remove.left', { count: 1 })).toBe(
      '削除後も、ご本人確認に使える確認済みの方法が1件残ります。',
    );
    expect(t('en', 'secure.done', { sessions: 1, devices: 0 })).toBe(
      'Your password is changed. We signed out 1 other session. You had no trusted devices.',
    );
    for (const dict of [en, ja]) for (const v of Object.values(dict)) expect(v).not.toMatch(/\(s\)/);
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
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(names(ja[key]), key).toEqual(names(en[key]));
    }
  });
});
