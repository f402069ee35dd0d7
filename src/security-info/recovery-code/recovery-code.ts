/**
 * Account recovery code, modelled on Microsoft's: 25 characters in five groups of five (`ABCDE-FGHJK-…`),
 * not case-sensitive, dashes and spaces optional. Shown once; only an HMAC of it is stored.
 *
 * Alphabet: the 30 symbols `23456789ABCDEFGHJKMNPQRSTVWXYZ`, i.e. digits and upper-case letters without
 * 0 and O, 1 and I and L (look alike), and U (looks like V). There are only 30 such symbols, not 32, so the
 * code is not base32; each symbol is drawn uniformly with `random.int`, which gives
 * 25 × log2(30) ≈ 122.7 bits of entropy (NIST 800-63B asks for at least 64 bits; ≥ 112 bits also makes a
 * fast keyed hash an acceptable way to store it, so no password hash is needed).
 *
 * Since 0/O/1/I/L/U are never printed, input containing them is refused rather than guessed at.
 */
import { hmac, safeEqual } from '../../kernel/crypto.ts';
import { compactCode } from '../../kernel/input.ts';
import type { Random } from '../../kernel/random.ts';

export const RECOVERY_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const RECOVERY_CODE_LENGTH = 25;
/** 25 × log2(30) ≈ 122.7. */
export const RECOVERY_CODE_ENTROPY_BITS = RECOVERY_CODE_LENGTH * Math.log2(RECOVERY_CODE_ALPHABET.length);

const CANONICAL = /^[2-9A-HJKMNP-TV-Z]{25}$/;

/** A new code, formatted for display: `XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`. */
export function generateRecoveryCode(random: Random): string {
  let canonical = '';
  for (let i = 0; i < RECOVERY_CODE_LENGTH; i++) {
    canonical += RECOVERY_CODE_ALPHABET[random.int(0, RECOVERY_CODE_ALPHABET.length)];
  }
  return formatRecoveryCode(canonical);
}

/** Display form of a canonical (or any normalisable) code; throws if it is not a recovery code. */
export function formatRecoveryCode(code: string): string {
  const canonical = normalizeRecoveryCode(code);
  if (canonical === null) throw new TypeError('not a recovery code');
  return (canonical.match(/.{5}/g) ?? []).join('-');
}

/**
 * The canonical 25 upper-case symbols, or `null`.
 * NFKC first (full-width letters and digits, full-width hyphen, ideographic space), then whitespace, dashes
 * (including `ー` and other Unicode dashes) and zero-width characters are dropped anywhere, and case is ignored.
 */
export function normalizeRecoveryCode(input: unknown): string | null {
  const s = compactCode(input); // kernel/input.ts, the one reader of every code
  if (s === null) return null;
  // ASCII only before upper-casing: `toUpperCase` turns some non-ASCII letters into ASCII ones (ß → SS).
  if (!/^[0-9A-Za-z]+$/.test(s)) return null;
  const upper = s.toUpperCase();
  return CANONICAL.test(upper) ? upper : null;
}

/** What to store: HMAC-SHA256 (base64url) of the canonical form. Throws if `code` is not a recovery code. */
export function hashRecoveryCode(secret: string, code: string): string {
  const canonical = normalizeRecoveryCode(code);
  if (canonical === null) throw new TypeError('not a recovery code');
  return hmac(secret, canonical);
}

/** Whether the typed `input` is the code behind `storedHash`; the hashes are compared in constant time. */
export function recoveryCodeMatches(secret: string, input: unknown, storedHash: string): boolean {
  const canonical = normalizeRecoveryCode(input);
  if (canonical === null) return false;
  return safeEqual(hmac(secret, canonical), storedHash);
}
