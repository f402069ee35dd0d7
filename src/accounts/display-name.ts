import { cleanFreeText } from '../kernel/free-text.ts';

/**
 * Display name: kept as typed (no NFKC), whitespace tidied, 1–64 code points, no `<` or `>`, and nothing that
 * shows as blank or misleading — controls, direction overrides, invisible or filler characters
 * (kernel/free-text.ts). Null when refused.
 */
export function normalizeDisplayName(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 512) return null;
  const s = cleanFreeText(input, { maxLength: 64 });
  if (s === null || /[<>]/.test(s)) return null;
  return s;
}
