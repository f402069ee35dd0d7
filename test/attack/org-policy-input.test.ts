import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/web/plumbing.ts';
import { createToken } from '../http/org-api-support.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { orgWithAdmin } from '../support/orgs.ts';
import { formClient } from '../web/browser-less-client.ts';

/** Huge, malformed and wrongly typed policy bodies through the API and the console (PostgreSQL). */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ store: 'postgres' });
});
afterAll(() => t.close());

const GOOD = {
  allowed: { passkey: true, totp: true, phone: true, email: true },
  smsCountries: ['JP'],
  minMethods: 2,
  required: ['phone'],
  resetMethods: 1,
  reconfirmDays: 180,
  enforceRegistration: true,
  snoozeDays: 1,
  maxSnoozes: 3,
};

describe('attack: hostile policy bodies', () => {
  it('every malformed body is a 4xx and saves nothing', async () => {
    const org = await orgWithAdmin(t);
    const { token } = await createToken(t, org.admin.token, { role: 'org_admin' });
    const put = (payload: string) =>
      t.app.http.inject({
        method: 'PUT',
        url: `/api/v1/orgs/${org.orgId}/policy`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload,
      });
    const bodies: unknown[] = [
      null,
      [],
      'x',
      { baseVersion: 1 },
      { baseVersion: '1', policy: GOOD },
      { baseVersion: 1.5, policy: GOOD },
      { baseVersion: 1, policy: { ...GOOD, minMethods: '2' } },
      { baseVersion: 1, policy: { ...GOOD, minMethods: 2.5 } },
      { baseVersion: 1, policy: { ...GOOD, minMethods: 1e308 } },
      { baseVersion: 1, policy: { ...GOOD, allowed: 'all' } },
      { baseVersion: 1, policy: { ...GOOD, smsCountries: 'JP' } },
      { baseVersion: 1, policy: { ...GOOD, smsCountries: ['JPN'] } },
      { baseVersion: 1, policy: { ...GOOD, smsCountries: Array.from({ length: 5000 }, () => 'JP') } },
      { baseVersion: 1, policy: { ...GOOD, required: ['phone', 'phone', 'phone', 'phone'] } },
      { baseVersion: 1, policy: { ...GOOD, required: [{}] } },
      { baseVersion: 1, policy: { ...GOOD, allowed: { ...GOOD.allowed, phone: false } } },
      { baseVersion: 1, policy: { ...GOOD, snoozeDays: -1 } },
      { baseVersion: 1, policy: { ...GOOD, extra: 'x'.repeat(2_000_000) } },
    ];
    for (const b of bodies) {
      const r = await put(JSON.stringify(b));
      expect(r.statusCode, `${bodies.indexOf(b)} ${r.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, JSON.stringify(b).slice(0, 200)).toBeLessThan(500);
    }
    const r = await put('{"baseVersion":1,"policy":');
    expect(r.statusCode).toBe(400);
    const proto = await put(
      JSON.stringify({ baseVersion: 1, policy: GOOD }).replace(
        '"allowed":{',
        '"allowed":{"__proto__":{"x":1},',
      ),
    );
    expect(proto.statusCode).toBe(400);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    const v = await t.app.deps.db.query<{ n: number }>(
      'SELECT max(version)::int AS n FROM org_policies WHERE org_id = $1',
      [org.orgId],
    );
    expect(v[0]!.n).toBe(1);
  });

  it('the console form with wrong types, repeated and huge fields saves nothing or a valid policy', async () => {
    const org = await orgWithAdmin(t);
    const c = formClient(t);
    c.jar.set(SESSION_COOKIE, org.admin.token);
    await c.get('/org/policy');
    for (const form of [
      { baseVersion: 'abc', minMethods: '2' },
      { baseVersion: '1', minMethods: 'NaN', resetMethods: '1' },
      { baseVersion: '1', minMethods: '2', smsCountries: 'JP,'.repeat(20000) },
      { baseVersion: '1', minMethods: '99999999999999999999' },
    ] as Record<string, string>[]) {
      const r = await c.post('/org/policy', form);
      expect(r.statusCode, JSON.stringify(form).slice(0, 100)).toBeLessThan(500);
    }
  });
});
