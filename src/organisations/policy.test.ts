import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertAllowed } from './method-rules.ts';
import {
  complianceOf,
  DEFAULT_POLICY,
  type MethodFact,
  type MethodsPolicy,
  POLICY_METHOD_KINDS,
  type PolicyMethodKind,
  parsePolicy,
  REQUIRED_KINDS,
  removalBreaksPolicy,
} from './policy.ts';

/** The deployment's MAX_SECURITY_METHODS default. */
const MAX_METHODS = 10;
const COUNTRIES = ['JP', 'US', 'GB'] as const;

const kindArb = fc.constantFrom(...POLICY_METHOD_KINDS);
const methodArb: fc.Arbitrary<MethodFact> = fc.oneof(
  kindArb.filter((k) => k !== 'phone').map((kind) => ({ kind })),
  fc.constantFrom(...COUNTRIES).map((country) => ({ kind: 'phone' as const, country })),
);

/** Any input an admin could send; only what parsePolicy accepts is ever saved. */
const policyInputArb = fc.record({
  allowed: fc.record({ passkey: fc.boolean(), totp: fc.boolean(), phone: fc.boolean(), email: fc.boolean() }),
  smsCountries: fc.subarray([...COUNTRIES]),
  minMethods: fc.integer({ min: 0, max: 6 }),
  required: fc.subarray([...REQUIRED_KINDS]),
  resetMethods: fc.integer({ min: 0, max: 3 }),
  reconfirmDays: fc.integer({ min: -1, max: 731 }),
  enforceRegistration: fc.boolean(),
  snoozeDays: fc.integer({ min: -1, max: 15 }),
  maxSnoozes: fc.integer({ min: -1, max: 11 }),
});
const validPolicyArb: fc.Arbitrary<MethodsPolicy> = policyInputArb
  .map((i) => parsePolicy(i))
  .filter((r): r is { ok: true; policy: MethodsPolicy } => r.ok)
  .map((r) => r.policy);

type Action =
  | { type: 'policy'; policy: MethodsPolicy }
  | { type: 'add'; method: MethodFact }
  | { type: 'remove'; index: number };
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  validPolicyArb.map((policy) => ({ type: 'policy' as const, policy })),
  methodArb.map((method) => ({ type: 'add' as const, method })),
  fc.nat(12).map((index) => ({ type: 'remove' as const, index })),
);

/** Whether the add rules (method-rules.ts) accept `m` under `p`. */
function mayAdd(p: MethodsPolicy, m: MethodFact): boolean {
  try {
    assertAllowed(p, { kind: m.kind, value: m.kind === 'phone' ? phoneOf(m.country) : '' }, 'en');
    return true;
  } catch {
    return false;
  }
}
const NUMBERS: Record<string, string> = { JP: '+819012345678', US: '+14155552671', GB: '+447400123456' };
const phoneOf = (country?: string) => NUMBERS[country ?? 'JP'] as string;

/** The method a member adds for a step: a phone in an allowed country. */
function methodFor(p: MethodsPolicy, k: PolicyMethodKind): MethodFact {
  return k === 'phone' ? { kind: 'phone', country: p.smsCountries[0] ?? 'JP' } : { kind: k };
}

describe('policy rules (properties, fast-check)', () => {
  it('no sequence of valid policy changes and accepted adds/removes leaves a member without a way in', () => {
    fc.assert(
      fc.property(validPolicyArb, fc.array(actionArb, { maxLength: 30 }), (first, actions) => {
        let p = first;
        let methods: MethodFact[] = [];
        for (const a of actions) {
          if (a.type === 'policy') p = a.policy;
          else if (a.type === 'add') {
            if (methods.length < MAX_METHODS && mayAdd(p, a.method)) methods = [...methods, a.method];
          } else if (a.index < methods.length && methods.length > 1) {
            if (removalBreaksPolicy(p, methods, a.index).length === 0)
              methods = methods.filter((_, j) => j !== a.index);
          }
          const c = complianceOf(p, methods);
          if (c.met || c.stuck) continue;
          // Not met and not stuck: every step is an allowed addition, and taking them all meets the policy
          // (after removing methods that do not count, which the rules always allow, if the limit is in the way).
          expect(c.steps.length).toBeGreaterThan(0);
          for (const k of c.steps) expect(mayAdd(p, methodFor(p, k))).toBe(true);
          const counting = methods.filter(
            (m) => complianceOf({ ...p, minMethods: 1, required: [] }, [m]).met,
          );
          const after = [...counting, ...c.steps.map((k) => methodFor(p, k))];
          expect(complianceOf(p, after).met).toBe(true);
          // The first step alone makes progress.
          const one = complianceOf(p, [...methods, methodFor(p, c.steps[0] as PolicyMethodKind)]);
          expect(one.met || one.shortfalls.length < c.shortfalls.length || one.counted > c.counted).toBe(
            true,
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a removal the rules accept never turns a compliant member non-compliant', () => {
    fc.assert(
      fc.property(
        validPolicyArb,
        fc.array(methodArb, { minLength: 1, maxLength: 8 }),
        fc.nat(7),
        (p, methods, i) => {
          fc.pre(i < methods.length);
          if (!complianceOf(p, methods).met) return;
          const breaks = removalBreaksPolicy(p, methods, i);
          const after = complianceOf(
            p,
            methods.filter((_, j) => j !== i),
          );
          expect(breaks.length === 0).toBe(after.met);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a saved policy is always satisfiable: complianceOf is never stuck for it', () => {
    fc.assert(
      fc.property(validPolicyArb, fc.array(methodArb, { maxLength: 6 }), (p, methods) => {
        expect(complianceOf(p, methods).stuck).toBe(false);
      }),
    );
  });

  it('steps are most secure first (passkey, authenticator app, phone, email)', () => {
    fc.assert(
      fc.property(validPolicyArb, fc.array(methodArb, { maxLength: 4 }), (p, methods) => {
        const steps = complianceOf(p, methods).steps;
        const order = steps.map((k) => POLICY_METHOD_KINDS.indexOf(k));
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }),
    );
  });
});

describe('policy rules (edge cases)', () => {
  const story: MethodsPolicy = {
    ...DEFAULT_POLICY,
    smsCountries: ['JP'],
    minMethods: 2,
    required: ['phone'],
    enforceRegistration: true,
  };

  it('parsePolicy: refuses out-of-range numbers, unknown kinds and unsatisfiable policies, every problem at once', () => {
    const r = parsePolicy({ ...story, minMethods: 6, resetMethods: 3, required: ['fax'], snoozeDays: 15 });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems.map((p) => p.field).sort()).toEqual([
        'minMethods',
        'required',
        'resetMethods',
        'snoozeDays',
      ]);
    const unsat = parsePolicy({ ...story, allowed: { ...story.allowed, phone: false } });
    expect(unsat).toEqual({ ok: false, problems: [{ field: 'required', code: 'unsatisfiable' }] });
    const none = parsePolicy({
      ...story,
      required: [],
      allowed: { passkey: false, totp: false, phone: false, email: false },
    });
    expect(none.ok).toBe(false);
  });

  it('parsePolicy: reads form strings, upper-cases countries, drops countries when phones are not allowed', () => {
    const r = parsePolicy({
      ...story,
      minMethods: '3',
      smsCountries: ['jp', ' us '],
      allowed: { passkey: 'on', totp: 'true', phone: 'on', email: undefined },
    });
    expect(r).toMatchObject({
      ok: true,
      policy: { minMethods: 3, smsCountries: ['JP', 'US'], allowed: { email: false } },
    });
    const noPhone = parsePolicy({ ...story, required: [], allowed: { ...story.allowed, phone: false } });
    expect(noPhone).toMatchObject({ ok: true, policy: { smsCountries: [] } });
  });

  it('complianceOf: a phone outside the SMS countries does not count; the story member needs a phone', () => {
    const c = complianceOf(story, [{ kind: 'email' }, { kind: 'phone', country: 'US' }]);
    expect(c).toMatchObject({ met: false, counted: 1, steps: ['phone'], stuck: false });
    expect(c.shortfalls).toEqual([
      { kind: 'required', required: 'phone' },
      { kind: 'count', have: 1, need: 2 },
    ]);
    expect(complianceOf(story, [{ kind: 'email' }, { kind: 'phone', country: 'JP' }]).met).toBe(true);
  });

  it('complianceOf: one passkey meets both phishing-resistant and authenticator', () => {
    const p = {
      ...DEFAULT_POLICY,
      required: ['phishing_resistant', 'authenticator'] as MethodsPolicy['required'],
    };
    expect(complianceOf(p, []).steps).toEqual(['passkey']);
    expect(complianceOf(p, [{ kind: 'passkey' }]).met).toBe(true);
  });

  it('removalBreaksPolicy: the required phone and the minimum stay; a method that does not count may go', () => {
    const methods: MethodFact[] = [
      { kind: 'phone', country: 'JP' },
      { kind: 'email' },
      { kind: 'phone', country: 'US' },
    ];
    expect(removalBreaksPolicy(story, methods, 0)).toContainEqual({ kind: 'required', required: 'phone' });
    expect(removalBreaksPolicy(story, methods, 1)).toEqual([{ kind: 'count', have: 1, need: 2 }]);
    expect(removalBreaksPolicy(story, methods, 2)).toEqual([]);
  });

  it('removalBreaksPolicy: a member already short may remove a method that does not count, not one that does', () => {
    const short: MethodFact[] = [{ kind: 'email' }, { kind: 'phone', country: 'US' }];
    expect(removalBreaksPolicy(story, short, 1)).toEqual([]);
    expect(removalBreaksPolicy(story, short, 0).length).toBeGreaterThan(0);
  });
});
