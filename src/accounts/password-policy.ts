import { readFileSync } from 'node:fs';

/**
 * Password rules, after NIST SP 800-63B: a length range and a blocklist, no composition rules.
 * Length is counted in Unicode code points after NFKC, so `パスワード１２３４` is 9 characters and
 * half-width kana with voiced marks count as the composed character people see.
 */

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

export type PasswordCheck =
  | { ok: true }
  | {
      ok: false;
      code: 'password.too_short' | 'password.too_long' | 'password.common' | 'password.contains_email';
      params: Record<string, number | string>;
    };

export interface PasswordContext {
  email?: string;
  displayName?: string;
}

let common: Set<string> | undefined;

/**
 * The shipped list of common passwords (lower-cased), loaded once on first use.
 * Source and licence: common-passwords.README.md.
 */
export function commonPasswords(): ReadonlySet<string> {
  if (!common) {
    const text = readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8');
    common = new Set(text.split('\n').filter((line) => line !== ''));
  }
  return common;
}

function fold(value: string): string {
  return value.normalize('NFKC').trim().toLowerCase();
}

/** Checks a new password. The password itself is never included in the result. */
export function checkPassword(password: string, ctx: PasswordContext): PasswordCheck {
  // NFKC changes lengths by a small bounded factor; anything this long is too long either way,
  // and we refuse it before spending time normalising it.
  if (password.length > PASSWORD_MAX_LENGTH * 16) {
    return { ok: false, code: 'password.too_long', params: { max: PASSWORD_MAX_LENGTH } };
  }
  const normalized = password.normalize('NFKC');
  const length = Array.from(normalized).length;
  if (length < PASSWORD_MIN_LENGTH) {
    return { ok: false, code: 'password.too_short', params: { min: PASSWORD_MIN_LENGTH } };
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return { ok: false, code: 'password.too_long', params: { max: PASSWORD_MAX_LENGTH } };
  }

  const lowered = normalized.toLowerCase();
  const personal: string[] = [];
  if (ctx.email) {
    const email = fold(ctx.email);
    personal.push(email);
    const at = email.lastIndexOf('@');
    if (at > 0) personal.push(email.slice(0, at));
  }
  if (ctx.displayName) personal.push(fold(ctx.displayName));
  if (personal.some((value) => value !== '' && value === lowered)) {
    return { ok: false, code: 'password.contains_email', params: {} };
  }

  if (commonPasswords().has(lowered)) return { ok: false, code: 'password.common', params: {} };
  return { ok: true };
}

/**
 * Whether a password and the personal phrase are the same text as a person reads it: NFKC-normalised and
 * trimmed (full-width letters, ideographic spaces and spaces around it do not make them different).
 */
export function isSamePhrase(password: string, phrase: string): boolean {
  const norm = (v: string) => v.normalize('NFKC').trim();
  return norm(phrase) !== '' && norm(password) === norm(phrase);
}
