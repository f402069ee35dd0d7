import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { account, call, eventually, freshEmail, ipv4 } from './support.ts';

/**
 * Timing parity of sign-in, proven by counting work instead of timing it: a wrong password for an existing
 * account and any password for an unknown one run the same statements and the same password hashing, and
 * the only write (the activity entry) is not waited for by the answer.
 */
const work = vi.hoisted(() => ({ verify: 0, hash: 0 }));
vi.mock('../../src/accounts/password-hasher.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/accounts/password-hasher.ts')>();
  return {
    ...real,
    verifyPassword: (stored: string, password: string) => {
      work.verify++;
      return real.verifyPassword(stored, password);
    },
    hashPassword: (password: string) => {
      work.hash++;
      return real.hashPassword(password);
    },
  };
});

describe('sign-in does the same work for an unknown address as for a wrong password (PostgreSQL)', () => {
  let t: TestApp;
  const statements: { text: string; params: number }[] = [];
  const pending: Promise<unknown>[] = [];
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
    const db = t.app.deps.db;
    const query = db.query.bind(db);
    db.query = ((text: string, params?: unknown[]) => {
      statements.push({ text: text.replace(/\s+/g, ' ').trim(), params: params?.length ?? 0 });
      const p = query(text, params);
      pending.push(p.catch(() => {}));
      return p;
    }) as typeof db.query;
  });
  afterAll(() => t.close());

  /** The statements and hashing one sign-in causes, including work left running after the answer. */
  async function measure(email: string, ip: string) {
    await Promise.all(pending.splice(0));
    statements.length = 0;
    work.verify = 0;
    work.hash = 0;
    const r = await call(
      t,
      'POST',
      '/api/v1/sessions',
      { email, password: 'not the password at all' },
      { ip },
    );
    await Promise.all(pending.splice(0));
    return {
      status: r.status,
      body: r.body,
      statements: [...statements],
      verify: work.verify,
      hash: work.hash,
    };
  }

  it('same statements, same hashing: wrong password vs unknown address, and when throttled', async () => {
    const known = await account(t);
    const unknown = freshEmail('nobody');
    await measure(freshEmail('warm-up'), ipv4()); // the dummy hash is made once per process

    const wrong = await measure(known.email, ipv4());
    const none = await measure(unknown, ipv4());
    expect(wrong.status).toBe(401);
    expect(none.body).toEqual(wrong.body);
    expect(none.statements).toEqual(wrong.statements);
    expect([wrong.verify, wrong.hash]).toEqual([1, 0]);
    expect([none.verify, none.hash]).toEqual([1, 0]);
    expect(wrong.statements.some((s) => s.text.startsWith('INSERT INTO activity'))).toBe(true);

    // Over the per-account limit (10 in 15 minutes): still the same, and no password is checked.
    for (let i = 0; i < 10; i++) {
      await measure(known.email, ipv4());
      await measure(unknown, ipv4());
    }
    const throttledKnown = await measure(known.email, ipv4());
    const throttledUnknown = await measure(unknown, ipv4());
    expect(throttledKnown.body.error?.code).toBe('auth.throttled');
    expect(throttledUnknown.body).toEqual(throttledKnown.body);
    expect(throttledUnknown.statements).toEqual(throttledKnown.statements);
    expect([throttledKnown.verify, throttledUnknown.verify]).toEqual([0, 0]);

    // The owner still sees the failed attempts in the activity.
    expect(
      await eventually(t, async () => {
        const kinds = await t.app.deps.db.query<{ kind: string }>(
          `SELECT kind FROM activity a JOIN accounts c ON c.id = a.account_id WHERE c.email = $1`,
          [known.email],
        );
        return (
          kinds.filter((k) => k.kind === 'signin.wrong_password').length === 10 &&
          kinds.some((k) => k.kind === 'signin.throttled')
        );
      }),
    ).toBe(true);
  });
});
