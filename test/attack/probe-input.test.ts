import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, GOOD_PASSWORD, type TestApp } from '../support/harness.ts';
import { account, addContact, call, freshEmail, ipv4 } from './support.ts';

/**
 * Probes (outside tester): hostile input on every field of every API route, with every other field valid
 * (real flow tokens, a real session with a fresh proof), on PostgreSQL. Every answer must be Mamori's:
 * no 5xx, and every refusal a typed `{ error: { code, message } }`.
 */

interface Op {
  method: string;
  path: string;
  fields: Record<string, { type?: string; maxLength?: number }>;
  auth: boolean;
}

const long = (s: string, n: number) => s.repeat(Math.max(1, n));

/** Hostile values for a string field whose schema allows `max` characters. */
function hostile(max: number): [string, unknown][] {
  return [
    ['nul', 'a\u0000b@example.com'],
    ['only nul', '\u0000'],
    ['lone surrogate', 'ab\ud800cd'],
    ['lone low surrogate', '\udc00'],
    ['NFKC x18 (U+FDFA) at max', long('\ufdfa', max)],
    ['astral at max', long('\u{20BB7}', max)],
    ['combining marks at max', `a${long('\u0301', max - 1)}`],
    ['ideographic spaces at max', long('\u3000', max)],
    ['RTL override', '\u202Eevil@example.com'],
    ['BOM', '\uFEFFuser@example.com'],
    ['full-width email', 'ｕｓｅｒ＠ｅｘａｍｐｌｅ．ｃｏｍ'],
    ['percent and dots', '%00/../..%2f'],
    ['SQL', "' OR 1=1; --"],
    ['number', 123456],
    ['array', ['a']],
    ['object', { a: 1 }],
    ['null', null],
    ['bool', true],
    ['huge number', 1e308],
  ];
}

const HOSTILE_IDS = [
  '%00',
  'a%00b',
  '%F0%A0%AE%B7',
  '%ED%A0%80',
  '..%2F..%2Fme',
  'x'.repeat(190),
  "'%20OR%201=1",
];

describe('probe: hostile input on every API field (PostgreSQL)', () => {
  let t: TestApp;
  let ops: Op[];
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
    const spec = (await t.api('GET', '/api/openapi.json')).body as {
      paths: Record<
        string,
        Record<
          string,
          {
            security?: unknown[];
            requestBody?: { content?: Record<string, { schema?: { properties?: Op['fields'] } }> };
          }
        >
      >;
    };
    ops = [];
    for (const [path, item] of Object.entries(spec.paths))
      for (const [method, op] of Object.entries(item)) {
        const fields = op.requestBody?.content?.['application/json']?.schema?.properties ?? {};
        ops.push({ method: method.toUpperCase(), path, fields, auth: true });
      }
    void readFileSync;
  });
  afterAll(() => t.close());

  /** A fresh account with a contact and a fresh proof, plus real tokens of every flow. */
  async function context() {
    const a = await account(t);
    const contact = freshEmail('contact');
    const methodId = await addContact(t, a.token, a.ip, contact);
    t.clock.advance(61_000);
    const stepped = await call(t, 'POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, a);
    const token = stepped.body.sessionToken as string;
    const reset = await call(t, 'POST', '/api/v1/password-reset', { email: a.email }, { ip: ipv4() });
    const signup = await call(
      t,
      'POST',
      '/api/v1/signup',
      { email: freshEmail('s'), password: GOOD_PASSWORD, displayName: '山田', locale: 'ja' },
      { ip: ipv4() },
    );
    const pending = await call(
      t,
      'POST',
      '/api/v1/sessions',
      { email: a.email, password: GOOD_PASSWORD },
      { ip: ipv4(), headers: { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0) other' } },
    );
    const valid: Record<string, unknown> = {
      email: freshEmail('v'),
      password: 'a perfectly fine passphrase 9',
      displayName: '山田',
      locale: 'ja',
      timeZone: 'Asia/Tokyo',
      signupToken: signup.body.signupToken,
      code: '123456',
      flowToken: reset.body.flowToken,
      methodId,
      confirm: contact,
      recoveryCode: 'ABCD-EFGH-IJKL-MNOP',
      pendingToken: (pending.body.secondFactor as { pendingToken?: string } | undefined)?.pendingToken ?? 'x',
      label: 'ラベル',
      phrase: 'こんにちは',
      country: 'JP',
      number: '090-1234-5678',
      reference: 'ABCDEFGH',
      token: 'x'.repeat(40),
      name: 'operator',
      account: a.email,
      contactEmail: freshEmail('c'),
      reason: '理由',
      review: 'mine',
      decision: 'deny',
      enabled: false,
      endOtherSessions: false,
      acceptTypo: false,
      trustDevice: false,
    };
    return { ...a, token, methodId, valid };
  }

  it('no field of any route makes Mamori answer 5xx or an untyped error', async () => {
    let ctx = await context();
    const bad: string[] = [];
    let checked = 0;
    const alive = async () => (await call(t, 'GET', '/api/v1/me', undefined, ctx)).status === 200;
    for (const op of ops) {
      if (op.path.startsWith('/api/v1/operator/')) continue;
      const cases: { label: string; url: string; body?: unknown }[] = [];
      const url = op.path.replace(/\{id\}/g, ctx.methodId);
      const base = Object.fromEntries(Object.keys(op.fields).map((k) => [k, ctx.valid[k] ?? 'x']));
      for (const [field, schema] of Object.entries(op.fields)) {
        if (schema.type && schema.type !== 'string') {
          for (const [label, v] of [
            ['string', 'x\u0000'],
            ['deep', JSON.parse(`${'['.repeat(2000)}${']'.repeat(2000)}`)],
          ] as const)
            cases.push({ label: `${field}=${label}`, url, body: { ...base, [field]: v } });
          continue;
        }
        for (const [label, v] of hostile(schema.maxLength ?? 64))
          cases.push({ label: `${field}=${label}`, url, body: { ...base, [field]: v } });
      }
      if (op.path.includes('{id}'))
        for (const id of HOSTILE_IDS)
          cases.push({
            label: `id=${id.slice(0, 20)}`,
            url: op.path.replace(/\{id\}/g, id),
            body: Object.keys(base).length ? base : undefined,
          });
      if (!cases.length) continue;
      for (const c of cases) {
        const r = await call(t, op.method, c.url, c.body, { ip: ipv4(), token: ctx.token });
        checked++;
        if (r.status >= 500 || (r.status >= 400 && !r.body.error?.code))
          bad.push(`${op.method} ${op.path} ${c.label}: ${r.status} ${JSON.stringify(r.body).slice(0, 160)}`);
        if (r.status < 400 && !(await alive())) ctx = await context();
      }
    }
    console.log(`PROBE checked ${checked}`);
    expect(bad).toEqual([]);
  }, 600_000);
});
