/** Display name: NFKC, trimmed, 1–64 code points, no control or format characters. */
export function normalizeDisplayName(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 512) return null;
  const s = input.normalize('NFKC').replace(/\s+/g, ' ').trim();
  const length = [...s].length;
  if (length < 1 || length > 64) return null;
  if (/[\p{Cc}\p{Cf}<>]/u.test(s)) return null;
  return s;
}
