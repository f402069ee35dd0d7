import { cleanFreeText } from '../kernel/free-text.ts';

/**
 * Optional label for a method ("仕事用", "Personal"): kept as typed (no NFKC), whitespace tidied, ≤ 40 code
 * points, no `<` or `>`, nothing invisible or misleading (kernel/free-text.ts). '' (no label) for an absent or
 * empty one; null when refused.
 */
export function normalizeLabel(input: unknown): string | null {
  if (input === undefined || input === null) return '';
  if (typeof input !== 'string' || input.length > 400) return null;
  if (input.trim() === '') return '';
  const s = cleanFreeText(input, { maxLength: 40 });
  if (s === null || /[<>]/.test(s)) return null;
  return s;
}
