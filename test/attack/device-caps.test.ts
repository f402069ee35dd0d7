import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../../src/kernel/context.ts';
import { MAX_KNOWN_DEVICES, rememberDevice } from '../../src/sessions/known-devices.ts';
import { listTrustedDevices, MAX_TRUSTED_DEVICES, trustDevice } from '../../src/sessions/trusted-devices.ts';
import { createTestApp, type TestApp } from '../support/harness.ts';
import { account } from './support.ts';

/**
 * Per-account caps on device records, under concurrency on PostgreSQL: "don't ask again on this device"
 * (trusted devices) and known devices are kept at most 20 per account, the oldest dropped, whatever
 * arrives at once.
 */
const ctx: RequestContext = {
  ip: '10.0.0.1',
  userAgent: 'Mozilla/5.0 mamori-test',
  locale: 'ja',
  country: 'JP',
};

describe('device caps per account (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  const idOf = async (email: string) =>
    (await t.app.deps.db.query<{ id: string }>('SELECT id FROM accounts WHERE email = $1', [email]))[0]!.id;

  it('150 concurrent "trust this device": 20 kept, the older ones dropped', async () => {
    const a = await account(t);
    const id = await idOf(a.email);
    const deps = t.app.deps;
    const older: string[] = [];
    for (let i = 0; i < 5; i++) {
      older.push(await deps.db.tx((tx) => trustDevice(deps, tx, id, ctx)));
      t.clock.advance(1000);
    }
    t.clock.advance(60_000);
    await Promise.all(Array.from({ length: 150 }, () => deps.db.tx((tx) => trustDevice(deps, tx, id, ctx))));
    const kept = await listTrustedDevices(deps, id);
    expect(MAX_TRUSTED_DEVICES).toBe(20);
    expect(kept).toHaveLength(20);
    // The oldest trusts are gone: their devices are asked for the second proof again.
    const rows = await deps.db.query('SELECT 1 FROM trusted_devices WHERE account_id = $1', [id]);
    expect(rows).toHaveLength(20);
    expect(kept.every((d) => d.createdAt.getTime() === t.clock.now().getTime())).toBe(true);
  });

  it('150 concurrent known devices: 20 kept, the least recently used dropped', async () => {
    const a = await account(t);
    const id = await idOf(a.email);
    const deps = t.app.deps;
    await Promise.all(
      Array.from({ length: 150 }, () =>
        deps.db.tx((tx) => rememberDevice(deps, tx, id, randomBytes(32).toString('base64url'))),
      ),
    );
    const rows = await deps.db.query('SELECT 1 FROM known_devices WHERE account_id = $1', [id]);
    expect(MAX_KNOWN_DEVICES).toBe(20);
    expect(rows).toHaveLength(20);
  });
});
