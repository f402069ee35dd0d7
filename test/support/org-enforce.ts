import { savePolicy } from '../../src/organisations/org-admin.ts';
import type { MethodsPolicy } from '../../src/organisations/policy.ts';
import { findMember } from '../../src/organisations/store/members.ts';
import { currentPolicy } from '../../src/organisations/store/policies.ts';
import { formClient } from '../web/browser-less-client.ts';
import type { TestApp } from './harness.ts';
import { accountIn, addMember, TEST_OPERATOR } from './orgs.ts';

/** Helpers of the enforcement slice's tests (organisations/enforcement.ts, method-rules.ts). */

export const DAY = 86_400_000;
/** The harness's API user agent: a web sign-in with it is from a known device. */
export const UA = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) mamori-test' };

/** The story's policy: 2 methods, a phone required, SMS only to +81, enforced with 3 snoozes of 1 day. */
export const STORY_POLICY: MethodsPolicy = {
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

export async function setPolicy(t: TestApp, orgId: string, p: Partial<MethodsPolicy>): Promise<void> {
  const cur = await currentPolicy(t.app.deps.db, orgId);
  await savePolicy(t.app.deps, TEST_OPERATOR, orgId, cur?.version ?? 0, { ...STORY_POLICY, ...p });
}

/** A confirmed account in `domain` that is a member of `orgId` (joined by domain, or added). */
export async function memberIn(
  t: TestApp,
  orgId: string,
  domain: string,
  o: { locale?: 'ja' | 'en' } = {},
): Promise<{ email: string; password: string; token: string; id: string }> {
  const a = await accountIn(t, domain, o);
  const id = (await t.api('GET', '/api/v1/me', undefined, a.token)).body.id as string;
  if (!(await findMember(t.app.deps.db, id))) await addMember(t, orgId, a.email);
  return { ...a, id };
}

/** Signs in through the web form; returns the client and where the sign-in led. */
export async function webSignIn(t: TestApp, email: string, password: string, next = '/security') {
  const c = formClient(t, UA);
  await c.get('/sign-in');
  const r = await c.post(`/sign-in?next=${encodeURIComponent(next)}`, { email, password });
  return { c, location: String(r.headers.location) };
}

export async function verifiedPhone(t: TestApp, token: string, number = '090-1234-5678') {
  const r = await t.api('POST', '/api/v1/methods/phones', { country: 'JP', number }, token);
  if (r.status !== 202) throw new Error(JSON.stringify(r.body));
  const e164 = `+81${number.replace(/-/g, '').slice(1)}`;
  const code = await t.textedCode(e164);
  const v = await t.api('POST', `/api/v1/methods/${r.body.methodId}/verify`, { code }, token);
  if (v.status !== 200) throw new Error(JSON.stringify(v.body));
  return r.body.methodId as string;
}

export async function verifiedContact(t: TestApp, token: string, email: string) {
  const r = await t.api('POST', '/api/v1/methods/emails', { email }, token);
  if (r.status !== 202) throw new Error(JSON.stringify(r.body));
  const code = await t.mailedCode(email);
  t.clock.advance(61_000);
  const v = await t.api('POST', `/api/v1/methods/${r.body.methodId}/verify`, { code }, token);
  if (v.status !== 200) throw new Error(JSON.stringify(v.body));
  return r.body.methodId as string;
}
