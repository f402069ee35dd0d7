/**
 * The authentication-methods policy of an organisation (after Entra ID's authentication-methods policy, SSPR
 * registration settings and registration campaign: ../docs/flows/organisations.md) and the pure rules that
 * read it: validation of an admin's input, compliance of a member's methods, the steps that would make a
 * member compliant (most secure first), and the diff of two versions for the audit log.
 *
 * A "method" here is a verified entry of the account's security info: a contact email, a phone, an
 * authenticator app or a passkey. The sign-in address and the recovery code are not counted.
 */

/** The kinds of method a policy allows or requires. */
export const POLICY_METHOD_KINDS = ['passkey', 'totp', 'phone', 'email'] as const;
export type PolicyMethodKind = (typeof POLICY_METHOD_KINDS)[number];

/**
 * A required kind: `phone` (a verified phone), `phishing_resistant` (a passkey), `authenticator` (an
 * authenticator app or a passkey: a method that does not travel over SMS or email).
 */
export const REQUIRED_KINDS = ['phone', 'phishing_resistant', 'authenticator'] as const;
export type RequiredKind = (typeof REQUIRED_KINDS)[number];

export interface MethodsPolicy {
  /** Which kinds members may register and use. */
  allowed: Record<PolicyMethodKind, boolean>;
  /** ISO 3166-1 alpha-2 countries SMS may go to (e.g. `['JP']`); empty = every supported country. */
  smsCountries: string[];
  /** Minimum number of verified methods, 1–5. */
  minMethods: number;
  /** Kinds every member must have. */
  required: RequiredKind[];
  /** Methods a member must prove to reset their password: 1 or 2. Admins always need 2 (two-gate). */
  resetMethods: 1 | 2;
  /** Ask members to re-confirm their security info every N days, 0–730 (0 = never). */
  reconfirmDays: number;
  /** Interrupt sign-in until the member meets the policy. */
  enforceRegistration: boolean;
  /** How long a snooze puts the interrupt off, 0–14 days (0 = no snooze). */
  snoozeDays: number;
  /** How many snoozes a member has before registration is required, 0–10. */
  maxSnoozes: number;
}

/**
 * The deployment default, for accounts outside any organisation and a new organisation's first version:
 * every method allowed, one method, one method to reset, re-confirm every 180 days (Entra ID's tutorial
 * value), no enforcement at sign-in.
 */
export const DEFAULT_POLICY: MethodsPolicy = {
  allowed: { passkey: true, totp: true, phone: true, email: true },
  smsCountries: [],
  minMethods: 1,
  required: [],
  resetMethods: 1,
  reconfirmDays: 180,
  enforceRegistration: false,
  snoozeDays: 1,
  maxSnoozes: 3,
};

/** A field of the policy an admin got wrong, and why (stable codes, shown through i18n). */
export interface PolicyProblem {
  field: keyof MethodsPolicy;
  code: 'range' | 'unknown' | 'unsatisfiable';
}

const COUNTRY = /^[A-Z]{2}$/;

function intIn(v: unknown, min: number, max: number): number | null {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max ? n : null;
}

/**
 * Reads an admin's policy from untrusted input (a form or JSON body already shaped as `MethodsPolicy`, with
 * numbers possibly as strings). Returns the policy or every problem at once. A policy no member could meet
 * (more methods required than kinds allowed, a required kind that is not allowed) is refused as
 * `unsatisfiable`, so a saved policy always leaves members a way to comply.
 */
export function parsePolicy(
  input: unknown,
): { ok: true; policy: MethodsPolicy } | { ok: false; problems: PolicyProblem[] } {
  const o = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const problems: PolicyProblem[] = [];
  const allowedIn = (typeof o.allowed === 'object' && o.allowed !== null ? o.allowed : {}) as Record<
    string,
    unknown
  >;
  const allowed = Object.fromEntries(
    POLICY_METHOD_KINDS.map((k) => [
      k,
      allowedIn[k] === true || allowedIn[k] === 'on' || allowedIn[k] === 'true',
    ]),
  ) as Record<PolicyMethodKind, boolean>;
  const countries = Array.isArray(o.smsCountries) ? o.smsCountries : [];
  const smsCountries = [
    ...new Set(countries.map((c) => (typeof c === 'string' ? c.trim().toUpperCase() : ''))),
  ];
  if (smsCountries.some((c) => !COUNTRY.test(c)) || smsCountries.length > 250)
    problems.push({ field: 'smsCountries', code: 'unknown' });
  const requiredIn = Array.isArray(o.required) ? o.required : [];
  const required = [...new Set(requiredIn)] as RequiredKind[];
  if (required.some((r) => !(REQUIRED_KINDS as readonly unknown[]).includes(r)))
    problems.push({ field: 'required', code: 'unknown' });
  const minMethods = intIn(o.minMethods, 1, 5);
  if (minMethods === null) problems.push({ field: 'minMethods', code: 'range' });
  const resetMethods = intIn(o.resetMethods, 1, 2);
  if (resetMethods === null) problems.push({ field: 'resetMethods', code: 'range' });
  const reconfirmDays = intIn(o.reconfirmDays, 0, 730);
  if (reconfirmDays === null) problems.push({ field: 'reconfirmDays', code: 'range' });
  const snoozeDays = intIn(o.snoozeDays, 0, 14);
  if (snoozeDays === null) problems.push({ field: 'snoozeDays', code: 'range' });
  const maxSnoozes = intIn(o.maxSnoozes, 0, 10);
  if (maxSnoozes === null) problems.push({ field: 'maxSnoozes', code: 'range' });
  const enforceRegistration =
    o.enforceRegistration === true || o.enforceRegistration === 'on' || o.enforceRegistration === 'true';
  if (problems.length > 0) return { ok: false, problems };
  const policy: MethodsPolicy = {
    allowed,
    smsCountries: allowed.phone ? smsCountries.sort() : [],
    minMethods: minMethods as number,
    required: REQUIRED_KINDS.filter((r) => required.includes(r)),
    resetMethods: resetMethods as 1 | 2,
    reconfirmDays: reconfirmDays as number,
    enforceRegistration,
    snoozeDays: snoozeDays as number,
    maxSnoozes: maxSnoozes as number,
  };
  const unsatisfiable = satisfiabilityProblems(policy);
  return unsatisfiable.length > 0 ? { ok: false, problems: unsatisfiable } : { ok: true, policy };
}

/**
 * Why no member could ever meet `p`: a required kind whose methods are not allowed, or more methods required
 * than a member can hold. Email and phone can be registered several times, so any allowed contact kind
 * makes any count reachable; authenticator apps and passkeys too (up to 5 each, as Entra ID).
 */
export function satisfiabilityProblems(p: MethodsPolicy): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  if (!POLICY_METHOD_KINDS.some((k) => p.allowed[k]))
    problems.push({ field: 'allowed', code: 'unsatisfiable' });
  if (p.required.includes('phone') && !p.allowed.phone)
    problems.push({ field: 'required', code: 'unsatisfiable' });
  if (p.required.includes('phishing_resistant') && !p.allowed.passkey)
    problems.push({ field: 'required', code: 'unsatisfiable' });
  if (p.required.includes('authenticator') && !p.allowed.passkey && !p.allowed.totp)
    problems.push({ field: 'required', code: 'unsatisfiable' });
  return problems;
}

/** A verified method as compliance sees it. */
export interface MethodFact {
  kind: PolicyMethodKind;
  /** For phones: the number's country (ISO alpha-2), when known. */
  country?: string;
}

/** Whether `m` counts under `p`: its kind is allowed (and for a phone, its country). */
export function methodCounts(p: MethodsPolicy, m: MethodFact): boolean {
  if (!p.allowed[m.kind]) return false;
  if (m.kind === 'phone' && p.smsCountries.length > 0)
    return m.country !== undefined && p.smsCountries.includes(m.country);
  return true;
}

/** What a member lacks, in the order the interrupt asks for it. */
export type Shortfall =
  | { kind: 'required'; required: RequiredKind }
  | { kind: 'count'; have: number; need: number };

export interface Compliance {
  met: boolean;
  /** Methods that count under the policy. */
  counted: number;
  shortfalls: Shortfall[];
  /**
   * The fewest kinds of method to add to meet the policy, most secure first (passkey, authenticator app,
   * phone, email), each one allowed. Empty when met, or when the policy cannot be met (then `stuck`).
   */
  steps: PolicyMethodKind[];
  /** True when no allowed addition can meet the policy (the member is told whom to contact). */
  stuck: boolean;
}

const satisfies = (r: RequiredKind, k: PolicyMethodKind) =>
  r === 'phone'
    ? k === 'phone'
    : r === 'phishing_resistant'
      ? k === 'passkey'
      : k === 'passkey' || k === 'totp';

/** Compliance of a member's verified methods with `p` (NIST SP 800-63B §6 keeps several authenticators). */
export function complianceOf(p: MethodsPolicy, methods: MethodFact[]): Compliance {
  const counting = methods.filter((m) => methodCounts(p, m));
  const shortfalls: Shortfall[] = [];
  const steps: PolicyMethodKind[] = [];
  for (const r of p.required) {
    if (counting.some((m) => satisfies(r, m.kind))) continue;
    shortfalls.push({ kind: 'required', required: r });
    const k = POLICY_METHOD_KINDS.find((kind) => p.allowed[kind] && satisfies(r, kind));
    if (k && !steps.includes(k)) steps.push(k);
  }
  const afterSteps = counting.length + steps.length;
  if (counting.length < p.minMethods)
    shortfalls.push({ kind: 'count', have: counting.length, need: p.minMethods });
  const allowedKinds = POLICY_METHOD_KINDS.filter((k) => p.allowed[k]);
  for (let i = afterSteps; i < p.minMethods && allowedKinds.length > 0; i++) {
    // Most secure first, preferring a kind the member does not have yet.
    const fresh = allowedKinds.find((k) => !steps.includes(k) && !counting.some((m) => m.kind === k));
    steps.push(fresh ?? (allowedKinds[0] as PolicyMethodKind));
  }
  const met = shortfalls.length === 0;
  const stuck = !met && (steps.length === 0 || satisfiabilityProblems(p).length > 0);
  // Most secure first, whichever shortfall asked for the step (a sort is stable: repeated kinds stay together).
  const rank = (k: PolicyMethodKind) => POLICY_METHOD_KINDS.indexOf(k);
  steps.sort((a, b) => rank(a) - rank(b));
  return { met, counted: counting.length, shortfalls, steps: met ? [] : steps, stuck };
}

/** Whether removing the method at index `i` of `methods` would leave the member out of policy. */
export function removalBreaksPolicy(p: MethodsPolicy, methods: MethodFact[], i: number): Shortfall[] {
  const before = complianceOf(p, methods);
  const after = complianceOf(
    p,
    methods.filter((_, j) => j !== i),
  );
  // Only what the removal itself breaks: a member already short may still remove a method that does not count.
  if (after.counted === before.counted && after.shortfalls.length <= before.shortfalls.length) return [];
  return after.shortfalls.filter(
    (s) => !before.shortfalls.some((b) => JSON.stringify(b) === JSON.stringify(s)) || s.kind === 'count',
  );
}

/** One changed setting between two versions, for the audit log (values as display strings). */
export interface PolicyChange {
  field: string;
  from: string;
  to: string;
}

function flatten(p: MethodsPolicy): Record<string, string> {
  return {
    ...Object.fromEntries(POLICY_METHOD_KINDS.map((k) => [`allowed.${k}`, String(p.allowed[k])])),
    smsCountries: p.smsCountries.join(',') || '*',
    minMethods: String(p.minMethods),
    required: p.required.join(',') || '-',
    resetMethods: String(p.resetMethods),
    reconfirmDays: String(p.reconfirmDays),
    enforceRegistration: String(p.enforceRegistration),
    snoozeDays: String(p.snoozeDays),
    maxSnoozes: String(p.maxSnoozes),
  };
}

/** The settings that differ between `before` and `after`, in a stable order. */
export function diffPolicies(before: MethodsPolicy, after: MethodsPolicy): PolicyChange[] {
  const a = flatten(before);
  const b = flatten(after);
  return Object.keys(b)
    .filter((k) => a[k] !== b[k])
    .map((k) => ({ field: k, from: a[k] ?? '', to: b[k] ?? '' }));
}

/** Reads a stored policy (jsonb), filling settings added after it was saved from the default. */
export function storedPolicy(v: unknown): MethodsPolicy {
  const o = (typeof v === 'object' && v !== null ? v : {}) as Partial<MethodsPolicy>;
  return {
    ...DEFAULT_POLICY,
    ...o,
    allowed: { ...DEFAULT_POLICY.allowed, ...(o.allowed ?? {}) },
  };
}
