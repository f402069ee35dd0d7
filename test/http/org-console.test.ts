import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOrgAudit } from '../../src/organisations/store/audit.ts';
import { findMember } from '../../src/organisations/store/members.ts';
import { listDomains } from '../../src/organisations/store/orgs.ts';
import type { StoreKind } from '../support/databases.ts';
import { createTestApp, signedUpAccount, type TestApp } from '../support/harness.ts';
import { enrolledOperator, operatorConsole } from '../support/operator.ts';
import { accountIn, addMember, orgWithAdmin, TEST_OPERATOR, uniqueDomain } from '../support/orgs.ts';
import { formClient } from '../web/browser-less-client.ts';

/** The organisation console and the operator's organisation pages, over HTTP as a browser without JavaScript. */
describe.each<StoreKind>(['pglite', 'postgres'])('organisation console (HTTP) on %s', (store) => {
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

  describe('operator pages', () => {
    it('an admin operator creates an organisation, attaches a verified domain and names an admin; all audited twice', async () => {
      const domain = uniqueDomain();
      // An account already in the domain joins when the domain is attached.
      const early = await accountIn(t, domain);
      const op = await enrolledOperator(t, { role: 'admin' });
      const c = await operatorConsole(t, op);
      const list = await c.get('/operator/organisations');
      expect(list.statusCode).toBe(200);
      expect((await c.get('/operator/organisations/org_nope')).statusCode).toBe(404);
      const created = await c.post('/operator/organisations', {
        name: '株式会社サンプル',
        contact: `it@${domain}`,
      });
      expect(created.statusCode).toBe(303);
      const orgPath = String(created.headers.location);
      expect(orgPath).toMatch(/^\/operator\/organisations\/org_/);
      const orgId = orgPath.split('/').at(-1)!;
      const page = await c.get(orgPath);
      expect(page.body).toContain('株式会社サンプル');

      // Without the attestation nothing is attached.
      const unattested = await c.post(`${orgPath}/domains`, { domain });
      expect(unattested.statusCode).toBe(400);
      expect(unattested.body).toContain('チェックを入れてください');
      expect(await listDomains(t.app.deps.db, orgId)).toEqual([]);

      const attached = await c.post(`${orgPath}/domains`, { domain: domain.toUpperCase(), attest: 'yes' });
      expect(attached.statusCode).toBe(200);
      expect(attached.body).toContain(`${domain} を追加しました。既存のアカウント 1 件が参加しました。`);
      expect((await findMember(t.app.deps.db, await idOf(early.token)))?.org_id).toBe(orgId);

      const admin = await accountIn(t, domain, { local: 'boss' });
      const named = await c.post(`${orgPath}/admins`, { email: admin.email, role: 'org_admin' });
      expect(named.statusCode).toBe(200);
      expect(named.body).toContain(`${admin.email} を組織管理者にしました。`);
      expect((await findMember(t.app.deps.db, await idOf(admin.token)))?.role).toBe('org_admin');

      // The list shows the organisation with its member count.
      const again = await c.get('/operator/organisations');
      expect(again.body).toMatch(/株式会社サンプル<\/a><\/td><td[^>]*>2<\/td>/);

      const orgAudit = await listOrgAudit(t.app.deps.db, orgId, 20);
      expect(orgAudit.map((e) => e.action)).toEqual(
        expect.arrayContaining(['org.created', 'domain.attached', 'member.joined', 'member.role_changed']),
      );
      const byOperator = orgAudit.filter((e) => e.action !== 'member.joined');
      expect(byOperator.every((e) => e.actorKind === 'operator' && e.actorName === op.name)).toBe(true);
      const opAudit = await c.get('/operator/audit');
      expect(opAudit.body).toContain('組織を作成');
      expect(opAudit.body).toContain('組織にドメインを追加');
      expect(opAudit.body).toContain('組織の管理者を指名');
    });

    it('a domain already attached to another organisation is refused', async () => {
      const op = await enrolledOperator(t, { role: 'admin' });
      const c = await operatorConsole(t, op);
      const { domain } = await orgWithAdmin(t);
      const created = await c.post('/operator/organisations', { name: 'Other Inc.', contact: '' });
      const orgPath = String(created.headers.location);
      await c.get(orgPath);
      const taken = await c.post(`${orgPath}/domains`, { domain, attest: 'yes' });
      expect(taken.statusCode).toBe(409);
      expect(taken.body).toContain('そのドメインはすでに');
    });

    it('a reviewer operator sees organisations but cannot create or change one', async () => {
      const op = await enrolledOperator(t, { role: 'reviewer' });
      const c = await operatorConsole(t, op);
      const list = await c.get('/operator/organisations');
      expect(list.statusCode).toBe(200);
      expect(list.body).not.toContain('data-testid="create-org"');
      const before = (
        await t.app.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM organisations')
      )[0]!.n;
      const r = await c.post('/operator/organisations', { name: '勝手な組織', contact: '' });
      expect(r.statusCode).toBe(403);
      const after = (
        await t.app.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM organisations')
      )[0]!.n;
      expect(after).toBe(before);
    });

    it('the organisation pages need an operator: a member of the public is sent to the operator sign-in', async () => {
      const r = await formClient(t).get('/operator/organisations');
      expect(r.statusCode).toBe(303);
      expect(r.headers.location).toBe('/operator/sign-in');
    });
  });

  describe('join by domain', () => {
    it('an account confirming its address in an attached domain joins; one already in another organisation does not', async () => {
      const { orgId, domain } = await orgWithAdmin(t);
      const joiner = await signedUpAccount(t, { email: `new.person@${domain}` });
      const m = await findMember(t.app.deps.db, await idOf(joiner.token));
      expect(m?.org_id).toBe(orgId);
      expect(m?.role).toBe('member');
      const audit = await listOrgAudit(t.app.deps.db, orgId, 5);
      expect(audit[0]).toMatchObject({
        action: 'member.joined',
        actorKind: 'system',
        detail: { by: 'domain' },
      });

      // An account of another organisation keeps its organisation when a second domain could claim it.
      const other = await orgWithAdmin(t);
      const theirDomain = uniqueDomain();
      const outsider = await accountIn(t, theirDomain);
      await addMember(t, other.orgId, outsider.email);
      // The first organisation then attaches the domain of that address: the account stays where it is.
      const { attachDomain } = await import('../../src/organisations/org-admin.ts');
      expect(await attachDomain(t.app.deps, TEST_OPERATOR, orgId, theirDomain)).toBe(0);
      const { joinByDomainOnConfirmation } = await import('../../src/organisations/org-admin.ts');
      const outsiderId = await idOf(outsider.token);
      const joined = await t.app.deps.db.tx((tx) => joinByDomainOnConfirmation(t.app.deps, tx, outsiderId));
      expect(joined).toBeNull();
      expect((await findMember(t.app.deps.db, outsiderId))?.org_id).toBe(other.orgId);
    });

    it('an account outside any attached domain joins nothing', async () => {
      const a = await signedUpAccount(t);
      expect(await findMember(t.app.deps.db, await idOf(a.token))).toBeUndefined();
    });
  });

  describe('overview and policy editor', () => {
    it('the overview shows members, compliance and the policy in words', async () => {
      const { admin, domain } = await orgWithAdmin(t);
      await accountIn(t, domain);
      const r = await web(admin.token).get('/org');
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain('株式会社サンプル');
      expect(r.body).toMatch(/data-testid="members">2</);
      // The default policy: one method; the admin has two contacts, the new member only the sign-in address.
      expect(r.body).toMatch(/data-testid="compliant">1</);
      expect(r.body).toMatch(/data-testid="not-compliant">1</);
      expect(r.body).toContain('メンバー1人につき 1 個以上の認証方法。');
      const en = await web(admin.token, 'en').get('/org?lang=en');
      expect(en.body).toContain('At least 1 method per member.');
    });

    it('an admin saves the whole policy as one form: "saved as version 2" and what changed, in words', async () => {
      const { admin, orgId } = await orgWithAdmin(t);
      const c = web(admin.token);
      const page = await c.get('/org/policy');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('name="baseVersion" value="1"');
      const saved = await c.post('/org/policy', {
        baseVersion: '1',
        allowed_passkey: 'on',
        allowed_totp: 'on',
        allowed_phone: 'on',
        allowed_email: 'on',
        smsCountries: 'jp',
        minMethods: '2',
        required_phone: 'on',
        resetMethods: '2',
        reconfirmDays: '180',
        enforceRegistration: 'on',
        snoozeDays: '1',
        maxSnoozes: '3',
      });
      expect(saved.statusCode).toBe(303);
      expect(saved.headers.location).toBe('/org/policy?saved=2');
      const shown = await c.get('/org/policy?saved=2');
      expect(shown.body).toContain('バージョン 2 として保存しました。');
      expect(shown.body).toContain('認証方法の最低数：1 → 2');
      expect(shown.body).toContain('SMS を送れる国：対応するすべての国 → 日本 JP');
      expect(shown.body).toContain('必須の種類：なし → 電話番号');
      expect(shown.body).toContain('サインイン時の登録を必須にする：オフ → オン');
      expect(shown.body).toContain('name="baseVersion" value="2"');
      const { organisationPolicy } = await import('../../src/organisations/org-admin.ts');
      const p = await organisationPolicy(t.app.deps, orgId);
      expect(p.version).toBe(2);
      expect(p.policy).toMatchObject({
        minMethods: 2,
        required: ['phone'],
        smsCountries: ['JP'],
        reconfirmDays: 180,
        enforceRegistration: true,
        snoozeDays: 1,
        maxSnoozes: 3,
        resetMethods: 2,
      });
      // The audit log shows the diff in words, in English too.
      const audit = await web(admin.token, 'en').get('/org/audit?lang=en');
      expect(audit.statusCode).toBe(200);
      expect(audit.body).toContain('Policy changed');
      expect(audit.body).toContain('Minimum number of methods: 1 → 2');
      expect(audit.body).toContain('Text message countries: every supported country → Japan JP');
    });

    it('wrong values are marked at each field and nothing is saved', async () => {
      const { admin, orgId } = await orgWithAdmin(t);
      const c = web(admin.token);
      await c.get('/org/policy');
      const r = await c.post('/org/policy', {
        baseVersion: '1',
        allowed_email: 'on',
        smsCountries: 'Japan',
        minMethods: '9',
        resetMethods: '1',
        reconfirmDays: '-1',
        snoozeDays: '30',
        maxSnoozes: '3',
      });
      expect(r.statusCode).toBe(400);
      expect(r.body).toContain('正しくない設定があります。');
      expect(r.body).toMatch(/id="minMethods"[^>]*aria-invalid="true"/);
      expect(r.body).toContain('1から5までの整数を入力してください。');
      expect(r.body).toContain('0から730までの整数を入力してください。');
      expect(r.body).toContain('0から14までの整数を入力してください。');
      expect(r.body).toContain('2文字の国コードをカンマで区切って入力してください。');
      // What was typed stays in the form.
      expect(r.body).toMatch(/id="minMethods"[^>]*value="9"|value="9"[^>]*id="minMethods"/);
      // A required kind that is not allowed could never be met: refused at the required kinds.
      const r2 = await c.post('/org/policy', {
        baseVersion: '1',
        allowed_email: 'on',
        minMethods: '1',
        required_phone: 'on',
        resetMethods: '1',
        reconfirmDays: '0',
        snoozeDays: '0',
        maxSnoozes: '0',
      });
      expect(r2.statusCode).toBe(400);
      expect(r2.body).toContain('必須の種類は、上で使えるようにしておく必要があります。');
      const { organisationPolicy } = await import('../../src/organisations/org-admin.ts');
      expect((await organisationPolicy(t.app.deps, orgId)).version).toBe(1);
    });

    it('a save based on an older version says someone else saved and shows the current settings', async () => {
      const { admin, orgId } = await orgWithAdmin(t);
      const c = web(admin.token);
      await c.get('/org/policy');
      const form = {
        allowed_passkey: 'on',
        allowed_email: 'on',
        minMethods: '2',
        resetMethods: '1',
        reconfirmDays: '90',
        snoozeDays: '1',
        maxSnoozes: '3',
      };
      expect((await c.post('/org/policy', { ...form, baseVersion: '1' })).statusCode).toBe(303);
      await c.get('/org/policy');
      const stale = await c.post('/org/policy', { ...form, baseVersion: '1', minMethods: '3' });
      expect(stale.statusCode).toBe(409);
      expect(stale.body).toContain('編集中に別の管理者がポリシーを保存しました。');
      expect(stale.body).toContain('現在保存されている設定（バージョン 2）');
      expect(stale.body).toContain('メンバー1人につき 2 個以上の認証方法。');
      // The admin's own change stays, now based on version 2: saving again works.
      expect(stale.body).toContain('name="baseVersion" value="2"');
      const again = await c.post('/org/policy', { ...form, baseVersion: '2', minMethods: '3' });
      expect(again.headers.location).toBe('/org/policy?saved=3');
      // Saving the same settings again makes no new version, and says so.
      await c.get('/org/policy');
      const same = await c.post('/org/policy', { ...form, baseVersion: '3', minMethods: '3' });
      expect(same.headers.location).toBe('/org/policy?unchanged=3');
      expect((await c.get('/org/policy?unchanged=3')).body).toContain(
        '変更はありません。ポリシーはバージョン 3 のままです。',
      );
      const { organisationPolicy } = await import('../../src/organisations/org-admin.ts');
      expect((await organisationPolicy(t.app.deps, orgId)).policy.minMethods).toBe(3);
    });

    it('a reader or an authentication admin cannot open or post the policy editor', async () => {
      for (const role of ['reader', 'auth_admin'] as const) {
        const { admin, orgId } = await orgWithAdmin(t, { role });
        const c = web(admin.token);
        expect((await c.get('/org/policy')).statusCode).toBe(403);
        await c.get('/org');
        const r = await c.post('/org/policy', { baseVersion: '1', allowed_email: 'on', minMethods: '1' });
        expect(r.statusCode).toBe(403);
        const { organisationPolicy } = await import('../../src/organisations/org-admin.ts');
        expect((await organisationPolicy(t.app.deps, orgId)).version).toBe(1);
      }
    });

    it('a member who is no admin gets no console', async () => {
      const { domain } = await orgWithAdmin(t);
      const m = await accountIn(t, domain);
      expect((await web(m.token).get('/org')).statusCode).toBe(403);
      expect((await web(m.token).get('/org/members.csv')).statusCode).toBe(403);
    });
  });
});
