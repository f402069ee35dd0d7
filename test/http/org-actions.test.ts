import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisationPolicy, savePolicy } from '../../src/organisations/org-admin.ts';
import { SESSION_COOKIE } from '../../src/web/plumbing.ts';
import {
  createTestApp,
  GOOD_PASSWORD,
  signInFully,
  type TestApp,
  verifiedEmail,
} from '../support/harness.ts';
import { accountIn, addMember, orgWithAdmin, TEST_OPERATOR } from '../support/orgs.ts';
import { formClient } from '../web/browser-less-client.ts';

/**
 * The admin actions on a member (issue 9 §4), through the console pages: each done by an admin with a fresh
 * step-up, audit-logged, emailed to the member's contacts; each refused outside the organisation, on self
 * and on a higher admin (refusals audited).
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

/** A browser signed in with `token`. */
async function browserWith(token: string) {
  const c = formClient(t);
  c.jar.set(SESSION_COOKIE, token);
  return c;
}

async function accountIdOf(token: string): Promise<string> {
  return (await t.api('GET', '/api/v1/me', undefined, token)).body.id as string;
}

async function audit(orgId: string) {
  return t.app.deps.db.query<{
    action: string;
    outcome: string;
    target_account_id: string | null;
    detail: unknown;
  }>('SELECT action, outcome, target_account_id, detail FROM org_audit WHERE org_id = $1 ORDER BY seq', [
    orgId,
  ]);
}

async function member(org: { orgId: string; domain: string }, locale: 'ja' | 'en' = 'ja') {
  const m = await accountIn(t, org.domain, { locale });
  await addMember(t, org.orgId, m.email);
  const contact = `contact.${Math.random().toString(36).slice(2, 8)}@example.com`;
  await verifiedEmail(t, m.token, contact);
  t.clock.advance(61_000);
  const id = await accountIdOf(m.token);
  return { ...m, id, contact };
}

async function addVerifiedPhone(token: string, number: string) {
  const r = await t.api('POST', '/api/v1/methods/phones', { country: 'JP', number }, token);
  expect(r.status).toBe(202);
  const e164 = `+81${number.slice(1)}`;
  const code = await t.textedCode(e164);
  const v = await t.api('POST', `/api/v1/methods/${r.body.methodId}/verify`, { code }, token);
  expect(v.status).toBe(200);
}

async function methodsOf(token: string) {
  return (await t.api('GET', '/api/v1/methods', undefined, token)).body.methods as {
    kind: string;
    verified: boolean;
    verifiedAt?: string | null;
  }[];
}

async function flags(accountId: string) {
  return (
    await t.app.deps.db.query<{ must_reregister: boolean; must_change_password: boolean }>(
      'SELECT must_reregister, must_change_password FROM org_members WHERE account_id = $1',
      [accountId],
    )
  )[0];
}

/** Posts an action from the member's page as the admin's browser. */
async function act(
  c: ReturnType<typeof formClient>,
  memberId: string,
  action: string,
  form: Record<string, string> = {},
) {
  const page = await c.get(`/org/members/${memberId}`);
  expect(page.statusCode).toBe(200);
  // The actions that cannot be undone are sent with their box ticked, as a browser must.
  const confirm: Record<string, string> = ['reregister', 'sessions', 'password'].includes(action)
    ? { confirm: 'yes' }
    : {};
  return c.post(`/org/members/${memberId}/${action}`, { ...confirm, ...form });
}

describe('the member page', () => {
  it('shows the member, their methods masked, and a form per action', async () => {
    const org = await orgWithAdmin(t);
    const m = await member(org);
    const c = await browserWith(org.admin.token);
    const page = await c.get(`/org/members/${m.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(m.email);
    // The contact is masked, never shown whole.
    expect(page.body).not.toContain(m.contact);
    for (const a of ['reregister', 'sessions', 'password', 'contact', 'tap'])
      expect(page.body).toContain(`/org/members/${m.id}/${a}`);
  });

  it('a member of another organisation is not found', async () => {
    const a = await orgWithAdmin(t);
    const b = await orgWithAdmin(t);
    const m = await member(b);
    const c = await browserWith(a.admin.token);
    expect((await c.get(`/org/members/${m.id}`)).statusCode).toBe(404);
  });
});

describe('require re-registration', () => {
  it('removes phones and authenticator apps, keeps emails, sets the mark, emails the member', async () => {
    const org = await orgWithAdmin(t, { name: '株式会社サンプル' });
    const m = await member(org);
    await addVerifiedPhone(m.token, '09012345678');
    expect((await methodsOf(m.token)).map((x) => x.kind).sort()).toEqual(['email', 'phone']);
    const stampBefore = (
      await t.app.deps.db.query<{ s: string }>(
        'SELECT security_stamp::text AS s FROM accounts WHERE id = $1',
        [m.id],
      )
    )[0]!.s;

    const c = await browserWith(org.admin.token);
    const r = await act(c, m.id, 'reregister');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('電話番号を 1 件');

    expect((await methodsOf(m.token)).map((x) => x.kind)).toEqual(['email']);
    expect((await flags(m.id))?.must_reregister).toBe(true);
    const stampAfter = (
      await t.app.deps.db.query<{ s: string }>(
        'SELECT security_stamp::text AS s FROM accounts WHERE id = $1',
        [m.id],
      )
    )[0]!.s;
    expect(stampAfter).not.toBe(stampBefore);
    const log = await audit(org.orgId);
    expect(log.at(-1)).toMatchObject({
      action: 'member.reregister_required',
      outcome: 'done',
      target_account_id: m.id,
    });

    await t.drain();
    for (const to of [m.email, m.contact]) {
      const mail = t.sink.to(to).at(-1);
      expect(mail?.subject).toContain('株式会社サンプル');
      expect(mail?.subject).toContain('再登録');
      expect(mail?.text).toContain(`it@${org.domain}`);
    }
  });
});

describe('revoke sessions', () => {
  it('ends every session of the member at once, and says how many', async () => {
    const org = await orgWithAdmin(t);
    const m = await member(org);
    expect((await t.api('GET', '/api/v1/me', undefined, m.token)).status).toBe(200);
    const c = await browserWith(org.admin.token);
    const r = await act(c, m.id, 'sessions');
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatch(/セッションを [1-9]\d* 件終了/);
    expect((await t.api('GET', '/api/v1/me', undefined, m.token)).status).toBe(401);
    expect((await audit(org.orgId)).at(-1)).toMatchObject({ action: 'member.sessions_revoked' });
    await t.drain();
    expect(t.sink.to(m.email).at(-1)?.subject).toContain('サインアウト');
  });
});

describe('reset the password to a temporary one', () => {
  it('shows it once, ends the sessions, the member signs in with it and must choose a new one', async () => {
    const org = await orgWithAdmin(t, { locale: 'en' });
    const m = await member(org, 'en');
    const c = await browserWith(org.admin.token);
    const r = await act(c, m.id, 'password');
    expect(r.statusCode).toBe(200);
    const temp = /<code>([A-Z0-9-]+)<\/code>/.exec(r.body)?.[1] ?? '';
    expect(temp.replaceAll('-', '').length).toBeGreaterThanOrEqual(16);
    expect((await flags(m.id))?.must_change_password).toBe(true);
    // The page on reload does not show it again.
    expect((await c.get(`/org/members/${m.id}`)).body).not.toContain(temp);
    expect((await t.api('GET', '/api/v1/me', undefined, m.token)).status).toBe(401);
    expect((await signInFully(t, m.email, GOOD_PASSWORD)).status).toBe(401);
    const s = await signInFully(t, m.email, temp);
    expect(s.status).toBe(200);
    await t.drain();
    const mail = t.sink.to(m.contact).at(-1);
    expect(mail?.subject).toContain('reset your Mamori password');
    expect(mail?.text).not.toContain(temp);

    // The member's page asks for a new password; a weak one is refused and the mark stays.
    const mc = await browserWith(s.body.sessionToken as string);
    const page = await mc.get('/security/new-password-required?next=/security');
    expect(page.statusCode).toBe(200);
    const weak = await mc.post('/security/new-password-required?next=/security', { password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect((await flags(m.id))?.must_change_password).toBe(true);
    const ok = await mc.post('/security/new-password-required?next=/security', {
      password: 'a brand new passphrase 77',
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/security');
    expect((await flags(m.id))?.must_change_password).toBe(false);
    // Without the mark the page sends the member on.
    expect((await mc.get('/security/new-password-required?next=/security')).statusCode).toBe(303);
  });
});

describe('add a contact on the member behalf', () => {
  it('adds a pending email that does not count until the member verifies it', async () => {
    const org = await orgWithAdmin(t);
    const m = await member(org);
    const c = await browserWith(org.admin.token);
    const added = `added.${Math.random().toString(36).slice(2, 8)}@example.com`;
    const r = await act(c, m.id, 'contact', { kind: 'email', email: added });
    expect(r.statusCode).toBe(200);
    const methods = (await t.api('GET', '/api/v1/methods', undefined, m.token)).body.methods as {
      kind: string;
      value?: string;
      verifiedAt?: string | null;
      id: string;
    }[];
    expect(methods).toHaveLength(2);
    const pending = methods.filter((x) => !x.verifiedAt);
    expect(pending).toHaveLength(1);
    expect((await audit(org.orgId)).at(-1)).toMatchObject({ action: 'member.contact_added' });
    await t.drain();
    expect(t.sink.to(m.contact).at(-1)?.subject).toContain('セキュリティ情報');
  });

  it('adds a pending phone; a malformed number is refused on the same page', async () => {
    const org = await orgWithAdmin(t);
    const m = await member(org);
    const c = await browserWith(org.admin.token);
    const bad = await act(c, m.id, 'contact', { kind: 'phone', country: 'JP', number: '12' });
    expect(bad.statusCode).toBe(400);
    const r = await act(c, m.id, 'contact', { kind: 'phone', country: 'JP', number: '09087654321' });
    expect(r.statusCode).toBe(200);
    const phones = (await methodsOf(m.token)).filter((x) => x.kind === 'phone');
    expect(phones).toHaveLength(1);
  });
});

describe('the organisation policy governs what an admin adds', () => {
  it('refuses a disallowed kind and an SMS country outside the policy, and adds nothing', async () => {
    const org = await orgWithAdmin(t);
    const m = await member(org);
    const { policy, version } = await organisationPolicy(t.app.deps, org.orgId);
    await savePolicy(t.app.deps, TEST_OPERATOR, org.orgId, version, {
      ...policy,
      allowed: { ...policy.allowed, email: false },
      smsCountries: ['JP'],
    });
    const c = await browserWith(org.admin.token);
    const email = await act(c, m.id, 'contact', { kind: 'email', email: 'someone@example.org' });
    expect(email.statusCode).toBe(403);
    const us = await act(c, m.id, 'contact', { kind: 'phone', country: 'US', number: '2015550123' });
    expect(us.statusCode).toBe(403);
    expect(await methodsOf(m.token)).toHaveLength(1);
    const jp = await act(c, m.id, 'contact', { kind: 'phone', country: 'JP', number: '09011112222' });
    expect(jp.statusCode).toBe(200);
  });
});

describe('confirmation', () => {
  it('an action that cannot be undone runs only with its box ticked; unticked, the page says nothing was done', async () => {
    const org = await orgWithAdmin(t, { locale: 'en' });
    const m = await member(org);
    const c = await browserWith(org.admin.token);
    const page = await c.get(`/org/members/${m.id}`);
    expect(page.body.match(/name="confirm" value="yes" required/g)).toHaveLength(3);
    for (const a of ['sessions', 'password', 'reregister']) {
      const r = await c.post(`/org/members/${m.id}/${a}`, {});
      expect(r.statusCode).toBe(400);
      expect(r.body).toMatch(
        /Nothing was done yet: tick the box to confirm|まだ何も実行していません。確認のチェックを入れて/,
      );
    }
    expect((await t.api('GET', '/api/v1/me', undefined, m.token)).status).toBe(200);
    expect(await flags(m.id)).toMatchObject({ must_reregister: false, must_change_password: false });
  });
});

describe('refusals (audited)', () => {
  it('outside the organisation, on self, on a higher admin; a reader cannot act; a stale step-up re-authenticates', async () => {
    const a = await orgWithAdmin(t);
    const b = await orgWithAdmin(t);
    const outsider = await member(b);
    const c = await browserWith(a.admin.token);
    await c.get('/org/members');
    // Outside the organisation.
    const r1 = await c.post(`/org/members/${outsider.id}/sessions`, { confirm: 'yes' });
    expect(r1.statusCode).toBe(403);
    expect((await t.api('GET', '/api/v1/me', undefined, outsider.token)).status).toBe(200);
    // On self.
    const r2 = await c.post(`/org/members/${a.admin.accountId}/sessions`, { confirm: 'yes' });
    expect(r2.statusCode).toBe(403);
    const refused = (await audit(a.orgId)).filter((x) => x.outcome === 'refused');
    expect(refused).toHaveLength(2);
    expect(refused.map((x) => (x.detail as { attempted: string }).attempted)).toEqual([
      'member.sessions_revoked',
      'member.sessions_revoked',
    ]);
    expect((await audit(b.orgId)).filter((x) => x.outcome === 'refused')).toHaveLength(0);

    // An authentication admin on an organisation admin (higher role).
    const authAdmin = await accountIn(t, a.domain);
    await addMember(t, a.orgId, authAdmin.email, 'auth_admin');
    const { withTwoStep } = await import('../support/orgs.ts');
    const two = await withTwoStep(t, authAdmin);
    const ac = await browserWith(two.token);
    await ac.get('/org');
    const r3 = await ac.post(`/org/members/${a.admin.accountId}/password`, { confirm: 'yes' });
    expect(r3.statusCode).toBe(403);
    expect((await audit(a.orgId)).filter((x) => x.outcome === 'refused')).toHaveLength(3);
    // The organisation admin's password still works.
    expect((await signInFully(t, a.admin.email, a.admin.password)).status).toBe(200);

    // A reader has no member actions.
    const reader = await accountIn(t, a.domain);
    await addMember(t, a.orgId, reader.email, 'reader');
    const rtwo = await withTwoStep(t, reader);
    const rc = await browserWith(rtwo.token);
    const target = await member(a);
    expect((await rc.get(`/org/members/${target.id}`)).statusCode).toBe(403);

    // A step-up older than STEP_UP_MINUTES: re-authenticate first, nothing done.
    t.clock.advance(11 * 60_000);
    const page = await c.get(`/org/members/${target.id}`);
    expect(page.statusCode).toBe(200);
    const stale = await c.post(`/org/members/${target.id}/sessions`, { confirm: 'yes' });
    expect(stale.statusCode).toBe(303);
    expect(stale.headers.location).toContain('/security/reauth');
    expect((await t.api('GET', '/api/v1/me', undefined, target.token)).status).toBe(200);
  });
});

describe('revoke sessions with the session cache on', () => {
  let c60: TestApp;
  beforeAll(async () => {
    c60 = await createTestApp({ env: { SESSION_CACHE_SECONDS: '60' } });
  });
  afterAll(async () => {
    await c60.close();
  });

  it('a cached session of the member is refused on the very next request', async () => {
    const org = await orgWithAdmin(c60);
    const m = await accountIn(c60, org.domain);
    await addMember(c60, org.orgId, m.email);
    const me = await c60.api('GET', '/api/v1/me', undefined, m.token);
    expect(me.status).toBe(200);
    // Cached now: a second read is served from the cache.
    expect((await c60.api('GET', '/api/v1/me', undefined, m.token)).status).toBe(200);
    const c = formClient(c60);
    c.jar.set(SESSION_COOKIE, org.admin.token);
    await c.get(`/org/members/${me.body.id}`);
    expect((await c.post(`/org/members/${me.body.id}/sessions`, { confirm: 'yes' })).statusCode).toBe(200);
    expect((await c60.api('GET', '/api/v1/me', undefined, m.token)).status).toBe(401);
  });
});
