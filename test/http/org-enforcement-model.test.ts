import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MethodsPolicy, parsePolicy, REQUIRED_KINDS } from '../../src/organisations/policy.ts';
import { createTestApp, signInFully, type TestApp } from '../support/harness.ts';
import { memberIn, setPolicy } from '../support/org-enforce.ts';
import { orgWithAdmin } from '../support/orgs.ts';
import { formClient } from '../web/browser-less-client.ts';
import { createToken } from './org-api-support.ts';

/**
 * Model test over HTTP (fast-check, few runs: each is a real organisation and member): whatever valid policies
 * an admin saves and whatever the member adds or removes through the API (the rules accept or refuse), the
 * member can always sign in, and /security/required always offers a way on: compliant, a step to add, a
 * snooze, or whom to contact with a way to continue.
 */
const policyArb: fc.Arbitrary<MethodsPolicy> = fc
  .record({
    allowed: fc.record({
      passkey: fc.boolean(),
      totp: fc.boolean(),
      phone: fc.boolean(),
      email: fc.boolean(),
    }),
    smsCountries: fc.constantFrom([], ['JP'], ['US']),
    minMethods: fc.integer({ min: 1, max: 5 }),
    required: fc.subarray([...REQUIRED_KINDS]),
    resetMethods: fc.constantFrom(1, 2),
    reconfirmDays: fc.constant(0),
    enforceRegistration: fc.constant(true),
    snoozeDays: fc.integer({ min: 0, max: 2 }),
    maxSnoozes: fc.integer({ min: 0, max: 2 }),
  })
  .map((i) => parsePolicy(i))
  .filter((r): r is { ok: true; policy: MethodsPolicy } => r.ok)
  .map((r) => r.policy);

type Action =
  | { type: 'policy'; policy: MethodsPolicy }
  | { type: 'email' }
  | { type: 'phone' }
  | { type: 'remove'; i: number }
  // What an admin may do to the member meanwhile (issue 9 §4).
  | { type: 'reregister' }
  | { type: 'revoke' }
  | { type: 'temporary_password' };
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  policyArb.map((policy) => ({ type: 'policy' as const, policy })),
  fc.constant({ type: 'email' as const }),
  fc.constant({ type: 'phone' as const }),
  fc.nat(5).map((i) => ({ type: 'remove' as const, i })),
  fc.constant({ type: 'reregister' as const }),
  fc.constant({ type: 'revoke' as const }),
  fc.constant({ type: 'temporary_password' as const }),
);

describe('model: no sequence of policy changes, member actions and admin actions leaves a member with no way in (HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  let n = 0;
  it('holds for random sequences', async () => {
    await fc.assert(
      fc.asyncProperty(
        policyArb,
        fc.array(actionArb, { minLength: 1, maxLength: 5 }),
        async (first, actions) => {
          const { orgId, domain, admin } = await orgWithAdmin(t);
          await setPolicy(t, orgId, first);
          const m = await memberIn(t, orgId, domain);
          const { token: adminToken } = await createToken(t, admin.token, { role: 'auth_admin' });
          const act = (what: string) =>
            t.api('POST', `/api/v1/orgs/${orgId}/members/${m.id}/${what}`, {}, adminToken);
          /** The member signs in again with what they know now (their sessions may have ended). */
          const signInAgain = async () => {
            t.clock.advance(61_000);
            const s = await signInFully(t, m.email, m.password);
            expect(s.status).toBe(200);
            m.token = s.body.sessionToken as string;
            if (s.body.organisationRequires === 'new_password') {
              // The temporary password from the admin: the member chooses their own, then goes on.
              m.password = `own passphrase ${++n} of the member`;
              const r = await t.api('POST', '/api/v1/password/temporary', { password: m.password }, m.token);
              expect(r.status).toBe(204);
            }
          };
          for (const a of actions) {
            if (a.type === 'policy') await setPolicy(t, orgId, a.policy);
            else if (a.type === 'reregister') expect((await act('reregistration')).status).toBe(200);
            else if (a.type === 'revoke') {
              expect((await act('session-revocation')).status).toBe(200);
              await signInAgain();
            } else if (a.type === 'temporary_password') {
              const r = await act('temporary-password');
              expect(r.status).toBe(201);
              m.password = r.body.temporaryPassword as string;
              await signInAgain();
            } else if (a.type === 'email') {
              const email = `model${++n}.${Date.now()}@example.com`;
              const r = await t.api('POST', '/api/v1/methods/emails', { email }, m.token);
              expect([202, 403, 409]).toContain(r.status);
              if (r.status === 202) {
                const code = await t.mailedCode(email);
                const v = await t.api('POST', `/api/v1/methods/${r.body.methodId}/verify`, { code }, m.token);
                expect(v.status).toBe(200);
              }
            } else if (a.type === 'phone') {
              const digits = String(10_000_000 + ++n).slice(-8);
              const number = `090${digits}`;
              const r = await t.api('POST', '/api/v1/methods/phones', { country: 'JP', number }, m.token);
              expect([202, 403, 409]).toContain(r.status);
              if (r.status === 202) {
                const code = await t.textedCode(`+8190${digits}`);
                const v = await t.api('POST', `/api/v1/methods/${r.body.methodId}/verify`, { code }, m.token);
                expect(v.status).toBe(200);
              }
            } else {
              const list = (await t.api('GET', '/api/v1/methods', undefined, m.token)).body.methods as {
                id: string;
              }[];
              const target = list[a.i % Math.max(1, list.length)];
              if (target) {
                const r = await t.api('DELETE', `/api/v1/methods/${target.id}`, undefined, m.token);
                expect([204, 409]).toContain(r.status);
              }
            }
            // A way on, always.
            const c = formClient(t);
            c.jar.set('mamori_session', m.token);
            const page = (await c.get('/security/required?next=/security')).body;
            const done = page.includes('data-testid="required-done"');
            const step = /<li data-kind="(passkey|totp|phone|email)"/.test(page);
            const snooze = page.includes('data-testid="required-snooze"');
            const contact =
              page.includes('data-testid="required-stuck"') &&
              page.includes('data-testid="required-continue"');
            expect(done || step || snooze || contact, page).toBe(true);
          }
          await signInAgain();
        },
      ),
      { numRuns: 6 },
    );
  }, 300_000);
});
