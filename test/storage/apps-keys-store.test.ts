import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProviderSigner } from '../../src/apps/oidc/keys.ts';
import { loadConfig } from '../../src/config/config.ts';
import { ManualClock } from '../../src/kernel/clock.ts';
import { cryptoRandom } from '../../src/kernel/random.ts';
import type { Db } from '../../src/storage/db.ts';
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
});
