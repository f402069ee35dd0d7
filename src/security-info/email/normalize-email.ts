/**
 * Email normalisation. People paste addresses from IMEs, chat apps and PDFs, so we fold the
 * usual invisible noise away before validating or comparing:
 *
 * - zero-width and bidi formatting characters (U+200B…, U+FEFF, soft hyphen) are removed;
 * - NFKC turns full-width forms into ASCII (`ｔａｒｏ＠ｇｍａｉｌ．ｃｏｍ` → `taro@gmail.com`);
 * - leading/trailing Unicode whitespace (including the ideographic space U+3000) is trimmed;
 * - the domain is lower-cased. The local part keeps its case: it is, strictly, case-sensitive
 *   and we send mail to exactly what the person typed.
 *
 * Whitespace or control characters *inside* the address are kept, so syntax checking rejects them.
 */

/** Invisible formatting characters that are never meaningful inside an address. */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;

function normalizeOnce(input: string): string {
  const s = input.replace(INVISIBLE, '').normalize('NFKC').replace(INVISIBLE, '').trim();
  const at = s.lastIndexOf('@');
  if (at < 0) return s;
  return `${s.slice(0, at + 1)}${s
    .slice(at + 1)
    .toLowerCase()
    .normalize('NFKC')}`;
}

/** Normalised form of an address as typed: what we store and send to. Never throws. */
export function normalizeEmail(input: string): string {
  // One pass is a fixed point for all realistic input; a couple more make idempotence hold even
  // for contrived sequences (e.g. lower-casing that yields a newly composable pair).
  let current = normalizeOnce(input);
  for (let i = 0; i < 3; i++) {
    const next = normalizeOnce(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

/** Comparison key: the normalised address fully lower-cased. Two addresses are "the same" iff keys match. */
export function emailKey(email: string): string {
  return normalizeEmail(email).toLowerCase();
}

/** Providers that deliver `t.a.r.o@…` to `taro@…` (dots in the local part are ignored), and their aliases. */
const DOTS_IGNORED: Record<string, string> = { 'gmail.com': 'gmail.com', 'googlemail.com': 'gmail.com' };

/**
 * The mailbox an address is delivered to, for counting what is sent there: the comparison key with
 * sub-addressing removed (`taro+news@…` → `taro@…`, for every domain) and, for providers that ignore dots,
 * the dots removed and the domain's aliases merged (`t.a.r.o@googlemail.com` → `taro@gmail.com`).
 * Never used as an address to send to: what the person typed is stored and used.
 */
export function mailboxKey(email: string): string {
  const key = emailKey(email);
  const at = key.lastIndexOf('@');
  if (at <= 0) return key;
  let local = key.slice(0, at);
  let domain = key.slice(at + 1);
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  const canonical = DOTS_IGNORED[domain];
  if (canonical) {
    domain = canonical;
    local = local.replace(/\./g, '') || local;
  }
  return `${local}@${domain}`;
}
