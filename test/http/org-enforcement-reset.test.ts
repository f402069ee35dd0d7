import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedUpAccount, type TestApp } from '../support/harness.ts';
import { memberIn, setPolicy, verifiedContact } from '../support/org-enforce.ts';
import { addMember, orgWithAdmin } from '../support/orgs.ts';
import { formClient } from '../web/browser-less-client.ts';

interface Masked {
  id: string;
  kind: string;
}

/** Password reset under the organisation's resetMethods (2 for the policy's members, always 2 for admins). */
describe('password reset needs the organisation policy proofs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const start = async (email: string) =>
    (await t.api('POST', '/api/v1/password-reset', { email })).body.flowToken as string;
  const state = async (flowToken: string) =>
    (await t.api('POST', '/api/v1/password-reset/state', { flowToken })).body as {
      step: string;
      secondProof: boolean;
      methods: Masked[];
    };
  /** Proves `address` (the sign-in address or a contact) by the code mailed to it. */
  const prove = async (flowToken: string, methodId: string, address: string) => {
    t.clock.advance(61_000);
    expect(
      (await t.api('POST', '/api/v1/password-reset/choose', { flowToken, methodId, confirm: address }))
        .status,
    ).toBe(200);
    const code = await t.mailedCode(address);
    expect((await t.api('POST', '/api/v1/password-reset/verify', { flowToken, code })).status).toBe(204);
  };

  it('resetMethods 2: a member proves two methods; outside an organisation one is enough', async () => {
    const { orgId, domain } = await orgWithAdmin(t);
    await setPolicy(t, orgId, { resetMethods: 2, enforceRegistration: false });
    const m = await memberIn(t, orgId, domain);
    const contact = `r2.${Date.now()}@example.com`;
    const cid = await verifiedContact(t, m.token, contact);
    const flow = await start(m.email);
    await prove(flow, cid, contact);
    const s = await state(flow);
    expect(s).toMatchObject({ step: 'choose', secondProof: true });
    const signin = s.methods.find((x) => x.kind === 'signin')!;
    await prove(flow, signin.id, m.email);
    expect((await state(flow)).step).toBe('new_password');

    const out = await signedUpAccount(t);
    const oc = `r1.${Date.now()}@example.com`;
    const oid = await verifiedContact(t, out.token, oc);
    const f2 = await start(out.email);
    await prove(f2, oid, oc);
    expect((await state(f2)).step).toBe('new_password');
  });

  it('an admin role always needs two proofs, even under resetMethods 1', async () => {
    const { orgId, domain } = await orgWithAdmin(t);
    await setPolicy(t, orgId, { resetMethods: 1, enforceRegistration: false });
    const reader = await memberIn(t, orgId, domain);
    await addMember(t, orgId, reader.email, 'reader');
    const contact = `rd.${Date.now()}@example.com`;
    const cid = await verifiedContact(t, reader.token, contact);
    const member = await memberIn(t, orgId, domain);
    const mc = `mm.${Date.now()}@example.com`;
    const mid = await verifiedContact(t, member.token, mc);

    const f1 = await start(reader.email);
    await prove(f1, cid, contact);
    expect(await state(f1)).toMatchObject({ step: 'choose', secondProof: true });
    const f2 = await start(member.email);
    await prove(f2, mid, mc);
    expect((await state(f2)).step).toBe('new_password');
  });

  it('a member who cannot give a second proof is told whom to contact, only after the first proof', async () => {
    const { orgId, domain } = await orgWithAdmin(t);
    await setPolicy(t, orgId, { resetMethods: 2, enforceRegistration: false });
    const m = await memberIn(t, orgId, domain);
    const c = formClient(t);
    await c.get('/forgot');
    await c.post('/forgot', { email: m.email });
    const choose = await c.get('/forgot');
    // Before any proof, the page is the same as for anyone: nothing about the organisation.
    expect(choose.body).not.toContain(`it@${domain}`);
    const flow = decodeURIComponent(c.jar.get('mamori_reset') ?? '');
    const s = await state(flow);
    await prove(flow, s.methods[0]!.id, m.email);
    const after = await c.get('/forgot');
    expect(after.body).toContain('data-testid="reset-contact"');
    expect(after.body).toContain(`it@${domain} に連絡してください。`);
  });

  it('two proofs: a recovery code counts as one of them, never both (admins and resetMethods 2)', async () => {
    const { orgId, domain } = await orgWithAdmin(t);
    await setPolicy(t, orgId, { resetMethods: 2, enforceRegistration: false });
    const m = await memberIn(t, orgId, domain);
    const made = await t.api('POST', '/api/v1/recovery-code', {}, m.token);
    expect(made.status).toBe(200);
    const flow = await start(m.email);
    const used = await t.api('POST', '/api/v1/password-reset/recovery-code', {
      flowToken: flow,
      recoveryCode: made.body.recoveryCode,
    });
    expect(used.status).toBe(200);
    expect(used.body.next).toBe('second_proof');
    const s = (await t.api('POST', '/api/v1/password-reset/state', { flowToken: flow })).body;
    expect(s).toMatchObject({ step: 'choose', secondProof: true, secondProofBy: 'organisation' });
    // The new password is refused until the second proof.
    const early = await t.api('POST', '/api/v1/password-reset/complete', {
      flowToken: flow,
      password: 'a brand new passphrase 77',
    });
    expect(early.status).toBe(400);
    const signin = (s.methods as Masked[]).find((x) => x.kind === 'signin')!;
    await prove(flow, signin.id, m.email);
    expect((await state(flow)).step).toBe('new_password');

    // Outside the policy's two proofs, the recovery code alone still resets.
    const out = await signedUpAccount(t);
    const code = (await t.api('POST', '/api/v1/recovery-code', {}, out.token)).body.recoveryCode as string;
    const f2 = await start(out.email);
    const alone = await t.api('POST', '/api/v1/password-reset/recovery-code', {
      flowToken: f2,
      recoveryCode: code,
    });
    expect(alone.body.next).toBe('new_password');
    expect((await state(f2)).step).toBe('new_password');
  });
});
