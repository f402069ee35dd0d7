import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOrgAudit } from '../../src/organisations/store/audit.ts';
import type { StoreKind } from '../support/databases.ts';
import { createTestApp, signInFully, type TestApp } from '../support/harness.ts';
import { DAY, memberIn, setPolicy, verifiedPhone, webSignIn } from '../support/org-enforce.ts';
import { orgWithAdmin } from '../support/orgs.ts';
import { formClient } from '../web/browser-less-client.ts';
import { createToken } from './org-api-support.ts';

/**
 * Issue 9's story end to end, on both stores (the other org suites cover each part in depth): a policy of two
 * methods with a phone required; a member with one method is interrupted, snoozes until none are left, then
 * complies; an admin requires re-registration; a member who lost their phone gets a temporary access pass; a
 * temporary password must be changed; the admin sees compliance in the CSV and every action in the audit log.
 */
describe.each<StoreKind>(['pglite', 'postgres'])('organisations, the whole story, on %s', (store) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store });
  });
  afterAll(() => t.close());

  it('interrupt, snoozes, compliance, re-registration, a pass, a temporary password, the report and the audit', async () => {
    const org = await orgWithAdmin(t, { name: '株式会社サンプル' });
    await setPolicy(t, org.orgId, {}); // the story's policy: 2 methods, a phone, SMS to JP, 3 snoozes of 1 day
    // The admin meets the policy too (a phone besides two contact emails): admins are members like the others.
    await verifiedPhone(t, org.admin.token, '090-7777-0303');
    const m = await memberIn(t, org.orgId, org.domain);
    // The admin makes an API token for the IT desk's tools (an authentication admin's rights).
    const { token } = await createToken(t, org.admin.token, { role: 'auth_admin' });

    // 1. One method (the sign-in address does not count): interrupted, three snoozes, then no way past but to comply.
    for (let i = 0; i < 3; i++) {
      const { c, location } = await webSignIn(t, m.email, m.password, '/security');
      expect(location).toBe('/security/required?next=%2Fsecurity');
      const page = await c.get(location);
      expect(page.body).toContain('data-testid="required-snooze"');
      const snoozed = await c.post('/security/required/snooze?next=%2Fsecurity', {});
      expect(snoozed.statusCode).toBe(303);
      t.clock.advance(DAY + 1000);
    }
    const { c: stuck, location } = await webSignIn(t, m.email, m.password, '/security');
    expect(location).toBe('/security/required?next=%2Fsecurity');
    expect((await stuck.get(location)).body).not.toContain('data-testid="required-snooze"');
    expect((await stuck.post('/security/required/snooze?next=%2Fsecurity', {})).statusCode).toBe(409);

    // 2. A +81 phone and a contact email (in the session of that last sign-in): compliant, the sign-in goes on.
    const session = stuck.jar.get('mamori_session') as string;
    await verifiedPhone(t, session, '090-5555-0101');
    const contact = `story.${Date.now()}@example.com`;
    t.clock.advance(61_000);
    const add = await t.api('POST', '/api/v1/methods/emails', { email: contact }, session);
    expect(add.status).toBe(202);
    const code = await t.mailedCode(contact);
    expect(
      (await t.api('POST', `/api/v1/methods/${add.body.methodId}/verify`, { code }, session)).status,
    ).toBe(200);
    t.clock.advance(61_000);
    expect((await webSignIn(t, m.email, m.password, '/security')).location).toBe('/security');

    // 3. The admin (an auth admin token) requires re-registration: the phone is gone, the next sign-in asks again.
    const rereg = await t.api('POST', `/api/v1/orgs/${org.orgId}/members/${m.id}/reregistration`, {}, token);
    expect(rereg.body).toMatchObject({ removedPhones: 1 });
    t.clock.advance(61_000);
    expect((await webSignIn(t, m.email, m.password, '/security')).location).toBe(
      '/security/required?next=%2Fsecurity',
    );

    // 4. A temporary access pass: the member signs in with it and lands on registering methods.
    const tap = await t.api(
      'POST',
      `/api/v1/orgs/${org.orgId}/members/${m.id}/temporary-access-pass`,
      { oneTime: true },
      token,
    );
    expect(tap.status).toBe(201);
    const pass = formClient(t);
    await pass.get('/sign-in/pass');
    const signedIn = await pass.post('/sign-in/pass', { email: m.email, pass: tap.body.pass as string });
    expect(String(signedIn.headers.location)).toMatch(/^\/security\/required/);
    const again = formClient(t);
    await again.get('/sign-in/pass');
    await again.post('/sign-in/pass', { email: m.email, pass: tap.body.pass as string });
    expect(again.jar.get('mamori_session')).toBeUndefined(); // one-time

    // 5. A temporary password: the member must choose their own before anything else.
    const temp = await t.api(
      'POST',
      `/api/v1/orgs/${org.orgId}/members/${m.id}/temporary-password`,
      {},
      token,
    );
    t.clock.advance(61_000);
    const held = await webSignIn(t, m.email, temp.body.temporaryPassword as string, '/security');
    expect(held.location).toMatch(/^\/security\/new-password-required/);
    expect((await held.c.get('/security')).statusCode).toBe(303);
    expect(
      (await held.c.post(held.location, { password: 'the member chose this one 2026' })).statusCode,
    ).toBe(303);

    // 6. The report: the member does not meet the policy now (the phone was removed); the CSV says so.
    t.clock.advance(61_000);
    const again2 = await signInFully(t, org.admin.email, org.admin.password);
    expect(again2.status).toBe(200);
    const admin = formClient(t);
    admin.jar.set('mamori_session', again2.body.sessionToken as string);
    const csv = await admin.get('/org/members.csv?met=false');
    expect(csv.statusCode, String(csv.headers.location)).toBe(200);
    expect(csv.body.startsWith('\uFEFF')).toBe(true);
    expect(csv.body).toContain(m.email);

    // 7. Every step is in the audit log.
    const actions = (await listOrgAudit(t.app.deps.db, org.orgId, 100)).map((e) => e.action);
    for (const a of [
      'policy.changed',
      'member.snoozed',
      'member.reregister_required',
      'tap.created',
      'tap.used',
      'member.password_reset',
      'report.exported',
    ])
      expect(actions, a).toContain(a);
  }, 120_000);
});
