import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  GOOD_PASSWORD,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
} from '../support/harness.ts';
import { formClient } from '../web/browser-less-client.ts';

/**
 * Probes (outside tester) of the web pages: redirects stay local, sign-in pages tell nothing about accounts,
 * and hostile values in every form field get Mamori's answer (never a 5xx).
 */
const UA = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) mamori-test' };

const EVIL = [
  '//evil.example/',
  '/\\evil.example/',
  '\\\\evil.example',
  '/%5Cevil.example',
  '/%2F%2Fevil.example',
  '%2F%2Fevil.example',
  '/\t/evil.example',
  '/%09/evil.example',
  'https://evil.example/',
  'https:evil.example',
  'javascript:alert(1)',
  '/%0d%0aSet-Cookie:%20x=1',
  '/.%2e/%2F%2Fevil.example',
  ' //evil.example',
  '/ /evil.example',
];

/** A Location header is local when a browser resolves it against our origin and stays on it. */
function isLocal(location: unknown): boolean {
  if (typeof location !== 'string') return true;
  if (/[\r\n]/.test(location)) return false;
  try {
    const u = new URL(location, 'http://mamori.test/base/');
    return u.origin === 'http://mamori.test';
  } catch {
    return false;
  }
}

describe('probe: web pages (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  it('the language switch redirects only to local paths', async () => {
    const bad: string[] = [];
    for (const next of EVIL) {
      const r = await t.app.http.inject({ method: 'GET', url: `/lang/en?next=${encodeURIComponent(next)}` });
      const raw = await t.app.http.inject({
        method: 'GET',
        url: `/lang/en?next=${next.replace(/ /g, '%20').replace(/\t/g, '%09')}`,
      });
      for (const x of [r, raw])
        if (!isLocal(x.headers.location) || x.statusCode >= 500)
          bad.push(`${next} -> ${x.statusCode} ${String(x.headers.location)}`);
    }
    expect(bad).toEqual([]);
  });

  it('signing in on the web redirects only to local paths, whatever next says', async () => {
    const a = await signedUpAccount(t);
    const bad: string[] = [];
    for (const next of EVIL) {
      const c = formClient(t, UA);
      const q = encodeURIComponent(next);
      await c.get(`/sign-in?next=${q}`);
      const r = await c.post(`/sign-in?next=${q}`, { email: a.email, password: GOOD_PASSWORD });
      if (!isLocal(r.headers.location) || r.statusCode >= 500)
        bad.push(`${next} -> ${r.statusCode} ${String(r.headers.location)}`);
    }
    expect(bad).toEqual([]);
  });

  /** The parts of a web answer an attacker compares (CSRF tokens and request ids removed). */
  const seen = (r: { statusCode: number; headers: Record<string, unknown>; body: string }) => ({
    status: r.statusCode,
    location: r.headers.location ?? null,
    cookies: ([] as string[])
      .concat((r.headers['set-cookie'] as string[] | string | undefined) ?? [])
      .map((c) => c.split('=')[0])
      .sort(),
    body: r.body
      .replace(/name="_csrf" value="[^"]*"/g, '')
      .replace(/data-pow="[^"]*"/g, '')
      .replace(/[A-Za-z0-9._%+-]+@example\.com/g, 'EMAIL')
      .replace(/(参照番号|Reference)[^<]*/g, ''),
  });

  it('web sign-in: wrong password for an account, an unconfirmed sign-up and an unknown address look the same, throttled too', async () => {
    const a = await signedUpAccount(t);
    const pending = uniqueEmail('pending');
    await t.api('POST', '/api/v1/signup', {
      email: pending,
      password: GOOD_PASSWORD,
      displayName: '山田',
      locale: 'ja',
    });
    const unknown = uniqueEmail('nobody');
    const tries = async (email: string) => {
      const c = formClient(t, UA);
      const out = [];
      for (let i = 0; i < 11; i++) {
        await c.get('/sign-in');
        out.push(seen(await c.post('/sign-in', { email, password: 'not my password at all' })));
      }
      return out;
    };
    const k = await tries(a.email);
    const p = await tries(pending);
    const n = await tries(unknown);
    expect(k[0]!.status).not.toBe(500);
    expect(p).toEqual(n);
    expect(k).toEqual(n);
  });

  /** Every form on a page: its action and its field names (hidden CSRF aside). */
  function forms(html: string): { action: string; fields: string[] }[] {
    const out: { action: string; fields: string[] }[] = [];
    for (const m of html.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)) {
      const fields = [...m[2]!.matchAll(/<(?:input|textarea|select)[^>]*name="([^"]+)"/g)]
        .map((x) => x[1]!)
        .filter((f) => f !== '_csrf');
      out.push({ action: m[1]!.replace(/&amp;/g, '&'), fields: [...new Set(fields)] });
    }
    return out;
  }

  const HOSTILE: [string, string][] = [
    ['nul', 'a\u0000b'],
    ['lone surrogate', 'a\ud800b'],
    ['U+FDFA x2000', '\ufdfa'.repeat(2000)],
    ['astral x2000', '\u{20BB7}'.repeat(2000)],
    ['10k chars', 'x'.repeat(10_000)],
    ['RTL', '\u202Eevil'],
  ];

  it('hostile values in every field of every form, signed out and signed in: never a 5xx', async () => {
    const a = await signedUpAccount(t);
    const bad: string[] = [];
    const c = formClient(t, UA);
    await c.get('/sign-in');
    const signed = await c.follow(await c.post('/sign-in', { email: a.email, password: GOOD_PASSWORD }));
    expect(signed.statusCode).toBe(200);
    await c.get('/security/reauth');
    await c.post('/security/reauth', { password: GOOD_PASSWORD });
    const pages = new Set(['/sign-up', '/forgot', '/recovery-form', '/security']);
    const sec = await c.get('/security');
    for (const m of sec.body.matchAll(/href="(\/security[^"#?]*)"/g)) pages.add(m[1]!);
    let checked = 0;
    for (const page of pages) {
      const outsider = !page.startsWith('/security');
      const client = outsider ? formClient(t, UA) : c;
      const got = await client.get(page);
      for (const f of forms(got.body)) {
        if (/sign-out|end-others|secure|\/end$/.test(f.action)) continue;
        for (const field of f.fields)
          for (const [label, value] of HOSTILE) {
            await client.get(page);
            const r = await client.post(f.action, {
              ...Object.fromEntries(f.fields.map((x) => [x, 'x'])),
              [field]: value,
            });
            checked++;
            if (r.statusCode >= 500) bad.push(`${page} ${f.action} ${field}=${label}: ${r.statusCode}`);
          }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(bad).toEqual([]);
  }, 300_000);

  it('web sign-up: “send the code again” after a stranger signed up the same address confirms nothing with the stranger’s password', async () => {
    const email = uniqueEmail('victim');
    const c = formClient(t, UA);
    await c.get('/sign-up');
    const started = await c.follow(
      await c.post('/sign-up', {
        displayName: '山田 太郎',
        email,
        password: GOOD_PASSWORD,
        timeZone: 'Asia/Tokyo',
      }),
    );
    expect(started.statusCode).toBe(200);
    await t.drain();
    t.clock.advance(61_000);
    const stranger = await t.api('POST', '/api/v1/signup', {
      email,
      password: 'the stranger’s own password 9',
      displayName: 'stranger',
      locale: 'ja',
    });
    expect(stranger.status).toBe(202);
    await t.drain();
    t.clock.advance(61_000);
    // The owner's browser, still on the code page, asks for the code again and enters the one it gets.
    await c.get('/sign-up/confirm');
    const resent = await c.post('/sign-up/resend', {});
    expect(resent.statusCode).toBeLessThan(500);
    const code = await t.mailedCode(email);
    await c.get('/sign-up/confirm');
    await c.follow(await c.post('/sign-up/confirm', { code }));
    const s = await t.api('POST', '/api/v1/sessions', { email, password: 'the stranger’s own password 9' });
    expect(s.status === 200 || s.body.secondFactor !== undefined).toBe(false);
  });
});
