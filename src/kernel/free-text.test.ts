import { describe, expect, it } from 'vitest';
import { cleanFreeText, textProblem, tidyText } from './free-text.ts';

describe('free text', () => {
  it.each([
    ['\u3164', 'invisible'],
    ['\uFFA0', 'invisible'],
    ['\u115F\u1160', 'invisible'],
    ['\u2800', 'invisible'],
    ['a\u200Bb', 'invisible'],
    ['x\u00ADy', 'invisible'],
    ['a\u2060b', 'invisible'],
    ['\uFE0F', 'invisible'],
    ['a\uFE0F\uFE0F', 'invisible'],
    ['yamada\u200Dtaro', 'invisible'],
    ['tag\u{E0041}', 'invisible'],
    ['abc\u202E', 'bidi'],
    ['\u2066abc\u2069', 'bidi'],
    ['a\u200Fb', 'bidi'],
    ['a\u0007b', 'control'],
    ['a\nb', 'control'],
    ['\u0301\u0301', 'blank'],
    ['', 'blank'],
  ] as const)('refuses %j (%s)', (text, problem) => {
    expect(textProblem(text)).toBe(problem);
  });

  it.each([
    '山田 太郎',
    'ＷＯＲＫ',
    '葛\u{E0100}城',
    '👨‍👩‍👧',
    '🏳️‍🌈',
    '👍🏽',
    '1️⃣',
    '🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}',
    'می\u200Cخواهم',
    'क्\u200Dष',
    'José',
    'e\u0301',
  ])('keeps %j as typed', (text) => {
    expect(textProblem(text)).toBeNull();
    expect(cleanFreeText(text, { maxLength: 64 })).toBe(text);
  });

  it('tidies whitespace only: runs become one space on one line; lines are kept in multi-line text', () => {
    expect(tidyText('  山田\u3000\u3000太郎  ')).toBe('山田 太郎');
    expect(tidyText('山田\u3000太郎')).toBe('山田 太郎');
    expect(tidyText(' a\r\n\tb \n', true)).toBe('a\n\tb');
    expect(textProblem('a\n\tb', true)).toBeNull();
  });

  it('counts the length in code points and refuses what is not a string', () => {
    expect(cleanFreeText('😀'.repeat(40), { maxLength: 40 })).toBe('😀'.repeat(40));
    expect(cleanFreeText('😀'.repeat(41), { maxLength: 40 })).toBeNull();
    expect(cleanFreeText(42, { maxLength: 40 })).toBeNull();
    expect(cleanFreeText(' \u3164 ', { maxLength: 40 })).toBeNull();
  });
});
