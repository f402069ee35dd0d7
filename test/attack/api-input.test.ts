/**
 * Hostile JSON to every API operation of the document: unknown properties, wrong types, huge strings,
 * prototype-pollution keys and deep nesting. Every one is refused with a 400 (413 when too large) and a typed
 * code, before anything runs, without a stack trace and without echoing what was sent (a wrong field is
 * named by its JSON pointer only when its name is a plain identifier).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../src/kernel/errors.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';

let t: TestApp;
type Json = Record<string, unknown>;
interface Op {
  method: string;
  url: string;
  body: { properties?: Record<string, Json> } | null;
}
let ops: Op[] = [];

beforeAll(async () => {
  t = await createTestApp();
  const doc = JSON.parse((await t.app.http.inject({ method: 'GET', url: '/api/openapi.json' })).body) as {
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Json }> } }>>;
  };
  ops = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({
      method: method.toUpperCase(),
      url: path.replace(/\{[^}]+\}/g, 'x1'),
      body: (op.requestBody?.content['application/json']?.schema as Op['body']) ?? null,
    })),
  );
});
afterAll(async () => {
  await t.close();
});

const MARK = 'ZZmarkZZ';
const send = (op: Op, raw: string) =>
  t.app.http.inject({
    method: op.method as 'POST',
    url: op.url,
    payload: raw,
    headers: { 'content-type': 'application/json', 'accept-language': 'en' },
  });

function expectRefused(op: Op, res: { statusCode: number; body: string }, what: string) {
  const where = `${op.method} ${op.url} (${what})`;
  expect([400, 413], `${where}: ${res.body.slice(0, 200)}`).toContain(res.statusCode);
  const body = JSON.parse(res.body) as { error: { code: string; message: string } };
  expect(Object.keys(ERROR_STATUS), where).toContain(body.error.code);
  expect(ERROR_STATUS[body.error.code as keyof typeof ERROR_STATUS], where).toBe(res.statusCode);
  expect(res.body, where).not.toContain(MARK);
  expect(res.body, where).not.toMatch(/\bat .+:\d+:\d+|stack|node_modules|src\//);
}

/** Hostile bodies for an operation that takes `props`. */
function hostile(props: string[]): [string, string][] {
  const huge = Object.fromEntries(props.map((p) => [p, `${MARK}${'a'.repeat(2000)}`]));
  const wrongTypes = Object.fromEntries(props.map((p) => [p, [{ [`<${MARK}>`]: MARK }]]));
  let deep = `"${MARK}"`;
  for (let i = 0; i < 2000; i++) deep = `[${deep}]`;
  return [
    ['an unknown property', JSON.stringify({ unexpectedProperty: MARK })],
    ['an unknown property with a hostile name', JSON.stringify({ [`<b>${MARK}</b>`]: 1 })],
    ['an array body', JSON.stringify([MARK])],
    ['a string body', JSON.stringify(MARK)],
    ['a number body', '12345'],
    ['null', 'null'],
    ['wrong types everywhere', JSON.stringify(wrongTypes)],
    ['huge strings', JSON.stringify(huge)],
    ['__proto__', `{"__proto__": {"polluted": "${MARK}"}}`],
    ['constructor.prototype', `{"constructor": {"prototype": {"polluted": "${MARK}"}}}`],
    ['deep nesting', `{"<${MARK}>": ${deep}}`],
    ['more than 16 KiB', JSON.stringify({ [`<${MARK}>`]: 'a'.repeat(17_000) })],
  ];
}

describe('hostile JSON to every API operation', () => {
  it('covers the operations of the document', () => {
    expect(ops.length).toBeGreaterThan(70);
    expect(ops.filter((o) => o.body).length).toBeGreaterThan(45);
  });

  it('refuses it with a 400 (or 413) and a typed code, no stack, nothing echoed', async () => {
    for (const op of ops.filter((o) => o.body)) {
      for (const [what, raw] of hostile(Object.keys(op.body?.properties ?? {})))
        expectRefused(op, await send(op, raw), what);
    }
    // Nothing reached Object.prototype.
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  }, 120_000);

  it('fills every required property with huge text: refused as too long, naming the fields', async () => {
    for (const op of ops.filter((o) => o.body)) {
      const strings = Object.entries(op.body?.properties ?? {}).filter(([, s]) => s.type === 'string');
      if (strings.length === 0) continue;
      const res = await send(
        op,
        JSON.stringify(Object.fromEntries(strings.map(([p]) => [p, 'a'.repeat(1500)]))),
      );
      expectRefused(op, res, 'long strings');
      const fields = (JSON.parse(res.body) as { error: { fields?: { path: string; code: string }[] } }).error
        .fields;
      expect(fields?.length, `${op.method} ${op.url}`).toBeGreaterThan(0);
    }
  }, 120_000);

  it('operations without a body never fail on one, and never echo it', async () => {
    for (const op of ops.filter((o) => !o.body && o.method !== 'GET')) {
      const res = await send(op, `{"__proto__": {"polluted": "${MARK}"}, "<${MARK}>": 1}`);
      expect(res.statusCode, `${op.method} ${op.url}`).toBeLessThan(500);
      expect(res.body).not.toContain(MARK);
    }
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  }, 60_000);
});
