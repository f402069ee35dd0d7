/** Optional label for a method ("仕事用", "Personal"): NFKC, trimmed, ≤ 40 code points, no control chars. */
export function normalizeLabel(input: unknown): string | null {
  if (input === undefined || input === null) return '';
  if (typeof input !== 'string' || input.length > 400) return null;
  const s = input.normalize('NFKC').replace(/\s+/g, ' ').trim();
  if ([...s].length > 40 || /[\p{Cc}\p{Cf}<>]/u.test(s)) return null;
  return s;
}
