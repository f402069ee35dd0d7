import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Locale } from '../kernel/context.ts';
import { renderNoticeEmail } from '../notices/render-notice.tsx';
import { type CodePurpose, type EmailKind, renderEmail, renderSms } from '../notifications/templates.tsx';
import { en } from './en.ts';
import { ja } from './ja.ts';

/**
 * The style of docs/style-ja.md, checked on every message of both dictionaries and on every email and SMS
 * rendered in both languages. The term table is read from the document itself.
 */
const doc = readFileSync(new URL('../../docs/style-ja.md', import.meta.url), 'utf8');

/** Rows of the "Japanese terms" table: the word to use and the words not to use. */
function termTable(): { use: string; avoid: string[] }[] {
  const section = doc.split('## Japanese terms')[1]!.split('\n## ')[0]!;
  return section
    .split('\n')
    .filter((l) => l.startsWith('|') && !l.startsWith('|---') && !l.includes('| use |'))
    .map((l) => l.split('|').map((c) => c.trim()))
    .map((c) => ({ use: c[2]!, avoid: c[3]!.split('、').map((s) => s.trim()) }));
}

/** The Latin words a Japanese message may contain, from the document. */
function latinAllowed(): string[] {
  const para = doc.split('## Latin letters in Japanese text')[1]!.split('\n## ')[0]!;
  const list = para.split('what people type or receive):')[1]!.split(', and the code formats')[0]!;
  return list
    .replace(/\s+/g, ' ')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .sort((a, b) => b.length - a.length);
}

const PURPOSES: CodePurpose[] = [
  'signup',
  'add_email',
  'add_phone',
  'reset',
  'reauth',
  'signin',
  'replace',
  'recovery_form',
];

/** Every email layout Mamori has (the custom ones are dictionary keys, checked with the dictionaries). */
function everyEmail(locale: Locale): { name: string; text: string }[] {
  const ctx = {
    publicUrl: 'https://mamori.example',
    reference: 'MMR-7KQ2-XH9D',
    displayName: '山田 太郎',
    phrase: 'さくら',
  };
  const base = { time: '2026/11/24 10:05 JST', ip: '203.0.113.9' };
  const kinds: EmailKind[] = [
    ...PURPOSES.map((purpose) => ({
      kind: 'code' as const,
      purpose,
      code: '493027',
      minutes: 10,
      account: 'ya*****@example.com',
    })),
    { kind: 'signup_exists' },
    { kind: 'method_added', method: 'co*****@example.com', ...base },
    { kind: 'method_removed', method: 'co*****@example.com', ...base },
    { kind: 'password_changed', ...base },
    { kind: 'password_reset', ...base },
    { kind: 'two_step_on', ...base },
    { kind: 'two_step_off', ...base },
    { kind: 'recovery_code_created', first: true, ...base },
    { kind: 'recovery_code_created', first: false, ...base },
    { kind: 'recovery_code_used', ...base },
    {
      kind: 'unusual_signin',
      ...base,
      country: locale === 'ja' ? 'フランス' : 'France',
      device: 'Chrome 131 · Windows 10',
    },
    { kind: 'account_secured', ...base },
  ];
  const strip = (s: string) => s.split(ctx.displayName).join('').split(ctx.phrase).join('');
  const mails = kinds.map((k) => {
    const m = renderEmail(locale, k, ctx);
    return {
      name: `${k.kind}${'purpose' in k ? ` ${k.purpose}` : ''}`,
      text: strip(`${m.subject}\n${m.text}`),
    };
  });
  const notice = renderNoticeEmail({
    locale,
    category: 'billing',
    subject: locale === 'ja' ? '料金改定のお知らせ' : 'New prices',
    body: locale === 'ja' ? '来月から料金が変わります。' : 'Prices change next month.',
    displayName: ctx.displayName,
    phrase: ctx.phrase,
    publicUrl: ctx.publicUrl,
    reference: ctx.reference,
    unsubscribeUrl: 'https://mamori.example/unsubscribe?token=x',
  });
  mails.push({ name: 'notice', text: strip(`${notice.subject}\n${notice.text}`) });
  for (const purpose of PURPOSES)
    mails.push({
      name: `SMS ${purpose}`,
      text: renderSms(locale, { purpose, code: '493027', minutes: 10, publicUrl: ctx.publicUrl }),
    });
  return mails;
}

/** What is not the message's own words: links, addresses, references, example codes, the OTP origin line. */
const ownWords = (s: string) =>
  s
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[\w.+*-]+@[\w.-]+\.\w+/g, ' ')
    .replace(/MMR-[A-Z0-9]{4}-[A-Z0-9]{4}/g, ' ')
    .replace(/\b[A-Z0-9]{5}(?:-[A-Z0-9]{5})+-?…?/g, ' ')
    .replace(/@[\w.-]+ #\d{6}/g, ' ');

/** Placeholders (`{name}`, `{n, plural, …}`) are not text. */
const withoutPlaceholders = (s: string) =>
  s
    .replace(/\{\w+, plural,(?:[^{}]|\{[^{}]*\})*\}/g, (m) =>
      m.replace(/^\{\w+, plural,|\}$/g, ' ').replace(/(=\d+|zero|one|two|few|many|other)\s*\{|\}/g, ' '),
    )
    .replace(/\{\w+\}/g, ' ');

function japaneseProblems(name: string, raw: string): string[] {
  const text = ownWords(withoutPlaceholders(raw));
  const out: string[] = [];
  for (const ch of ['?', '!', '(', ')', '．', '，'])
    if (text.includes(ch)) out.push(`${name}: "${ch}" in "${raw}"`);
  const colon = text.replace(/\d:\d/g, '');
  if (colon.includes(':')) out.push(`${name}: half-width ":" in "${raw}"`);
  if (/ \/ /.test(text)) out.push(`${name}: " / " in "${raw}"`);
  if (/[\uff61-\uff9f]/.test(text)) out.push(`${name}: half-width katakana in "${raw}"`);
  if (/"|“|”/.test(text)) out.push(`${name}: quotes other than 「」 in "${raw}"`);
  const glued = text.match(
    /[A-Za-z][\u3040-\u30fa\u30fc-\u30ff\u4e00-\u9fff]|[\u3040-\u30fa\u30fc-\u30ff\u4e00-\u9fff][A-Za-z]/,
  );
  if (glued) out.push(`${name}: no space between Latin and Japanese ("${glued[0]}") in "${raw}"`);
  for (const row of termTable())
    for (const avoid of row.avoid) {
      const re = avoid === 'ブラウザ' ? /ブラウザ(?!ー)/ : new RegExp(avoid);
      if (re.test(text)) out.push(`${name}: "${avoid}" (use "${row.use}") in "${raw}"`);
    }
  let rest = text;
  for (const word of latinAllowed()) rest = rest.split(word).join(' ');
  const latin = rest.match(/[A-Za-z]{2,}/g);
  if (latin) out.push(`${name}: Latin words ${JSON.stringify(latin)} in "${raw}"`);
  return out;
}

function englishProblems(name: string, raw: string): string[] {
  const text = ownWords(withoutPlaceholders(raw)).replace(/\{\w+, plural,/g, '');
  const out: string[] = [];
  if (/[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff5e]/.test(text))
    out.push(`${name}: Japanese characters in "${raw}"`);
  if (text.includes('・')) out.push(`${name}: "・" in "${raw}"`);
  if (/\(s\)/.test(text)) out.push(`${name}: "(s)" instead of a plural in "${raw}"`);
  if (text.includes('’')) out.push(`${name}: curly apostrophe in "${raw}"`);
  if (text.includes('"')) out.push(`${name}: straight double quotes in "${raw}"`);
  if (/\bneed do\b/.test(text)) out.push(`${name}: "need do" in "${raw}"`);
  return out;
}

describe('writing style (docs/style-ja.md)', () => {
  it('reads its tables from the document', () => {
    expect(termTable().map((r) => r.use)).toContain('デバイス');
    expect(termTable().find((r) => r.use === 'あいさつ文')?.avoid).toEqual(['合言葉']);
    expect(latinAllowed()).toContain('Mamori');
  });

  it('every Japanese message follows the Japanese style', () => {
    const found = Object.entries(ja).flatMap(([k, v]) => japaneseProblems(k, v));
    expect(found).toEqual([]);
  });

  it('every English message follows the English style', () => {
    const found = Object.entries(en).flatMap(([k, v]) => englishProblems(k, v));
    expect(found).toEqual([]);
  });

  it('every email and SMS, rendered in each language, follows the style', () => {
    const found = [
      ...everyEmail('ja').flatMap((m) => japaneseProblems(m.name, m.text)),
      ...everyEmail('en').flatMap((m) => englishProblems(m.name, m.text)),
    ];
    expect(found).toEqual([]);
  });

  it('no email points to a button "above", and "below" only where the email has its link', () => {
    for (const locale of ['ja', 'en'] as const)
      for (const m of everyEmail(locale)) {
        expect(m.text, m.name).not.toMatch(/above|上の|button|ボタン/);
        const below = m.text.search(/below|下の/);
        if (below >= 0) expect(m.text.slice(below), m.name).toMatch(/[：:] ?https:\/\/mamori\.example\//);
      }
  });
});
