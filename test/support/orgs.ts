import { assignRole, attachDomain, createOrganisation } from '../../src/organisations/org-admin.ts';
import type { OrgRole } from '../../src/organisations/store/members.ts';
import { signedUpAccount, signInFully, type TestApp, verifiedEmail } from './harness.ts';

/** The operator who sets organisations up in tests (an operator's actor, as the operator console records it). */
export const TEST_OPERATOR = { kind: 'operator' as const, id: 'opr_test', name: 'test-operator' };

let orgCounter = 0;
/** A domain of its own per call: `org<N>-<random>.example.jp`. */
export function uniqueDomain(): string {
  orgCounter++;
  return `org${orgCounter}-${Math.random().toString(36).slice(2, 7)}.example.jp`;
}

export interface TestAdmin {
  accountId: string;
  email: string;
  password: string;
  /** A session that proved a second factor (two-step verification on), as every admin needs. */
  token: string;
  /** The two verified contact emails that make two-step verification possible. */
  contacts: string[];
}

/** An account in `domain` (not yet a member unless the domain is attached), signed up and confirmed. */
export async function accountIn(
  t: TestApp,
  domain: string,
  o: { locale?: 'ja' | 'en'; local?: string } = {},
): Promise<{ email: string; password: string; token: string }> {
  const local = o.local ?? `m${++orgCounter}.${Math.random().toString(36).slice(2, 6)}`;
  return signedUpAccount(t, { email: `${local}@${domain}`, locale: o.locale });
}

/**
 * Gives the account two verified contact emails, turns two-step verification on and signs in again with a
 * second factor (an email code). Returns the new session.
 */
export async function withTwoStep(
  t: TestApp,
  a: { email: string; password: string; token: string },
): Promise<{ token: string; contacts: string[] }> {
  const contacts: string[] = [];
  for (let i = 0; i < 2; i++) {
    const c = `c${++orgCounter}.${Math.random().toString(36).slice(2, 6)}@example.com`;
    await verifiedEmail(t, a.token, c);
    contacts.push(c);
    t.clock.advance(61_000);
  }
  const on = await t.api('PUT', '/api/v1/two-step', { enabled: true }, a.token);
  if (on.status !== 204) throw new Error(`two-step failed: ${JSON.stringify(on.body)}`);
  t.clock.advance(61_000);
  const s = await signInFully(t, a.email, a.password);
  if (s.status !== 200) throw new Error(`second-factor sign-in failed: ${JSON.stringify(s.body)}`);
  return { token: s.body.sessionToken as string, contacts };
}

/**
 * An organisation named `name` with `domain` attached and one admin of `role` (default organisation admin)
 * signed in with a second factor. Members join by signing up in `domain` once it is attached (or `addMember`).
 */
export async function orgWithAdmin(
  t: TestApp,
  o: { name?: string; domain?: string; role?: OrgRole; locale?: 'ja' | 'en' } = {},
): Promise<{ orgId: string; domain: string; admin: TestAdmin }> {
  const deps = t.app.deps;
  const domain = o.domain ?? uniqueDomain();
  const orgId = await createOrganisation(deps, TEST_OPERATOR, {
    name: o.name ?? '株式会社サンプル',
    contact: `it@${domain}`,
  });
  const a = await accountIn(t, domain, { locale: o.locale, local: 'admin' });
  const accountId = await assignRole(deps, TEST_OPERATOR, orgId, {
    email: a.email,
    role: o.role ?? 'org_admin',
  });
  await attachDomain(deps, TEST_OPERATOR, orgId, domain);
  const two = await withTwoStep(t, a);
  return {
    orgId,
    domain,
    admin: { accountId, email: a.email, password: a.password, token: two.token, contacts: two.contacts },
  };
}

/** Makes an existing confirmed account a member of the organisation with `role` (default member). */
export async function addMember(
  t: TestApp,
  orgId: string,
  email: string,
  role: OrgRole = 'member',
): Promise<string> {
  return assignRole(t.app.deps, TEST_OPERATOR, orgId, { email, role });
}
