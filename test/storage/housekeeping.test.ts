import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteExpiredProviderRows } from '../../src/apps/oidc/housekeeping.ts';
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

describe('housekeeping of the apps capability', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  it('removes expired provider rows, retired keys and delivered app deliveries past 30 days, keeps the rest', async () => {
    const db = t.app.deps.db;
    const now = t.clock.now();
    const at = (days: number) => new Date(now.getTime() + days * 24 * 3600_000);
    await db.query(
      `INSERT INTO oidc_payloads (model, id, payload, expires_at) VALUES
         ('AccessToken', 'gone', '{}', $1), ('AccessToken', 'kept', '{}', $2), ('Grant', 'forever', '{}', NULL)`,
      [at(-1), at(1)],
    );
    await db.query(
      `INSERT INTO oidc_keys (kid, alg, private_jwk, status, created_at, retire_after) VALUES
         ('old', 'ES256', 'x', 'retiring', $1, $2), ('recent', 'PS256', 'x', 'retiring', $1, $3)`,
      [at(-60), at(-1), at(1)],
    );
    const delivery = (id: string, status: string, sentAt: Date | null) =>
      db.query(
        `INSERT INTO app_deliveries (id, reference, kind, recipient, body_text, status, next_attempt_at, created_at, sent_at)
         VALUES ($1, $1, 'webhook', 'whe_1', '', $2, $3, $3, $4)`,
        [id, status, at(-40), sentAt],
      );
    await delivery('d_old', 'sent', at(-31));
    await delivery('d_new', 'sent', at(-29));
    await delivery('d_parked', 'parked', null);
    // app.ts adds the provider's rows as a task of the round, as here.
    const removed = await housekeeping(t.app.deps, {
      oidc_payloads: () => deleteExpiredProviderRows(t.app.deps),
    });
    expect(removed).toMatchObject({ oidc_payloads: 1, oidc_keys: 1, app_deliveries: 1 });
    const left = async (q: string) => (await db.query<{ id: string }>(q)).map((r) => r.id).sort();
    expect(await left('SELECT id FROM oidc_payloads')).toEqual(['forever', 'kept']);
    expect(await left('SELECT kid AS id FROM oidc_keys')).toContain('recent');
    expect(await left('SELECT id FROM app_deliveries')).toEqual(['d_new', 'd_parked']);
  });
});
