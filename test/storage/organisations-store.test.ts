import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/kernel/clock.ts';
import { AppError } from '../../src/kernel/errors.ts';
import { cryptoRandom } from '../../src/kernel/random.ts';
import {
  assignRole,
  attachDomain,
  createOrganisation,
  joinByDomain,
  organisationPolicy,
  savePolicy,
} from '../../src/organisations/org-admin.ts';
import { DEFAULT_POLICY } from '../../src/organisations/policy.ts';
import { listOrgAudit } from '../../src/organisations/store/audit.ts';
import { findMember, listMembers } from '../../src/organisations/store/members.ts';
import { listDomains, orgOfDomain } from '../../src/organisations/store/orgs.ts';
import { listPolicyVersions } from '../../src/organisations/store/policies.ts';
import {
  bumpDailyCount,
  listDailyCounts,
  memberCountsByRole,
  orgIdsWithMembers,
  setDailyCount,
} from '../../src/organisations/store/reports.ts';
import type { Db } from '../../src/storage/db.ts';
import { openTestStore, type StoreKind } from '../support/databases.ts';

const OPERATOR = { kind: 'operator' as const, id: 'opr_1', name: 'op' };

/** A confirmed account row (the accounts capability owns the table; a fixture only). */
async function account(db: Db, id: string, email: string): Promise<void> {
  await db.query(
    `INSERT INTO accounts (id, email, email_key, display_name, locale, password_hash, password_changed_at,
       created_at, updated_at, email_confirmed_at) VALUES ($1, $2, $2, 'T', 'ja', 'x', now(), now(), now(), now())`,
    [id, email],
  );
}

const codeOf = (e: unknown) => (e instanceof AppError ? e.code : String(e));

/**
 * The contract of the organisation stores (organisations, domains, members, policies, audit, daily counts),
 * the same on the embedded store and on PostgreSQL, races included.
 */
describe.each<StoreKind>(['pglite', 'postgres'])('organisations store on %s', (kind) => {
  let db: Db;
  let close: () => Promise<void>;
  const clock = new ManualClock('2026-11-24T01:00:00Z');
  const deps = () => ({ db, clock, random: cryptoRandom });
  // Enough for the race to happen on PostgreSQL; the embedded store runs transactions one at a time.
  const N = kind === 'postgres' ? 100 : 20;
  beforeAll(async () => {
    ({ db, close } = await openTestStore(kind));
  });
  afterAll(() => close());

  it('creates an organisation with policy version 1, attaches a domain and joins its confirmed accounts', async () => {
    await account(db, 'acc_s1', 'a@sample.co.jp');
    await account(db, 'acc_s2', 'b@SAMPLE.co.jp'.toLowerCase());
    await account(db, 'acc_x1', 'c@other.example.jp');
    const orgId = await createOrganisation(deps(), OPERATOR, {
      name: ' 株式会社サンプル ',
      contact: 'it@sample.co.jp',
    });
    expect(await organisationPolicy(deps(), orgId)).toEqual({ policy: DEFAULT_POLICY, version: 1 });
    expect(await attachDomain(deps(), OPERATOR, orgId, 'Sample.co.jp.')).toBe(2);
    expect(await listDomains(db, orgId)).toEqual([{ domain: 'sample.co.jp', verified_at: expect.any(Date) }]);
    expect(await orgOfDomain(db, 'sample.co.jp')).toBe(orgId);
    expect((await listMembers(db, orgId)).map((m) => [m.account_id, m.role])).toEqual([
      ['acc_s1', 'member'],
      ['acc_s2', 'member'],
    ]);
    expect(await memberCountsByRole(db, orgId)).toEqual({ member: 2 });
    expect(await orgIdsWithMembers(db)).toContain(orgId);
    // Joining by domain on confirmation: only an account in no organisation joins.
    await account(db, 'acc_s3', 'new@sample.co.jp');
    expect(await db.tx((tx) => joinByDomain(deps(), tx, 'acc_s3', 'new@sample.co.jp'))).toBe(orgId);
    expect(await db.tx((tx) => joinByDomain(deps(), tx, 'acc_s3', 'new@sample.co.jp'))).toBeNull();
    expect(await db.tx((tx) => joinByDomain(deps(), tx, 'acc_x1', 'c@other.example.jp'))).toBeNull();
    const audit = await listOrgAudit(db, orgId, 10);
    expect(audit.map((e) => e.action)).toEqual(['member.joined', 'domain.attached', 'org.created']);
    expect(audit[1]?.detail).toEqual({ joined: '2' });
  });

  it('concurrent saves of the policy from the same base version make exactly one new version', async () => {
    const orgId = await createOrganisation(deps(), OPERATOR, { name: 'Race Inc.' });
    const results = await Promise.allSettled(
      Array.from({ length: N }, (_, i) =>
        savePolicy(deps(), OPERATOR, orgId, 1, { ...DEFAULT_POLICY, reconfirmDays: 10 + i }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(1);
    expect((ok[0] as PromiseFulfilledResult<number>).value).toBe(2);
    for (const r of results)
      if (r.status === 'rejected') expect(codeOf(r.reason)).toBe('org.policy_conflict');
    expect((await listPolicyVersions(db, orgId)).map((v) => v.version)).toEqual([2, 1]);
    // One audit entry for the one change.
    expect((await listOrgAudit(db, orgId, 500)).filter((e) => e.action === 'policy.changed')).toHaveLength(1);
  });

  it('concurrent attachments of one domain by two organisations: one wins, the other is told it is taken', async () => {
    const a = await createOrganisation(deps(), OPERATOR, { name: 'A' });
    const b = await createOrganisation(deps(), OPERATOR, { name: 'B' });
    const results = await Promise.allSettled(
      Array.from({ length: N }, (_, i) =>
        attachDomain(deps(), OPERATOR, i % 2 ? a : b, 'contested.example.jp'),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(codeOf(r.reason)).toBe('org.domain_taken');
    const owner = await orgOfDomain(db, 'contested.example.jp');
    expect([a, b]).toContain(owner);
    const attachedA = (await listOrgAudit(db, a, 500)).filter((e) => e.action === 'domain.attached');
    const attachedB = (await listOrgAudit(db, b, 500)).filter((e) => e.action === 'domain.attached');
    expect(attachedA.length + attachedB.length).toBe(1);
  });

  it('concurrent demotions never leave an organisation without an organisation admin', async () => {
    const orgId = await createOrganisation(deps(), OPERATOR, { name: 'Admins Inc.' });
    const admins = kind === 'postgres' ? 10 : 4;
    for (let i = 0; i < admins; i++) {
      await account(db, `acc_adm${i}`, `adm${i}@admins.example.jp`);
      await assignRole(deps(), OPERATOR, orgId, { email: `adm${i}@admins.example.jp`, role: 'org_admin' });
    }
    // Every admin demoted at once, ten times over.
    const results = await Promise.allSettled(
      Array.from({ length: admins * 10 }, (_, i) =>
        assignRole(deps(), OPERATOR, orgId, { email: `adm${i % admins}@admins.example.jp`, role: 'member' }),
      ),
    );
    for (const r of results) if (r.status === 'rejected') expect(codeOf(r.reason)).toBe('org.last_admin');
    const left = (await listMembers(db, orgId)).filter((m) => m.role === 'org_admin');
    expect(left).toHaveLength(1);
  });

  it('an account belongs to one organisation: naming it in a second one is refused', async () => {
    const a = await createOrganisation(deps(), OPERATOR, { name: 'One' });
    const b = await createOrganisation(deps(), OPERATOR, { name: 'Two' });
    await account(db, 'acc_one', 'person@one.example.jp');
    await assignRole(deps(), OPERATOR, a, { email: 'person@one.example.jp', role: 'reader' });
    await expect(
      assignRole(deps(), OPERATOR, b, { email: 'person@one.example.jp', role: 'reader' }),
    ).rejects.toThrow('org.already_member');
    expect((await findMember(db, 'acc_one'))?.org_id).toBe(a);
  });

  it('daily counts: concurrent bumps lose nothing, a snapshot replaces, days are listed in order', async () => {
    const orgId = await createOrganisation(deps(), OPERATOR, { name: 'Counts' });
    await Promise.all(
      Array.from({ length: N }, () =>
        db.tx((tx) => bumpDailyCount(tx, orgId, '2026-11-24', 'methods_added')),
      ),
    );
    await setDailyCount(db, orgId, '2026-11-24', 'compliant', 5);
    await setDailyCount(db, orgId, '2026-11-24', 'compliant', 7);
    await bumpDailyCount(db, orgId, '2026-11-23', 'resets', 2);
    await bumpDailyCount(db, orgId, '2026-11-20', 'resets');
    expect(await listDailyCounts(db, orgId, '2026-11-21', '2026-11-24')).toEqual([
      { day: '2026-11-23', measure: 'resets', n: 2 },
      { day: '2026-11-24', measure: 'compliant', n: 7 },
      { day: '2026-11-24', measure: 'methods_added', n: N },
    ]);
  });

  it('the audit log pages back by sequence, newest first', async () => {
    const orgId = await createOrganisation(deps(), OPERATOR, { name: 'Paged' });
    for (let i = 0; i < 5; i++) await attachDomain(deps(), OPERATOR, orgId, `p${i}.paged.example.jp`);
    const first = await listOrgAudit(db, orgId, 3);
    expect(first.map((e) => e.target)).toEqual([
      'p4.paged.example.jp',
      'p3.paged.example.jp',
      'p2.paged.example.jp',
    ]);
    const rest = await listOrgAudit(db, orgId, 3, first.at(-1)!.seq);
    expect(rest.map((e) => e.target)).toEqual(['p1.paged.example.jp', 'p0.paged.example.jp', 'Paged']);
  });
});
