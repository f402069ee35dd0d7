/**
 * The organisation API's member actions, temporary access passes and invitations (issue 9 §4, §6), with
 * organisation admin tokens: each action done (what the member notices: methods gone, sessions ended, a
 * temporary password that works, a pending contact, a pass that signs in), emailed to the member, audited
 * with the token as actor; each refusal (a role too low, a higher admin, outside the organisation, another
 * organisation's URL) answered with its code, changing nothing, audited. Every answer is also checked
 * against the OpenAPI document by the harness.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/web/plumbing.ts';
import {
  createTestApp,
  GOOD_PASSWORD,
  signInFully,
  type TestApp,
  verifiedEmail,
} from '../support/harness.ts';
import { accountIn, addMember, orgWithAdmin } from '../support/orgs.ts';
import { formClient } from '../web/browser-less-client.ts';
import { createToken } from './org-api-support.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

type Org = Awaited<ReturnType<typeof orgWithAdmin>>;

/** A member of the organisation with a verified contact email. */
async function member(org: Org, locale: 'ja' | 'en' = 'ja') {
  const m = await accountIn(t, org.domain, { locale });
  await addMember(t, org.orgId, m.email);
  const contact = `contact.${Math.random().toString(36).slice(2, 8)}@example.com`;
  await verifiedEmail(t, m.token, contact);
  t.clock.advance(61_000);
  const id = (await t.api('GET', '/api/v1/me', undefined, m.token)).body.id as string;
  return { ...m, id, contact };
}

async function addVerifiedPhone(token: string, number: string) {
  const r = await t.api('POST', '/api/v1/methods/phones', { country: 'JP', number }, token);
  expect(r.status).toBe(202);
  const code = await t.textedCode(`+81${number.slice(1)}`);
  expect((await t.api('POST', `/api/v1/methods/${r.body.methodId}/verify`, { code }, token)).status).toBe(
    200,
  );
}

async function methodsOf(token: string) {
  return (await t.api('GET', '/api/v1/methods', undefined, token)).body.methods as {
    kind: string;
    verifiedAt?: string | null;
  }[];
}

async function audit(orgId: string) {
  return t.app.deps.db.query<{
    action: string;
    outcome: string;
    actor_kind: string;
    actor_id: string | null;
    actor_name: string;
    target_account_id: string | null;
    target: string;
    detail: Record<string, unknown>;
  }>(
    `SELECT action, outcome, actor_kind, actor_id, actor_name, target_account_id, target, detail
     FROM org_audit WHERE org_id = $1 ORDER BY seq`,
    [orgId],
  );
}

async function tokenIdOf(orgId: string, name: string): Promise<string> {
  return (
    await t.app.deps.db.query<{ id: string }>(
      'SELECT id FROM org_api_tokens WHERE org_id = $1 AND name = $2',
      [orgId, name],
    )
  )[0]!.id;
}

async function signInWithPass(email: string, pass: string) {
  const c = formClient(t);
  expect((await c.get('/sign-in/pass')).statusCode).toBe(200);
  const r = await c.post('/sign-in/pass', { email, pass });
  return { r, token: c.jar.get(SESSION_COOKIE) };
}

const url = (orgId: string, accountId: string, action = '') =>
  `/api/v1/orgs/${orgId}/members/${accountId}${action ? `/${action}` : ''}`;

describe('GET /orgs/{orgId}/members/{accountId}', () => {
  it('shows the member with masked methods, role and marks; not to a reader; not a member of elsewhere', async () => {
    const org = await orgWithAdmin(t);
    const m = await member(org);
    const { token } = await createToken(t, org.admin.token, { role: 'auth_admin', name: 'helpdesk' });
    const r = await t.api('GET', url(org.orgId, m.id), undefined, token);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      accountId: m.id,
      email: m.email,
      role: 'member',
      mustReregister: false,
      mustChangePassword: false,
      temporaryAccessPass: null,
    });
    const methods = r.body.methods as { kind: string; masked: string; verified: boolean }[];
    expect(methods).toHaveLength(1);
    expect(methods[0]).toMatchObject({ kind: 'email', verified: true });
    expect(JSON.stringify(r.body)).not.toContain(m.contact);

    const { token: reader } = await createToken(t, org.admin.token, { role: 'reader', name: 'dashboard' });
    const refused = await t.api('GET', url(org.orgId, m.id), undefined, reader);
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('org.forbidden');

    const other = await orgWithAdmin(t);
    const outsider = await member(other);
    for (const id of [outsider.id, 'acc_unknown']) {
      const x = await t.api('GET', url(org.orgId, id), undefined, token);
      expect(x.status, id).toBe(404);
      expect(x.body.error?.code).toBe('org.not_member');
      expect(JSON.stringify(x.body)).not.toContain(outsider.email);
    }
  });
});

describe('member actions with an authentication admin token', () => {
  it('re-registration removes phones and apps, keeps emails, marks the member, emails them, audits the token', async () => {
    const org = await orgWithAdmin(t, { name: '株式会社サンプル' });
    const m = await member(org);
    await addVerifiedPhone(m.token, '09012345678');
    const { token } = await createToken(t, org.admin.token, { role: 'auth_admin', name: 'helpdesk' });
    const r = await t.api('POST', url(org.orgId, m.id, 'reregistration'), undefined, token);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ removedPhones: 1, removedAuthenticators: 0 });
    expect((await methodsOf(m.token)).map((x) => x.kind)).toEqual(['email']);
    expect((await t.api('GET', url(org.orgId, m.id), undefined, token)).body.mustReregister).toBe(true);
    const tokenId = await tokenIdOf(org.orgId, 'helpdesk');
    expect((await audit(org.orgId)).at(-1)).toMatchObject({
      action: 'member.reregister_required',
      outcome: 'done',
      actor_kind: 'token',
      actor_id: tokenId,
      actor_name: 'helpdesk',
      target_account_id: m.id,
      target: m.email,
    });
    await t.drain();
    for (const to of [m.email, m.contact]) {
      const mail = t.sink.to(to).at(-1);
      expect(mail?.subject).toContain('株式会社サンプル');
      expect(mail?.subject).toContain('再登録');
    }
  });

  it('session revocation ends the member’s sessions at once and says how many', async () => {
    const org = await orgWithAdmin(t);
    const m = await member(org);
    const { token } = await createToken(t, org.admin.token, { role: 'auth_admin' });
    expect((await t.api('GET', '/api/v1/me', undefined, m.token)).status).toBe(200);
    const r = await t.api('POST', url(org.orgId, m.id, 'session-revocation'), undefined, token);
    expect(r.status).toBe(200);
    expect(r.body.endedSessions).toBeGreaterThanOrEqual(1);
    expect(r.body.revokedDevices).toBe(0);
    expect((await t.api('GET', '/api/v1/me', undefined, m.token)).status).toBe(401);
    expect((await audit(org.orgId)).at(-1)).toMatchObject({
      action: 'member.sessions_revoked',
      actor_kind: 'token',
    });
    await t.drain();
    expect(t.sink.to(m.email).at(-1)?.subject).toContain('サインアウト');
  });

  it('a temporary password is answered once (no-store), works, must be changed, and is never in the mail or log', async () => {
    const org = await orgWithAdmin(t);
    const m = await member(org, 'en');
    const { token } = await createToken(t, org.admin.token, { role: 'auth_admin' });
    const r = await t.api('POST', url(org.orgId, m.id, 'temporary-password'), undefined, token);
    expect(r.status).toBe(201);
    expect(r.headers['cache-control']).toBe('no-store');
    const temp = r.body.temporaryPassword as string;
    expect(temp).toMatch(/^[A-HJ-NP-Z2-9]{5}(-[A-HJ-NP-Z2-9]{5}){3}$/);
    expect(Object.keys(r.body)).toEqual(['temporaryPassword']);
    expect((await t.api('GET', '/api/v1/me', undefined, m.token)).status).toBe(401);
    expect((await signInFully(t, m.email, GOOD_PASSWORD)).status).toBe(401);
    expect((await signInFully(t, m.email, temp)).status).toBe(200);
    expect((await t.api('GET', url(org.orgId, m.id), undefined, token)).body.mustChangePassword).toBe(true);
    await t.drain();
    const mail = t.sink.to(m.contact).at(-1);
    expect(mail?.subject).toContain('reset your Mamori password');
    expect(mail?.text).not.toContain(temp);
    expect(JSON.stringify(await audit(org.orgId))).not.toContain(temp);
  });

  it('adds a pending email and a pending phone that count only once the member verifies them', async () => {
    const org = await orgWithAdmin(t);
    const m = await member(org);
    const { token } = await createToken(t, org.admin.token, { role: 'auth_admin' });
    const added = `added.${Math.random().toString(36).slice(2, 8)}@example.com`;
    const e = await t.api('POST', url(org.orgId, m.id, 'contacts'), { kind: 'email', email: added }, token);
    expect(e.status).toBe(201);
    expect(e.body).toMatchObject({ kind: 'email' });
    expect(e.body.masked).not.toBe(added);
    const p = await t.api(
      'POST',
      url(org.orgId, m.id, 'contacts'),
      { kind: 'phone', country: 'JP', number: '090-1111-2222' },
      token,
    );
    expect(p.status).toBe(201);
    expect(p.body).toMatchObject({ kind: 'phone' });
    expect(p.body.masked).not.toContain('11112222');
    const methods = await methodsOf(m.token);
    expect(
      methods
        .filter((x) => !x.verifiedAt)
        .map((x) => x.kind)
        .sort(),
    ).toEqual(['email', 'phone']);
    const detail = (await t.api('GET', url(org.orgId, m.id), undefined, token)).body.methods as {
      verified: boolean;
    }[];
    expect(detail.filter((x) => !x.verified)).toHaveLength(2);
    expect((await audit(org.orgId)).at(-1)).toMatchObject({
      action: 'member.contact_added',
      actor_kind: 'token',
    });
    await t.drain();
    expect(t.sink.to(m.contact).at(-1)?.subject).toContain('セキュリティ情報');

    // Wrong input: each refused with its code, nothing added.
    const cases: [unknown, number, string][] = [
      [{ kind: 'phone', country: 'JP', number: '03-1234-5678' }, 400, 'phone.not_mobile'],
      [{ kind: 'phone', country: 'JP', number: 'abc' }, 400, 'phone.invalid'],
      [{ kind: 'email', email: 'not-an-address' }, 400, 'contact.email_invalid'],
      [{ kind: 'email', email: m.email }, 400, 'contact.email_same_as_primary'],
      [{ kind: 'fax', number: '1' }, 400, 'request.invalid'],
      [{ kind: 'email', email: added, accountId: 'acc_x' }, 400, 'request.invalid'],
      [{ email: added }, 400, 'request.invalid'],
    ];
    for (const [body, status, code] of cases) {
      const x = await t.api('POST', url(org.orgId, m.id, 'contacts'), body, token);
      expect(x.status, JSON.stringify(body)).toBe(status);
      expect(x.body.error?.code, JSON.stringify(body)).toBe(code);
    }
    expect(await methodsOf(m.token)).toHaveLength(3);
  });

  it('the policy governs what an admin adds: a disallowed kind, an SMS country outside it', async () => {
    const org = await orgWithAdmin(t);
    const m = await member(org);
    const { token: boss } = await createToken(t, org.admin.token, { role: 'org_admin', name: 'boss' });
    const { token } = await createToken(t, org.admin.token, { role: 'auth_admin' });
    const pol = (await t.api('GET', `/api/v1/orgs/${org.orgId}/policy`, undefined, boss)).body as {
      version: number;
      policy: Record<string, unknown> & { allowed: Record<string, boolean> };
    };
    const saved = await t.api(
      'PUT',
      `/api/v1/orgs/${org.orgId}/policy`,
      {
        baseVersion: pol.version,
        policy: { ...pol.policy, allowed: { ...pol.policy.allowed, email: false }, smsCountries: ['JP'] },
      },
      boss,
    );
    expect(saved.status).toBe(200);
    const e = await t.api(
      'POST',
      url(org.orgId, m.id, 'contacts'),
      { kind: 'email', email: 'another@example.com' },
      token,
    );
    expect(e.status).toBe(403);
    expect(e.body.error?.code).toBe('policy.method_not_allowed');
    const p = await t.api(
      'POST',
      url(org.orgId, m.id, 'contacts'),
      { kind: 'phone', number: '+1 415 555 2671' },
      token,
    );
    expect(p.status).toBe(403);
    expect(p.body.error?.code).toBe('policy.country_not_allowed');
    expect(await methodsOf(m.token)).toHaveLength(1);
  });
});

describe('temporary access passes', () => {
  it('a one-time pass is shown once, signs the member in once, shows in the detail without its value, and is replaced by a new one', async () => {
    const org = await orgWithAdmin(t);
    const m = await member(org);
    const { token } = await createToken(t, org.admin.token, { role: 'auth_admin', name: 'helpdesk' });
    const r = await t.api(
      'POST',
      url(org.orgId, m.id, 'temporary-access-pass'),
      { length: 12, lifetimeMinutes: 120, oneTime: true },
      token,
    );
    expect(r.status).toBe(201);
    const pass = r.body.pass as string;
    expect(pass).toMatch(/^[A-HJ-NP-Z2-9]{12}$/);
    expect(r.body.oneTime).toBe(true);
    expect(r.body.expiresAt).toBe(new Date(t.clock.now().getTime() + 120 * 60_000).toISOString());
    const detail = (await t.api('GET', url(org.orgId, m.id), undefined, token)).body;
    expect(detail.temporaryAccessPass).toMatchObject({
      oneTime: true,
      expiresAt: r.body.expiresAt,
      usedAt: null,
    });
    expect(JSON.stringify(detail)).not.toContain(pass);
    const row = (
      await t.app.deps.db.query<{ created_by: string }>(
        'SELECT created_by FROM temporary_access_passes WHERE account_id = $1',
        [m.id],
      )
    )[0];
    expect(row?.created_by).toBe(await tokenIdOf(org.orgId, 'helpdesk'));
    expect(JSON.stringify(await audit(org.orgId))).not.toContain(pass);
    expect((await audit(org.orgId)).at(-1)).toMatchObject({
      action: 'tap.created',
      actor_kind: 'token',
      detail: { length: '12', minutes: '120', oneTime: 'true' },
    });

    const first = await signInWithPass(m.email, pass);
    expect(first.r.statusCode).toBe(303);
    expect(first.token).toBeTruthy();
    expect((await signInWithPass(m.email, pass)).r.statusCode).toBe(401);

    // Defaults: 8 characters, 1 hour, multi-use; it replaces the old one.
    const d = await t.api('POST', url(org.orgId, m.id, 'temporary-access-pass'), {}, token);
    expect(d.status).toBe(201);
    expect(d.body.pass).toHaveLength(8);
    expect(d.body.oneTime).toBe(false);
    expect(d.body.expiresAt).toBe(new Date(t.clock.now().getTime() + 60 * 60_000).toISOString());
    expect((await signInWithPass(m.email, d.body.pass as string)).r.statusCode).toBe(303);
    expect((await signInWithPass(m.email, d.body.pass as string)).r.statusCode).toBe(303);
    await t.drain();
    expect(t.sink.to(m.email).at(-1)?.text).not.toContain(d.body.pass as string);
  });

  it('refuses lengths and lifetimes out of range and wrong types; creates nothing', async () => {
    const org = await orgWithAdmin(t);
    const m = await member(org);
    const { token } = await createToken(t, org.admin.token, { role: 'auth_admin' });
    const cases: [unknown, string][] = [
      [{ length: 7 }, 'org.tap_invalid'],
      [{ length: 49 }, 'org.tap_invalid'],
      [{ lifetimeMinutes: 9 }, 'org.tap_invalid'],
      [{ lifetimeMinutes: 43_201 }, 'org.tap_invalid'],
      [{ length: '12' }, 'request.invalid'],
      [{ length: 8.5 }, 'request.invalid'],
      [{ oneTime: 'yes' }, 'request.invalid'],
      [{ pass: 'ABCDEFGH' }, 'request.invalid'],
    ];
    for (const [body, code] of cases) {
      const r = await t.api('POST', url(org.orgId, m.id, 'temporary-access-pass'), body, token);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error?.code, JSON.stringify(body)).toBe(code);
    }
    const max = await t.api(
      'POST',
      url(org.orgId, m.id, 'temporary-access-pass'),
      { length: 48, lifetimeMinutes: 43_200 },
      token,
    );
    expect(max.status).toBe(201);
    expect(max.body.pass).toHaveLength(48);
    expect((await audit(org.orgId)).filter((e) => e.action === 'tap.created')).toHaveLength(1);
  });

  it('DELETE revokes the pass at once (204), then answers 404 org.tap_not_found', async () => {
    const org = await orgWithAdmin(t);
    const m = await member(org);
    const { token } = await createToken(t, org.admin.token, { role: 'auth_admin' });
    const none = await t.api('DELETE', url(org.orgId, m.id, 'temporary-access-pass'), undefined, token);
    expect(none.status).toBe(404);
    expect(none.body.error?.code).toBe('org.tap_not_found');
    const r = await t.api('POST', url(org.orgId, m.id, 'temporary-access-pass'), {}, token);
    const gone = await t.api('DELETE', url(org.orgId, m.id, 'temporary-access-pass'), undefined, token);
    expect(gone.status).toBe(204);
    expect((await signInWithPass(m.email, r.body.pass as string)).r.statusCode).toBe(401);
    expect((await t.api('GET', url(org.orgId, m.id), undefined, token)).body.temporaryAccessPass).toBeNull();
    expect((await audit(org.orgId)).filter((e) => e.action === 'tap.revoked').at(-1)).toMatchObject({
      actor_kind: 'token',
      detail: { had: 'true' },
    });
    const again = await t.api('DELETE', url(org.orgId, m.id, 'temporary-access-pass'), undefined, token);
    expect(again.status).toBe(404);
  });
});

describe('refusals', () => {
  const ACTIONS: [string, string, unknown][] = [
    ['POST', 'reregistration', undefined],
    ['POST', 'session-revocation', undefined],
    ['POST', 'temporary-password', undefined],
    ['POST', 'contacts', { kind: 'email', email: 'x.added@example.com' }],
    ['POST', 'temporary-access-pass', {}],
    ['DELETE', 'temporary-access-pass', undefined],
  ];

  it('an authentication admin token cannot act on an organisation admin or another authentication admin (refused, audited, nothing changed)', async () => {
    const org = await orgWithAdmin(t);
    const peer = await member(org);
    await addMember(t, org.orgId, peer.email, 'auth_admin');
    const { token } = await createToken(t, org.admin.token, { role: 'auth_admin', name: 'helpdesk' });
    const before = (await audit(org.orgId)).length;
    for (const target of [org.admin.accountId, peer.id])
      for (const [method, action, body] of ACTIONS) {
        const r = await t.api(method, url(org.orgId, target, action), body, token);
        expect(r.status, `${action} on ${target}`).toBe(403);
        expect(r.body.error?.code).toBe('org.target_forbidden');
      }
    const refused = (await audit(org.orgId)).slice(before);
    expect(refused).toHaveLength(12);
    for (const e of refused)
      expect(e).toMatchObject({
        action: 'action.refused',
        outcome: 'refused',
        actor_kind: 'token',
        actor_name: 'helpdesk',
      });
    expect(refused.map((e) => e.detail.attempted)).toContain('tap.created');
    // Nothing happened to them: sessions alive, no pass, no mark, the password unchanged.
    expect((await t.api('GET', '/api/v1/me', undefined, org.admin.token)).status).toBe(200);
    expect((await t.api('GET', '/api/v1/me', undefined, peer.token)).status).toBe(200);
    const taps = await t.app.deps.db.query(
      'SELECT account_id FROM temporary_access_passes WHERE org_id = $1',
      [org.orgId],
    );
    expect(taps).toHaveLength(0);
    expect((await signInFully(t, peer.email, GOOD_PASSWORD)).status).toBe(200);
  });

  it('an organisation admin token acts on an organisation admin (the token follows no account)', async () => {
    const org = await orgWithAdmin(t);
    const other = await member(org);
    await addMember(t, org.orgId, other.email, 'org_admin');
    const { token } = await createToken(t, org.admin.token, { role: 'org_admin' });
    const r = await t.api('POST', url(org.orgId, other.id, 'temporary-access-pass'), {}, token);
    expect(r.status).toBe(201);
    const s = await t.api(
      'POST',
      url(org.orgId, org.admin.accountId, 'session-revocation'),
      undefined,
      token,
    );
    expect(s.status).toBe(200);
    expect((await t.api('GET', '/api/v1/me', undefined, org.admin.token)).status).toBe(401);
  });

  it('outside the organisation: a member of another one, an account of none, an unknown id (403, audited); another organisation’s URL is 404 like an unknown one', async () => {
    const a = await orgWithAdmin(t);
    const b = await orgWithAdmin(t);
    const mb = await member(b);
    const { token } = await createToken(t, a.admin.token, { role: 'org_admin', name: 'a-bot' });
    const before = (await audit(a.orgId)).length;
    for (const target of [mb.id, 'acc_unknown'])
      for (const [method, action, body] of ACTIONS) {
        const r = await t.api(method, url(a.orgId, target, action), body, token);
        expect(r.status, `${action} on ${target}`).toBe(403);
        expect(r.body.error?.code).toBe('org.target_forbidden');
      }
    for (const [method, action, body] of ACTIONS) {
      const onB = await t.api(method, url(b.orgId, mb.id, action), body, token);
      const unknown = await t.api(method, url('org_doesnotexist', mb.id, action), body, token);
      expect(onB.status, action).toBe(404);
      expect(onB.body).toEqual(unknown.body);
      expect(onB.body.error?.code).toBe('org.not_found');
    }
    const onB = await t.api('GET', url(b.orgId, mb.id), undefined, token);
    expect(onB.status).toBe(404);
    expect(onB.body.error?.code).toBe('org.not_found');
    const refused = (await audit(a.orgId)).slice(before);
    expect(refused.every((e) => e.action === 'action.refused' && e.actor_name === 'a-bot')).toBe(true);
    expect(refused.length).toBe(12 + 2 * ACTIONS.length + 1);
    // Nothing happened to B's member, and B's log has no entry of A's token.
    expect((await t.api('GET', '/api/v1/me', undefined, mb.token)).status).toBe(200);
    expect((await audit(b.orgId)).some((e) => e.actor_kind === 'token')).toBe(false);
  });

  it('a reader token can do none of it (403 org.forbidden, audited)', async () => {
    const org = await orgWithAdmin(t);
    const m = await member(org);
    const { token } = await createToken(t, org.admin.token, { role: 'reader', name: 'dashboard' });
    for (const [method, action, body] of ACTIONS) {
      const r = await t.api(method, url(org.orgId, m.id, action), body, token);
      expect(r.status, action).toBe(403);
      expect(r.body.error?.code).toBe('org.forbidden');
    }
    const refused = (await audit(org.orgId)).filter((e) => e.action === 'action.refused');
    expect(refused).toHaveLength(ACTIONS.length);
    expect((await t.api('GET', '/api/v1/me', undefined, m.token)).status).toBe(200);
  });
});

describe('invitations', () => {
  it('an organisation admin token invites (mail in the chosen language), lists, replaces, withdraws', async () => {
    const org = await orgWithAdmin(t, { name: '株式会社サンプル' });
    const { token } = await createToken(t, org.admin.token, { role: 'org_admin', name: 'hr-sync' });
    const base = `/api/v1/orgs/${org.orgId}/invitations`;
    const email = `new.${Math.random().toString(36).slice(2, 8)}@example.net`;
    // The body's language wins over the request's.
    const r = await t.api('POST', base, { email, role: 'reader', locale: 'ja' }, token, {
      'accept-language': 'en',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ email, role: 'reader' });
    expect(r.body.expiresAt).toBe(new Date(t.clock.now().getTime() + 7 * 86_400_000).toISOString());
    await t.drain();
    const mail = t.sink.to(email).at(-1);
    expect(mail?.subject).toContain('株式会社サンプル');
    expect(mail?.text).toMatch(/\/organisation\/join\?token=[\w-]+/);
    expect(mail?.subject).toBe('株式会社サンプルから Mamori への招待が届きました');
    expect(JSON.stringify(r.body)).not.toMatch(/token/);
    expect((await audit(org.orgId)).at(-1)).toMatchObject({
      action: 'invitation.sent',
      actor_kind: 'token',
      actor_name: 'hr-sync',
      target: email,
    });

    // Without one, the request's language (Accept-Language).
    const again = await t.api('POST', base, { email, role: 'member' }, token, { 'accept-language': 'en' });
    expect(again.status).toBe(201);
    await t.drain();
    expect(t.sink.to(email).at(-1)?.subject).toBe('株式会社サンプル invites you to Mamori');
    const list = await t.api('GET', base, undefined, token);
    expect(list.status).toBe(200);
    expect(list.body.invitations).toEqual([again.body]);

    const gone = await t.api('DELETE', `${base}/${again.body.id}`, undefined, token);
    expect(gone.status).toBe(204);
    expect((await t.api('GET', base, undefined, token)).body.invitations).toEqual([]);
    const twice = await t.api('DELETE', `${base}/${again.body.id}`, undefined, token);
    expect(twice.status).toBe(400);
    expect(twice.body.error?.code).toBe('org.invitation_invalid');
    expect((await audit(org.orgId)).at(-1)).toMatchObject({
      action: 'invitation.revoked',
      actor_kind: 'token',
    });

    for (const [body, code] of [
      [{ email: 'nope', role: 'member' }, 'contact.email_invalid'],
      [{ email, role: 'owner' }, 'request.invalid'],
      [{ email, role: 'member', orgId: 'org_x' }, 'request.invalid'],
      [{ email, role: 'member', locale: 'fr' }, 'request.invalid'],
    ] as const) {
      const x = await t.api('POST', base, body, token);
      expect(x.status, JSON.stringify(body)).toBe(400);
      expect(x.body.error?.code).toBe(code);
    }
  });

  it('only organisation admin tokens; another organisation’s invitation cannot be withdrawn', async () => {
    const a = await orgWithAdmin(t);
    const b = await orgWithAdmin(t);
    const { token: helpdesk } = await createToken(t, a.admin.token, { role: 'auth_admin' });
    const { token: aBoss } = await createToken(t, a.admin.token, { role: 'org_admin' });
    const { token: bBoss } = await createToken(t, b.admin.token, { role: 'org_admin' });
    const base = `/api/v1/orgs/${a.orgId}/invitations`;
    expect((await t.api('GET', base, undefined, helpdesk)).status).toBe(403);
    const post = await t.api('POST', base, { email: 'x@example.net', role: 'member' }, helpdesk);
    expect(post.status).toBe(403);
    expect(post.body.error?.code).toBe('org.forbidden');
    const bInv = await t.api(
      'POST',
      `/api/v1/orgs/${b.orgId}/invitations`,
      { email: 'y@example.net', role: 'member' },
      bBoss,
    );
    expect(bInv.status).toBe(201);
    expect((await t.api('DELETE', `${base}/${bInv.body.id}`, undefined, helpdesk)).status).toBe(403);
    const cross = await t.api('DELETE', `${base}/${bInv.body.id}`, undefined, aBoss);
    expect(cross.status).toBe(400);
    expect(cross.body.error?.code).toBe('org.invitation_invalid');
    const onB = await t.api(
      'DELETE',
      `/api/v1/orgs/${b.orgId}/invitations/${bInv.body.id}`,
      undefined,
      aBoss,
    );
    expect(onB.status).toBe(404);
    expect(onB.body.error?.code).toBe('org.not_found');
    expect(
      (await t.api('GET', `/api/v1/orgs/${b.orgId}/invitations`, undefined, bBoss)).body.invitations,
    ).toHaveLength(1);
    expect((await audit(a.orgId)).filter((e) => e.action === 'action.refused')).toHaveLength(4);
  });
});
