import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkEmailSyntax,
  editDistance,
  isDisposableDomain,
  KNOWN_MAIL_DOMAINS,
  suggestEmailTypo,
  validateContactEmail,
  validatePrimaryEmail,
} from './check-email.ts';

const ctx = { primaryEmail: 'owner@example.com', existing: [] as string[] };

describe('checkEmailSyntax', () => {
  it.each([
    'taro@gmail.com',
    'taro.yamada@docomo.ne.jp',
    'Taro+tag@sub.example.co.jp',
    "o'brien@example.ie",
    'a!#$%&*+/=?^_`{|}~-z@example.com',
    'x@u-tokyo.ac.jp',
    'a@b.cd',
  ])('accepts %s', (email) => {
    expect(checkEmailSyntax(email)).toBe(true);
  });

  it.each([
    '',
    'taro',
    '@gmail.com',
    'taro@',
    'taro@@gmail.com',
    'ta@ro@gmail.com',
    '.taro@gmail.com',
    'taro.@gmail.com',
    'ta..ro@gmail.com',
    'taro@gmail',
    'taro@gmail.c',
    'taro@gmail.c0m',
    'taro@gmail..com',
    'taro@.gmail.com',
    'taro@gmail.com.',
    'taro@-gmail.com',
    'taro@gmail-.com',
    'taro@gm_ail.com',
    'taro@[127.0.0.1]',
    '"taro"@gmail.com',
    'ta ro@gmail.com',
    'taro@gm ail.com',
    'tarö@gmail.com',
    'taro@bücher.de',
    'たろう@gmail.com',
    'taro\u0000@gmail.com',
  ])('refuses %j', (email) => {
    expect(checkEmailSyntax(email)).toBe(false);
  });

  it('enforces the local part and total length limits', () => {
    expect(checkEmailSyntax(`${'a'.repeat(64)}@example.com`)).toBe(true);
    expect(checkEmailSyntax(`${'a'.repeat(65)}@example.com`)).toBe(false);
    expect(checkEmailSyntax(`a@${'b'.repeat(63)}.com`)).toBe(true);
    expect(checkEmailSyntax(`a@${'b'.repeat(64)}.com`)).toBe(false);
    const domain = `${['a', 'b', 'c'].map((c) => c.repeat(63)).join('.')}.com`; // 195 chars
    const fits = `${'x'.repeat(254 - domain.length - 1)}@${domain}`;
    expect(fits).toHaveLength(254);
    expect(checkEmailSyntax(fits)).toBe(true);
    expect(checkEmailSyntax(`x${fits}`)).toBe(false);
  });
});

describe('isDisposableDomain', () => {
  it('knows throwaway providers, case-insensitively', () => {
    expect(isDisposableDomain('mailinator.com')).toBe(true);
    expect(isDisposableDomain('MAILINATOR.COM')).toBe(true);
  });

  it('matches subdomains of listed domains', () => {
    expect(isDisposableDomain('x.mailinator.com')).toBe(true);
    expect(isDisposableDomain('a.b.mailinator.com')).toBe(true);
  });

  it('does not flag real providers or lookalike suffixes', () => {
    for (const domain of KNOWN_MAIL_DOMAINS) expect(isDisposableDomain(domain), domain).toBe(false);
    expect(isDisposableDomain('example.co.jp')).toBe(false);
    expect(isDisposableDomain('zzzmailinator.com')).toBe(false); // string suffix, not a parent domain
    expect(isDisposableDomain('com')).toBe(false);
    expect(isDisposableDomain('')).toBe(false);
  });
});

describe('editDistance', () => {
  it('counts substitutions, insertions, deletions and adjacent transpositions as one edit', () => {
    expect(editDistance('gmail.com', 'gmail.com')).toBe(0);
    expect(editDistance('gmial.com', 'gmail.com')).toBe(1);
    expect(editDistance('gmail.co', 'gmail.com')).toBe(1);
    expect(editDistance('gmaill.com', 'gmail.com')).toBe(1);
    expect(editDistance('docomo.ne.jo', 'docomo.ne.jp')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('is symmetric', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => editDistance(a, b) === editDistance(b, a)));
  });
});

describe('suggestEmailTypo', () => {
  it.each([
    ['taro@gmial.com', 'taro@gmail.com'],
    ['taro@gamil.com', 'taro@gmail.com'],
    ['taro@gmail.co', 'taro@gmail.com'],
    ['taro@gmail.cm', 'taro@gmail.com'],
    ['taro@gmail.con', 'taro@gmail.com'],
    ['taro@docomo.ne.jo', 'taro@docomo.ne.jp'],
    ['taro@docomo.nejp', 'taro@docomo.ne.jp'],
    ['taro@ezweb.ne.ja', 'taro@ezweb.ne.jp'],
    ['taro@yahoo.co.jo', 'taro@yahoo.co.jp'],
    ['taro@yahoo.com.jp', 'taro@yahoo.co.jp'],
    ['taro@softbank.ne.jb', 'taro@softbank.ne.jp'],
    ['taro@i.sofbank.jp', 'taro@i.softbank.jp'],
    ['taro@hotmial.co.jp', 'taro@hotmail.co.jp'],
    ['taro@icloud.co', 'taro@icloud.com'],
    ['taro@example.con', 'taro@example.com'],
    ['taro@example.ne.jo', 'taro@example.ne.jp'],
    ['taro@example.cojp', 'taro@example.co.jp'],
  ])('suggests %s → %s', (typed, expected) => {
    expect(suggestEmailTypo(typed)).toBe(expected);
  });

  it('keeps the local part exactly as typed', () => {
    expect(suggestEmailTypo('Taro.Yamada+x@GMIAL.com')).toBe('Taro.Yamada+x@gmail.com');
  });

  it('never suggests anything for an address at a listed domain', () => {
    for (const domain of KNOWN_MAIL_DOMAINS) {
      expect(suggestEmailTypo(`taro@${domain}`), domain).toBeNull();
      expect(suggestEmailTypo(`taro@${domain.toUpperCase()}`), domain).toBeNull();
    }
  });

  it.each([
    'example.co.jp',
    'u-tokyo.ac.jp',
    'company.com',
    'keio.jp',
    'pref.osaka.lg.jp',
    // Real domains near a listed one
    'softbank.co.jp',
    'biglobe.co.jp',
    'rakuten.co.jp',
    'outlook.fr',
    'outlook.de',
    'yahoo.co.uk',
    'yahoo.co.in',
    'hotmail.co.uk',
    'aon.com',
    'aa.com',
    'life.co.jp',
    // Real TLDs near com/net/org/jp
    'example.jo',
    'example.cm',
    'example.co',
    'example.new',
    'example.bet',
    'example.cam',
    'example.edu',
  ])('does not suggest anything for %s', (domain) => {
    expect(suggestEmailTypo(`taro@${domain}`)).toBeNull();
  });

  it('returns null for input that is not an address', () => {
    expect(suggestEmailTypo('')).toBeNull();
    expect(suggestEmailTypo('gmial.com')).toBeNull();
    expect(suggestEmailTypo('@gmial.com')).toBeNull();
    expect(suggestEmailTypo('taro@')).toBeNull();
    expect(suggestEmailTypo('taro@gmial')).toBeNull();
  });

  it('never throws', () => {
    const anyString = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)) }),
    );
    fc.assert(
      fc.property(anyString, anyString, (a, b) => {
        const r = suggestEmailTypo(`${a}@${b}`);
        expect(r === null || typeof r === 'string').toBe(true);
      }),
    );
  });
});

describe('validateContactEmail', () => {
  it('accepts and normalises a good address', () => {
    expect(validateContactEmail(' ｔａｒｏ＠ＤＯＣＯＭＯ．ｎｅ．ｊｐ ', ctx)).toEqual({
      ok: true,
      email: 'taro@docomo.ne.jp',
      key: 'taro@docomo.ne.jp',
    });
    expect(validateContactEmail('Taro@Example.co.jp', ctx)).toEqual({
      ok: true,
      email: 'Taro@example.co.jp',
      key: 'taro@example.co.jp',
    });
  });

  it('refuses bad syntax', () => {
    expect(validateContactEmail('taro', ctx)).toEqual({
      ok: false,
      code: 'contact.email_invalid',
      params: {},
    });
    expect(validateContactEmail(`${'a'.repeat(250)}@x.com`, ctx)).toMatchObject({
      code: 'contact.email_invalid',
    });
  });

  it('refuses the primary address, whatever its case or width', () => {
    expect(validateContactEmail('ＯＷＮＥＲ@Example.com', ctx)).toMatchObject({
      ok: false,
      code: 'contact.email_same_as_primary',
    });
  });

  it('refuses an address already added, compared by key', () => {
    const existing = ['Taro@Docomo.ne.jp', 'hanako@example.com'];
    expect(validateContactEmail('taro@docomo.ne.jp', { ...ctx, existing })).toMatchObject({
      ok: false,
      code: 'contact.already_added',
    });
  });

  it('refuses disposable domains, including subdomains', () => {
    expect(validateContactEmail('taro@mailinator.com', ctx)).toEqual({
      ok: false,
      code: 'contact.email_disposable',
      params: { domain: 'mailinator.com' },
    });
    expect(validateContactEmail('taro@x.mailinator.com', ctx)).toMatchObject({
      code: 'contact.email_disposable',
    });
  });

  it('refuses a likely typo with a suggestion unless the person accepted it', () => {
    expect(validateContactEmail('Taro@gmial.com', ctx)).toEqual({
      ok: false,
      code: 'contact.email_typo',
      params: { suggestion: 'Taro@gmail.com' },
    });
    expect(validateContactEmail('Taro@gmial.com', { ...ctx, acceptTypo: true })).toEqual({
      ok: true,
      email: 'Taro@gmial.com',
      key: 'taro@gmial.com',
    });
  });

  it('checks in order: syntax, primary, already added, disposable, typo', () => {
    const order = { primaryEmail: 'a@mailinator.com', existing: ['b@mailinator.com', 'c@gmial.com'] };
    expect(validateContactEmail('a@@mailinator.com', order)).toMatchObject({ code: 'contact.email_invalid' });
    expect(validateContactEmail('a@mailinator.com', order)).toMatchObject({
      code: 'contact.email_same_as_primary',
    });
    expect(validateContactEmail('b@mailinator.com', order)).toMatchObject({ code: 'contact.already_added' });
    expect(validateContactEmail('c@gmial.com', order)).toMatchObject({ code: 'contact.already_added' });
    expect(validateContactEmail('d@mailinator.com', order)).toMatchObject({
      code: 'contact.email_disposable',
    });
    expect(validateContactEmail('d@gmial.com', order)).toMatchObject({ code: 'contact.email_typo' });
  });

  it('never accepts an address with control characters or whitespace inside', () => {
    const local = fc.stringMatching(/^[a-z0-9]{1,10}$/);
    const bad = fc.oneof(
      fc.integer({ min: 0, max: 0x1f }),
      fc.integer({ min: 0x7f, max: 0x9f }),
      fc.constantFrom(0x20, 0xa0, 0x1680, 0x2000, 0x2005, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000),
    );
    fc.assert(
      fc.property(
        local,
        local,
        bad,
        fc.nat(),
        fc.constantFrom('gmail.com', 'docomo.ne.jp', 'example.co.jp'),
        (a, b, code, where, domain) => {
          const c = String.fromCodePoint(code);
          const candidates = [`${a}${c}${b}@${domain}`, `${a}${c}@${domain}`, `${a}@${c}${domain}`];
          const dot = domain.indexOf('.');
          candidates.push(`${a}@${domain.slice(0, dot)}${c}${domain.slice(dot)}`);
          const input = candidates[where % candidates.length] as string;
          expect(validateContactEmail(input, { ...ctx, acceptTypo: true }).ok).toBe(false);
          expect(validatePrimaryEmail(input).ok).toBe(false);
        },
      ),
    );
  });

  it('never throws on arbitrary input', () => {
    const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }));
    fc.assert(
      fc.property(
        anyString,
        fc.array(anyString, { maxLength: 3 }),
        fc.boolean(),
        (input, existing, acceptTypo) => {
          const result = validateContactEmail(input, {
            primaryEmail: 'owner@example.com',
            existing,
            acceptTypo,
          });
          if (result.ok) expect(checkEmailSyntax(result.email)).toBe(true);
        },
      ),
    );
  });
});

describe('validatePrimaryEmail', () => {
  it('accepts and normalises a good address', () => {
    expect(validatePrimaryEmail('　Taro@GMAIL.com　')).toEqual({
      ok: true,
      email: 'Taro@gmail.com',
      key: 'taro@gmail.com',
    });
  });

  it('suggests a correction for a likely typo, unless the person keeps the address as typed', () => {
    expect(validatePrimaryEmail('taro@gmial.com')).toEqual({
      ok: false,
      code: 'account.email_typo',
      params: { suggestion: 'taro@gmail.com' },
    });
    expect(validatePrimaryEmail('taro@outlok.com')).toMatchObject({
      code: 'account.email_typo',
      params: { suggestion: 'taro@outlook.com' },
    });
    expect(validatePrimaryEmail('taro@gmial.com', { acceptTypo: true })).toMatchObject({ ok: true });
  });

  it('refuses bad syntax, and disposable domains with their own code', () => {
    expect(validatePrimaryEmail('taro@')).toEqual({ ok: false, code: 'account.email_invalid', params: {} });
    expect(validatePrimaryEmail('taro@mailinator.com')).toEqual({
      ok: false,
      code: 'account.email_disposable',
      params: { domain: 'mailinator.com' },
    });
    expect(validatePrimaryEmail('taro@x.mailinator.com', { acceptTypo: true })).toMatchObject({
      ok: false,
      code: 'account.email_disposable',
    });
  });
});
