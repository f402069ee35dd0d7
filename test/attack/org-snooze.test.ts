import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOrgAudit } from '../../src/organisations/store/audit.ts';
import { findMember } from '../../src/organisations/store/members.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { memberIn, setPolicy, verifiedContact, webSignIn } from '../support/org-enforce.ts';
import { orgWithAdmin } from '../support/orgs.ts';

/**
 * Attack: a member with N snoozes left sends 100 snoozes at once (PostgreSQL) to put the organisation's
 * registration off for longer than the policy allows. Only N may succeed: takeSnooze is one UPDATE.
 */
describe('attack: 100 concurrent snoozes (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  it('spends no more than maxSnoozes; each success is audited once', async () => {
    const { orgId, domain } = await orgWithAdmin(t);
    await setPolicy(t, orgId, { maxSnoozes: 3, snoozeDays: 1 });
    const m = await memberIn(t, orgId, domain);
    await verifiedContact(t, m.token, `race.${Date.now()}@example.com`);
    const { c, location } = await webSignIn(t, m.email, m.password);
    expect(location).toMatch(/^\/security\/required\?/);
    expect((await c.get(location)).body).toContain('あと 3 回まで延期できます。');

    const answers = await Promise.all(
      Array.from({ length: 100 }, () => c.post('/security/required/snooze?next=/security', {})),
    );
    const ok = answers.filter((r) => r.statusCode === 303).length;
    const refused = answers.filter((r) => r.statusCode === 409).length;
    expect(ok).toBe(3);
    expect(ok + refused).toBe(100);
    const member = await findMember(t.app.deps.db, m.id);
    expect(member?.snoozes_used).toBe(ok);
    const audited = (await listOrgAudit(t.app.deps.db, orgId, 500)).filter(
      (e) => e.action === 'member.snoozed',
    );
    expect(audited).toHaveLength(ok);
  });
});
