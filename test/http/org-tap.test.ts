import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/web/plumbing.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { accountIn, addMember, orgWithAdmin, withTwoStep } from '../support/orgs.ts';
import { formClient } from '../web/browser-less-client.ts';

/**
 * Temporary access passes (issue 9 §4) and invitations (§1), through the pages: created by the admin and
 * shown once; signing in with one at /sign-in/pass leads to registering methods, in a session that ends
 * with the pass; one-time, replaced, revoked, expired passes refused. Invitations: sent, accepted with the
 * invited address only, revoked, replaced.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

function browserWith(token?: string) {
  const c = formClient(t);
  if (token) c.jar.set(SESSION_COOKIE, token);
  return c;
}

async function member(org: { orgId: string; domain: string }, locale: 'ja' | 'en' = 'ja') {
  const m = await accountIn(t, org.domain, { locale });
  await addMember(t, org.orgId, m.email);
  const id = (await t.api('GET', '/api/v1/me', undefined, m.token)).body.id as string;
  return { ...m, id };
}

async function createPass(adminToken: string, memberId: string, form: Record<string, string>) {
  const c = browserWith(adminToken);
  expect((await c.get(`/org/members/${memberId}`)).statusCode).toBe(200);
  const r = await c.post(`/org/members/${memberId}/tap`, form);
  return { r, pass: /<code>([A-Z0-9]+)<\/code>/.exec(r.body)?.[1] ?? '' };
}

async function signInWithPass(email: string, pass: string) {
  const c = browserWith();
  expect((await c.get('/sign-in/pass')).statusCode).toBe(200);
  const r = await c.post('/sign-in/pass', { email, pass });
  return { c, r, token: c.jar.get(SESSION_COOKIE) };
}

describe('temporary access pass', () => {
  it('the sign-in page links to it', async () => {
    const r = await browserWith().get('/sign-in');
    expect(r.body).toContain('href="/sign-in/pass"');
  });

  it('is shown once, signs the member in as a second factor, straight to registering methods', async () => {
    const org = await orgWithAdmin(t, { name: '株式会社サンプル' });
    const m = await member(org);
    const { r, pass } = await createPass(org.admin.token, m.id, {
      length: '12',
      lifetime: '60',
      one_time: 'on',
    });
    expect(r.statusCode).toBe(200);
    expect(pass).toHaveLength(12);
    // Stored only as a keyed hash.
    const rows = await t.app.deps.db.query<{ pass_hash: string }>(
      'SELECT pass_hash FROM temporary_access_passes WHERE account_id = $1',
      [m.id],
    );
    expect(rows[0]?.pass_hash).not.toContain(pass);
    await t.drain();
    const mail = t.sink.to(m.email).at(-1);
    expect(mail?.subject).toContain('一時アクセスパス');
    expect(mail?.text).not.toContain(pass);

    // Typed in lower case with spaces: still the pass.
    const typed = `${pass.slice(0, 4).toLowerCase()} ${pass.slice(4)}`;
    const s = await signInWithPass(m.email, typed);
    expect(s.r.statusCode).toBe(303);
    expect(s.r.headers.location).toBe('/security/required?next=/security');
    const me = await t.api('GET', '/api/v1/me', undefined, s.token);
    expect(me.status).toBe(200);
    const session = (
      await t.app.deps.db.query<{ expires_at: Date; second_factor_at: Date | null }>(
        'SELECT expires_at, second_factor_at FROM sessions WHERE account_id = $1 ORDER BY created_at DESC LIMIT 1',
        [m.id],
      )
    )[0]!;
    expect(session.second_factor_at).not.toBeNull();
    expect(session.expires_at.getTime()).toBeLessThanOrEqual(t.clock.now().getTime() + 60 * 60_000);

    // One-time: the second use is refused, like a wrong pass.
    const again = await signInWithPass(m.email, pass);
    expect(again.r.statusCode).toBe(401);
    const audit = await t.app.deps.db.query<{ action: string }>(
      "SELECT action FROM org_audit WHERE org_id = $1 AND action LIKE 'tap.%' ORDER BY seq",
      [org.orgId],
    );
    expect(audit.map((a) => a.action)).toEqual(['tap.created', 'tap.used']);
  });

  it('expires mid-registration: the session ends with the pass', async () => {
    const org = await orgWithAdmin(t);
    const m = await member(org);
    const { pass } = await createPass(org.admin.token, m.id, { length: '8', lifetime: '10', one_time: 'on' });
    t.clock.advance(5 * 60_000);
    const s = await signInWithPass(m.email, pass);
    expect(s.r.statusCode).toBe(303);
    expect((await t.api('GET', '/api/v1/me', undefined, s.token)).status).toBe(200);
    t.clock.advance(4 * 60_000);
    expect((await t.api('GET', '/api/v1/me', undefined, s.token)).status).toBe(200);
    t.clock.advance(61_000);
    expect((await t.api('GET', '/api/v1/me', undefined, s.token)).status).toBe(401);
  });

  it('multi-use works more than once; a new one replaces it; a revoked or expired one is refused', async () => {
    const org = await orgWithAdmin(t);
    const m = await member(org);
    const first = await createPass(org.admin.token, m.id, { length: '10', lifetime: '60' });
    expect((await signInWithPass(m.email, first.pass)).r.statusCode).toBe(303);
    expect((await signInWithPass(m.email, first.pass)).r.statusCode).toBe(303);
    const second = await createPass(org.admin.token, m.id, { length: '10', lifetime: '60' });
    expect((await signInWithPass(m.email, first.pass)).r.statusCode).toBe(401);
    expect((await signInWithPass(m.email, second.pass)).r.statusCode).toBe(303);

    const c = browserWith(org.admin.token);
    const page = await c.get(`/org/members/${m.id}`);
    expect(page.body).toContain(`/org/members/${m.id}/tap/revoke`);
    const revoked = await c.post(`/org/members/${m.id}/tap/revoke`, {});
    expect(revoked.statusCode).toBe(200);
    expect((await signInWithPass(m.email, second.pass)).r.statusCode).toBe(401);

    const third = await createPass(org.admin.token, m.id, { length: '8', lifetime: '10' });
    t.clock.advance(10 * 60_000 + 1000);
    expect((await signInWithPass(m.email, third.pass)).r.statusCode).toBe(401);
  });

  it('a refused pass is explained as a pass (not "email address or password"), in Japanese and English', async () => {
    const org = await orgWithAdmin(t);
    const m = await member(org);
    const { pass } = await createPass(org.admin.token, m.id, { length: '8', lifetime: '10' });
    t.clock.advance(10 * 60_000 + 1000);
    const ja = await signInWithPass(m.email, pass);
    expect(ja.r.statusCode).toBe(401);
    expect(ja.r.body).toContain(
      'パスの有効期限が切れているか、すでに使われています。管理者に新しいパスを依頼してください。',
    );
    expect(ja.r.body).not.toContain('メールアドレスまたはパスワードが正しくありません');
    const c = formClient(t, { 'accept-language': 'en' });
    await c.get('/sign-in/pass');
    const en = await c.post('/sign-in/pass', { email: m.email, pass: 'WRONGPAS' });
    expect(en.statusCode).toBe(401);
    expect(en.body).toContain(
      'or the pass has expired or was already used. Ask your administrator for a new pass.',
    );
    expect(en.body).not.toContain('email address or password is not right');
  });

  it('refuses lengths and lifetimes out of range, on the same page', async () => {
    const org = await orgWithAdmin(t);
    const m = await member(org);
    for (const form of [
      { length: '7', lifetime: '60' },
      { length: '49', lifetime: '60' },
      { length: '8', lifetime: '9' },
      { length: '8', lifetime: String(30 * 24 * 60 + 1) },
    ]) {
      const { r, pass } = await createPass(org.admin.token, m.id, form);
      expect(r.statusCode).toBe(400);
      expect(pass).toBe('');
    }
    const max = await createPass(org.admin.token, m.id, { length: '48', lifetime: String(30 * 24 * 60) });
    expect(max.pass).toHaveLength(48);
  });
});

describe('invitations', () => {
  it('an admin invites an address; only that address accepts and joins with the role', async () => {
    const org = await orgWithAdmin(t, { name: '株式会社サンプル', locale: 'en' });
    const other = await orgWithAdmin(t);
    const invitee = await accountIn(t, 'example.net', { locale: 'en' });
    const stranger = await accountIn(t, 'example.net');
    const c = browserWith(org.admin.token);
    expect((await c.get('/org/invitations')).statusCode).toBe(200);
    const sent = await c.post('/org/invitations', { email: invitee.email, role: 'reader' });
    expect(sent.statusCode).toBe(303);
    const list = await c.get('/org/invitations');
    expect(list.body).toContain(invitee.email);
    await t.drain();
    const mail = t.sink.to(invitee.email).at(-1)!;
    expect(mail.subject).toContain('株式会社サンプル');
    const link = /\/organisation\/join\?token=[\w-]+/.exec(mail.text)?.[0] ?? '';
    expect(link).not.toBe('');

    // Signed out: the page says to sign in with the invited address.
    const anon = await browserWith().get(link);
    expect(anon.statusCode).toBe(200);
    expect(anon.body).toContain('/sign-in?next=');
    // Another address: told the invitation is for a different address; accepting is refused.
    const sc = browserWith(stranger.token);
    const seen = await sc.get(link);
    expect(seen.body).toMatch(/別のメールアドレス|different address/);
    expect((await sc.post(link, {})).statusCode).toBe(400);
    // The invited address accepts and joins with the role.
    const ic = browserWith(invitee.token);
    expect((await ic.get(link)).statusCode).toBe(200);
    const accepted = await ic.post(link, {});
    expect(accepted.statusCode).toBe(200);
    const row = await t.app.deps.db.query<{ org_id: string; role: string }>(
      'SELECT org_id, role FROM org_members WHERE account_id = (SELECT id FROM accounts WHERE email = $1)',
      [invitee.email],
    );
    expect(row[0]).toEqual({ org_id: org.orgId, role: 'reader' });
    // Used: the link no longer works.
    expect((await ic.post(link, {})).statusCode).toBe(400);
    void other;
  });

  it('a new invitation replaces the old; a withdrawn one is refused; a member of another organisation cannot join', async () => {
    const org = await orgWithAdmin(t);
    const other = await orgWithAdmin(t);
    const invitee = await accountIn(t, other.domain);
    await addMember(t, other.orgId, invitee.email);
    const c = browserWith(org.admin.token);
    await c.get('/org/invitations');
    await c.post('/org/invitations', { email: invitee.email, role: 'member' });
    await t.drain();
    const firstLink = /\/organisation\/join\?token=[\w-]+/.exec(t.sink.to(invitee.email).at(-1)!.text)![0];
    t.clock.advance(61_000);
    await c.get('/org/invitations');
    await c.post('/org/invitations', { email: invitee.email, role: 'member' });
    await t.drain();
    const secondLink = /\/organisation\/join\?token=[\w-]+/.exec(t.sink.to(invitee.email).at(-1)!.text)![0];
    expect(secondLink).not.toBe(firstLink);
    const ic = browserWith(invitee.token);
    expect((await ic.get(firstLink)).statusCode).toBe(400);
    const page = await ic.get(secondLink);
    expect(page.statusCode).toBe(200);
    const refused = await ic.post(secondLink, {});
    expect(refused.statusCode).toBe(409);

    const list = await c.get('/org/invitations');
    const revokeUrl = /\/org\/invitations\/[\w-]+\/revoke/.exec(list.body)![0];
    expect((await c.post(revokeUrl, {})).statusCode).toBe(303);
    expect((await ic.get(secondLink)).statusCode).toBe(400);
    const audit = await t.app.deps.db.query<{ action: string }>(
      "SELECT action FROM org_audit WHERE org_id = $1 AND action LIKE 'invitation.%' ORDER BY seq",
      [org.orgId],
    );
    expect(audit.map((a) => a.action)).toEqual(['invitation.sent', 'invitation.sent', 'invitation.revoked']);
  });

  it('only organisation admins invite', async () => {
    const org = await orgWithAdmin(t);
    const aa = await accountIn(t, org.domain);
    await addMember(t, org.orgId, aa.email, 'auth_admin');
    const two = await withTwoStep(t, aa);
    expect((await browserWith(two.token).get('/org/invitations')).statusCode).toBe(403);
  });
});
