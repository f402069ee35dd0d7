import { DAY } from '../kernel/clock.ts';
import { isDisposableDomain } from '../security-info/email/check-email.ts';
import { emailKey } from '../security-info/email/normalize-email.ts';
import type { MethodKind } from '../security-info/store.ts';

/** What the security checkup looks at (read by `checkupFacts`, scored by the pure `checkupOf`). */
export interface CheckupFacts {
  primaryEmail: string;
  /** Every method on the account, verified or not. */
  methods: { kind: MethodKind; value: string; verified: boolean }[];
  twoStep: boolean;
  recoveryCodeCreatedAt: Date | null;
  /** When the owner last confirmed their security info (the account's creation counts as one). */
  lastConfirmedAt: Date;
  /** PERIODIC_CHECK_DAYS; 0 turns the periodic check (and this rule) off. */
  periodDays: number;
  now: Date;
}

export type CheckId =
  | 'two_methods'
  | 'phone'
  | 'strong_method'
  | 'two_step'
  | 'recovery_code'
  | 'no_disposable'
  | 'not_primary'
  | 'no_role_address'
  | 'confirmed';

/** A one-click path: a link, or a form posted with a CSRF token. */
export interface CheckAction {
  method: 'get' | 'post';
  path: string;
}

export interface CheckItem {
  id: CheckId;
  ok: boolean;
  /** Points of the 100 this rule is worth (before rules that do not apply are left out). */
  weight: number;
  /** The addresses that break the rule (disposable, same as primary, role addresses). */
  addresses: string[];
  actions: CheckAction[];
  /**
   * How the advice must read for this account: `first_method` when it has no verified method at all (add
   * one, not "one more"); `needs_two_methods` when two-step verification cannot be turned on yet (it needs
   * two verified methods, so it offers no button and comes after the rule that adds them); otherwise null.
   */
  variant: CheckVariant | null;
}

export type CheckVariant = 'first_method' | 'needs_two_methods';

export interface Checkup {
  /** 0–100: the share of the applicable rules' weight that is met. */
  score: number;
  /**
   * Improvements first (heaviest first, except that a rule waits after the rule it needs), then what is
   * already done. Rules that cannot apply are left out: the address rules without a contact address, the
   * confirmation rule without a verified method (there is nothing to confirm).
   */
  items: CheckItem[];
}

/**
 * Local parts that name a function or a team rather than a person: mail to them is read by several people,
 * or by nobody, and the address outlives any one person's access. Compared without `+tag`.
 */
export const ROLE_LOCAL_PARTS: ReadonlySet<string> = new Set([
  'info',
  'information',
  'admin',
  'administrator',
  'support',
  'help',
  'helpdesk',
  'office',
  'contact',
  'contactus',
  'sales',
  'noreply',
  'no-reply',
  'donotreply',
  'do-not-reply',
  'webmaster',
  'postmaster',
  'hostmaster',
  'abuse',
  'root',
  'team',
  'staff',
  'billing',
  'accounts',
  'accounting',
  'finance',
  'hr',
  'jobs',
  'recruit',
  'careers',
  'marketing',
  'press',
  'pr',
  'service',
  'customerservice',
  'security',
  'it',
  'mail',
  'enquiries',
  'inquiry',
  'inquiries',
  'feedback',
  'hello',
  'all',
  'everyone',
  'soumu',
  'somu',
  'jimu',
  'eigyo',
]);

/** True for a shared or role address such as `info@`, `admin@`, `support@` (a `+tag` is ignored). */
export function isRoleAddress(email: string): boolean {
  const at = email.lastIndexOf('@');
  if (at <= 0) return false;
  const local = (email.slice(0, at).toLowerCase().split('+')[0] ?? '').trim();
  return ROLE_LOCAL_PARTS.has(local);
}

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1);

const WEIGHTS: Record<CheckId, number> = {
  two_step: 20,
  two_methods: 15,
  strong_method: 15,
  phone: 10,
  recovery_code: 10,
  no_disposable: 10,
  confirmed: 10,
  not_primary: 5,
  no_role_address: 5,
};

/** Scores an account's security info. Pure: everything it needs is in `facts`. */
export function checkupOf(facts: CheckupFacts): Checkup {
  const verified = facts.methods.filter((m) => m.verified);
  const emails = facts.methods.filter((m) => m.kind === 'email').map((m) => m.value);
  const primaryKey = emailKey(facts.primaryEmail);
  const item = (
    id: CheckId,
    ok: boolean,
    actions: CheckAction[],
    addresses: string[] = [],
    variant: CheckVariant | null = null,
  ): CheckItem => ({
    id,
    ok,
    weight: WEIGHTS[id],
    addresses: ok ? [] : addresses,
    actions: ok ? [] : actions,
    variant: ok ? null : variant,
  });
  const review: CheckAction[] = [{ method: 'get', path: '/security' }];

  const disposable = emails.filter((e) => isDisposableDomain(domainOf(e)));
  const samePrimary = emails.filter((e) => emailKey(e) === primaryKey);
  const role = emails.filter(isRoleAddress);

  const canTurnOnTwoStep = verified.length >= 2;
  const items: CheckItem[] = [
    item(
      'two_step',
      facts.twoStep,
      canTurnOnTwoStep ? [{ method: 'get', path: '/security/two-step' }] : [],
      [],
      canTurnOnTwoStep ? null : 'needs_two_methods',
    ),
    item(
      'two_methods',
      verified.length >= 2,
      [
        { method: 'get', path: '/security/emails/add' },
        { method: 'get', path: '/security/phones/add' },
      ],
      [],
      verified.length === 0 ? 'first_method' : null,
    ),
    item(
      'strong_method',
      verified.some((m) => m.kind === 'totp' || m.kind === 'passkey'),
      [
        { method: 'post', path: '/security/totp' },
        { method: 'get', path: '/security/passkeys/add' },
      ],
    ),
    item(
      'phone',
      verified.some((m) => m.kind === 'phone'),
      [{ method: 'get', path: '/security/phones/add' }],
    ),
    item('recovery_code', facts.recoveryCodeCreatedAt !== null, [
      { method: 'post', path: '/security/recovery-code' },
    ]),
  ];
  if (emails.length > 0)
    items.push(
      item('no_disposable', disposable.length === 0, review, disposable),
      item('not_primary', samePrimary.length === 0, review, samePrimary),
      item('no_role_address', role.length === 0, review, role),
    );
  if (facts.periodDays > 0 && verified.length > 0) {
    const age = facts.now.getTime() - facts.lastConfirmedAt.getTime();
    items.push(
      item('confirmed', age < facts.periodDays * DAY, [{ method: 'get', path: '/security/confirm-info' }]),
    );
  }
  const total = items.reduce((s, i) => s + i.weight, 0);
  const met = items.filter((i) => i.ok).reduce((s, i) => s + i.weight, 0);
  const order = (i: CheckItem) => (i.ok ? 1000 : 0) - i.weight;
  const sorted = items.filter((i) => i.variant !== 'needs_two_methods').sort((a, b) => order(a) - order(b));
  // A rule that waits for another comes just after it.
  const waiting = items.find((i) => i.variant === 'needs_two_methods');
  if (waiting) sorted.splice(sorted.findIndex((i) => i.id === 'two_methods') + 1, 0, waiting);
  return { score: total === 0 ? 100 : Math.round((met / total) * 100), items: sorted };
}
