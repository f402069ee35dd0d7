import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { housekeeping } from '../../src/storage/housekeeping.ts';
import { createTestApp, signedUpAccount, type TestApp } from '../support/harness.ts';

describe('housekeeping', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('removes activity past retention and expired sessions, keeps the rest', async () => {
    const { token } = await signedUpAccount(t);
    const before = (await t.app.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM activity'))[0]!
      .n;
    expect(before).toBeGreaterThan(0);
    expect((await housekeeping(t.app.deps)).activity).toBe(0);
    t.clock.advance(91 * 24 * 3600_000);
    const removed = await housekeeping(t.app.deps);
    expect(removed.activity).toBe(before);
    expect(removed.sessions).toBeGreaterThanOrEqual(1);
    expect((await t.api('GET', '/api/v1/me', undefined, token)).status).toBe(401);
    expect(await housekeeping(t.app.deps)).toMatchObject({ activity: 0, sessions: 0 });
  });
});
