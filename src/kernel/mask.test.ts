import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lastDigits, maskEmail, maskPhone } from './mask.ts';

describe('maskEmail', () => {
  it('shows two characters of the local part, five asterisks and the domain', () => {
    expect(maskEmail('taro.yamada@gmail.com')).toBe('ta*****@gmail.com');
    expect(maskEmail('abc@docomo.ne.jp')).toBe('ab*****@docomo.ne.jp');
  });

  it('shows only one character of a local part of one or two characters', () => {
    expect(maskEmail('t@gmail.com')).toBe('t*****@gmail.com');
    expect(maskEmail('ta@gmail.com')).toBe('t*****@gmail.com');
  });

  it('does not split characters outside the BMP', () => {
    expect(maskEmail('😀😀😀@example.com')).toBe('😀😀*****@example.com');
  });

  it('handles input without an @', () => {
    expect(maskEmail('taro')).toBe('ta*****');
    expect(maskEmail('')).toBe('*****');
  });

  it('never reveals the length of the local part', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9.]{3,64}$/), (local) => {
        const masked = maskEmail(`${local}@example.com`);
        expect(masked).toBe(`${local.slice(0, 2)}*****@example.com`);
      }),
    );
  });
});

describe('maskPhone', () => {
  it('shows seven asterisks and the last two digits', () => {
    expect(maskPhone('+819012345678')).toBe('*******78');
    expect(maskPhone('+12015550123')).toBe('*******23');
  });
});

describe('lastDigits', () => {
  it('returns the last digits of the number', () => {
    expect(lastDigits('+819012345678', 4)).toBe('5678');
    expect(lastDigits('+819012345678')).toBe('5678');
    expect(lastDigits('+819012345678', 2)).toBe('78');
    expect(lastDigits('+81 90-1234-5678', 4)).toBe('5678');
    expect(lastDigits('+1', 4)).toBe('1');
    expect(lastDigits('+819012345678', 0)).toBe('');
  });
});
