import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgAdmin } from '../../src/organisations/admin-access.ts';
import { revokeMemberSessions } from '../../src/organisations/admin-actions.ts';
import { createOrganisation, updateOrganisationDetails } from '../../src/organisations/org-admin.ts';
import { SESSION_COOKIE } from '../../src/web/plumbing.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { accountIn, addMember, orgWithAdmin, TEST_OPERATOR } from '../support/orgs.ts';
import { formClient } from '../web/browser-less-client.ts';

/** Hostile input (PostgreSQL): markup in the organisation's name and contact, formulas in the CSV export. */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ store: 'postgres' });
});
afterAll(() => t.close());

const NAME = '<script>alert(1)</script>Acme\r\nBcc: evil@example.net';
const CONTACT = '"><img src=x onerror=alert(2)>';

describe('attack: hostile input in the organisation', () => {
  it('markup in the name and contact is text in emails and pages; no header is injected', async () => {
    const org = await orgWithAdmin(t);
    await updateOrganisationDetails(t.app.deps, TEST_OPERATOR, org.orgId, { name: NAME, contact: CONTACT });
    const m = await accountIn(t, org.domain);
    const id = await addMember(t, org.orgId, m.email);
    const admin: OrgAdmin = {
      orgId: org.orgId,
      orgName: NAME,
      orgContact: CONTACT,
      accountId: org.admin.accountId,
      role: 'org_admin',
      actor: { kind: 'admin', id: org.admin.accountId, name: org.admin.email },
    };
    await revokeMemberSessions(t.app.deps, { admin, session: null }, id);
    await t.drain();
    const mail = t.sink.to(m.email).at(-1)!;
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img src=x');
    expect(t.sink.to('evil@example.net')).toEqual([]);
    expect(mail.subject).not.toMatch(/[\r\n]/);
    // Pages a member and the admin see.
    const s = await t.api('POST', '/api/v1/sessions', { email: m.email, password: m.password });
    for (const [token, path] of [
      [s.body.sessionToken as string, '/organisation/why'],
      [s.body.sessionToken as string, '/security'],
      [org.admin.token, '/org'],
      [org.admin.token, `/org/members/${id}`],
    ] as const) {
      const c = formClient(t);
      c.jar.set(SESSION_COOKIE, token);
      const r = await c.get(path);
      expect(r.body, path).not.toContain('<script>alert');
      expect(r.body, path).not.toContain('<img src=x');
    }
    void createOrganisation;
  });

  it('a display name that is a formula is quoted in the CSV export', async () => {
    const org = await orgWithAdmin(t);
    const names = ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '＝1+1', '\t=1', ' =1+1', '|calc'];
    for (const n of names) {
      const m = await accountIn(t, org.domain);
      await addMember(t, org.orgId, m.email);
      await t.api('PATCH', '/api/v1/me', { displayName: n }, m.token);
    }
    const c = formClient(t);
    c.jar.set(SESSION_COOKIE, org.admin.token);
    const csv = (await c.get('/org/members.csv')).body;
    for (const line of csv.split('\r\n').slice(1)) {
      const cells = line.split(',');
      for (const cell of cells) expect(cell.replace(/^"/, ''), line).not.toMatch(/^[=+\-@\t\r＝＋－＠]/);
    }
  });
});
