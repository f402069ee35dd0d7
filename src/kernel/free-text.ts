/**
 * Free text that people type and other people read: display names, method labels, the personal phrase,
 * recovery-form answers, reviewers' reasons, service notices.
 *
 * The text is kept as typed — no NFKC, no case folding: full-width letters, variation selectors (異体字 IVS,
 * emoji presentation), emoji sequences stay as they are. Only whitespace is tidied (outer whitespace trimmed;
 * on one-line fields a run of whitespace, ideographic space included, becomes one space).
 *
 * What is refused is what would make the text blank or misleading when shown (Unicode TR #9 §2, UTS #39 §3,
 * UTS #55 §4.1.1, Unicode core spec §5.21 "Default ignorable code points"):
 * - `control`: C0/C1 controls (a newline and a tab are allowed in multi-line text), lone surrogates;
 * - `bidi`: explicit direction marks, embeddings, overrides and isolates (U+061C, U+200E–F, U+202A–E,
 *   U+2066–9), which reorder what is shown ("Trojan Source");
 * - `invisible`: default-ignorable and format characters (zero-width space, word joiner, soft hyphen, Hangul
 *   fillers U+115F U+1160 U+3164 U+FFA0, Khmer inherent vowels, tags, …) and the Braille blank U+2800, except
 *   where they belong: a variation selector right after a visible character, a zero-width joiner between two
 *   emoji (👨‍👩‍👧), a zero-width (non-)joiner between two letters of a script that uses joiners (Arabic,
 *   Indic, …), and tag characters in a flag sequence after U+1F3F4;
 * - `blank`: nothing visible is left once whitespace, marks and the characters above are set aside.
 */

export type TextProblem = 'control' | 'bidi' | 'invisible' | 'blank';

const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
/** Hangul fillers and the Braille blank: letters or symbols that show as nothing. */
const BLANK_LOOKING = /[\u115F\u1160\u3164\uFFA0\u2800]/u;
const IGNORABLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}]/u;
const VARIATION_SELECTOR = /[\uFE00-\uFE0F\u180B-\u180D\u180F\u{E0100}-\u{E01EF}]/u;
const JOINER = /[\u200C\u200D]/u;
const TAG = /[\u{E0020}-\u{E007F}]/u;
const PICTOGRAPHIC = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}]/u;
/** Scripts whose spelling needs ZWJ/ZWNJ (conjuncts, cursive joining). */
const JOINING_SCRIPT =
  /[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Nko}\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Gurmukhi}\p{Script=Gujarati}\p{Script=Oriya}\p{Script=Tamil}\p{Script=Telugu}\p{Script=Kannada}\p{Script=Malayalam}\p{Script=Sinhala}\p{Script=Mongolian}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]/u;
const MARK = /\p{M}/u;
const CONTROL = /[\p{Cc}\p{Cs}]/u;

/** Outer whitespace trimmed; one-line text: each whitespace run (U+3000 included) becomes one space. */
export function tidyText(input: string, multiline = false): string {
  if (multiline) return input.replace(/\r\n?/g, '\n').trim();
  return input.replace(/\s+/g, ' ').trim();
}

/** The nearest code point before `i` that is not a mark, a variation selector or a joiner, or ''. */
function baseBefore(cps: string[], i: number): string {
  for (let j = i - 1; j >= 0; j--) {
    const c = cps[j]!;
    if (MARK.test(c) || VARIATION_SELECTOR.test(c) || c === '\u200D') continue;
    return c;
  }
  return '';
}

function isVisible(c: string): boolean {
  return (
    c !== '' &&
    !/\s/u.test(c) &&
    !IGNORABLE.test(c) &&
    !BLANK_LOOKING.test(c) &&
    !MARK.test(c) &&
    !CONTROL.test(c)
  );
}

/**
 * What is wrong with a piece of free text (already tidied with `tidyText`), or null. Lengths are the
 * caller's rule. `multiline` allows newlines and tabs.
 */
export function textProblem(text: string, multiline = false): TextProblem | null {
  const cps = [...text];
  let visible = false;
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    if (CONTROL.test(c)) {
      if (multiline && (c === '\n' || c === '\t')) continue;
      return 'control';
    }
    if (BIDI.test(c)) return 'bidi';
    if (BLANK_LOOKING.test(c)) return 'invisible';
    if (VARIATION_SELECTOR.test(c)) {
      if (!isVisible(cps[i - 1] ?? '')) return 'invisible';
      continue;
    }
    if (JOINER.test(c)) {
      const before = baseBefore(cps, i);
      const after = cps[i + 1] ?? '';
      const emoji = c === '\u200D' && PICTOGRAPHIC.test(before) && PICTOGRAPHIC.test(after);
      const script = JOINING_SCRIPT.test(before) && JOINING_SCRIPT.test(after);
      if (!emoji && !script) return 'invisible';
      continue;
    }
    if (TAG.test(c)) {
      const prev = cps[i - 1] ?? '';
      if (prev !== '\u{1F3F4}' && !(TAG.test(prev) && prev !== '\u{E007F}')) return 'invisible';
      continue;
    }
    if (IGNORABLE.test(c)) return 'invisible';
    if (isVisible(c)) visible = true;
  }
  return visible ? null : 'blank';
}

/** Tidies `input` and checks it: the text to keep, or null when it is not a string or has a problem. */
export function cleanFreeText(input: unknown, o: { maxLength: number; multiline?: boolean }): string | null {
  if (typeof input !== 'string' || input.length > o.maxLength * 8) return null;
  const s = tidyText(input, o.multiline);
  if ([...s].length > o.maxLength) return null;
  return textProblem(s, o.multiline) === null ? s : null;
}
