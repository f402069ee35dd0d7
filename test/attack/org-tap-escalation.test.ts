import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgAdmin } from '../../src/organisations/admin-access.ts';
import { acceptInvitation } from '../../src/organisations/invitations.ts';
import { createTap, signInWithTap } from '../../src/organisations/tap.ts';
import { SESSION_COOKIE } from '../../src/web/plumbing.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { accountIn, addMember, orgWithAdmin, withTwoStep } from '../support/orgs.ts';
import { formClient } from '../web/browser-less-client.ts';

/**
 * Privilege through a temporary access pass (PostgreSQL): an authentication admin may give a pass to a
 * member, not to an organisation admin. A pass given while the account was a member must not become a way
 * into an organisation admin's console once the account is promoted (the pass signs in as a second factor).
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ store: 'postgres' });
});
afterAll(() => t.close());

const CTX = { ip: '203.0.113.8', userAgent: 'test', country: 'JP' } as never;

describe('attack: a pass outliving the role it was given for', () => {
  it('a pass an authentication admin gave a member stops working when the member becomes an admin', async () => {
    const org = await orgWithAdmin(t);
    const h = await accountIn(t, org.domain);
    const hId = await addMember(t, org.orgId, h.email, 'auth_admin');
    const m = await accountIn(t, org.domain);
    const mId = await addMember(t, org.orgId, m.email);
    await withTwoStep(t, m);
    const helpdesk: OrgAdmin = {
      orgId: org.orgId,
      orgName: 'x',
      orgContact: '',
      accountId: hId,
      role: 'auth_admin',
      actor: { kind: 'admin', id: hId, name: h.email },
    };
    const { pass } = await createTap(t.app.deps, { admin: helpdesk, session: null }, mId, {
      oneTime: false,
      lifetimeMinutes: 7 * 24 * 60,
    });
    // The organisation admin promotes the member (through the console).
    const a = formClient(t);
    a.jar.set(SESSION_COOKIE, org.admin.token);
    await a.get('/org/members');
    const promoted = await a.post('/org/members/role', { email: m.email, role: 'org_admin' });
    expect(promoted.statusCode).toBe(200);

    // The helpdesk still holds the pass.
    const s = await signInWithTap(t.app.deps, { email: m.email, pass }, CTX).catch((e) => e);
    if (s && typeof s === 'object' && 'sessionToken' in s) {
      const c = formClient(t);
      c.jar.set(SESSION_COOKIE, s.sessionToken as string);
      expect((await c.get('/org/policy')).statusCode).not.toBe(200);
    }
    expect(s).toMatchObject({ code: 'auth.invalid_credentials' });
  });

  it('and when the member accepts an invitation to a higher role', async () => {
    const org = await orgWithAdmin(t);
    const h = await accountIn(t, org.domain);
    const hId = await addMember(t, org.orgId, h.email, 'auth_admin');
    const m = await accountIn(t, org.domain);
    const mId = await addMember(t, org.orgId, m.email);
    const helpdesk: OrgAdmin = {
      orgId: org.orgId,
      orgName: 'x',
      orgContact: '',
      accountId: hId,
      role: 'auth_admin',
      actor: { kind: 'admin', id: hId, name: h.email },
    };
    const { pass } = await createTap(t.app.deps, { admin: helpdesk, session: null }, mId, {
      lifetimeMinutes: 600,
    });
    const a = formClient(t);
    a.jar.set(SESSION_COOKIE, org.admin.token);
    await a.get('/org/invitations');
    expect((await a.post('/org/invitations', { email: m.email, role: 'org_admin' })).statusCode).toBe(303);
    await t.drain();
    const raw = /join\?token=([\w-]+)/.exec(t.sink.to(m.email).at(-1)!.text)?.[1] ?? '';
    await acceptInvitation(t.app.deps, { accountId: mId }, raw);
    await expect(signInWithTap(t.app.deps, { email: m.email, pass }, CTX)).rejects.toMatchObject({
      code: 'auth.invalid_credentials',
    });
  });
});
