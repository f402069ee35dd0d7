import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appsCipher } from '../../src/apps/cipher.ts';
import { deleteExpiredProviderRows } from '../../src/apps/oidc/housekeeping.ts';
import { createProviderSigner, rotateSigningKey } from '../../src/apps/oidc/keys.ts';
import { LONGEST_TOKEN_LIFETIME } from '../../src/apps/oidc/lifetimes.ts';
import { findPayload, upsertPayload } from '../../src/apps/store/oidc-payloads.ts';
import { loadConfig } from '../../src/config/config.ts';
import { ManualClock } from '../../src/kernel/clock.ts';
import { cryptoRandom } from '../../src/kernel/random.ts';
import type { Db } from '../../src/storage/db.ts';
import { rotateSecret } from '../../src/storage/rotate-secret.ts';
import { openTestStore, type StoreKind } from '../support/databases.ts';

/** The provider's signing keys (apps/oidc/keys.ts over store/oidc-keys.ts), on PGlite and PostgreSQL. */

const config = loadConfig({
  NODE_ENV: 'test',
  MAMORI_SECRET: 'test-secret-test-secret-test-secret-0123',
  PUBLIC_URL: 'http://mamori.test',
});

describe.each<StoreKind>(['pglite', 'postgres'])('provider keys on %s', (kind) => {
  let db: Db;
  let close: () => Promise<void>;
  const clock = new ManualClock('2026-11-30T00:00:00Z');
  beforeAll(async () => {
    ({ db, close } = await openTestStore(kind));
  });
  afterAll(() => close());

  it('instances using the keys at once on an empty table create exactly one active key', async () => {
    const signers = Array.from({ length: kind === 'postgres' ? 20 : 4 }, () =>
      createProviderSigner({ config, db, clock, random: cryptoRandom }),
    );
    const kids = await Promise.all(signers.map(async (s) => (await s.publicJwks()).keys[0]?.kid));
    expect(new Set(kids).size).toBe(1);
    const rows = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM oidc_keys WHERE status = 'active'",
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('signs with the published key; the private parts are not published and are stored encrypted', async () => {
    const signer = createProviderSigner({ config, db, clock, random: cryptoRandom });
    const jwt = await signer.signJwt({ iss: signer.issuer, sub: 'acc_1' }, 'secevent+jwt');
    const jwks = await signer.publicJwks();
    for (const k of jwks.keys) expect(Object.keys(k)).not.toContain('d');
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(jwks), {
      issuer: 'http://mamori.test',
      typ: 'secevent+jwt',
    });
    expect(payload.sub).toBe('acc_1');
    expect(protectedHeader.alg).toBe('RS256');
    const stored = await db.query<{ private_jwk: string }>('SELECT private_jwk FROM oidc_keys');
    for (const r of stored) expect(r.private_jwk).not.toContain('"d"');
  });

  it('a rotation makes a new key active; the old one still verifies what it signed until it retires', async () => {
    const deps = { config, db, clock, random: cryptoRandom };
    const before = createProviderSigner(deps, { cacheMs: 0 });
    const oldJwt = await before.signJwt({ iss: before.issuer, sub: 'acc_old' }, 'logout+jwt');
    const oldKid = (await before.publicJwks()).keys[0]?.kid;
    const r = await rotateSigningKey(deps);
    expect(r.retired).toEqual([oldKid]);
    expect(r.retireAfter.getTime() - clock.now().getTime()).toBe(2 * LONGEST_TOKEN_LIFETIME * 1000);
    const after = createProviderSigner(deps, { cacheMs: 0 });
    const jwks = await after.publicJwks();
    expect(jwks.keys.map((k) => k.kid)).toEqual([r.kid, oldKid]);
    const newJwt = await after.signJwt({ iss: after.issuer, sub: 'acc_new' }, 'logout+jwt');
    for (const jwt of [oldJwt, newJwt])
      await jwtVerify(jwt, createLocalJWKSet(jwks), { issuer: 'http://mamori.test' });
    expect(JSON.parse(Buffer.from(newJwt.split('.')[0] as string, 'base64url').toString()).kid).toBe(r.kid);
    // Past retire_after the old key is no longer published, and the next rotation deletes it.
    clock.advance(2 * LONGEST_TOKEN_LIFETIME * 1000 + 1000);
    const later = createProviderSigner(deps, { cacheMs: 0 });
    expect((await later.publicJwks()).keys.map((k) => k.kid)).toEqual([r.kid]);
    await expect(jwtVerify(oldJwt, createLocalJWKSet(await later.publicJwks()))).rejects.toThrow();
    expect((await rotateSigningKey(deps)).deleted).toBeGreaterThanOrEqual(1);
  });

  it('rotating MAMORI_SECRET re-encrypts the private keys and the clients’ secrets', async () => {
    const newSecret = 'n'.repeat(40);
    await db.query(
      `INSERT INTO app_clients (client_id, name, metadata, secret, created_at) VALUES ('app_rot', 'A', '{}', $1, now())`,
      [appsCipher(config.secret).encrypt('client-secret')],
    );
    const r = await rotateSecret(db, config.secret, newSecret);
    expect(r.appSecrets).toBeGreaterThanOrEqual(2);
    const [c] = await db.query<{ secret: string }>(
      `SELECT secret FROM app_clients WHERE client_id = 'app_rot'`,
    );
    expect(appsCipher(newSecret).decrypt(c?.secret as string)).toBe('client-secret');
    const moved = createProviderSigner(
      { config: { ...config, secret: newSecret }, db, clock, random: cryptoRandom },
      { cacheMs: 0 },
    );
    expect((await moved.publicJwks()).keys.length).toBeGreaterThan(0);
    // Back, so the other tests of this store read the keys with the usual secret.
    await rotateSecret(db, newSecret, config.secret);
  });

  it('expired provider rows are ignored at once and deleted by housekeeping', async () => {
    const row = (id: string, expiresAt: Date) => ({
      model: 'AccessToken',
      id,
      payload: { jti: id },
      accountId: 'acc_x',
      grantId: null,
      uid: null,
      userCode: null,
      mamoriSession: null,
      sessionUid: null,
      expiresAt,
    });
    await upsertPayload(db, row('at_old', new Date(clock.now().getTime() - 1000)));
    await upsertPayload(db, row('at_new', new Date(clock.now().getTime() + 60_000)));
    expect(await findPayload(db, 'AccessToken', { id: 'at_old' }, clock.now())).toBeNull();
    expect(await findPayload(db, 'AccessToken', { id: 'at_new' }, clock.now())).not.toBeNull();
    expect(await deleteExpiredProviderRows({ db, clock })).toBe(1);
    const left = await db.query<{ id: string }>(`SELECT id FROM oidc_payloads WHERE account_id = 'acc_x'`);
    expect(left.map((r) => r.id)).toEqual(['at_new']);
  });
});
