import { describe, expect, it } from 'vitest';
import { DAY } from '../kernel/clock.ts';
import { type CheckupFacts, checkupOf, isRoleAddress } from './checkup.ts';

const now = new Date('2026-11-24T00:00:00Z');
const base: CheckupFacts = {
  primaryEmail: 'taro@example.com',
  methods: [],
  twoStep: false,
  recoveryCodeCreatedAt: null,
  lastConfirmedAt: new Date(now.getTime() - 10 * DAY),
  periodDays: 90,
  now,
};
const strong: CheckupFacts = {
  ...base,
  methods: [
    { kind: 'email', value: 'taro.home@example.net', verified: true },
    { kind: 'phone', value: '+819012345678', verified: true },
    { kind: 'totp', value: 'totp', verified: true },
  ],
  twoStep: true,
  recoveryCodeCreatedAt: new Date(now.getTime() - DAY),
};
const check = (f: CheckupFacts, id: string) => checkupOf(f).items.find((i) => i.id === id);

describe('security checkup scoring', () => {
  it('a fully protected account scores 100 with nothing to improve', () => {
    const c = checkupOf(strong);
    expect(c.score).toBe(100);
    expect(c.items.every((i) => i.ok && i.actions.length === 0)).toBe(true);
    expect(c.items.reduce((s, i) => s + i.weight, 0)).toBe(100);
  });

  it('a new account with nothing added scores 0: rules about addresses it does not have are left out', () => {
    const c = checkupOf(base);
    expect(c.score).toBe(0);
    expect(c.items.map((i) => i.id)).not.toContain('no_disposable');
    expect(c.items.map((i) => i.id)).not.toContain('not_primary');
    expect(c.items.map((i) => i.id)).not.toContain('no_role_address');
    expect(c.items.map((i) => i.id)).not.toContain('confirmed');
    expect(c.items.every((i) => !i.ok)).toBe(true);
  });

  it('with no method, asks for a first one before anything that needs two', () => {
    const c = checkupOf(base);
    expect(c.items.map((i) => i.id)).toEqual([
      'two_methods',
      'two_step',
      'strong_method',
      'phone',
      'recovery_code',
    ]);
    expect(check(base, 'two_methods')?.variant).toBe('first_method');
    // Two-step needs two verified methods: it waits for them and offers no button that would only refuse.
    expect(check(base, 'two_step')).toMatchObject({ variant: 'needs_two_methods', actions: [] });
  });

  it('with one method, asks for a second one and still puts two-step after it', () => {
    const one: CheckupFacts = {
      ...base,
      methods: [{ kind: 'email', value: 'a@example.net', verified: true }],
    };
    const c = checkupOf(one);
    expect(c.items.findIndex((i) => i.id === 'two_methods')).toBeLessThan(
      c.items.findIndex((i) => i.id === 'two_step'),
    );
    expect(check(one, 'two_methods')?.variant).toBeNull();
    expect(check(one, 'two_step')?.variant).toBe('needs_two_methods');
    // Now there is an address to judge, and something to confirm.
    expect(check(one, 'no_disposable')?.ok).toBe(true);
    expect(check(one, 'confirmed')?.ok).toBe(true);
  });

  it('with two methods, two-step comes first and offers its page', () => {
    const two: CheckupFacts = {
      ...base,
      methods: [
        { kind: 'email', value: 'a@example.net', verified: true },
        { kind: 'phone', value: '+819012345678', verified: true },
      ],
    };
    expect(checkupOf(two).items[0]).toMatchObject({
      id: 'two_step',
      variant: null,
      actions: [{ method: 'get', path: '/security/two-step' }],
    });
  });

  it('offers one-click paths to the existing pages', () => {
    const c = checkupOf(base);
    const paths = (id: string) => c.items.find((i) => i.id === id)?.actions;
    expect(paths('two_methods')).toEqual([
      { method: 'get', path: '/security/emails/add' },
      { method: 'get', path: '/security/phones/add' },
    ]);
    expect(paths('phone')).toEqual([{ method: 'get', path: '/security/phones/add' }]);
    expect(paths('strong_method')).toEqual([
      { method: 'post', path: '/security/totp' },
      { method: 'get', path: '/security/passkeys/add' },
    ]);
    expect(paths('two_step')).toEqual([]);
    const two = checkupOf({
      ...base,
      methods: [
        { kind: 'email', value: 'a@example.net', verified: true },
        { kind: 'email', value: 'b@example.org', verified: true },
      ],
    });
    expect(two.items.find((i) => i.id === 'two_step')?.actions).toEqual([
      { method: 'get', path: '/security/two-step' },
    ]);
    expect(paths('recovery_code')).toEqual([{ method: 'post', path: '/security/recovery-code' }]);
  });

  it('counts only verified methods', () => {
    const f: CheckupFacts = {
      ...base,
      methods: [
        { kind: 'email', value: 'a@example.net', verified: true },
        { kind: 'phone', value: '+819012345678', verified: false },
        { kind: 'passkey', value: 'cred', verified: false },
      ],
    };
    expect(check(f, 'two_methods')?.ok).toBe(false);
    expect(check(f, 'phone')?.ok).toBe(false);
    expect(check(f, 'strong_method')?.ok).toBe(false);
    const g = { ...f, methods: f.methods.map((m) => ({ ...m, verified: true })) };
    expect(check(g, 'two_methods')?.ok).toBe(true);
    expect(check(g, 'phone')?.ok).toBe(true);
    expect(check(g, 'strong_method')?.ok).toBe(true);
  });

  it('flags disposable, same-as-primary and role addresses, naming them', () => {
    const f: CheckupFacts = {
      ...strong,
      methods: [
        ...strong.methods,
        { kind: 'email', value: 'x@mailinator.com', verified: true },
        { kind: 'email', value: 'Taro@Example.com', verified: false },
        { kind: 'email', value: 'info+jp@company.co.jp', verified: true },
      ],
    };
    expect(check(f, 'no_disposable')).toMatchObject({
      ok: false,
      addresses: ['x@mailinator.com'],
      actions: [{ method: 'get', path: '/security' }],
    });
    expect(check(f, 'not_primary')).toMatchObject({ ok: false, addresses: ['Taro@Example.com'] });
    expect(check(f, 'no_role_address')).toMatchObject({ ok: false, addresses: ['info+jp@company.co.jp'] });
    expect(checkupOf(f).score).toBe(80);
  });

  it('recognises shared and role addresses, not personal ones', () => {
    for (const a of ['info@a.jp', 'ADMIN@a.jp', 'support@a.jp', 'office@a.jp', 'contact@a.jp', 'sales@a.jp'])
      expect(isRoleAddress(a), a).toBe(true);
    for (const a of ['noreply@a.jp', 'no-reply@a.jp', 'webmaster@a.jp', 'postmaster@a.jp'])
      expect(isRoleAddress(a), a).toBe(true);
    for (const a of ['taro@a.jp', 'information.taro@a.jp', 'salesman@a.jp', 'admin.yamada@a.jp'])
      expect(isRoleAddress(a), a).toBe(false);
  });

  it('asks for a confirmation once the period has passed, and drops the rule when the check is off', () => {
    const old = { ...strong, lastConfirmedAt: new Date(now.getTime() - 90 * DAY) };
    expect(check(old, 'confirmed')).toMatchObject({
      ok: false,
      actions: [{ method: 'get', path: '/security/confirm-info' }],
    });
    expect(checkupOf(old).score).toBe(90);
    expect(check({ ...old, lastConfirmedAt: new Date(now.getTime() - 89 * DAY) }, 'confirmed')?.ok).toBe(
      true,
    );
    const off = { ...old, periodDays: 0 };
    expect(check(off, 'confirmed')).toBeUndefined();
    expect(checkupOf(off).score).toBe(100);
    // Without the rule the score is over the 90 remaining points.
    const partial = { ...old, twoStep: false, periodDays: 0 };
    expect(checkupOf(partial).score).toBe(Math.round((70 / 90) * 100));
  });
});
