import { t } from '../i18n/index.ts';
import type { Locale } from '../kernel/context.ts';
import { AppError, fail } from '../kernel/errors.ts';
import type { Sql } from '../kernel/sql.ts';
import { isAdminRole, phoneCountry, policyForAccount } from './account-policy.ts';
import { type MethodFact, type MethodsPolicy, type PolicyMethodKind, removalBreaksPolicy } from './policy.ts';

/**
 * The organisation's policy on adding and removing methods (issue 9 §3; Entra ID's authentication-methods
 * policy: a disallowed method cannot be registered, a required one cannot be removed). Called by
 * security-info's services inside the change's transaction (after the account row is locked), so a policy
 * saved a moment ago applies at once, also to sessions that were signed in before it was saved.
 * Outside an organisation these checks do nothing. Admin actions on a member do not go through them.
 */

/** A method as these rules see it: its kind, its value (a phone's E.164 number) and whether it is verified. */
export interface RuleMethod {
  id: string;
  kind: PolicyMethodKind;
  value: string;
  verifiedAt: Date | null;
}

function factOf(m: Pick<RuleMethod, 'kind' | 'value'>): MethodFact {
  return m.kind === 'phone' ? { kind: 'phone', country: phoneCountry(m.value) } : { kind: m.kind };
}

/**
 * Refuses a method the policy does not allow: `policy.method_not_allowed` ({method}: the kind's name in
 * `locale`), or for a phone outside the policy's SMS countries `policy.country_not_allowed` ({countries}:
 * the ISO 3166-1 alpha-2 codes, comma-separated). Pure: the caller read the policy.
 */
export function assertAllowed(
  policy: MethodsPolicy | null,
  m: Pick<RuleMethod, 'kind' | 'value'>,
  locale: Locale,
): void {
  if (!policy) return;
  if (!policy.allowed[m.kind])
    fail('policy.method_not_allowed', { method: t(locale, `method.kind.${m.kind}`) });
  if (m.kind === 'phone' && policy.smsCountries.length > 0) {
    const country = phoneCountry(m.value);
    if (!country || !policy.smsCountries.includes(country))
      fail('policy.country_not_allowed', { countries: policy.smsCountries.join(', ') });
  }
}

/**
 * Checks, in the caller's transaction, that the account's organisation allows adding `m` (see assertAllowed).
 * Used when a method is started (a pending contact, an authenticator secret, a passkey challenge) and again
 * when it becomes verified, so a policy tightened in between still applies.
 */
export async function assertMayAdd(
  sql: Sql,
  accountId: string,
  m: Pick<RuleMethod, 'kind' | 'value'>,
  locale: Locale,
): Promise<void> {
  const { policy } = await policyForAccount(sql, accountId);
  assertAllowed(policy, m, locale);
}

/** Whether the account's organisation allows adding `m` now (assertMayAdd as a yes or no). */
export async function mayAdd(
  sql: Sql,
  accountId: string,
  m: Pick<RuleMethod, 'kind' | 'value'>,
  locale: Locale,
): Promise<boolean> {
  try {
    await assertMayAdd(sql, accountId, m, locale);
    return true;
  } catch (e) {
    if (e instanceof AppError && e.code.startsWith('policy.')) return false;
    throw e;
  }
}

/**
 * Refuses, in the caller's transaction, to remove the method `targetId` of `methods` when that would leave
 * the member out of policy where they were not before (`removalBreaksPolicy`): `policy.method_required`.
 * A method that is not verified never counts and may always be removed.
 */
export async function assertMayRemove(
  sql: Sql,
  accountId: string,
  methods: RuleMethod[],
  targetId: string,
): Promise<void> {
  const { policy } = await policyForAccount(sql, accountId);
  if (!policy) return;
  if (removalBreaks(policy, methods, targetId)) fail('policy.method_required');
}

/** Whether removing `targetId` would break `policy` (for pages that explain before the member tries). */
export function removalBreaks(policy: MethodsPolicy, methods: RuleMethod[], targetId: string): boolean {
  const verified = methods.filter((m) => m.verifiedAt !== null);
  const i = verified.findIndex((m) => m.id === targetId);
  if (i < 0) return false;
  return removalBreaksPolicy(policy, verified.map(factOf), i).length > 0;
}

/**
 * How many proofs a password reset of `accountId` needs under its organisation: 2 when the policy's
 * `resetMethods` is 2, and always 2 for an administrator (reader, auth_admin, org_admin: Entra ID's two-gate
 * policy for admins); 1 otherwise and outside any organisation. `contact`: whom a member who cannot give two
 * proofs should contact (null outside any organisation). Reads the same statements for an unknown id.
 */
export async function resetProofsNeeded(
  sql: Sql,
  accountId: string,
): Promise<{ proofs: 1 | 2; contact: string | null }> {
  const ap = await policyForAccount(sql, accountId);
  if (!ap.policy || !ap.org) return { proofs: 1, contact: null };
  return { proofs: ap.policy.resetMethods === 2 || isAdminRole(ap.role) ? 2 : 1, contact: ap.org.contact };
}
