import { execFileSync } from 'node:child_process';
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Random } from '../../kernel/random.ts';
import {
  generateTotpSecret,
  manualEntryKey,
  qrCodeSvg,
  totpCode,
  totpKeyUri,
  totpStep,
  verifyTotp,
} from './totp.ts';

/**
 * Reference codes come from an implementation that is not ours: OATH Toolkit's `oathtool`
 * (Debian: `apt-get install -y oathtool`).
 */
function oathtool(secret: Uint8Array, unixSeconds: number): string {
  return execFileSync(
    'oathtool',
    ['--totp', '-b', '-N', `@${unixSeconds}`, encodeBase32UpperCaseNoPadding(secret)],
    { encoding: 'utf8' },
  ).trim();
}

function hasOathtool(): boolean {
  try {
    execFileSync('oathtool', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** RFC 6238 Appendix B SHA-1 seed: ASCII "12345678901234567890". */
const RFC_SECRET = new TextEncoder().encode('12345678901234567890');
/** 2026-11-24T00:00:10Z: 10 s into a step. */
const NOW_S = 1795478410;
const NOW = new Date(NOW_S * 1000);
const SECRET = Uint8Array.from({ length: 20 }, (_, i) => (i * 37 + 11) & 0xff);

function fixedRandom(bytes: number[]): Random {
  return { int: () => 0, bytes: (n) => Buffer.from(bytes.slice(0, n)) };
}

describe('RFC 6238 Appendix B vectors (SHA-1, last 6 of the 8 digits)', () => {
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
    [20000000000, '353130'],
  ])('at %i s the code is %s', (t, code) => {
    const now = new Date(t * 1000);
    expect(totpCode(RFC_SECRET, now)).toBe(code);
    expect(verifyTotp(RFC_SECRET, code, now, null)).toEqual({ ok: true, step: Math.floor(t / 30) });
  });
});

describe('totpStep', () => {
  it('is floor(unix seconds / 30)', () => {
    expect(totpStep(new Date(0))).toBe(0);
    expect(totpStep(new Date(29_999))).toBe(0);
    expect(totpStep(new Date(30_000))).toBe(1);
    expect(totpStep(new Date(59_000))).toBe(1);
    expect(totpStep(NOW)).toBe(Math.floor(NOW_S / 30));
  });

  it('refuses an invalid date', () => {
    expect(() => totpStep(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('generateTotpSecret', () => {
  it('takes 20 bytes (160 bits) from the injected random source', () => {
    const bytes = Array.from({ length: 20 }, (_, i) => i + 1);
    const secret = generateTotpSecret(fixedRandom(bytes));
    expect(secret).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(secret)).toBe(false);
    expect([...secret]).toEqual(bytes);
  });
});

describe.runIf(hasOathtool())('verifyTotp against oathtool', () => {
  const step = totpStep(NOW);

  it('accepts the current code and returns the current step', () => {
    expect(verifyTotp(SECRET, oathtool(SECRET, NOW_S), NOW, null)).toEqual({ ok: true, step });
  });

  it('accepts the previous and the next step', () => {
    expect(verifyTotp(SECRET, oathtool(SECRET, NOW_S - 30), NOW, null)).toEqual({ ok: true, step: step - 1 });
    expect(verifyTotp(SECRET, oathtool(SECRET, NOW_S + 30), NOW, null)).toEqual({ ok: true, step: step + 1 });
  });

  it('refuses codes two steps away', () => {
    expect(verifyTotp(SECRET, oathtool(SECRET, NOW_S - 60), NOW, null)).toEqual({
      ok: false,
      reason: 'wrong',
    });
    expect(verifyTotp(SECRET, oathtool(SECRET, NOW_S + 60), NOW, null)).toEqual({
      ok: false,
      reason: 'wrong',
    });
  });

  it('refuses the same step twice as a replay', () => {
    const code = oathtool(SECRET, NOW_S);
    const first = verifyTotp(SECRET, code, NOW, null);
    expect(first).toEqual({ ok: true, step });
    if (!first.ok) throw new Error('unreachable');
    expect(verifyTotp(SECRET, code, NOW, first.step)).toEqual({ ok: false, reason: 'replayed' });
    // Still refused a few seconds later, within the same step and the one after it.
    expect(verifyTotp(SECRET, code, new Date((NOW_S + 15) * 1000), first.step)).toEqual({
      ok: false,
      reason: 'replayed',
    });
    expect(verifyTotp(SECRET, code, new Date((NOW_S + 30) * 1000), first.step)).toEqual({
      ok: false,
      reason: 'replayed',
    });
  });

  it('refuses a code for step s-1 once step s has been used', () => {
    const previous = oathtool(SECRET, NOW_S - 30);
    expect(verifyTotp(SECRET, previous, NOW, step)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('accepts a newer step after an older one was used', () => {
    expect(verifyTotp(SECRET, oathtool(SECRET, NOW_S), NOW, step - 1)).toEqual({ ok: true, step });
    expect(verifyTotp(SECRET, oathtool(SECRET, NOW_S + 30), NOW, step)).toEqual({ ok: true, step: step + 1 });
  });

  it('refuses a code for another secret as wrong, even when a step was used', () => {
    const other = Uint8Array.from(SECRET, (b) => b ^ 0xff);
    const code = oathtool(other, NOW_S);
    if (code !== oathtool(SECRET, NOW_S) && code !== oathtool(SECRET, NOW_S - 30)) {
      expect(verifyTotp(SECRET, code, NOW, step)).toEqual({ ok: false, reason: 'wrong' });
    }
  });

  it('accepts spaces, full-width digits and ideographic spaces', () => {
    const code = oathtool(SECRET, NOW_S);
    const fullWidth = [...code].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
    for (const typed of [
      `${code.slice(0, 3)} ${code.slice(3)}`,
      ` ${code} `,
      fullWidth,
      `${fullWidth.slice(0, 3)}\u3000${fullWidth.slice(3)}`,
      `\u200B${code}`,
    ]) {
      expect(verifyTotp(SECRET, typed, NOW, null)).toEqual({ ok: true, step });
    }
  });

  it('gives our code for any time, matching oathtool, for random secrets', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 64 }),
        fc.integer({ min: 60_000, max: 4_102_444_800_000 }), // 1970 … 2100, in ms
        (secret, ms) => {
          const now = new Date(ms);
          const expected = oathtool(secret, Math.floor(ms / 1000));
          expect(totpCode(secret, now)).toBe(expected);
          const result = verifyTotp(secret, expected, now, null);
          expect(result.ok).toBe(true);
          if (result.ok) expect(result.step).toBeGreaterThanOrEqual(totpStep(now));
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('verifyTotp input handling', () => {
  it('reads a code the way email and SMS codes are read (kernel/input.ts)', () => {
    const code = totpCode(SECRET, NOW);
    const wide = code.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    for (const typed of [`${code.slice(0, 3)}-${code.slice(3)}`, `${wide.slice(0, 3)} ${wide.slice(3)}`])
      expect(verifyTotp(SECRET, typed, NOW, null).ok).toBe(true);
  });

  it.each([
    '',
    '12345',
    '1234567',
    '12345a',
    '١٢٣٤٥٦', // Arabic-Indic digits: not folded by NFKC
    '1'.repeat(65),
  ])('calls %j malformed', (code) => {
    expect(verifyTotp(SECRET, code, NOW, null)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('calls a non-string malformed', () => {
    expect(verifyTotp(SECRET, 123456 as unknown as string, NOW, null)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('never accepts when lastUsedStep is NaN (fails closed)', () => {
    const code = totpCode(SECRET, NOW);
    expect(verifyTotp(SECRET, code, NOW, Number.NaN)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('works at the epoch (no negative step)', () => {
    const epoch = new Date(0);
    expect(verifyTotp(SECRET, totpCode(SECRET, epoch), epoch, null)).toEqual({ ok: true, step: 0 });
  });

  it('accepts a 6-digit code exactly when it is one of the three window codes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999 }), (n) => {
        const code = String(n).padStart(6, '0');
        const result = verifyTotp(SECRET, code, NOW, null);
        const window = [-30, 0, 30].map((d) => totpCode(SECRET, new Date((NOW_S + d) * 1000)));
        expect(result.ok).toBe(window.includes(code));
      }),
    );
  });
});

describe('totpKeyUri', () => {
  it('builds the documented otpauth URI', () => {
    expect(totpKeyUri({ issuer: 'Mamori', accountName: 'taro@example.jp', secret: RFC_SECRET })).toBe(
      'otpauth://totp/Mamori:taro%40example.jp?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' +
        '&issuer=Mamori&algorithm=SHA1&digits=6&period=30',
    );
  });

  it('parses with new URL, carries the base32 secret, and survives Japanese and spaces', () => {
    const secret = SECRET;
    const uri = totpKeyUri({ issuer: '守り サービス', accountName: '山田 太郎@例え.jp', secret });
    expect(uri).not.toContain(' ');
    expect(uri).not.toContain('+');
    const url = new URL(uri);
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/守り サービス:山田 太郎@例え.jp');
    expect(url.searchParams.get('secret')).toBe(encodeBase32UpperCaseNoPadding(secret));
    expect(url.searchParams.get('issuer')).toBe('守り サービス');
    expect(url.searchParams.get('algorithm')).toBe('SHA1');
    expect(url.searchParams.get('digits')).toBe('6');
    expect(url.searchParams.get('period')).toBe('30');
  });

  it('encodes characters that would otherwise break the URI', () => {
    const url = new URL(totpKeyUri({ issuer: 'A&B=C?#', accountName: 'x:y/z#1', secret: SECRET }));
    expect(url.searchParams.get('issuer')).toBe('A&B=C?#');
    expect(url.hash).toBe('');
    expect(decodeURIComponent(url.pathname)).toBe('/A&B=C?#:x:y/z#1');
  });

  it('refuses an issuer with a colon or empty names', () => {
    expect(() => totpKeyUri({ issuer: 'a:b', accountName: 'x', secret: SECRET })).toThrow(TypeError);
    expect(() => totpKeyUri({ issuer: '', accountName: 'x', secret: SECRET })).toThrow(TypeError);
    expect(() => totpKeyUri({ issuer: 'Mamori', accountName: '', secret: SECRET })).toThrow(TypeError);
  });
});

describe('manualEntryKey', () => {
  it('groups base32 by four', () => {
    const hello = Uint8Array.from([...Buffer.from('Hello!'), 0xde, 0xad, 0xbe, 0xef]);
    expect(manualEntryKey(hello)).toBe('JBSW Y3DP EHPK 3PXP');
    expect(manualEntryKey(RFC_SECRET)).toBe('GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ');
  });

  it('round-trips to the secret bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (secret) => {
        const key = manualEntryKey(secret);
        expect(key).toMatch(/^[A-Z2-7]{1,4}( [A-Z2-7]{1,4})*$/);
        const compact = key.replaceAll(' ', '');
        const padded = compact.padEnd(Math.ceil(compact.length / 8) * 8, '=');
        expect([...decodeBase32(padded)]).toEqual([...secret]);
      }),
    );
  });
});

describe('qrCodeSvg', () => {
  it('renders an SVG', async () => {
    const svg = await qrCodeSvg(totpKeyUri({ issuer: '守り', accountName: '太郎', secret: SECRET }));
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });
});

/** Independent RFC 4648 base32 decoder for the round-trip test (not @oslojs/encoding). */
function decodeBase32(s: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of s.replace(/=+$/, '')) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error(`bad base32 ${ch}`);
    buffer = (buffer << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}
