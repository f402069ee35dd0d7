/**
 * The edges, attacked: every framework error goes through Mamori's answer (stable code, no echo, security
 * headers, a page for web paths); slow clients are cut off by the configured timeouts (real sockets against a
 * listening server); no answer is cached by anyone (`no-store`) except static assets; free text that would
 * show as blank or misleading is refused while the rest is kept as typed.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t as tr } from '../../src/i18n/index.ts';
import type { ErrorCode } from '../../src/kernel/errors.ts';
import { type PowChallenge, solvePow } from '../../src/recovery-form/pow.ts';
import { registeredRoutes } from '../../src/web/edges.ts';
import {
  createTestApp,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';
import { enrolledOperator, operatorConsole } from '../support/operator.ts';

const MARK = 'ECHOzq7';
const SECURITY_HEADERS = [
  'content-security-policy',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
];

type Headers = Record<string, string | string[] | number | undefined>;

/** The answer is Mamori's: security headers, no-store, no trace of the marker anywhere. */
function expectGuarded(headers: Headers, body: string, what: string) {
  for (const h of SECURITY_HEADERS) expect(headers[h], `${what}: ${h}`).toBeTruthy();
  expect(headers['cache-control'], what).toBe('no-store');
  expect(body, what).not.toContain(MARK);
  expect(JSON.stringify(headers), what).not.toContain(MARK);
}

function expectApiError(headers: Headers, body: string, code: ErrorCode, what: string) {
  expectGuarded(headers, body, what);
  expect(String(headers['content-type']), what).toMatch(/^application\/json/);
  const parsed = JSON.parse(body) as {
    error: { code: string; message: string; fields?: { path: string }[] };
  };
  expect(Object.keys(parsed), what).toEqual(['error']);
  expect(parsed.error.code, what).toBe(code);
  if (parsed.error.fields) {
    // A schema validation error names the wrong fields (by their JSON pointer, never their value).
    expect(code, what).toBe('request.invalid');
    expect(Object.keys(parsed.error).sort(), what).toEqual(['code', 'fields', 'message']);
    const fields = parsed.error.fields.map((f) => f.path.slice(1)).join(', ');
    expect(parsed.error.message, what).toBe(tr('en', 'api.invalid_fields', { fields }));
    return;
  }
  expect(Object.keys(parsed.error).sort(), what).toEqual(['code', 'message']);
  expect(parsed.error.message, what).toBe(tr('en', `error.${code}`));
}

function expectWebError(
  headers: Headers,
  body: string,
  code: ErrorCode,
  what: string,
  lang: 'ja' | 'en' = 'en',
) {
  expectGuarded(headers, body, what);
  expect(String(headers['content-type']), what).toMatch(/^text\/html/);
  expect(body, what).toContain(`<html lang="${lang}">`);
  expect(body, what).toContain(tr(lang, `error.${code}`));
}

const HEADERS_S = 1;
const REQUEST_S = 2;
/** How long a slow client may be kept at most: the timeout, the server's check interval and slack for this machine. */
const CUT_OFF_MS = REQUEST_S * 1000 + 4000;

// One app for every part: short timeouts (they only concern real sockets), listening on a free port.
let t: TestApp;
let port: number;
beforeAll(async () => {
  t = await createTestApp({
    env: {
      HTTP_HEADERS_TIMEOUT_SECONDS: String(HEADERS_S),
      HTTP_REQUEST_TIMEOUT_SECONDS: String(REQUEST_S),
      HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: '1',
    },
  });
  const address = await t.app.http.listen({ port: 0, host: '127.0.0.1' });
  port = Number(new URL(address).port);
});
afterAll(() => t?.close());

describe('framework errors go through Mamori’s answer (API: JSON code; web: page)', () => {
  const long = `${MARK}${'A'.repeat(250)}`;
  const json = { 'content-type': 'application/json' };
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const cases: {
    name: string;
    status: number;
    code: ErrorCode;
    api: { method: string; url: string; headers?: Record<string, string>; payload?: string };
    web: { method: string; url: string; headers?: Record<string, string>; payload?: string };
  }[] = [
    {
      name: '414 parameter too long',
      status: 414,
      code: 'request.uri_too_long',
      api: { method: 'DELETE', url: `/api/v1/sessions/${long}` },
      web: { method: 'GET', url: `/security/methods/${long}/verify` },
    },
    {
      name: '400 malformed URL',
      status: 400,
      code: 'request.malformed',
      api: { method: 'GET', url: `/api/v1/${MARK}%zz` },
      web: { method: 'GET', url: `/${MARK}%zz` },
    },
    {
      name: '404 unknown path',
      status: 404,
      code: 'request.not_found',
      api: { method: 'GET', url: `/api/v1/${MARK}` },
      web: { method: 'GET', url: `/${MARK}` },
    },
    {
      name: '405 method not allowed',
      status: 405,
      code: 'request.method_not_allowed',
      api: { method: 'PUT', url: `/api/v1/sessions?${MARK}` },
      web: { method: 'PUT', url: `/sign-in?x=${MARK}` },
    },
    {
      name: '413 body too large',
      status: 413,
      code: 'request.too_large',
      api: {
        method: 'POST',
        url: '/api/v1/sessions',
        headers: json,
        payload: JSON.stringify({ email: MARK.repeat(4000) }),
      },
      web: { method: 'POST', url: '/sign-in', headers: form, payload: `email=${MARK.repeat(4000)}` },
    },
    {
      name: '415 unsupported media type',
      status: 415,
      code: 'request.unsupported_media_type',
      api: {
        method: 'POST',
        url: '/api/v1/sessions',
        headers: { 'content-type': `text/${MARK}` },
        payload: MARK,
      },
      web: { method: 'POST', url: '/sign-in', headers: { 'content-type': `text/${MARK}` }, payload: MARK },
    },
    {
      name: '400 malformed JSON',
      status: 400,
      code: 'request.malformed',
      api: { method: 'POST', url: '/api/v1/sessions', headers: json, payload: `{"email": ${MARK}` },
      web: { method: 'POST', url: '/sign-in', headers: json, payload: `{"email": ${MARK}` },
    },
    {
      name: '400 empty JSON body',
      status: 400,
      code: 'request.malformed',
      api: { method: 'POST', url: '/api/v1/sessions', headers: json, payload: '' },
      web: { method: 'POST', url: '/sign-in', headers: json, payload: '' },
    },
    {
      name: '400 prototype poisoning',
      status: 400,
      code: 'request.malformed',
      api: {
        method: 'POST',
        url: '/api/v1/sessions',
        headers: json,
        payload: `{"__proto__": {"${MARK}": 1}}`,
      },
      web: { method: 'POST', url: '/sign-in', headers: json, payload: `{"__proto__": {"${MARK}": 1}}` },
    },
    {
      name: '400 schema validation',
      status: 400,
      code: 'request.invalid',
      api: {
        method: 'POST',
        url: '/api/v1/sessions',
        headers: json,
        payload: JSON.stringify({ email: [MARK] }),
      },
      web: { method: 'POST', url: '/sign-in', headers: form, payload: `_csrf=${MARK}&email=x` },
    },
  ];

  for (const c of cases) {
    it(`${c.name}: API`, async () => {
      const res = await t.app.http.inject({
        method: c.api.method as 'GET',
        url: c.api.url,
        headers: { 'accept-language': 'en', ...c.api.headers },
        payload: c.api.payload,
      });
      expect(res.statusCode, c.name).toBe(c.status);
      expectApiError(res.headers, res.body, c.code, c.name);
    });
    it(`${c.name}: web`, async () => {
      const res = await t.app.http.inject({
        method: c.web.method as 'GET',
        url: c.web.url,
        headers: { 'accept-language': 'en', ...c.web.headers },
        payload: c.web.payload,
      });
      // A form post without its CSRF token is refused before anything else reads it.
      const code = c.code === 'request.invalid' ? 'request.csrf' : c.code;
      expect(res.statusCode, c.name).toBe(code === 'request.csrf' ? 403 : c.status);
      expectWebError(res.headers, res.body, code, c.name);
    });
  }

  it('405 names the methods that work (Allow)', async () => {
    const res = await t.app.http.inject({ method: 'PUT', url: '/sign-in' });
    expect(String(res.headers.allow)).toMatch(/GET/);
    expect(String(res.headers.allow)).toMatch(/POST/);
  });

  it('the language of a framework error page follows the language cookie, even before any hook ran', async () => {
    const res = await t.app.http.inject({
      method: 'GET',
      url: `/operator/requests/${long}`,
      headers: { cookie: 'mamori_lang=ja', 'accept-language': 'en' },
    });
    expect(res.statusCode).toBe(414);
    expectWebError(res.headers, res.body, 'request.uri_too_long', 'ja cookie', 'ja');
  });
});

/** A raw HTTP/1.1 client: writes `chunks` (with pauses), reads until the server closes or `deadlineMs`. */
function rawClient(port: number) {
  const socket = connect(port, '127.0.0.1');
  let data = '';
  let closedBy: 'server' | null = null;
  const closed = new Promise<void>((resolve) => {
    socket.on('data', (d) => {
      data += d.toString('utf8');
    });
    socket.on('close', () => {
      closedBy ??= 'server';
      resolve();
    });
    socket.on('error', () => undefined);
  });
  return {
    socket,
    write: (s: string) => new Promise<void>((r) => (socket.writable ? socket.write(s, () => r()) : r())),
    /** Resolves true when the server closed the connection before `ms` passed. */
    async closedWithin(ms: number): Promise<boolean> {
      const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), ms).unref());
      const outcome = await Promise.race([closed.then(() => 'closed' as const), timer]);
      if (outcome === 'late') socket.destroy();
      return outcome === 'closed' && closedBy === 'server';
    },
    get data() {
      return data;
    },
  };
}

function parseRaw(raw: string) {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Headers = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}

describe('slow clients are cut off by the configured timeouts (real sockets)', () => {
  const halfBody = (path: string, type: string) =>
    `POST ${path} HTTP/1.1\r\nHost: mamori.test\r\nAccept-Language: en\r\nContent-Type: ${type}\r\nContent-Length: 200\r\n\r\n` +
    (type.includes('json') ? `{"email":"${MARK}` : `email=${MARK}`);

  it('150 clients that sent their headers and half a body are all disconnected or answered 408', async () => {
    const clients = Array.from({ length: 150 }, (_, i) => {
      const c = rawClient(port);
      void c.write(
        i % 2
          ? halfBody('/api/v1/sessions', 'application/json')
          : halfBody('/sign-in', 'application/x-www-form-urlencoded'),
      );
      return { c, api: i % 2 === 1 };
    });
    const outcomes = await Promise.all(clients.map(({ c }) => c.closedWithin(CUT_OFF_MS)));
    expect(outcomes.filter((closed) => !closed).length).toBe(0);
    for (const { c, api } of clients) {
      if (c.data === '') continue; // disconnected without an answer
      const r = parseRaw(c.data);
      expect(r.status).toBe(408);
      if (api) expectApiError(r.headers, r.body, 'request.timeout', 'api 408');
      else expectWebError(r.headers, r.body, 'request.timeout', 'web 408');
    }
    // Answered in words, not only cut: in JSON on the API and with a page on the web.
    const answered = clients.filter(({ c }) => c.data.startsWith('HTTP/1.1 408'));
    expect(answered.some(({ api }) => api)).toBe(true);
    expect(answered.some(({ api }) => !api)).toBe(true);
  });

  it('a client that sends its headers a byte at a time is cut off', async () => {
    const c = rawClient(port);
    await c.write('GET /sign-in HTTP/1.1\r\nHost: mamori.test\r\n');
    let dripping = true;
    const drip = (async () => {
      for (let i = 0; dripping && i < 60; i++) {
        await c.write(`X-Slow-${i}: ${MARK}\r\n`);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const closed = await c.closedWithin(HEADERS_S * 1000 + 4000);
    dripping = false;
    await drip;
    expect(closed).toBe(true);
    if (c.data) {
      const r = parseRaw(c.data);
      expect(r.status).toBe(408);
      expectGuarded(r.headers, r.body, 'slow headers');
    }
  });

  it('a client that connects and says nothing is cut off', async () => {
    const c = rawClient(port);
    expect(await c.closedWithin(HEADERS_S * 1000 + 4000)).toBe(true);
  });

  it('a client whose body trickles in for longer than the request timeout is cut off', async () => {
    const c = rawClient(port);
    await c.write(
      'POST /api/v1/sessions HTTP/1.1\r\nHost: mamori.test\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"email":"',
    );
    let dripping = true;
    const drip = (async () => {
      for (let i = 0; dripping && i < 60; i++) {
        await c.write('a');
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const closed = await c.closedWithin(CUT_OFF_MS);
    dripping = false;
    await drip;
    expect(closed).toBe(true);
  });

  it('a client that is slow but within the timeouts gets its answer; idle keep-alive connections are closed', async () => {
    const c = rawClient(port);
    const body = JSON.stringify({ email: 'someone@example.com', password: 'not the password at all' });
    await c.write(
      `POST /api/v1/sessions HTTP/1.1\r\nHost: mamori.test\r\nAccept-Language: en\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
    );
    await c.write(body.slice(0, 10));
    await new Promise((r) => setTimeout(r, 300));
    await c.write(body.slice(10));
    // Keep-alive: the server closes the idle connection after HTTP_KEEP_ALIVE_TIMEOUT_SECONDS.
    expect(await c.closedWithin(CUT_OFF_MS)).toBe(true);
    const r = parseRaw(c.data);
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body).error.code).toBe('auth.invalid_credentials');
  });

  it('malformed HTTP and oversized headers get Mamori’s answer too', async () => {
    const bad = rawClient(port);
    await bad.write(
      `GET /api/v1/me HTTP/1.1\r\nHost: mamori.test\r\nAccept-Language: en\r\nBad Header ${MARK}\r\n\r\n`,
    );
    expect(await bad.closedWithin(CUT_OFF_MS)).toBe(true);
    const r1 = parseRaw(bad.data);
    expect(r1.status).toBe(400);
    expectApiError(r1.headers, r1.body, 'request.malformed', 'malformed http');

    const big = rawClient(port);
    await big.write(
      `GET /sign-in HTTP/1.1\r\nHost: mamori.test\r\nX-Big: ${MARK}${'x'.repeat(20_000)}\r\n\r\n`,
    );
    expect(await big.closedWithin(CUT_OFF_MS)).toBe(true);
    const r2 = parseRaw(big.data);
    expect(r2.status).toBe(431);
    expectGuarded(r2.headers, r2.body, 'header overflow');
    expect(String(r2.headers['content-type'])).toMatch(/^text\/html/);
  });
});

describe('no answer is stored by browsers or proxies (no-store), on every route', () => {
  it('every route answers no-store (signed out, signed in, operator); only static assets are cacheable', async () => {
    const user = await signedUpAccount(t);
    const op = await enrolledOperator(t);
    const console = await operatorConsole(t, op);
    const operatorCookie = console.jar.get('mamori_operator')!;
    const routes = registeredRoutes(t.app.http).filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
    expect(routes.length).toBeGreaterThan(100);
    const checked: string[] = [];
    // GETs first: the other methods may end the session they use.
    for (const r of [...routes].sort((a, b) => Number(b.method === 'GET') - Number(a.method === 'GET'))) {
      const url = r.url.replace(/:\w+/g, 'x1').replace(/\*/g, 'x');
      const api = url.startsWith('/api/');
      const operatorRoute = url.startsWith('/operator') || url.startsWith('/api/v1/operator');
      // Signed out, and signed in as whoever the route is for (a user, or an operator).
      const identities: Record<string, string>[] = [
        {},
        operatorRoute
          ? api
            ? { authorization: `Bearer ${op.token}` }
            : { cookie: `mamori_operator=${operatorCookie}` }
          : api
            ? { authorization: `Bearer ${user.token}` }
            : { cookie: `mamori_session=${user.token}` },
      ];
      for (const who of identities) {
        const res = await t.app.http.inject({
          method: r.method as 'GET',
          url,
          headers: {
            ...who,
            ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { 'content-type': 'application/json' }),
          },
          payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : '{}',
        });
        const what = `${r.method} ${r.url} (${Object.keys(who)[0] ?? 'anonymous'}) → ${res.statusCode}`;
        if ((url.startsWith('/assets/') || url === '/favicon.ico') && res.statusCode === 200)
          expect(res.headers['cache-control'], what).toMatch(/^public, max-age=\d+$/);
        else expect(res.headers['cache-control'], what).toBe('no-store');
        checked.push(what);
      }
    }
    expect(checked.length).toBe(routes.length * 2);
  });

  it('the dev mailbox and SMS outbox, which show codes, are no-store', async () => {
    for (const path of ['/dev/mailbox.json', '/dev/sms.json', '/dev/mailbox', '/dev/sms']) {
      const res = await t.app.http.inject({ method: 'GET', url: path });
      expect(res.statusCode, path).toBe(200);
      expect(res.headers['cache-control'], path).toBe('no-store');
    }
  });
});

describe('free text that would show blank or misleading is refused; the rest is kept as typed', () => {
  const BAD = [
    '\u3164', // HANGUL FILLER
    '\uFFA0\uFFA0', // HALFWIDTH HANGUL FILLER
    '\u115F\u1160', // HANGUL CHOSEONG / JUNGSEONG FILLER
    ' \u3164 \u3164 ',
    '\u2800', // BRAILLE PATTERN BLANK
    '\u200B\u200B', // ZERO WIDTH SPACE
    '\u00AD', // SOFT HYPHEN
    '\u0301\u0301', // combining marks alone
    'Admin\u202E', // RIGHT-TO-LEFT OVERRIDE
    '\u2067abc\u2069', // RIGHT-TO-LEFT ISOLATE
    'ad\u200Bmin', // an invisible character inside a word
    'yamada\u200Dtaro', // a joiner outside an emoji sequence
    '\uFE0F', // a variation selector with nothing to vary
  ];
  const GOOD = ['山田 太郎', 'ＹＡＭＡＤＡ', '葛\u{E0100}城 美咲', '👨‍👩‍👧 家族', '🏳️‍🌈', 'José', 'می‌خواهم'];

  it('display names at sign-up (API): refused with the field’s code; good names stored exactly as typed', async () => {
    for (const name of BAD) {
      const r = await t.api('POST', '/api/v1/signup', {
        email: uniqueEmail('blank'),
        password: 'correct horse battery staple 42',
        displayName: name,
        locale: 'en',
      });
      expect(r.status, JSON.stringify(name)).toBe(400);
      expect(r.body.error?.code, JSON.stringify(name)).toBe('account.display_name_invalid');
    }
    for (const name of GOOD) {
      const a = await signedUpAccount(t, { displayName: name });
      const me = await t.api('GET', '/api/v1/me', undefined, a.token);
      expect(me.body.displayName, name).toBe(name);
    }
    // Whitespace is the one thing tidied: trimmed, a run (ideographic space included) becomes one space.
    const spaced = await signedUpAccount(t, { displayName: ' 山田\u3000\u3000花子 ' });
    expect((await t.api('GET', '/api/v1/me', undefined, spaced.token)).body.displayName).toBe('山田 花子');
  });

  it('display names at sign-up (web form): the message is next to the field', async () => {
    const page = await t.app.http.inject({
      method: 'GET',
      url: '/sign-up',
      headers: { 'accept-language': 'en' },
    });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const cookie = ([] as string[])
      .concat(page.headers['set-cookie'] as string[])
      .map((c) => c.split(';')[0])
      .join('; ');
    const res = await t.app.http.inject({
      method: 'POST',
      url: '/sign-up',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
      payload: new URLSearchParams({
        _csrf: csrf,
        displayName: '\u3164\u3164',
        email: uniqueEmail('webblank'),
        password: 'correct horse battery staple 42',
        locale: 'en',
      }).toString(),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/id="displayName-error"[^>]*>[^<]+</);
    expect(res.body).toContain(tr('en', 'error.account.display_name_invalid'));
  });

  it('labels and the personal phrase', async () => {
    const { token } = await signedUpAccount(t);
    const id = await verifiedEmail(t, token);
    for (const bad of BAD) {
      const r = await t.api('PATCH', `/api/v1/methods/${id}`, { label: bad }, token);
      expect(r.body.error?.code, JSON.stringify(bad)).toBe('contact.label_invalid');
      const p = await t.api('PUT', '/api/v1/phrase', { phrase: bad }, token);
      expect(p.body.error?.code, JSON.stringify(bad)).toBe('phrase.invalid');
    }
    expect((await t.api('PATCH', `/api/v1/methods/${id}`, { label: ' ＷＯＲＫ 💼 ' }, token)).status).toBe(
      204,
    );
    const methods = (await t.api('GET', '/api/v1/methods', undefined, token)).body.methods as {
      label: string;
    }[];
    expect(methods[0]!.label).toBe('ＷＯＲＫ 💼');
    // An empty label is still how a label is removed.
    expect((await t.api('PATCH', `/api/v1/methods/${id}`, { label: '' }, token)).status).toBe(204);
    expect((await t.api('PUT', '/api/v1/phrase', { phrase: 'さくら🌸 2026' }, token)).status).toBe(204);
  });

  it('recovery-form answers: a blank-looking name is refused, not compared', async () => {
    // An account created before this rule with a name of Hangul fillers.
    const owner = await signedUpAccount(t);
    await t.app.deps.db.query('UPDATE accounts SET display_name = $2 WHERE email = $1', [
      owner.email,
      '\u3164',
    ]);
    const c = (await t.api('GET', '/api/v1/recovery-form/pow')).body as unknown as PowChallenge;
    const pow = {
      algorithm: c.algorithm,
      challenge: c.challenge,
      number: solvePow(c),
      salt: c.salt,
      signature: c.signature,
    };
    const contact = uniqueEmail('claimant');
    const s = await t.api('POST', '/api/v1/recovery-form', {
      account: owner.email,
      contactEmail: contact,
      pow,
    });
    expect(s.status, JSON.stringify(s.body)).toBe(202);
    const code = await t.mailedCode(contact);
    expect(
      (await t.api('POST', '/api/v1/recovery-form/verify', { flowToken: s.body.flowToken, code })).status,
    ).toBe(204);
    for (const displayName of ['\u3164', '\u202Eevil']) {
      const r = await t.api('POST', '/api/v1/recovery-form/submit', {
        flowToken: s.body.flowToken,
        evidence: { displayName, passwords: ['x'] },
      });
      expect(r.status, JSON.stringify(displayName)).toBe(400);
      expect(r.body.error?.code).toBe('recovery_form.invalid');
    }
  });

  it('reviewers’ reasons and service notices', async () => {
    const op = await enrolledOperator(t, { role: 'admin' });
    const c = await operatorConsole(t, op);
    await c.get('/operator/notices');
    const notice = {
      category: 'other',
      subjectJa: 'お知らせ',
      bodyJa: '本文です。',
      subjectEn: 'News',
      bodyEn: 'Body.',
    };
    for (const bad of ['\u3164', 'News\u202E']) {
      const r = await c.post('/operator/notices', { ...notice, subjectEn: bad });
      expect(r.statusCode, JSON.stringify(bad)).toBe(400);
      const b = await c.post('/operator/notices', { ...notice, bodyJa: `\u200B${bad}` });
      expect(b.statusCode, JSON.stringify(bad)).toBe(400);
    }
    const ok = await c.post('/operator/notices', { ...notice, bodyEn: 'Line one.\n\tLine two 🙂' });
    expect(ok.statusCode).toBe(303);
    const decision = await t.api(
      'POST',
      '/api/v1/operator/requests/rfr_none/decision',
      { decision: 'deny', reason: '\u3164\u3164' },
      op.token,
    );
    expect(decision.status).toBe(400);
    expect(decision.body.error?.code).toBe('recovery_form.invalid');
  });
});
