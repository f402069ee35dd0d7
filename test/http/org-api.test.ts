/**
 * The organisation API (/api/v1/orgs/{orgId}) with organisation admin tokens created in the console: every
 * endpoint, every refusal (no token, revoked, another organisation's, a role too low, an invalid policy, a
 * stale version), hostile inputs. Every answer is also checked against the OpenAPI document by the harness.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/kernel/crypto.ts';
import { createTestApp, signedUpAccount, type TestApp, verifiedEmail } from '../support/harness.ts';
import { accountIn, addMember, orgWithAdmin } from '../support/orgs.ts';
import { consoleOf, createToken } from './org-api-support.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const POLICY = {
  allowed: { passkey: true, totp: true, phone: true, email: true },
  smsCountries: ['JP'],
  minMethods: 2,
  required: ['phone'],
  resetMethods: 1,
  reconfirmDays: 180,
  enforceRegistration: true,
  snoozeDays: 1,
  maxSnoozes: 3,
};

type Audit = {
  action: string;
  outcome: string;
  actor: { kind: string; id: string | null; name: string };
  target: string;
  detail: Record<string, unknown>;
};

describe('organisation admin tokens (console /org/tokens)', () => {
  it('shows a new token once, stores only its hash, lists it afterwards without the secret, and audits it', async () => {
    const { orgId, admin } = await orgWithAdmin(t);
    const { token, html } = await createToken(t, admin.token, { name: '人事システム連携', role: 'reader' });
    expect(token).toMatch(/^mot_[A-Za-z0-9_-]{43}$/);
    expect(html).toContain('人事システム連携');
    const rows = await t.app.deps.db.query<{ token_hash: string; role: string }>(
      'SELECT token_hash, role FROM org_api_tokens WHERE org_id = $1',
      [orgId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_hash).toBe(sha256(token));
    expect(rows[0]?.role).toBe('reader');
    const again = await consoleOf(t, admin.token).get('/org/tokens');
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('人事システム連携');
    expect(again.body).not.toContain(token);
    expect(again.headers['cache-control']).toBe('no-store');
    const audit = await t.api('GET', `/api/v1/orgs/${orgId}/audit`, undefined, token);
    const created = (audit.body.entries as Audit[]).find((e) => e.action === 'token.created');
    expect(created).toMatchObject({
      actor: { kind: 'admin', id: admin.accountId },
      target: '人事システム連携',
    });
    expect(created?.detail).toMatchObject({ role: 'reader' });
  });

  it('refuses a token name that is empty or too long, and a role the form does not offer', async () => {
    const { admin } = await orgWithAdmin(t, { locale: 'en' });
    const c = consoleOf(t, admin.token, 'en');
    await c.get('/org/tokens');
    const empty = await c.post('/org/tokens', { name: '  ', role: 'reader' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter a name of 1 to 100 characters for the token.');
    const long = await c.post('/org/tokens', { name: 'x'.repeat(101), role: 'reader' });
    expect(long.statusCode).toBe(400);
    const member = await c.post('/org/tokens', { name: 'x', role: 'member' });
    expect(member.statusCode).toBe(400);
    expect(member.body).toContain('Choose one of the roles listed.');
    expect(member.body).not.toMatch(/data-testid="new-token"/);
  });

  it('is only for organisation admins: an authentication admin or a reader gets “not allowed”, a POST without CSRF nothing', async () => {
    const { admin } = await orgWithAdmin(t, { role: 'auth_admin' });
    const c = consoleOf(t, admin.token, 'en');
    const page = await c.get('/org/tokens');
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain('Your role in the organisation does not allow this.');
    const post = await c.post('/org/tokens', { name: 'sneaky', role: 'reader' }, false);
    expect(post.statusCode).toBe(403);
    const boss = await orgWithAdmin(t);
    const noCsrf = await consoleOf(t, boss.admin.token).post(
      '/org/tokens',
      { name: 'n', role: 'reader' },
      false,
    );
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.body).not.toMatch(/data-testid="new-token"/);
  });

  it('asks for a fresh proof before making a token (a stolen session cannot mint a lasting credential)', async () => {
    const { orgId, admin } = await orgWithAdmin(t);
    const c = consoleOf(t, admin.token);
    expect((await c.get('/org/tokens')).statusCode).toBe(200);
    t.clock.advance(t.app.deps.config.stepUpMinutes * 60_000 + 1000);
    const r = await c.post('/org/tokens', { name: 'late', role: 'org_admin' });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/security/reauth?next=%2Forg%2Ftokens');
    expect(r.body).not.toMatch(/mot_/);
    const rows = await t.app.deps.db.query('SELECT id FROM org_api_tokens WHERE org_id = $1', [orgId]);
    expect(rows).toHaveLength(0);
  });

  it('a revoked token is refused at once; revoking is audited; another organisation cannot revoke it', async () => {
    const { orgId, admin } = await orgWithAdmin(t);
    const { token } = await createToken(t, admin.token);
    expect((await t.api('GET', `/api/v1/orgs/${orgId}`, undefined, token)).status).toBe(200);
    const [row] = await t.app.deps.db.query<{ id: string }>(
      'SELECT id FROM org_api_tokens WHERE org_id = $1',
      [orgId],
    );
    // An admin of another organisation posts the id: nothing happens.
    const other = await orgWithAdmin(t);
    const oc = consoleOf(t, other.admin.token);
    await oc.get('/org/tokens');
    await oc.post(`/org/tokens/${row?.id}/revoke`, {});
    expect((await t.api('GET', `/api/v1/orgs/${orgId}`, undefined, token)).status).toBe(200);
    // Its own admin revokes it.
    const c = consoleOf(t, admin.token, 'en');
    await c.get('/org/tokens');
    const r = await c.post(`/org/tokens/${row?.id}/revoke`, {});
    expect(r.statusCode).toBe(303);
    const shown = await c.follow(r);
    expect(shown.body).toContain('The token was revoked.');
    expect(shown.body).toMatch(/data-state="revoked"/);
    const refused = await t.api('GET', `/api/v1/orgs/${orgId}`, undefined, token);
    expect(refused.status).toBe(401);
    expect(refused.body.error?.code).toBe('org.token_invalid');
    const { token: reader } = await createToken(t, admin.token, { role: 'reader' });
    const audit = (await t.api('GET', `/api/v1/orgs/${orgId}/audit`, undefined, reader)).body
      .entries as Audit[];
    expect(audit.some((e) => e.action === 'token.revoked' && e.actor.id === admin.accountId)).toBe(true);
  });

  it('a token and the open invitations an admin made end when that admin loses the role (no credential outlives its maker)', async () => {
    const { orgId, admin } = await orgWithAdmin(t, { locale: 'en' });
    const second = await accountIn(t, 'example.net');
    await addMember(t, orgId, second.email, 'org_admin');
    const { token } = await createToken(t, admin.token);
    const invitee = await accountIn(t, 'example.org');
    const c = consoleOf(t, admin.token, 'en');
    await c.get('/org/invitations');
    expect((await c.post('/org/invitations', { email: invitee.email, role: 'org_admin' })).statusCode).toBe(
      303,
    );
    await t.drain();
    const link = /\/organisation\/join\?token=[\w-]+/.exec(t.sink.to(invitee.email).at(-1)?.text ?? '')?.[0];
    expect(link).toBeTruthy();
    expect((await t.api('GET', `/api/v1/orgs/${orgId}`, undefined, token)).status).toBe(200);

    // The other organisation admin makes them an authentication admin: what they made as an organisation admin ends.
    await addMember(t, orgId, admin.email, 'auth_admin');
    const refused = await t.api('GET', `/api/v1/orgs/${orgId}`, undefined, token);
    expect(refused.status).toBe(401);
    expect(refused.body.error?.code).toBe('org.token_invalid');
    const open = await t.app.deps.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM org_invitations WHERE org_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL',
      [orgId],
    );
    expect(open[0]?.n).toBe(0);
    const joined = await consoleOf(t, invitee.token, 'en').get(link ?? '');
    expect(joined.body).toContain('This invitation is not valid: it was used, withdrawn or has expired.');
    const ic = consoleOf(t, invitee.token, 'en');
    await ic.get(link ?? '');
    const accepted = await ic.post(link ?? '', {});
    expect(accepted.body).toContain('This invitation is not valid');
    const member = await t.app.deps.db.query(
      'SELECT 1 FROM org_members m JOIN accounts a ON a.id = m.account_id WHERE a.email = $1',
      [invitee.email],
    );
    expect(member).toHaveLength(0);
  });

  it('records the last use, at most once a minute', async () => {
    const { orgId, admin } = await orgWithAdmin(t);
    const { token } = await createToken(t, admin.token);
    const lastUsed = async () =>
      (
        await t.app.deps.db.query<{ last_used_at: Date | null }>(
          'SELECT last_used_at FROM org_api_tokens WHERE org_id = $1',
          [orgId],
        )
      )[0]?.last_used_at ?? null;
    expect(await lastUsed()).toBeNull();
    await t.api('GET', `/api/v1/orgs/${orgId}`, undefined, token);
    const first = await lastUsed();
    expect(first?.getTime()).toBe(t.clock.now().getTime());
    t.clock.advance(30_000);
    await t.api('GET', `/api/v1/orgs/${orgId}`, undefined, token);
    expect((await lastUsed())?.getTime()).toBe(first?.getTime());
    t.clock.advance(31_000);
    await t.api('GET', `/api/v1/orgs/${orgId}`, undefined, token);
    expect((await lastUsed())?.getTime()).toBe(t.clock.now().getTime());
  });
});

describe('authentication of /api/v1/orgs', () => {
  it('refuses no token, a malformed one, a made-up one and a user session token with org.token_invalid', async () => {
    const { orgId, admin } = await orgWithAdmin(t);
    for (const tok of [undefined, 'nonsense', `mot_${'A'.repeat(43)}`, admin.token]) {
      const r = await t.api('GET', `/api/v1/orgs/${orgId}/members`, undefined, tok);
      expect(r.status, String(tok)).toBe(401);
      expect(r.body.error?.code).toBe('org.token_invalid');
    }
  });

  it('answers a token of organisation A on B’s URL exactly as on an unknown id, and logs the attempt in A', async () => {
    const a = await orgWithAdmin(t);
    const b = await orgWithAdmin(t);
    const { token } = await createToken(t, a.admin.token);
    for (const path of ['', '/policy', '/members', '/audit']) {
      const onB = await t.api('GET', `/api/v1/orgs/${b.orgId}${path}`, undefined, token);
      const unknown = await t.api('GET', `/api/v1/orgs/org_doesnotexist${path}`, undefined, token);
      expect(onB.status).toBe(404);
      expect(onB.body).toEqual(unknown.body);
      expect(onB.body.error?.code).toBe('org.not_found');
    }
    const put = await t.api(
      'PUT',
      `/api/v1/orgs/${b.orgId}/policy`,
      { baseVersion: 1, policy: POLICY },
      token,
    );
    expect(put.status).toBe(404);
    const role = await t.api(
      'PUT',
      `/api/v1/orgs/${b.orgId}/members/${b.admin.accountId}/role`,
      { role: 'member' },
      token,
    );
    expect(role.status).toBe(404);
    // B's policy and its admin are untouched.
    const { token: bToken } = await createToken(t, b.admin.token);
    expect((await t.api('GET', `/api/v1/orgs/${b.orgId}/policy`, undefined, bToken)).body.version).toBe(1);
    const bMembers = (await t.api('GET', `/api/v1/orgs/${b.orgId}/members`, undefined, bToken)).body
      .members as { accountId: string; role: string }[];
    expect(bMembers.find((m) => m.accountId === b.admin.accountId)?.role).toBe('org_admin');
    const audit = (await t.api('GET', `/api/v1/orgs/${a.orgId}/audit`, undefined, token)).body
      .entries as Audit[];
    const refused = audit.filter((e) => e.action === 'action.refused');
    expect(refused.length).toBeGreaterThanOrEqual(6);
    expect(refused[0]).toMatchObject({ outcome: 'refused', actor: { kind: 'token' } });
    const bAudit = (await t.api('GET', `/api/v1/orgs/${b.orgId}/audit`, undefined, bToken)).body
      .entries as Audit[];
    expect(bAudit.some((e) => e.action === 'action.refused')).toBe(false);
  });

  it('lets each token role do only what the role allows (refusals audited)', async () => {
    const { orgId, admin } = await orgWithAdmin(t);
    const { token: reader } = await createToken(t, admin.token, { role: 'reader', name: 'dashboard' });
    const { token: authAdmin } = await createToken(t, admin.token, { role: 'auth_admin', name: 'helpdesk' });
    const base = `/api/v1/orgs/${orgId}`;
    // Reader: reads everything, writes nothing.
    for (const p of ['', '/policy', '/members', '/audit'])
      expect((await t.api('GET', `${base}${p}`, undefined, reader)).status, p).toBe(200);
    const put = await t.api('PUT', `${base}/policy`, { baseVersion: 1, policy: POLICY }, reader);
    expect(put.status).toBe(403);
    expect(put.body.error?.code).toBe('org.forbidden');
    const role = await t.api('PUT', `${base}/members/${admin.accountId}/role`, { role: 'member' }, reader);
    expect(role.status).toBe(403);
    // Authentication admin: members and the organisation, not the audit log, no policy change.
    expect((await t.api('GET', `${base}/members`, undefined, authAdmin)).status).toBe(200);
    expect((await t.api('GET', `${base}/audit`, undefined, authAdmin)).status).toBe(403);
    expect((await t.api('PUT', `${base}/policy`, { baseVersion: 1, policy: POLICY }, authAdmin)).status).toBe(
      403,
    );
    const audit = (await t.api('GET', `${base}/audit`, undefined, reader)).body.entries as Audit[];
    const refused = audit.filter((e) => e.action === 'action.refused');
    expect(refused.map((e) => e.actor.name).sort()).toEqual([
      'dashboard',
      'dashboard',
      'helpdesk',
      'helpdesk',
    ]);
    expect((await t.api('GET', `${base}/policy`, undefined, reader)).body.version).toBe(1);
  });
});

describe('GET /orgs/{orgId}', () => {
  it('answers the name, contact, domains, member count and policy version', async () => {
    const { orgId, domain, admin } = await orgWithAdmin(t, { name: '株式会社サンプル' });
    await addMember(t, orgId, (await accountIn(t, domain)).email);
    const { token } = await createToken(t, admin.token, { role: 'reader' });
    const r = await t.api('GET', `/api/v1/orgs/${orgId}`, undefined, token);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: orgId,
      name: '株式会社サンプル',
      contact: `it@${domain}`,
      memberCount: 2,
      policyVersion: 1,
    });
    expect(r.body.domains).toEqual([{ domain, verifiedAt: expect.any(String) }]);
  });
});

describe('the policy', () => {
  it('reads, saves a new version (audited with the diff, the token as actor), refuses a stale base version', async () => {
    const { orgId, admin } = await orgWithAdmin(t);
    const { token } = await createToken(t, admin.token, { name: 'policy-bot' });
    const url = `/api/v1/orgs/${orgId}/policy`;
    const before = await t.api('GET', url, undefined, token);
    expect(before.body).toMatchObject({ version: 1, policy: { minMethods: 1 } });
    const saved = await t.api('PUT', url, { baseVersion: 1, policy: POLICY }, token);
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ version: 2, policy: POLICY });
    expect((await t.api('GET', url, undefined, token)).body).toEqual({ version: 2, policy: POLICY });
    const stale = await t.api('PUT', url, { baseVersion: 1, policy: { ...POLICY, minMethods: 3 } }, token);
    expect(stale.status).toBe(409);
    expect(stale.body.error?.code).toBe('org.policy_conflict');
    expect((await t.api('GET', url, undefined, token)).body.version).toBe(2);
    const audit = (await t.api('GET', `/api/v1/orgs/${orgId}/audit`, undefined, token)).body
      .entries as Audit[];
    const changed = audit.find((e) => e.action === 'policy.changed');
    expect(changed?.actor).toMatchObject({ kind: 'token', name: 'policy-bot' });
    expect(changed?.detail.changes).toContainEqual({ field: 'minMethods', from: '1', to: '2' });
    expect(changed?.detail.changes).toContainEqual({ field: 'smsCountries', from: '*', to: 'JP' });
  });

  it('refuses an invalid policy with every wrong field, pointed into the body, and saves nothing', async () => {
    const { orgId, admin } = await orgWithAdmin(t, { locale: 'en' });
    const { token } = await createToken(t, admin.token);
    const url = `/api/v1/orgs/${orgId}/policy`;
    const ranges = await t.api(
      'PUT',
      url,
      { baseVersion: 1, policy: { ...POLICY, minMethods: 9, reconfirmDays: 731, snoozeDays: -1 } },
      token,
      { 'accept-language': 'en' },
    );
    expect(ranges.status).toBe(400);
    expect(ranges.body.error?.code).toBe('org.policy_invalid');
    const fields = (ranges.body.error as unknown as { fields: { path: string }[] }).fields.map((f) => f.path);
    expect(fields.sort()).toEqual(['/policy/minMethods', '/policy/reconfirmDays', '/policy/snoozeDays']);
    // No member could ever meet it: a phone required while phones are not allowed.
    const stuck = await t.api(
      'PUT',
      url,
      { baseVersion: 1, policy: { ...POLICY, allowed: { ...POLICY.allowed, phone: false } } },
      token,
    );
    expect(stuck.status).toBe(400);
    expect(stuck.body.error).toMatchObject({
      code: 'org.policy_invalid',
      fields: [{ path: '/policy/required' }],
    });
    expect((await t.api('GET', url, undefined, token)).body.version).toBe(1);
  });

  it('refuses hostile bodies: unknown properties, wrong types, missing settings, huge strings, not JSON', async () => {
    const { orgId, admin } = await orgWithAdmin(t);
    const { token } = await createToken(t, admin.token);
    const url = `/api/v1/orgs/${orgId}/policy`;
    const bodies: unknown[] = [
      { baseVersion: 1, policy: POLICY, extra: true },
      { baseVersion: 1, policy: { ...POLICY, isAdmin: true } },
      { baseVersion: 1, policy: { ...POLICY, allowed: { ...POLICY.allowed, sms: true } } },
      { baseVersion: '1', policy: POLICY },
      { baseVersion: 1, policy: { ...POLICY, minMethods: '2' } },
      { baseVersion: 1, policy: { ...POLICY, minMethods: 2.5 } },
      { baseVersion: 1, policy: { ...POLICY, required: ['everything'] } },
      { baseVersion: 1, policy: { ...POLICY, smsCountries: ['J'.repeat(10_000)] } },
      { baseVersion: 1, policy: { ...POLICY, smsCountries: Array(300).fill('JP') } },
      { baseVersion: 1 },
      { baseVersion: -1, policy: POLICY },
      [POLICY],
    ];
    for (const body of bodies) {
      const r = await t.api('PUT', url, body, token);
      expect(r.status, JSON.stringify(body).slice(0, 100)).toBe(400);
      expect(r.body.error?.code).toBe('request.invalid');
    }
    const huge = { baseVersion: 1, policy: { ...POLICY, smsCountries: ['J'.repeat(100_000)] } };
    expect((await t.api('PUT', url, huge, token)).body.error?.code).toBe('request.too_large');
    const notJson = await t.api('PUT', url, '{"baseVersion": 1,', token, {
      'content-type': 'application/json',
    });
    expect(notJson.status).toBe(400);
    expect((await t.api('GET', url, undefined, token)).body.version).toBe(1);
  });
});

describe('GET /orgs/{orgId}/members', () => {
  it('lists members with methods by kind, compliance and marks; filters by met and role; pages with a cursor', async () => {
    const { orgId, domain, admin } = await orgWithAdmin(t);
    const { token } = await createToken(t, admin.token);
    const base = `/api/v1/orgs/${orgId}`;
    // Two members: one with one contact email, one with none.
    const one = await accountIn(t, domain);
    await addMember(t, orgId, one.email);
    await verifiedEmail(t, one.token);
    const none = await accountIn(t, domain);
    await addMember(t, orgId, none.email);
    // A stranger outside the organisation.
    await signedUpAccount(t);
    const saved = await t.api(
      'PUT',
      `${base}/policy`,
      { baseVersion: 1, policy: { ...POLICY, required: [], smsCountries: [], minMethods: 2 } },
      token,
    );
    expect(saved.status).toBe(200);
    const all = await t.api('GET', `${base}/members`, undefined, token);
    expect(all.status).toBe(200);
    type M = {
      email: string;
      role: string;
      methods: Record<string, number>;
      compliance: { met: boolean; counted: number; shortfalls: unknown[]; steps: string[] };
      snoozesUsed: number;
      mustReregister: boolean;
    };
    const members = all.body.members as M[];
    expect(members.map((m) => m.email)).toEqual([admin.email, one.email, none.email]);
    expect(all.body.policyVersion).toBe(2);
    expect(all.body.nextCursor).toBeNull();
    const [adm, m1, m0] = members as [M, M, M];
    expect(adm).toMatchObject({ role: 'org_admin', methods: { email: 2, phone: 0, totp: 0, passkey: 0 } });
    expect(adm.compliance).toMatchObject({ met: true, counted: 2, shortfalls: [], steps: [] });
    expect(m1).toMatchObject({
      role: 'member',
      methods: { email: 1 },
      snoozesUsed: 0,
      mustReregister: false,
    });
    expect(m1.compliance).toMatchObject({
      met: false,
      counted: 1,
      shortfalls: [{ kind: 'count', have: 1, need: 2 }],
    });
    expect(m1.compliance.steps).toEqual(['passkey']);
    expect(m0.compliance).toMatchObject({ met: false, counted: 0 });

    const unmet = await t.api('GET', `${base}/members?met=false`, undefined, token);
    expect((unmet.body.members as M[]).map((m) => m.email)).toEqual([one.email, none.email]);
    const met = await t.api('GET', `${base}/members?met=true`, undefined, token);
    expect((met.body.members as M[]).map((m) => m.email)).toEqual([admin.email]);
    const admins = await t.api('GET', `${base}/members?role=org_admin`, undefined, token);
    expect((admins.body.members as M[]).map((m) => m.email)).toEqual([admin.email]);

    // Pages of one: every member once, in order.
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) {
      const page: Awaited<ReturnType<typeof t.api>> = await t.api(
        'GET',
        `${base}/members?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        undefined,
        token,
      );
      expect(page.status).toBe(200);
      seen.push(...(page.body.members as M[]).map((m) => m.email));
      cursor = page.body.nextCursor as string | null;
      if (!cursor) break;
    }
    expect(seen).toEqual([admin.email, one.email, none.email]);
  });

  it('refuses a made-up cursor, a bad limit, an unknown filter value and an over-long id', async () => {
    const { orgId, admin } = await orgWithAdmin(t);
    const { token } = await createToken(t, admin.token, { role: 'reader' });
    const base = `/api/v1/orgs/${orgId}`;
    for (const q of [
      'cursor=bm9wZQ',
      'limit=abc',
      'limit=-1',
      'limit=1000',
      'met=yes',
      'role=owner',
      'role=member&role=reader',
    ]) {
      const r = await t.api('GET', `${base}/members?${q}`, undefined, token);
      expect(r.status, q).toBe(400);
      expect(r.body.error?.code).toBe('request.invalid');
    }
    const long = await t.api('GET', `/api/v1/orgs/${'o'.repeat(65)}/members`, undefined, token);
    expect(long.status).toBe(400);
    const audit = await t.api('GET', `${base}/audit?cursor=12abc`, undefined, token);
    expect(audit.status).toBe(400);
  });
});

describe('PUT /orgs/{orgId}/members/{accountId}/role', () => {
  it('gives a member a role (audited with the token as actor); refuses outsiders, unknown ids and demoting the last admin', async () => {
    const { orgId, domain, admin } = await orgWithAdmin(t);
    const { token } = await createToken(t, admin.token, { name: 'roles-bot' });
    const base = `/api/v1/orgs/${orgId}`;
    const m = await accountIn(t, domain);
    await addMember(t, orgId, m.email);
    const members = (await t.api('GET', `${base}/members`, undefined, token)).body.members as {
      accountId: string;
      email: string;
    }[];
    const id = members.find((x) => x.email === m.email)?.accountId as string;
    const r = await t.api('PUT', `${base}/members/${id}/role`, { role: 'reader' }, token);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ accountId: id, role: 'reader' });
    const after = (await t.api('GET', `${base}/members?role=reader`, undefined, token)).body.members as {
      accountId: string;
    }[];
    expect(after.map((x) => x.accountId)).toEqual([id]);
    const audit = (await t.api('GET', `${base}/audit`, undefined, token)).body.entries as Audit[];
    expect(audit[0]).toMatchObject({
      action: 'member.role_changed',
      actor: { kind: 'token', name: 'roles-bot' },
      target: m.email,
      detail: { changes: [{ field: 'role', from: 'member', to: 'reader' }] },
    });

    // A member of another organisation, an account of none, an unknown id: not a member here.
    const other = await orgWithAdmin(t);
    const stranger = await signedUpAccount(t);
    const strangerId = (
      await t.app.deps.db.query<{ id: string }>('SELECT id FROM accounts WHERE email = $1', [stranger.email])
    )[0]?.id;
    for (const target of [other.admin.accountId, strangerId, 'acc_unknown']) {
      const x = await t.api('PUT', `${base}/members/${target}/role`, { role: 'org_admin' }, token);
      expect(x.status, target).toBe(404);
      expect(x.body.error?.code).toBe('org.not_member');
    }
    // The stranger did not join.
    expect((await t.api('GET', `${base}`, undefined, token)).body.memberCount).toBe(2);

    const last = await t.api('PUT', `${base}/members/${admin.accountId}/role`, { role: 'member' }, token);
    expect(last.status).toBe(409);
    expect(last.body.error?.code).toBe('org.last_admin');
    const bad = await t.api('PUT', `${base}/members/${id}/role`, { role: 'owner' }, token);
    expect(bad.status).toBe(400);
    const extra = await t.api(
      'PUT',
      `${base}/members/${id}/role`,
      { role: 'reader', orgId: other.orgId },
      token,
    );
    expect(extra.status).toBe(400);
  });

  it('an organisation admin added by role gets a member the console lists', async () => {
    const { orgId, domain, admin } = await orgWithAdmin(t);
    const m = await accountIn(t, domain);
    const id = await addMember(t, orgId, m.email);
    const { token } = await createToken(t, admin.token);
    const r = await t.api('PUT', `/api/v1/orgs/${orgId}/members/${id}/role`, { role: 'org_admin' }, token);
    expect(r.status).toBe(200);
    // Now two organisation admins: the first may step down.
    const down = await t.api(
      'PUT',
      `/api/v1/orgs/${orgId}/members/${admin.accountId}/role`,
      { role: 'member' },
      token,
    );
    expect(down.status).toBe(200);
  });
});

describe('GET /orgs/{orgId}/audit', () => {
  it('answers entries newest first, paged', async () => {
    const { orgId, admin } = await orgWithAdmin(t);
    const { token } = await createToken(t, admin.token, { role: 'reader' });
    const base = `/api/v1/orgs/${orgId}/audit`;
    const all = (await t.api('GET', base, undefined, token)).body.entries as (Audit & {
      id: string;
      at: string;
    })[];
    // org.created, member.joined (the admin), domain.attached, token.created.
    expect(all.map((e) => e.action)).toEqual([
      'token.created',
      'domain.attached',
      'member.joined',
      'org.created',
    ]);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof t.api>> = await t.api(
        'GET',
        `${base}?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        undefined,
        token,
      );
      ids.push(...(page.body.entries as { id: string }[]).map((e) => e.id));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    expect(ids).toEqual(all.map((e) => e.id));
  });
});
