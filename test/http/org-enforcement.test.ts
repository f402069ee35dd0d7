import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordOrgAudit } from '../../src/organisations/audit.ts';
import { listOrgAudit } from '../../src/organisations/store/audit.ts';
import {
  findMember,
  setMustChangePassword,
  setMustReregister,
} from '../../src/organisations/store/members.ts';
import { createTestApp, signedUpAccount, signInFully, type TestApp } from '../support/harness.ts';
import {
  DAY,
  memberIn,
  setPolicy,
  verifiedContact,
  verifiedPhone,
  webSignIn,
} from '../support/org-enforce.ts';
import { orgWithAdmin, TEST_OPERATOR } from '../support/orgs.ts';

describe('organisation enforcement at sign-in (/security/required)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('leaves everyone outside an organisation alone: sign-in goes straight on', async () => {
    const a = await signedUpAccount(t);
    const { location, c } = await webSignIn(t, a.email, a.password);
    expect(location).toBe('/security');
    // Nothing required: the page says so and leads on (no dead end).
    const page = await c.get('/security/required?next=/security/activity');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('現在、アカウントに求められている設定はありません。');
    expect(page.body).toContain('href="/security/activity"');
  });

  it('interrupts a member with one method, counts the snoozes down, then allows none', async () => {
    const { orgId, domain } = await orgWithAdmin(t);
    await setPolicy(t, orgId, { maxSnoozes: 2 });
    const m = await memberIn(t, orgId, domain);
    await verifiedContact(t, m.token, `own.${Date.now()}@example.com`);

    const first = await webSignIn(t, m.email, m.password, '/security/activity');
    expect(first.location).toBe(`/security/required?next=${encodeURIComponent('/security/activity')}`);
    const page = await first.c.get(first.location);
    expect(page.body).toContain('株式会社サンプルでは、すべてのメンバーに');
    expect(page.body).toContain('携帯電話番号（SMS）');
    expect(page.body).toContain('サインイン用アドレスとは別の認証方法を 2 個以上（現在 1 個）');
    expect(page.body).toContain('SMS を送れるのは次の国の番号だけです：日本');
    expect(page.body).toContain('href="/security/phones/add"');
    expect(page.body).toContain('あと 2 回まで延期できます。');
    expect(page.body).toContain('href="/organisation/why"');
    const snooze = await first.c.post(
      `/security/required/snooze?next=${encodeURIComponent('/security/activity')}`,
      {},
    );
    expect(snooze.statusCode).toBe(303);
    expect(snooze.headers.location).toBe('/security/activity');
    const audit = await listOrgAudit(t.app.deps.db, orgId, 50);
    expect(audit.filter((e) => e.action === 'member.snoozed')).toHaveLength(1);

    // Snoozed: the next sign-in the same day goes on; the page, opened anyway, says until when and lets them go on.
    const snoozed = await webSignIn(t, m.email, m.password);
    expect(snoozed.location).toBe('/security');
    const during = (await snoozed.c.get('/security/required?next=/security')).body;
    expect(during).toContain('まで延期しました。');
    expect(during).not.toContain('data-testid="required-snooze"');
    expect(during).toContain('data-testid="required-continue"');
    // A day later: interrupted again, one snooze left.
    t.clock.advance(DAY + 1000);
    const second = await webSignIn(t, m.email, m.password);
    expect(second.location).toMatch(/^\/security\/required\?/);
    expect((await second.c.get(second.location)).body).toContain('あと 1 回まで延期できます。');
    expect((await second.c.post('/security/required/snooze?next=/security', {})).statusCode).toBe(303);

    t.clock.advance(DAY + 1000);
    const third = await webSignIn(t, m.email, m.password);
    const last = await third.c.get(third.location);
    expect(last.body).not.toContain('延期できます。');
    expect(last.body).toContain('これ以上延期できません。');
    expect(last.body).not.toContain('data-testid="required-continue"');
    const refused = await third.c.post('/security/required/snooze?next=/security', {});
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('これ以上延期できません。組織のポリシーにより');
    expect((await findMember(t.app.deps.db, m.id))?.snoozes_used).toBe(2);
  });

  it('a member who adds what is missing is compliant: the page says so, leads on, and the snoozes are back', async () => {
    const { orgId, domain } = await orgWithAdmin(t, { locale: 'en' });
    await setPolicy(t, orgId, {});
    const m = await memberIn(t, orgId, domain, { locale: 'en' });
    await verifiedContact(t, m.token, `own2.${Date.now()}@example.com`);
    const s = await webSignIn(t, m.email, m.password, '/security/sessions');
    expect((await s.c.post('/security/required/snooze?next=/security/sessions', {})).statusCode).toBe(303);
    const id = (await t.api('GET', '/api/v1/me', undefined, m.token)).body.id as string;
    expect((await findMember(t.app.deps.db, id))?.snoozes_used).toBe(1);

    await verifiedPhone(t, m.token, '090-2222-3333');
    const done = await s.c.get('/security/required?next=/security/sessions&lang=en');
    expect(done.body).toContain('Your account meets what 株式会社サンプル requires. Thank you.');
    expect(done.body).toContain('href="/security/sessions"');
    expect((await findMember(t.app.deps.db, id))?.snoozes_used).toBe(0);
    t.clock.advance(61_000);
    expect((await webSignIn(t, m.email, m.password)).location).toBe('/security');
  });

  it('does not interrupt when the policy does not enforce registration', async () => {
    const { orgId, domain } = await orgWithAdmin(t);
    await setPolicy(t, orgId, { enforceRegistration: false });
    const m = await memberIn(t, orgId, domain);
    await verifiedContact(t, m.token, `own3.${Date.now()}@example.com`);
    expect((await webSignIn(t, m.email, m.password)).location).toBe('/security');
  });

  it('a temporary password comes first, then re-registration; the mark clears once a new method is set up', async () => {
    const { orgId, domain } = await orgWithAdmin(t);
    await setPolicy(t, orgId, { enforceRegistration: false, minMethods: 1, required: [] });
    const m = await memberIn(t, orgId, domain);
    await verifiedContact(t, m.token, `own4.${Date.now()}@example.com`);
    const id = m.id;
    await setMustChangePassword(t.app.deps.db, id, true);
    // As the admin action does: the mark and its audit entry (when it was asked).
    await t.app.deps.db.tx(async (tx) => {
      await setMustReregister(tx, id, true);
      await recordOrgAudit(t.app.deps, tx, {
        orgId,
        actor: TEST_OPERATOR,
        action: 'member.reregister_required',
        targetAccountId: id,
      });
    });
    expect((await webSignIn(t, m.email, m.password)).location).toBe(
      '/security/new-password-required?next=%2Fsecurity',
    );
    await setMustChangePassword(t.app.deps.db, id, false);
    const s = await webSignIn(t, m.email, m.password);
    expect(s.location).toBe('/security/required?next=%2Fsecurity');
    const page = await s.c.get(s.location);
    // The lead says what was done (not "your account stays as it is"), and the member is not told they
    // "cannot put this off any longer" when they never put anything off.
    expect(page.body).toContain(
      '管理者が電話番号と認証アプリを削除し、認証方法を設定し直すよう依頼しました。',
    );
    expect(page.body).not.toContain('そのまま使えます');
    expect(page.body).not.toContain('延期できます');
    expect(page.body).not.toContain('これ以上延期できません');
    expect(page.body).toContain('管理者からの依頼のため、延期はできません。');
    // The member meets the policy already, but must set up something new.
    expect(page.body).toContain('管理者の依頼のあとに設定し直した認証方法');
    t.clock.advance(1000);
    await verifiedPhone(t, m.token, '090-4444-5555');
    expect((await s.c.get('/security/required?next=/security')).body).toContain(
      'data-testid="required-done"',
    );
    expect((await findMember(t.app.deps.db, id))?.must_reregister).toBe(false);
    t.clock.advance(61_000);
    expect((await webSignIn(t, m.email, m.password)).location).toBe('/security');
  });

  it('a member who cannot comply (more methods than the deployment allows) is told whom to contact and may go on', async () => {
    const small = await createTestApp({ env: { MAX_SECURITY_METHODS: '2' } });
    try {
      const { orgId, domain } = await orgWithAdmin(small);
      await setPolicy(small, orgId, { minMethods: 3, required: [] });
      const m = await memberIn(small, orgId, domain);
      const s = await webSignIn(small, m.email, m.password, '/security/activity');
      expect(s.location).toMatch(/^\/security\/required/);
      const page = await s.c.get(s.location);
      expect(page.body).toContain(`it@${domain} に連絡してください。`);
      expect(page.body).toContain('data-testid="required-continue"');
      expect(page.body).toContain('href="/security/activity"');
      expect(page.body).not.toContain('data-testid="required-steps"');
    } finally {
      await small.close();
    }
  });

  it('a policy tightened while a member is signed in: their session goes on, the next sign-in is interrupted', async () => {
    const { orgId, domain } = await orgWithAdmin(t);
    await setPolicy(t, orgId, { enforceRegistration: false });
    const m = await memberIn(t, orgId, domain);
    await verifiedContact(t, m.token, `own5.${Date.now()}@example.com`);
    const before = await webSignIn(t, m.email, m.password);
    expect(before.location).toBe('/security');
    await setPolicy(t, orgId, { enforceRegistration: true });
    // The signed-in session keeps working.
    expect((await before.c.get('/security')).statusCode).toBe(200);
    expect((await t.api('GET', '/api/v1/methods', undefined, m.token)).status).toBe(200);
    expect((await webSignIn(t, m.email, m.password)).location).toMatch(/^\/security\/required\?/);
  });

  it('the why page is public, in both languages, with the incident step', async () => {
    const ja = await t.app.http.inject({ url: '/organisation/why' });
    expect(ja.statusCode).toBe(200);
    expect(ja.body).toContain('Mamori が電話で確認コードを聞くことはありません。');
    expect(ja.body).toContain('href="/security/secure"');
    const en = await t.app.http.inject({ url: '/organisation/why?lang=en' });
    expect(en.body).toContain('Mamori never asks you for a code by phone');
  });

  it('signInFully still works for members (the API sign-in is not interrupted)', async () => {
    const { orgId, domain } = await orgWithAdmin(t);
    await setPolicy(t, orgId, {});
    const m = await memberIn(t, orgId, domain);
    t.clock.advance(61_000);
    expect((await signInFully(t, m.email, m.password)).status).toBe(200);
  });
});
