import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailKey, normalizeEmail } from './normalize-email.ts';

/** Full-width form of a printable ASCII character (U+FF01–U+FF5E). */
const toFullWidth = (s: string): string =>
  s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x21 + 0xff01));

const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)) }),
);

describe('normalizeEmail', () => {
  it('folds full-width characters to ASCII', () => {
    expect(normalizeEmail('ｔａｒｏ＠ｇｍａｉｌ．ｃｏｍ')).toBe('taro@gmail.com');
  });

  it('trims ASCII and Unicode whitespace, including the ideographic space', () => {
    expect(normalizeEmail('  taro@gmail.com\t\n')).toBe('taro@gmail.com');
    expect(normalizeEmail('\u3000taro@gmail.com\u3000')).toBe('taro@gmail.com');
    expect(normalizeEmail('\u00a0\u2003taro@gmail.com\u202f')).toBe('taro@gmail.com');
  });

  it('removes zero-width and other invisible formatting characters anywhere', () => {
    expect(normalizeEmail('\ufefftaro\u200b@gm\u200cail\u200d.com\u2060')).toBe('taro@gmail.com');
    expect(normalizeEmail('\u200e\u202ataro@gmail.com\u202c')).toBe('taro@gmail.com');
  });

  it('lower-cases the domain but keeps the case of the local part', () => {
    expect(normalizeEmail('Taro.Yamada@GMail.COM')).toBe('Taro.Yamada@gmail.com');
  });

  it('lower-cases only after the last @', () => {
    expect(normalizeEmail('A@B@EXAMPLE.COM')).toBe('A@B@example.com');
  });

  it('keeps whitespace inside the address so that validation can refuse it', () => {
    expect(normalizeEmail('taro yamada@gmail.com')).toBe('taro yamada@gmail.com');
    expect(normalizeEmail('taro\u3000@gmail.com')).toBe('taro @gmail.com');
  });

  it('leaves strings without @ otherwise intact', () => {
    expect(normalizeEmail(' ＡＢＣ ')).toBe('ABC');
    expect(normalizeEmail('')).toBe('');
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const once = normalizeEmail(s);
        expect(normalizeEmail(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        expect(typeof normalizeEmail(s)).toBe('string');
        expect(typeof emailKey(s)).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('emailKey', () => {
  it('is the fully lower-cased normalised address', () => {
    expect(emailKey(' Taro.Yamada@GMAIL.com ')).toBe('taro.yamada@gmail.com');
    expect(emailKey('ＴＡＲＯ＠ＧＭＡＩＬ．ＣＯＭ')).toBe('taro@gmail.com');
  });

  it('maps full-width variants of an address to the key of the half-width one', () => {
    const local = fc.stringMatching(/^[A-Za-z0-9._%+-]{1,20}$/);
    const label = fc.stringMatching(/^[A-Za-z0-9-]{1,15}$/);
    const address = fc.tuple(
      local,
      fc.array(label, { minLength: 1, maxLength: 3 }),
      fc.constantFrom('com', 'jp', 'Net'),
    );
    fc.assert(
      fc.property(
        address,
        fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
        ([l, labels, tld], mask) => {
          const ascii = `${l}@${[...labels, tld].join('.')}`;
          // Convert an arbitrary subset of characters to full width.
          const mixed = Array.from(ascii)
            .map((c, i) => (mask[i % mask.length] ? toFullWidth(c) : c))
            .join('');
          expect(emailKey(mixed)).toBe(emailKey(ascii));
          expect(emailKey(toFullWidth(ascii))).toBe(ascii.toLowerCase());
        },
      ),
    );
  });
});
