import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { memberIn, setPolicy, webSignIn } from '../support/org-enforce.ts';
import { orgWithAdmin } from '../support/orgs.ts';
import { createToken } from './org-api-support.ts';

/**
 * A temporary password from an organisation admin must be changed at the next sign-in (issue 9 §4): until the
 * member chooses their own, the session can do nothing else — not on any page, not in the API.
 */
describe('a temporary password must be changed before anything else', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function memberWithTemporaryPassword() {
    const org = await orgWithAdmin(t);
    await setPolicy(t, org.orgId, { enforceRegistration: false, minMethods: 1, required: [] });
    const m = await memberIn(t, org.orgId, org.domain);
    const { token } = await createToken(t, org.admin.token, { role: 'auth_admin' });
    const r = await t.api('POST', `/api/v1/orgs/${org.orgId}/members/${m.id}/temporary-password`, {}, token);
    expect(r.status).toBe(201);
    return { ...m, temporary: r.body.temporaryPassword as string };
  }

  it('through the API: the sign-in says so, every other call is refused until the member chooses a password', async () => {
    const m = await memberWithTemporaryPassword();
    const s = await t.api('POST', '/api/v1/sessions', { email: m.email, password: m.temporary });
    expect(s.status).toBe(200);
    expect(s.body.organisationRequires).toBe('new_password');
    const session = s.body.sessionToken as string;
    for (const [method, url] of [
      ['GET', '/api/v1/sessions'],
      ['GET', '/api/v1/methods'],
      ['POST', '/api/v1/recovery-code'],
      ['GET', '/api/v1/activity'],
    ] as const) {
      const r = await t.api(method, url, method === 'POST' ? {} : undefined, session);
      expect(r.status, url).toBe(403);
      expect(r.body.error?.code).toBe('auth.password_change_required');
    }
    const me = await t.api('GET', '/api/v1/me/organisation', undefined, session);
    expect(me.status).toBe(403);
    expect((await t.api('GET', '/api/v1/me', undefined, session)).status).toBe(200);
    expect(
      (await t.api('POST', '/api/v1/password/temporary', { password: 'my very own passphrase 88' }, session))
        .status,
    ).toBe(204);
    // Now the session is the member's own.
    expect((await t.api('GET', '/api/v1/sessions', undefined, session)).status).toBe(200);
    const again = await t.api('POST', '/api/v1/sessions', {
      email: m.email,
      password: 'my very own passphrase 88',
    });
    expect(again.body.organisationRequires).toBeUndefined();
    // The temporary password is gone.
    expect((await t.api('POST', '/api/v1/sessions', { email: m.email, password: m.temporary })).status).toBe(
      401,
    );
  });

  it('on the pages: every page leads to choosing a new password, which then leads on', async () => {
    const m = await memberWithTemporaryPassword();
    const { c, location } = await webSignIn(t, m.email, m.temporary, '/security/activity');
    expect(location).toMatch(/^\/security\/new-password-required\?next=/);
    for (const path of ['/security', '/security/activity', '/account', '/security/emails/add']) {
      const r = await c.get(path);
      expect(r.statusCode, path).toBe(303);
      expect(String(r.headers.location)).toBe(
        `/security/new-password-required?next=${encodeURIComponent(path)}`,
      );
    }
    const page = await c.get('/security/new-password-required?next=%2Fsecurity');
    expect(page.statusCode).toBe(200);
    const done = await c.post('/security/new-password-required?next=%2Fsecurity', {
      password: 'my very own passphrase 88',
    });
    expect(done.statusCode).toBe(303);
    expect((await c.get('/security')).statusCode).toBe(200);
  });

  it('a member without a temporary password is not held (no extra refusal for anyone else)', async () => {
    const org = await orgWithAdmin(t);
    const m = await memberIn(t, org.orgId, org.domain);
    expect((await t.api('GET', '/api/v1/sessions', undefined, m.token)).status).toBe(200);
    const me = await t.api('GET', '/api/v1/me/organisation', undefined, m.token);
    expect(me.body).toMatchObject({
      organisation: { name: '株式会社サンプル' },
      role: 'member',
      mustChangePassword: false,
    });
  });
});
