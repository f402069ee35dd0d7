import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/web/plumbing.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { accountIn, addMember, orgWithAdmin } from '../support/orgs.ts';
import { formClient } from '../web/browser-less-client.ts';

/**
 * A stolen console session (PostgreSQL): an admin's session whose second factor is hours old must not turn
 * itself into lasting access. Making an API token already needs a fresh proof; naming another account an
 * organisation admin, or inviting an outside address as one, is the same kind of lasting access and must too.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ store: 'postgres' });
});
afterAll(() => t.close());

async function staleConsole() {
  const org = await orgWithAdmin(t);
  const accomplice = await accountIn(t, org.domain);
  await addMember(t, org.orgId, accomplice.email);
  t.clock.advance(60 * 60_000); // an hour later: the session lives on, its proof is stale
  const c = formClient(t);
  c.jar.set(SESSION_COOKIE, org.admin.token);
  return { org, accomplice, c };
}

const roleOf = async (email: string) =>
  (
    await t.app.deps.db.query<{ role: string }>(
      'SELECT m.role FROM org_members m JOIN accounts a ON a.id = m.account_id WHERE a.email = $1',
      [email],
    )
  )[0]?.role;

describe('attack: a stale admin session making lasting access', () => {
  it('cannot make a member an organisation admin without a fresh proof', async () => {
    const { accomplice, c } = await staleConsole();
    expect((await c.get('/org/members')).statusCode).toBe(200);
    const r = await c.post('/org/members/role', { email: accomplice.email, role: 'org_admin' });
    expect(r.statusCode).toBe(303);
    expect(String(r.headers.location)).toMatch(/^\/security\/reauth\?next=/);
    expect(await roleOf(accomplice.email)).toBe('member');
  });

  it('cannot invite an outside address without a fresh proof', async () => {
    const { org, c } = await staleConsole();
    expect((await c.get('/org/invitations')).statusCode).toBe(200);
    const r = await c.post('/org/invitations', { email: 'attacker@example.net', role: 'org_admin' });
    expect(r.statusCode).toBe(303);
    expect(String(r.headers.location)).toMatch(/^\/security\/reauth\?next=/);
    const open = await t.app.deps.db.query('SELECT 1 FROM org_invitations WHERE org_id = $1', [org.orgId]);
    expect(open).toHaveLength(0);
  });

  it('cannot weaken the policy without a fresh proof', async () => {
    const { org, c } = await staleConsole();
    const before = await t.app.deps.db.query('SELECT version FROM org_policies WHERE org_id = $1', [
      org.orgId,
    ]);
    const open = await c.get('/org/policy');
    expect(open.statusCode).toBe(303);
    expect(String(open.headers.location)).toMatch(/^\/security\/reauth\?next=%2Forg%2Fpolicy/);
    expect((await c.get('/org/members')).statusCode).toBe(200); // a page with a form (the CSRF token)
    const r = await c.post('/org/policy', {
      baseVersion: '1',
      minMethods: '1',
      resetMethods: '1',
      reconfirmDays: '0',
      snoozeDays: '0',
      maxSnoozes: '0',
      email: 'on',
    });
    expect(r.statusCode).toBe(303);
    expect(String(r.headers.location)).toMatch(/^\/security\/reauth\?next=/);
    const after = await t.app.deps.db.query('SELECT version FROM org_policies WHERE org_id = $1', [
      org.orgId,
    ]);
    expect(after).toHaveLength(before.length);
  });
});
