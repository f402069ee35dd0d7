/**
 * Codes and identifiers read the way a person types them. Every code entry (email and SMS codes,
 * authenticator codes, recovery codes, operator authenticator codes, message references) goes through here,
 * so `123-456`, `123 456`, `１２３ ４５６` and `１２３－４５６` are read alike everywhere.
 *
 * NFKC first (full-width digits and letters, ideographic space, full-width hyphen), then whitespace, dashes
 * of every kind (including `ー`, which Japanese IMEs produce for `-`) and zero-width characters dragged along
 * by copy-paste are dropped. Free text (labels, names) never comes here: it is kept as typed
 * (kernel/free-text.ts).
 */

/** Anything a person might type between groups of a code, after NFKC. */
const SEPARATORS = /[\s\-\u2010-\u2015\u2212\u2E3A\u2E3B\u30FC\uFE58\uFE63\uFF0D\uFF70]/gu;
/** Zero-width characters that copy-paste sometimes drags along; `\s` does not cover them. */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;
/** Far more than any plausible formatting of a code; keeps NFKC away from huge inputs. */
const MAX_INPUT_LENGTH = 200;

/** The characters of a typed code without separators, or null when the input is not a string or is huge. */
export function compactCode(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return null;
  return input.normalize('NFKC').replace(INVISIBLE, '').replace(SEPARATORS, '');
}

/** Number of digits of every one-time code Mamori sends or an authenticator app shows. */
export const CODE_DIGITS = 6;

export type DigitCode = { ok: true; code: string } | { ok: false; problem: 'format' };

/**
 * A one-time code of `digits` ASCII digits. Anything else — too short, too long, letters — is a `format`
 * problem: the person gets "enter the 6 digits" and no try is spent (the code was never compared).
 */
export function readDigitCode(input: unknown, digits = CODE_DIGITS): DigitCode {
  const s = compactCode(input);
  if (s === null || s.length !== digits || !/^[0-9]+$/.test(s)) return { ok: false, problem: 'format' };
  return { ok: true, code: s };
}
