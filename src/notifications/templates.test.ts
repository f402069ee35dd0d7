import { describe, expect, it } from 'vitest';
import { renderEmail, renderSms } from './templates.tsx';

const ctx = {
  publicUrl: 'https://account.example.com',
  reference: 'MMR-ABCD-EFGH',
  displayName: '<b>山田</b> 太郎',
};

describe('email templates', () => {
  it('puts the reference in the footer and links only to PUBLIC_URL, in both languages', () => {
    for (const locale of ['ja', 'en'] as const) {
      const m = renderEmail(locale, { kind: 'password_changed', time: 't', ip: '203.0.113.9' }, ctx);
      expect(m.text).toContain('MMR-ABCD-EFGH');
      expect(m.html).toContain('MMR-ABCD-EFGH');
      const links = [...m.html.matchAll(/href="([^"]+)"/g)].map((x) => x[1]);
      expect(links.length).toBeGreaterThan(0);
      for (const l of links) expect(l!.startsWith('https://account.example.com/')).toBe(true);
      expect(m.text).toContain('203.0.113.9');
    }
  });

  it('escapes what users typed', () => {
    const m = renderEmail('ja', { kind: 'password_changed', time: 't', ip: 'x' }, ctx);
    expect(m.html).not.toContain('<b>山田</b>');
    expect(m.html).toContain('&lt;b>山田&lt;/b>');
  });

  it('code emails show the code and no personal name (they may reach someone else)', () => {
    const m = renderEmail(
      'ja',
      { kind: 'code', purpose: 'add_email', code: '493027', minutes: 10, account: 'ya*****@example.com' },
      ctx,
    );
    expect(m.subject).toBe('連絡用メールアドレスの確認');
    expect(m.text).toContain('493027');
    expect(m.text).not.toContain('山田');
    expect(m.text).toContain('ya*****@example.com');
    expect(m.text).toMatch(/有効期限は10分/);
  });

  it('every code SMS says what it is for and ends with the origin-bound line @host #code', () => {
    const purposes = [
      'signup',
      'add_email',
      'add_phone',
      'reset',
      'reauth',
      'signin',
      'replace',
      'recovery_form',
    ] as const;
    for (const locale of ['ja', 'en'] as const) {
      const bodies = purposes.map((purpose) =>
        renderSms(locale, {
          purpose,
          code: '493027',
          minutes: 10,
          publicUrl: 'https://mamori.example:8443/x',
        }),
      );
      for (const sms of bodies) {
        const lines = sms.split('\n');
        expect(lines.at(-1)).toBe('@mamori.example #493027');
        expect(lines[0]).toContain('493027');
        expect(lines[0]).toMatch(/10/);
        // Two SMS segments at most: 134 UCS-2 characters, 306 GSM-7 characters.
        expect(sms.length).toBeLessThanOrEqual(locale === 'ja' ? 134 : 306);
      }
      // Each purpose reads differently: the reader knows what the code is for.
      expect(new Set(bodies.map((b) => b.split('\n')[0]!.replace('493027', ''))).size).toBe(purposes.length);
    }
  });
});
