import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTap } from '../../src/organisations/store/taps.ts';
import { SESSION_COOKIE } from '../../src/web/plumbing.ts';
import { createTestApp, GOOD_PASSWORD, type TestApp } from '../support/harness.ts';
import { accountIn, addMember, orgWithAdmin } from '../support/orgs.ts';
import { formClient } from '../web/browser-less-client.ts';

/** A temporary access pass ends when the owner takes the account back (issue 9 §4; a flow dies with what it was issued against). */
describe('a temporary access pass ends when its owner takes the account back', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function memberWithPass() {
    const org = await orgWithAdmin(t);
    const m = await accountIn(t, org.domain);
    await addMember(t, org.orgId, m.email);
    const id = (await t.api('GET', '/api/v1/me', undefined, m.token)).body.id as string;
    const admin = formClient(t);
    admin.jar.set(SESSION_COOKIE, org.admin.token);
    await admin.get(`/org/members/${id}`);
    const r = await admin.post(`/org/members/${id}/tap`, { length: '12', lifetime: '600' });
    const pass = /<code>([A-Z0-9]+)<\/code>/.exec(r.body)?.[1] ?? '';
    expect(pass).toHaveLength(12);
    return { m, id, pass };
  }

  async function passSignIn(email: string, pass: string) {
    const c = formClient(t);
    await c.get('/sign-in/pass');
    const r = await c.post('/sign-in/pass', { email, pass });
    return { status: r.statusCode, signedIn: Boolean(c.jar.get(SESSION_COOKIE)) };
  }

  it('after the owner changes the password', async () => {
    const { m, id, pass } = await memberWithPass();
    const changed = await t.api('POST', '/api/v1/password', { password: `${GOOD_PASSWORD} new` }, m.token);
    expect(changed.status).toBe(200);
    expect(await findTap(t.app.deps.db, id)).toBeUndefined();
    expect((await passSignIn(m.email, pass)).signedIn).toBe(false);
  });

  it('after "secure my account"', async () => {
    const { m, id, pass } = await memberWithPass();
    const secured = await t.api('POST', '/api/v1/secure', { password: `${GOOD_PASSWORD} safe` }, m.token);
    expect(secured.status).toBe(200);
    expect(await findTap(t.app.deps.db, id)).toBeUndefined();
    expect((await passSignIn(m.email, pass)).signedIn).toBe(false);
  });

  it('but not when the member only adds a method with it (a multi-use pass lasts its lifetime)', async () => {
    const { m, pass } = await memberWithPass();
    const first = await passSignIn(m.email, pass);
    expect(first.signedIn).toBe(true);
    expect((await passSignIn(m.email, pass)).signedIn).toBe(true);
  });
});
