import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cryptoRandom, type Random } from '../../kernel/random.ts';
import {
  formatRecoveryCode,
  generateRecoveryCode,
  hashRecoveryCode,
  normalizeRecoveryCode,
  RECOVERY_CODE_ALPHABET,
  RECOVERY_CODE_ENTROPY_BITS,
  recoveryCodeMatches,
} from './recovery-code.ts';

const SECRET = 'test-secret-for-recovery-codes';
const FORMAT = /^[2-9A-HJKMNP-TV-Z]{5}(-[2-9A-HJKMNP-TV-Z]{5}){4}$/;
const CODE = 'ABCDE-FGHJK-MNPQR-STVWX-YZ234';
const CANONICAL = 'ABCDEFGHJKMNPQRSTVWXYZ234';

/** A Random whose `int` replays the given values (and records how it was called). */
function scriptedRandom(values: number[]): Random & { calls: [number, number][] } {
  const calls: [number, number][] = [];
  let i = 0;
  return {
    calls,
    int(min, max) {
      calls.push([min, max]);
      return values[i++ % values.length] ?? 0;
    },
    bytes: () => {
      throw new Error('recovery codes must use int, not bytes');
    },
  };
}

const toFullWidth = (s: string) =>
  s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');

describe('alphabet and entropy', () => {
  it('is the 30 unambiguous symbols, without 0 O 1 I L U', () => {
    expect(RECOVERY_CODE_ALPHABET).toBe('23456789ABCDEFGHJKMNPQRSTVWXYZ');
    expect(new Set(RECOVERY_CODE_ALPHABET).size).toBe(30);
    for (const c of '0O1ILU') expect(RECOVERY_CODE_ALPHABET).not.toContain(c);
    const expected = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'].filter((c) => !'0O1ILU'.includes(c));
    expect([...RECOVERY_CODE_ALPHABET]).toEqual(expected);
  });

  it('has at least 120 bits: 25 uniform draws from 30 symbols', () => {
    expect(RECOVERY_CODE_ENTROPY_BITS).toBeCloseTo(25 * Math.log2(30), 10);
    expect(RECOVERY_CODE_ENTROPY_BITS).toBeGreaterThanOrEqual(120);
    const random = scriptedRandom([0]);
    generateRecoveryCode(random);
    expect(random.calls).toEqual(Array.from({ length: 25 }, () => [0, 30]));
  });

  it('maps every draw to its own symbol (no draw is wasted or folded)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 29 }), { minLength: 25, maxLength: 25 }), (draws) => {
        const canonical = generateRecoveryCode(scriptedRandom(draws)).replaceAll('-', '');
        expect([...canonical].map((c) => RECOVERY_CODE_ALPHABET.indexOf(c))).toEqual(draws);
      }),
    );
  });
});

describe('generateRecoveryCode', () => {
  it('formats 25 symbols as five groups of five', () => {
    expect(generateRecoveryCode(scriptedRandom([0]))).toBe('22222-22222-22222-22222-22222');
    expect(generateRecoveryCode(scriptedRandom([29]))).toBe('ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ');
    for (let i = 0; i < 50; i++) expect(generateRecoveryCode(cryptoRandom)).toMatch(FORMAT);
  });

  it('uses every symbol with the real random source', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++)
      for (const c of generateRecoveryCode(cryptoRandom).replaceAll('-', '')) seen.add(c);
    expect([...seen].sort().join('')).toBe(RECOVERY_CODE_ALPHABET);
  });

  it('does not repeat', () => {
    const codes = new Set(Array.from({ length: 1000 }, () => generateRecoveryCode(cryptoRandom)));
    expect(codes.size).toBe(1000);
  });
});

describe('normalizeRecoveryCode', () => {
  it.each([
    CODE,
    CANONICAL,
    CODE.toLowerCase(),
    'abcde fghjk mnpqr stvwx yz234',
    '  ABCDE - FGHJK - MNPQR - STVWX - YZ234  ',
    'aBcDe-FgHjK-mNpQr-StVwX-yZ234',
    'ABC-DEFGHJKMNPQRSTVWX-YZ234', // dashes anywhere
    toFullWidth(CODE), // ＡＢＣＤＥ－ＦＧＨＪＫ…
    toFullWidth(CODE.toLowerCase()),
    toFullWidth('ABCDE FGHJK MNPQR STVWX YZ234'), // ideographic spaces
    'ABCDEーFGHJKーMNPQRーSTVWXーYZ234', // katakana long-vowel mark, often typed as a dash
    'ABCDE\u2013FGHJK\u2014MNPQR\u2212STVWX\u2010YZ234',
    'ABCDE\tFGHJK\nMNPQR\u00A0STVWX\u200BYZ234',
  ])('reads %j', (input) => {
    expect(normalizeRecoveryCode(input)).toBe(CANONICAL);
  });

  it.each([
    ['empty', ''],
    ['too short', CANONICAL.slice(1)],
    ['too long', `${CANONICAL}2`],
    ['zero', `0${CANONICAL.slice(1)}`],
    ['letter O', `O${CANONICAL.slice(1)}`],
    ['one', `1${CANONICAL.slice(1)}`],
    ['letter I', `I${CANONICAL.slice(1)}`],
    ['letter L', `l${CANONICAL.slice(1)}`],
    ['letter U', `U${CANONICAL.slice(1)}`],
    ['punctuation', `${CANONICAL.slice(1)}!`],
    ['underscore separator', CODE.replaceAll('-', '_')],
    ['ß, which upper-cases to SS', 'ABCDEFGHJKMNPQRßTVWXYZ23'],
    ['non-Latin letters', 'АВСDEFGHJKMNPQRSTVWXYZ234'], // Cyrillic А В С
    ['huge input', `${CANONICAL}${' '.repeat(500)}`],
  ])('refuses %s', (_, input) => {
    expect(normalizeRecoveryCode(input)).toBeNull();
  });

  it.each([undefined, null, 42, {}, [CANONICAL]])('refuses the non-string %j', (input) => {
    expect(normalizeRecoveryCode(input)).toBeNull();
  });

  it('round-trips any generated code through case, spacing and width changes', () => {
    const separator = fc.constantFrom('', ' ', '-', '  ', '\u3000', '－', 'ー', '\u2013');
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 29 }), { minLength: 25, maxLength: 25 }),
        fc.array(fc.boolean(), { minLength: 25, maxLength: 25 }),
        fc.array(separator, { minLength: 26, maxLength: 26 }),
        fc.boolean(),
        (draws, lower, seps, fullWidth) => {
          const code = generateRecoveryCode(scriptedRandom(draws));
          const canonical = code.replaceAll('-', '');
          let typed: string = seps[0] ?? '';
          [...canonical].forEach((c, i) => {
            typed += (lower[i] ? c.toLowerCase() : c) + (seps[i + 1] ?? '');
          });
          if (fullWidth) typed = toFullWidth(typed);
          expect(normalizeRecoveryCode(typed)).toBe(canonical);
          expect(normalizeRecoveryCode(code)).toBe(canonical);
          expect(formatRecoveryCode(canonical)).toBe(code);
        },
      ),
    );
  });

  it('returns only canonical codes or null, for any input', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.stringMatching(/^[\w -]{20,40}$/)),
        (s) => {
          const out = normalizeRecoveryCode(s);
          if (out !== null) expect(out).toMatch(/^[2-9A-HJKMNP-TV-Z]{25}$/);
        },
      ),
    );
  });
});

describe('formatRecoveryCode', () => {
  it('groups the canonical form and refuses non-codes', () => {
    expect(formatRecoveryCode(CANONICAL)).toBe(CODE);
    expect(formatRecoveryCode(CODE.toLowerCase())).toBe(CODE);
    expect(() => formatRecoveryCode('nope')).toThrow(TypeError);
  });
});

describe('hashRecoveryCode / recoveryCodeMatches', () => {
  it('hashes the canonical form with HMAC-SHA256', () => {
    const expected = createHmac('sha256', SECRET).update(CANONICAL).digest('base64url');
    expect(hashRecoveryCode(SECRET, CODE)).toBe(expected);
    expect(hashRecoveryCode(SECRET, CODE.toLowerCase().replaceAll('-', ' '))).toBe(expected);
    expect(hashRecoveryCode(SECRET, CODE)).not.toContain(CANONICAL);
  });

  it('refuses to hash something that is not a code', () => {
    expect(() => hashRecoveryCode(SECRET, 'not a code')).toThrow(TypeError);
  });

  it('matches the right code however it is typed', () => {
    const stored = hashRecoveryCode(SECRET, CODE);
    for (const typed of [
      CODE,
      CANONICAL,
      CODE.toLowerCase(),
      toFullWidth(CODE),
      'abcde fghjk mnpqr stvwx yz234',
    ]) {
      expect(recoveryCodeMatches(SECRET, typed, stored)).toBe(true);
    }
  });

  it('refuses a wrong code, a malformed one, the wrong secret, and a garbage hash', () => {
    const stored = hashRecoveryCode(SECRET, CODE);
    expect(recoveryCodeMatches(SECRET, 'ABCDE-FGHJK-MNPQR-STVWX-YZ235', stored)).toBe(false);
    expect(recoveryCodeMatches(SECRET, 'ABCDE-FGHJK-MNPQR-STVWX-YZ23', stored)).toBe(false);
    expect(recoveryCodeMatches(SECRET, undefined, stored)).toBe(false);
    expect(recoveryCodeMatches(`${SECRET}x`, CODE, stored)).toBe(false);
    expect(recoveryCodeMatches(SECRET, CODE, '')).toBe(false);
    expect(recoveryCodeMatches(SECRET, CODE, stored.slice(1))).toBe(false);
  });

  it('refuses any single-symbol change to a generated code', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 29 }), { minLength: 25, maxLength: 25 }),
        fc.integer({ min: 0, max: 24 }),
        fc.integer({ min: 1, max: 29 }),
        (draws, position, shift) => {
          const code = generateRecoveryCode(scriptedRandom(draws));
          const stored = hashRecoveryCode(SECRET, code);
          const changed = draws.map((d, i) => (i === position ? (d + shift) % 30 : d));
          const other = generateRecoveryCode(scriptedRandom(changed));
          expect(recoveryCodeMatches(SECRET, code, stored)).toBe(true);
          expect(recoveryCodeMatches(SECRET, other, stored)).toBe(false);
        },
      ),
    );
  });
});
