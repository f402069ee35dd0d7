import type { Deps } from '../deps.ts';
import { DAY } from '../kernel/clock.ts';
import { fail } from '../kernel/errors.ts';
import type { Sql } from '../kernel/sql.ts';
import { listMethods } from '../security-info/store.ts';
import { type AccountPolicy, phoneCountry, policyForAccount } from './account-policy.ts';
import { recordOrgAudit } from './audit.ts';
import {
  type Compliance,
  complianceOf,
  type MethodFact,
  POLICY_METHOD_KINDS,
  type PolicyMethodKind,
} from './policy.ts';
import { lastReregisterRequest } from './store/member-state.ts';
import {
  findMember,
  resetSnoozes,
  setMustReregister,
  setRegistrationHeld,
  takeSnooze,
} from './store/members.ts';

/**
 * Registration enforcement for members (issue 9 §3; after Entra ID's registration campaign and "require
 * re-register MFA"): what a member's organisation requires of them now, the sign-in interrupt, and the
 * limited snooze. A policy saved while a member is signed in applies at their next sign-in (the interrupt
 * runs only then); the add/remove rules (method-rules.ts) apply at once.
 */

/** What the organisation requires of a member now (for the interrupt, the required page and the checkup). */
export interface MemberRequirement extends Compliance {
  org: NonNullable<AccountPolicy['org']>;
  policy: NonNullable<AccountPolicy['policy']>;
  /** An admin asked the member to set up their methods again, and they have not done so yet. */
  reregister: boolean;
  /** Snoozes the member may still take (0 when the policy has none or they are used up). */
  snoozesLeft: number;
  /** The current snooze holds until then (null: none). */
  snoozedUntil: Date | null;
  /** Whether the sign-in is interrupted now: re-registration, or enforcement with the policy unmet and no snooze holding. */
  interrupt: boolean;
}

/**
 * Reads what the organisation requires of `accountId`, or null outside any organisation. Settles the member's
 * state on the way (in `sql`): a member who meets the policy gets their snoozes back, and a re-registration
 * mark is cleared once the member meets the policy with at least one method verified after the mark was set.
 * `maxMethods` (MAX_SECURITY_METHODS) makes a policy that asks for more methods than an account may hold `stuck`.
 */
export async function memberRequirement(
  deps: Pick<Deps, 'clock'>,
  sql: Sql,
  accountId: string,
  maxMethods = Number.POSITIVE_INFINITY,
): Promise<MemberRequirement | null> {
  const ap = await policyForAccount(sql, accountId);
  if (!ap.policy || !ap.org || !ap.member) return null;
  const now = deps.clock.now();
  const methods = (await listMethods(sql, accountId)).filter((m) => m.verifiedAt !== null);
  const facts: MethodFact[] = methods.map((m) =>
    m.kind === 'phone' ? { kind: 'phone', country: phoneCountry(m.value) } : { kind: m.kind },
  );
  const c = complianceOf(ap.policy, facts);
  let member = ap.member;
  let reregister = member.must_reregister;
  if (reregister && c.met) {
    const since = await lastReregisterRequest(sql, accountId);
    const added = since === null || methods.some((m) => (m.verifiedAt as Date).getTime() > since.getTime());
    if (added) {
      await setMustReregister(sql, accountId, false);
      reregister = false;
    }
  }
  if (c.met && (member.snoozes_used > 0 || member.snoozed_until !== null)) {
    await resetSnoozes(sql, accountId);
    member = { ...member, snoozes_used: 0, snoozed_until: null };
  }
  const p = ap.policy;
  // Re-registering a member who already meets the policy: one new method of the most secure kind allowed.
  const steps: PolicyMethodKind[] =
    reregister && c.steps.length === 0
      ? POLICY_METHOD_KINDS.filter((k) => p.allowed[k]).slice(0, 1)
      : c.steps;
  const snoozeOn = p.enforceRegistration && p.snoozeDays > 0 && !c.met && !reregister;
  const snoozesLeft = snoozeOn ? Math.max(0, p.maxSnoozes - member.snoozes_used) : 0;
  const snoozedUntil =
    member.snoozed_until && member.snoozed_until.getTime() > now.getTime() ? member.snoozed_until : null;
  // More methods required than the deployment lets an account hold (MAX_SECURITY_METHODS): no way to comply.
  const stuck = c.stuck || (!c.met && p.minMethods > maxMethods);
  const interrupt = reregister || (p.enforceRegistration && !c.met && snoozedUntil === null);
  // The hold (set by the sign-in's interrupt, organisationInterrupt) ends once nothing interrupts any more, or
  // the member cannot comply (let through with whom to contact). Reading the requirement never sets it.
  if (member.registration_held && !(interrupt && !stuck)) await setRegistrationHeld(sql, accountId, false);
  return {
    ...c,
    stuck,
    steps: stuck ? [] : POLICY_METHOD_KINDS.filter((k) => steps.includes(k)),
    org: ap.org,
    policy: p,
    reregister,
    snoozesLeft,
    snoozedUntil,
    interrupt,
  };
}

/**
 * memberRequirement in a transaction of its own, for pages: one read for an account outside any organisation.
 */
export async function requirementForPage(
  deps: Pick<Deps, 'db' | 'clock'>,
  accountId: string,
  maxMethods?: number,
): Promise<MemberRequirement | null> {
  if (!(await findMember(deps.db, accountId))) return null;
  return deps.db.tx((tx) => memberRequirement(deps, tx, accountId, maxMethods));
}

/**
 * Where a member's sign-in is interrupted by their organisation, or null: a temporary password to change
 * (`/security/new-password-required`), methods to set up again (an admin required re-registration) or the
 * policy's registration enforcement with the policy unmet and no snooze holding (`/security/required`).
 * Outside an organisation: always null. The periodic re-confirmation comes after (checkup/periodic.ts).
 */
export async function organisationInterrupt(
  deps: Pick<Deps, 'db' | 'clock'>,
  accountId: string,
): Promise<string | null> {
  // One read for everyone else (no organisation, no change); the rest only for a member.
  const member = await findMember(deps.db, accountId);
  if (!member) return null;
  if (member.must_change_password) return '/security/new-password-required';
  const r = await deps.db.tx(async (tx) => {
    const req = await memberRequirement(deps, tx, accountId);
    // Interrupted: held to the required page until the requirement is met or snoozed (web/plumbing.ts).
    if (req?.interrupt && !req.stuck) await setRegistrationHeld(tx, accountId, true);
    return req;
  });
  return r?.interrupt ? '/security/required' : null;
}

/**
 * The member puts the registration off for the policy's `snoozeDays`: one snooze is spent in one UPDATE
 * (`takeSnooze`), so of many concurrent requests no more than `maxSnoozes` ever succeed; audited as
 * `member.snoozed`. Errors: `policy.snooze_unavailable` (none left, no snooze in the policy, the policy is met,
 * or an admin asked for re-registration), `org.not_member`. Returns the snoozes left and the snooze's end.
 */
export async function snoozeRegistration(
  deps: Pick<Deps, 'db' | 'clock' | 'random'>,
  accountId: string,
): Promise<{ left: number; until: Date }> {
  return deps.db.tx(async (tx) => {
    const r = await memberRequirement(deps, tx, accountId);
    if (!r) fail('org.not_member');
    if (r.snoozesLeft <= 0) fail('policy.snooze_unavailable');
    const until = new Date(deps.clock.now().getTime() + r.policy.snoozeDays * DAY);
    const used = await takeSnooze(tx, accountId, r.policy.maxSnoozes, until);
    if (used === null) fail('policy.snooze_unavailable');
    await setRegistrationHeld(tx, accountId, false);
    await recordOrgAudit(deps, tx, {
      orgId: r.org.id,
      actor: { kind: 'member', id: accountId, name: '' },
      action: 'member.snoozed',
      targetAccountId: accountId,
      detail: { used, max: r.policy.maxSnoozes, until: until.toISOString() },
    });
    return { left: r.policy.maxSnoozes - used, until };
  });
}
