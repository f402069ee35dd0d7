import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgAdmin } from '../../src/organisations/admin-access.ts';
import {
  requireReregistration,
  resetMemberPassword,
  revokeMemberSessions,
} from '../../src/organisations/admin-actions.ts';
import { createTap, signInWithTap } from '../../src/organisations/tap.ts';
import { SESSION_COOKIE } from '../../src/web/plumbing.ts';
import { createTestApp, type TestApp, uniqueEmail, verifiedEmail } from '../support/harness.ts';
import { accountIn, addMember, orgWithAdmin } from '../support/orgs.ts';
import { formClient } from '../web/browser-less-client.ts';

/**
 * Flows that must die (PostgreSQL): a temporary access pass outlives nothing the member does to take the
 * account back.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    store: 'postgres',
    env: { SIGNIN_FAILURES_PER_ACCOUNT: '1000', SIGNIN_FAILURES_PER_IP: '100000' },
  });
});
afterAll(() => t.close());

const CTX = { ip: '203.0.113.7', userAgent: 'test', country: 'JP' } as never;

async function setUp() {
  const org = await orgWithAdmin(t);
  const m = await accountIn(t, org.domain);
  const id = await addMember(t, org.orgId, m.email);
  const admin: OrgAdmin = {
    orgId: org.orgId,
    orgName: 'x',
    orgContact: '',
    accountId: org.admin.accountId,
    role: 'org_admin',
    actor: { kind: 'admin', id: org.admin.accountId, name: org.admin.email },
  };
  return { org, m, id, by: { admin, session: null } };
}

describe('attack: flows that must die (organisations)', () => {
  it('a multi-use pass dies when the member replaces the temporary password an admin gave', async () => {
    const { m, id, by } = await setUp();
    const deps = t.app.deps;
    const { temporaryPassword } = await resetMemberPassword(deps, by, id);
    const { pass } = await createTap(deps, by, id, { oneTime: false, lifetimeMinutes: 600 });
    // The pass works before.
    await expect(signInWithTap(deps, { email: m.email, pass }, CTX)).resolves.toBeTruthy();

    // The member signs in with the temporary password and replaces it.
    const s = await t.api('POST', '/api/v1/sessions', { email: m.email, password: temporaryPassword });
    expect(s.status).toBe(200);
    const c = formClient(t);
    c.jar.set(SESSION_COOKIE, s.body.sessionToken as string);
    await c.get('/security/new-password-required');
    const r = await c.post('/security/new-password-required', { password: 'a brand new secret phrase 77' });
    expect(r.statusCode).toBe(303);
    expect(
      (await t.api('POST', '/api/v1/sessions', { email: m.email, password: 'a brand new secret phrase 77' }))
        .status,
    ).toBe(200);

    await expect(signInWithTap(deps, { email: m.email, pass }, CTX)).rejects.toMatchObject({
      code: 'auth.invalid_credentials',
    });
  });

  it('a password reset verified before an admin requires re-registration cannot be completed after', async () => {
    const { m, id, by } = await setUp();
    const contact = uniqueEmail('c');
    const methodId = await verifiedEmail(t, m.token, contact);
    t.clock.advance(61_000);
    const flowToken = (await t.api('POST', '/api/v1/password-reset', { email: m.email })).body.flowToken;
    expect(
      (await t.api('POST', '/api/v1/password-reset/choose', { flowToken, methodId, confirm: contact }))
        .status,
    ).toBe(200);
    const code = await t.mailedCode(contact);
    expect((await t.api('POST', '/api/v1/password-reset/verify', { flowToken, code })).status).toBe(204);
    await requireReregistration(t.app.deps, by, id);
    const done = await t.api('POST', '/api/v1/password-reset/complete', {
      flowToken,
      password: 'a brand new passphrase 77',
    });
    expect(done.status).not.toBe(200);
  });

  it('a session started with a pass ends with the pass; "revoke all" ends it at once', async () => {
    const { m, id, by } = await setUp();
    const deps = t.app.deps;
    const { pass } = await createTap(deps, by, id, { oneTime: false, lifetimeMinutes: 10 });
    const a = await signInWithTap(deps, { email: m.email, pass }, CTX);
    const b = await signInWithTap(deps, { email: m.email, pass }, CTX);
    expect((await t.api('GET', '/api/v1/me', undefined, a.sessionToken)).status).toBe(200);
    await revokeMemberSessions(deps, by, id);
    expect((await t.api('GET', '/api/v1/me', undefined, a.sessionToken)).status).toBe(401);
    expect((await t.api('GET', '/api/v1/me', undefined, m.token)).status).toBe(401);
    void b;
    const c = await signInWithTap(deps, { email: m.email, pass }, CTX);
    t.clock.advance(9 * 60_000);
    expect((await t.api('GET', '/api/v1/me', undefined, c.sessionToken)).status).toBe(200);
    t.clock.advance(61_000);
    expect((await t.api('GET', '/api/v1/me', undefined, c.sessionToken)).status).toBe(401);
  });

  it('a temporary password stops working once the member replaced it; a second replacement is refused', async () => {
    const { m, id, by } = await setUp();
    const { temporaryPassword } = await resetMemberPassword(t.app.deps, by, id);
    const s = await t.api('POST', '/api/v1/sessions', { email: m.email, password: temporaryPassword });
    const c = formClient(t);
    c.jar.set(SESSION_COOKIE, s.body.sessionToken as string);
    await c.get('/security/new-password-required');
    await c.post('/security/new-password-required', { password: 'another fresh phrase 2026' });
    expect(
      (await t.api('POST', '/api/v1/sessions', { email: m.email, password: temporaryPassword })).status,
    ).toBe(401);
    const again = await c.get('/security/new-password-required');
    expect(again.statusCode).toBe(303);
  });

  it('a code for adding a contact, sent before an admin requires re-registration, no longer verifies', async () => {
    const { m, id, by } = await setUp();
    const contact = uniqueEmail('late');
    const added = await t.api('POST', '/api/v1/methods/emails', { email: contact }, m.token);
    expect(added.status).toBe(202);
    const code = await t.mailedCode(contact);
    await requireReregistration(t.app.deps, by, id);
    const v = await t.api('POST', `/api/v1/methods/${added.body.methodId}/verify`, { code }, m.token);
    expect(v.status).not.toBe(200);
  });
});
