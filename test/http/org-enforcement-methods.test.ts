import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedUpAccount, type TestApp } from '../support/harness.ts';
import { memberIn, setPolicy, verifiedContact, verifiedPhone, webSignIn } from '../support/org-enforce.ts';
import { orgWithAdmin } from '../support/orgs.ts';

const NONE = { passkey: false, totp: false, phone: false, email: false };

describe('the policy governs adding and removing methods (every path)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('refuses a contact email when email is not allowed (API), naming the kind in the account language', async () => {
    const { orgId, domain } = await orgWithAdmin(t);
    await setPolicy(t, orgId, { allowed: { ...NONE, phone: true }, required: [], minMethods: 1 });
    const m = await memberIn(t, orgId, domain);
    const r = await t.api('POST', '/api/v1/methods/emails', { email: 'x.y@example.com' }, m.token);
    expect(r.status).toBe(403);
    expect(r.body.error?.code).toBe('policy.method_not_allowed');
    expect(r.body.error?.message).toContain('（メール）');
    // Nothing was stored and no code went out.
    const list = await t.api('GET', '/api/v1/methods', undefined, m.token);
    expect(list.body.methods).toEqual([]);
  });

  it('refuses a phone outside the SMS countries, and any phone when phones are not allowed (API)', async () => {
    const { orgId, domain } = await orgWithAdmin(t);
    await setPolicy(t, orgId, { smsCountries: ['JP'], required: [] });
    const m = await memberIn(t, orgId, domain);
    const us = await t.api(
      'POST',
      '/api/v1/methods/phones',
      { country: 'US', number: '415-555-2671' },
      m.token,
    );
    expect(us.status).toBe(403);
    expect(us.body.error?.code).toBe('policy.country_not_allowed');
    expect(us.body.error?.message).toContain('JP');
    const jp = await t.api(
      'POST',
      '/api/v1/methods/phones',
      { country: 'JP', number: '090-1111-2222' },
      m.token,
    );
    expect(jp.status).toBe(202);
    await setPolicy(t, orgId, { allowed: { ...NONE, email: true }, required: [], minMethods: 1 });
    const none = await t.api(
      'POST',
      '/api/v1/methods/phones',
      { country: 'JP', number: '090-1111-3333' },
      m.token,
    );
    expect(none.body.error?.code).toBe('policy.method_not_allowed');
  });

  it('refuses an authenticator app and a passkey when they are not allowed (API)', async () => {
    const { orgId, domain } = await orgWithAdmin(t, { locale: 'en' });
    await setPolicy(t, orgId, { allowed: { ...NONE, email: true }, required: [], minMethods: 1 });
    const m = await memberIn(t, orgId, domain, { locale: 'en' });
    const totp = await t.api('POST', '/api/v1/methods/totp', {}, m.token);
    expect(totp.status).toBe(403);
    expect(totp.body.error).toMatchObject({
      code: 'policy.method_not_allowed',
      message: 'Your organisation does not allow this kind of method (Authenticator app).',
    });
    const pk = await t.api('POST', '/api/v1/methods/passkeys/options', {}, m.token);
    expect(pk.status).toBe(403);
    expect(pk.body.error?.code).toBe('policy.method_not_allowed');
  });

  it('a policy tightened between sending a code and entering it applies at once (verify refused)', async () => {
    const { orgId, domain } = await orgWithAdmin(t);
    await setPolicy(t, orgId, { required: [], minMethods: 1, enforceRegistration: false });
    const m = await memberIn(t, orgId, domain);
    const email = `late.${Date.now()}@example.com`;
    const r = await t.api('POST', '/api/v1/methods/emails', { email }, m.token);
    expect(r.status).toBe(202);
    const code = await t.mailedCode(email);
    await setPolicy(t, orgId, {
      allowed: { passkey: true, totp: true, phone: true, email: false },
      required: [],
      minMethods: 1,
      enforceRegistration: false,
    });
    const v = await t.api('POST', `/api/v1/methods/${r.body.methodId}/verify`, { code }, m.token);
    expect(v.status).toBe(403);
    expect(v.body.error?.code).toBe('policy.method_not_allowed');
    const list = await t.api('GET', '/api/v1/methods', undefined, m.token);
    expect((list.body.methods as { verified: boolean }[]).every((x) => !x.verified)).toBe(true);
  });

  it('refuses to remove the required phone or go under the minimum; an extra method may go (API)', async () => {
    const { orgId, domain } = await orgWithAdmin(t);
    await setPolicy(t, orgId, { minMethods: 2, required: ['phone'], enforceRegistration: false });
    const m = await memberIn(t, orgId, domain);
    const phone = await verifiedPhone(t, m.token, '090-5555-6666');
    const e1 = await verifiedContact(t, m.token, `keep1.${Date.now()}@example.com`);
    const e2 = await verifiedContact(t, m.token, `keep2.${Date.now()}@example.com`);
    const rp = await t.api('DELETE', `/api/v1/methods/${phone}`, undefined, m.token);
    expect(rp.status).toBe(409);
    expect(rp.body.error?.code).toBe('policy.method_required');
    expect((await t.api('DELETE', `/api/v1/methods/${e2}`, undefined, m.token)).status).toBe(204);
    const under = await t.api('DELETE', `/api/v1/methods/${e1}`, undefined, m.token);
    expect(under.status).toBe(409);
    expect(under.body.error?.code).toBe('policy.method_required');
  });

  it('applies a removal rule saved while the member is signed in, at once', async () => {
    const { orgId, domain } = await orgWithAdmin(t);
    await setPolicy(t, orgId, { minMethods: 1, required: [], enforceRegistration: false });
    const m = await memberIn(t, orgId, domain);
    const phone = await verifiedPhone(t, m.token, '090-7777-8888');
    await verifiedContact(t, m.token, `keep3.${Date.now()}@example.com`);
    await setPolicy(t, orgId, { minMethods: 1, required: ['phone'], enforceRegistration: false });
    const r = await t.api('DELETE', `/api/v1/methods/${phone}`, undefined, m.token);
    expect(r.body.error?.code).toBe('policy.method_required');
  });

  it('changes nothing outside an organisation', async () => {
    const a = await signedUpAccount(t);
    expect(
      (await t.api('POST', '/api/v1/methods/phones', { country: 'US', number: '415-555-2671' }, a.token))
        .status,
    ).toBe(202);
  });

  it('the replacement of all security info follows the policy too (API)', async () => {
    const { orgId, domain } = await orgWithAdmin(t);
    await setPolicy(t, orgId, { smsCountries: ['JP'], required: [], minMethods: 1 });
    const m = await memberIn(t, orgId, domain);
    const r = await t.api(
      'POST',
      '/api/v1/replacement/phones',
      { country: 'US', number: '415-555-2671' },
      m.token,
    );
    expect(r.status).toBe(403);
    expect(r.body.error?.code).toBe('policy.country_not_allowed');
  });

  it('web forms: the add page refuses a disallowed kind with the reason, the remove page explains', async () => {
    const { orgId, domain } = await orgWithAdmin(t);
    await setPolicy(t, orgId, {
      allowed: { passkey: true, totp: true, phone: true, email: false },
      minMethods: 1,
      required: ['phone'],
      enforceRegistration: false,
    });
    const m = await memberIn(t, orgId, domain);
    const phone = await verifiedPhone(t, m.token, '090-9999-0000');
    await setPolicy(t, orgId, {
      allowed: { passkey: true, totp: true, phone: true, email: true },
      minMethods: 1,
      required: ['phone'],
      enforceRegistration: false,
    });
    await verifiedContact(t, m.token, `other.${Date.now()}@example.com`);
    await setPolicy(t, orgId, {
      allowed: { passkey: true, totp: true, phone: true, email: false },
      minMethods: 1,
      required: ['phone'],
      enforceRegistration: false,
    });
    const { c } = await webSignIn(t, m.email, m.password);
    // The add pages say up front what the organisation allows.
    const phonePage = (await c.get('/security/phones/add')).body;
    expect(phonePage).not.toContain('data-testid="org-not-allowed"');
    expect(phonePage).toContain('SMS を送れるのは次の国の番号だけです：日本');
    expect((await c.get('/security/emails/add')).body).toContain('data-testid="org-not-allowed"');
    const add = await c.post('/security/emails/add', { email: 'not.allowed@example.com' });
    expect(add.statusCode).toBe(403);
    expect(add.body).toContain('この種類の方法（メール）は、組織のポリシーで許可されていません。');
    expect((await c.get(`/security/methods/${phone}/remove`)).body).toContain(
      'data-testid="org-remove-refused"',
    );
    const rm = await c.post(`/security/methods/${phone}/remove`, {});
    expect(rm.statusCode).toBe(409);
    expect(rm.body).toContain('この方法は組織のポリシーで必要です。');
    // The security page says up front what the organisation requires and does not offer email.
    const overview = await c.get('/security');
    expect(overview.body).toContain('data-testid="org-requirements"');
    expect(overview.body).not.toContain('href="/security/emails/add"');
    expect(overview.body).toContain('data-testid="org-required"');
  });
});
