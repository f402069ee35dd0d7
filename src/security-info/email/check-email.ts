import { createRequire } from 'node:module';
import { run as spellCheck } from '@zootools/email-spell-checker';
import { emailKey, normalizeEmail } from './normalize-email.ts';

/* ------------------------------------------------------------------------------------------------
 * Syntax
 * ---------------------------------------------------------------------------------------------- */

/** RFC 5322 `atext`, plus dots (dot placement is checked separately). */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const TLD = /^[A-Za-z]{2,63}$/;
const MAX_EMAIL_LENGTH = 254;

function checkDomainSyntax(domain: string): boolean {
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  if (!labels.every((label) => DOMAIN_LABEL.test(label))) return false;
  return TLD.test(labels[labels.length - 1] ?? '');
}

/**
 * Pragmatic address syntax check of an already normalised address: exactly one `@`; a dot-atom
 * local part of 1–64 characters; a domain of at least two LDH labels (1–63 characters, no leading
 * or trailing hyphen) whose last label is ≥ 2 letters; at most 254 characters; ASCII only.
 * Quoted local parts, IP-literal domains and internationalised addresses are refused on purpose.
 */
export function checkEmailSyntax(email: string): boolean {
  if (email.length > MAX_EMAIL_LENGTH) return false;
  const at = email.indexOf('@');
  if (at < 0 || at !== email.lastIndexOf('@')) return false;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (!LOCAL_PART.test(local)) return false;
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  return checkDomainSyntax(domain);
}

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

/* ------------------------------------------------------------------------------------------------
 * Disposable domains
 * ---------------------------------------------------------------------------------------------- */

let disposable: Set<string> | undefined;

function disposableDomains(): Set<string> {
  if (!disposable) {
    const require = createRequire(import.meta.url);
    const exact = require('disposable-email-domains') as string[];
    const wildcard = require('disposable-email-domains/wildcard.json') as string[];
    disposable = new Set([...exact, ...wildcard].map((d) => d.toLowerCase()));
  }
  return disposable;
}

/** True when `domain`, or any parent domain of it (`x.mailinator.com`), is a known throwaway provider. */
export function isDisposableDomain(domain: string): boolean {
  const labels = domain.trim().toLowerCase().replace(/\.$/, '').split('.');
  const set = disposableDomains();
  // Stop before the bare TLD: the list has no single-label entries, and never should.
  for (let i = 0; i < labels.length - 1; i++) {
    if (set.has(labels.slice(i).join('.'))) return true;
  }
  return false;
}

/* ------------------------------------------------------------------------------------------------
 * Typo suggestions
 * ---------------------------------------------------------------------------------------------- */

/**
 * Mail domains people actually use here. An exact match is never "corrected"; a near miss is
 * corrected to its closest entry. The library's own default list is English-centric and would
 * turn docomo.ne.jp into docomo.net, so we always pass ours.
 */
export const KNOWN_MAIL_DOMAINS: readonly string[] = [
  // Global webmail
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'aol.com',
  'protonmail.com',
  'proton.me',
  'pm.me',
  'fastmail.com',
  'zoho.com',
  'gmx.com',
  // Japanese webmail and ISPs
  'yahoo.co.jp',
  'ymail.ne.jp',
  'outlook.jp',
  'hotmail.co.jp',
  'live.jp',
  'rakuten.jp',
  'nifty.com',
  'biglobe.ne.jp',
  'so-net.ne.jp',
  'ocn.ne.jp',
  'plala.or.jp',
  'ybb.ne.jp',
  'dion.ne.jp',
  'zaq.ne.jp',
  'excite.co.jp',
  'goo.jp',
  'livedoor.com',
  'infoseek.jp',
  // Japanese mobile carriers
  'docomo.ne.jp',
  'ezweb.ne.jp',
  'au.com',
  'softbank.ne.jp',
  'i.softbank.jp',
  'ymobile.ne.jp',
  'uqmobile.jp',
  'mineo.jp',
];

/** Every delegated two-letter country-code TLD, so that a real ccTLD (.jo, .cm) is never "corrected". */
const COUNTRY_TLDS = (
  'ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br bs bt bw by ' +
  'bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et eu fi ' +
  'fj fk fm fo fr ga gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in ' +
  'io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md ' +
  'me mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe ' +
  'pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss ' +
  'st su sv sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn ' +
  'vu wf ws ye yt za zm zw'
).split(' ');

/**
 * Suffixes (everything after a domain's first label) we will correct a near miss *to*. The order
 * matters for ties: the library picks the first closest entry, so `con` becomes `com`, not `co`.
 */
const CORE_SUFFIXES: readonly string[] = [
  'com',
  'net',
  'org',
  'jp',
  'co.jp',
  'ne.jp',
  'or.jp',
  'ac.jp',
  'go.jp',
  'ad.jp',
  'ed.jp',
  'gr.jp',
  'lg.jp',
];

/**
 * Real suffixes that are never corrected, in particular every real TLD one edit away from a core
 * suffix (bet, cam, mom, nec, new, ong, vet, … and all ccTLDs: .jo, .cm, .co are real).
 */
const OTHER_REAL_SUFFIXES: readonly string[] = [
  ...['bet', 'bom', 'cam', 'jmp', 'mom', 'nec', 'new', 'next', 'ntt', 'ong', 'pet', 'vet'],
  ...['info', 'biz', 'edu', 'gov', 'mil', 'int', 'app', 'dev', 'xyz', 'online', 'site', 'tech', 'store'],
  ...['shop', 'club', 'blog', 'cloud', 'email', 'page', 'mobi', 'asia', 'pro', 'name', 'moe', 'tokyo'],
  ...['osaka', 'nagoya', 'yokohama', 'kyoto', 'okinawa', 'work', 'world', 'life', 'live', 'design'],
  ...['co.uk', 'ac.uk', 'org.uk', 'com.au', 'net.au', 'org.au', 'edu.au', 'co.nz', 'co.kr', 'or.kr'],
  ...['ac.kr', 'com.cn', 'edu.cn', 'com.tw', 'edu.tw', 'com.hk', 'com.sg', 'edu.sg', 'com.br', 'co.in'],
  ...['ac.in', 'co.id', 'ac.id', 'co.th', 'ac.th', 'com.mx', 'com.ph', 'com.my', 'co.za', 'com.ar'],
  ...['co.il', 'ac.il', 'com.tr', 'com.vn', 'co.je'],
  ...COUNTRY_TLDS,
];

const CORE_SUFFIX_SET = new Set(CORE_SUFFIXES);
const REAL_SUFFIX_SET = new Set([...CORE_SUFFIXES, ...OTHER_REAL_SUFFIXES]);

/** Optimal-string-alignment distance: Levenshtein plus adjacent transpositions (`gmial` → `gmail` is 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    row[0] = i;
    rows.push(row);
  }
  const first = rows[0] as number[];
  for (let j = 0; j <= b.length; j++) first[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const prev = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = best;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

const KNOWN_DOMAIN_SET = new Set(KNOWN_MAIL_DOMAINS);

function splitName(domain: string): [name: string, suffix: string] {
  const dot = domain.indexOf('.');
  return [domain.slice(0, dot), domain.slice(dot + 1)];
}

/**
 * Our own guard on top of the library's pick, to keep false positives rare:
 * - one edit for short domains, two once the suggestion is ≥ 10 characters long;
 * - a real suffix is only "corrected" when it is the target with one character dropped
 *   (gmail.co, gmail.cm → gmail.com), never swapped for another real one: outlook.fr,
 *   yahoo.co.uk and softbank.co.jp are real domains, not typos of outlook.jp, yahoo.co.jp and
 *   softbank.ne.jp;
 * - a bare suffix correction (example.con → example.com) must land on a core suffix;
 * - a provider with a very short name (au, me, msn, aol, ocn, pm) is only suggested when the
 *   name itself matches, otherwise every short company domain would be "corrected" (aon.com → aol.com).
 */
function plausibleCorrection(typed: string, suggested: string): boolean {
  if (editDistance(typed, suggested) > (suggested.length >= 10 ? 2 : 1)) return false;
  const [typedName, typedSuffix] = splitName(typed);
  const [name, suffix] = splitName(suggested);
  if (typedName !== name) return name.length > 3;
  if (REAL_SUFFIX_SET.has(typedSuffix)) {
    return typedSuffix.length === suffix.length - 1 && editDistance(typedSuffix, suffix) === 1;
  }
  return KNOWN_DOMAIN_SET.has(suggested) || CORE_SUFFIX_SET.has(suffix);
}

/**
 * Suggests a corrected address when the domain looks like a typo of a known provider or of a
 * known suffix (`gmial.com` → `gmail.com`, `docomo.ne.jo` → `docomo.ne.jp`, `example.cojp` →
 * `example.co.jp`). Returns the whole corrected address, local part as given, or null.
 */
export function suggestEmailTypo(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at <= 0) return null;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1).toLowerCase();
  if (!checkDomainSyntax(domain) || KNOWN_DOMAIN_SET.has(domain)) return null;
  try {
    const suggestion = spellCheck({
      // Only the domain matters; a neutral local part keeps the library's parser out of trouble.
      email: `x@${domain}`,
      domains: [...KNOWN_MAIL_DOMAINS],
      // Empty on purpose: the library's second-level stage (yahoo/hotmail/live/…) both skips
      // checks for "brand.anything" and "corrects" real names like life.co.jp → live.co.jp.
      secondLevelDomains: [],
      topLevelDomains: [...CORE_SUFFIXES, ...OTHER_REAL_SUFFIXES],
      distanceFunction: editDistance,
      domainThreshold: 2,
      topLevelThreshold: 1,
    });
    if (!suggestion || suggestion.domain === domain) return null;
    if (!plausibleCorrection(domain, suggestion.domain)) return null;
    return `${local}@${suggestion.domain}`;
  } catch {
    return null;
  }
}

/* ------------------------------------------------------------------------------------------------
 * Validation of user input
 * ---------------------------------------------------------------------------------------------- */

export type ContactEmailResult =
  | { ok: true; email: string; key: string }
  | {
      ok: false;
      code:
        | 'contact.email_invalid'
        | 'contact.email_disposable'
        | 'contact.email_same_as_primary'
        | 'contact.already_added'
        | 'contact.email_typo';
      params: Record<string, string>;
    };

export interface ContactEmailContext {
  /** The account's sign-in address. */
  primaryEmail: string;
  /** Contact addresses already on the account. */
  existing: string[];
  /** The person confirmed the address as typed after seeing a typo suggestion. */
  acceptTypo?: boolean;
}

/**
 * Validates a recovery/contact address. Checks, in order: syntax (after normalisation), same as the
 * primary address, already added, disposable domain, likely typo (skipped when `acceptTypo`).
 */
export function validateContactEmail(input: string, ctx: ContactEmailContext): ContactEmailResult {
  const email = normalizeEmail(input);
  if (!checkEmailSyntax(email)) return { ok: false, code: 'contact.email_invalid', params: {} };
  const key = emailKey(email);
  if (key === emailKey(ctx.primaryEmail)) {
    return { ok: false, code: 'contact.email_same_as_primary', params: {} };
  }
  if (ctx.existing.some((existing) => emailKey(existing) === key)) {
    return { ok: false, code: 'contact.already_added', params: {} };
  }
  const domain = domainOf(email);
  if (isDisposableDomain(domain)) return { ok: false, code: 'contact.email_disposable', params: { domain } };
  if (ctx.acceptTypo !== true) {
    const suggestion = suggestEmailTypo(email);
    if (suggestion !== null) return { ok: false, code: 'contact.email_typo', params: { suggestion } };
  }
  return { ok: true, email, key };
}

export type PrimaryEmailResult =
  | { ok: true; email: string; key: string }
  | {
      ok: false;
      code: 'account.email_invalid' | 'account.email_disposable' | 'account.email_typo';
      params: Record<string, string>;
    };

/**
 * Validates a sign-in address: syntax after normalisation, then a disposable domain (its own answer, not
 * "invalid"), then a likely typo (`outlok.com` → `outlook.com`), skipped when the person chose to keep the
 * address as typed (`acceptTypo`). Nothing here depends on whether the address has an account.
 */
export function validatePrimaryEmail(input: string, o: { acceptTypo?: boolean } = {}): PrimaryEmailResult {
  const email = normalizeEmail(input);
  if (!checkEmailSyntax(email)) return { ok: false, code: 'account.email_invalid', params: {} };
  const domain = domainOf(email);
  if (isDisposableDomain(domain)) return { ok: false, code: 'account.email_disposable', params: { domain } };
  if (o.acceptTypo !== true) {
    const suggestion = suggestEmailTypo(email);
    if (suggestion !== null) return { ok: false, code: 'account.email_typo', params: { suggestion } };
  }
  return { ok: true, email, key: emailKey(email) };
}
