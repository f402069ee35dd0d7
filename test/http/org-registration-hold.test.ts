import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { memberIn, setPolicy, verifiedPhone, webSignIn } from '../support/org-enforce.ts';
import { orgWithAdmin } from '../support/orgs.ts';

/**
 * Registration enforced at sign-in is binding (issue 9 §2, §3): a member whose sign-in was interrupted cannot
 * walk around the required page to the rest of their account; only complying, snoozing (where allowed),
 * securing the account or signing out. The API holds the same way.
 */
describe('a member held to the registration requirement', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function heldMember(maxSnoozes: number) {
    const org = await orgWithAdmin(t);
    await setPolicy(t, org.orgId, { maxSnoozes, minMethods: 1, required: ['phone'] });
    const m = await memberIn(t, org.orgId, org.domain);
    const { c, location } = await webSignIn(t, m.email, m.password, '/security');
    expect(location).toBe('/security/required?next=%2Fsecurity');
    return { m, c, session: c.jar.get('mamori_session') as string };
  }

  it('is led back to the required page from every other page, and the API refuses, until the member complies', async () => {
    const { c, session } = await heldMember(0);
    for (const path of ['/security', '/security/activity', '/account', '/security/sessions']) {
      const r = await c.get(path);
      expect(r.statusCode, path).toBe(303);
      expect(String(r.headers.location)).toBe(`/security/required?next=${encodeURIComponent(path)}`);
    }
    // What complying needs stays open.
    expect((await c.get('/security/required')).statusCode).toBe(200);
    expect((await c.get('/security/phones/add')).statusCode).toBe(200);
    expect((await c.get('/organisation/why')).statusCode).toBe(200);
    const refused = await t.api('GET', '/api/v1/sessions', undefined, session);
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('policy.registration_required');
    // Complying through the API is allowed, and frees the member at once (no stale cache holds them).
    await verifiedPhone(t, session, '090-4444-0202');
    expect((await c.get('/security/required?next=%2Fsecurity')).statusCode).toBe(200);
    expect((await c.get('/security/activity')).statusCode).toBe(200);
    expect((await t.api('GET', '/api/v1/sessions', undefined, session)).status).toBe(200);
  });

  it('a snooze lets the member through', async () => {
    const { c } = await heldMember(2);
    expect((await c.get('/security/activity')).statusCode).toBe(303);
    expect((await c.post('/security/required/snooze?next=%2Fsecurity%2Factivity', {})).statusCode).toBe(303);
    expect((await c.get('/security/activity')).statusCode).toBe(200);
  });

  it('a member whose organisation does not enforce registration is never held', async () => {
    const org = await orgWithAdmin(t);
    await setPolicy(t, org.orgId, { enforceRegistration: false });
    const m = await memberIn(t, org.orgId, org.domain);
    const { c, location } = await webSignIn(t, m.email, m.password, '/security/activity');
    expect(location).toBe('/security/activity');
    expect((await c.get('/security/sessions')).statusCode).toBe(200);
  });
});
