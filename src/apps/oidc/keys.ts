import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import type { Deps } from '../../deps.ts';
import { newId } from '../../kernel/random.ts';
import { appsCipher } from '../cipher.ts';
import type { ProviderSigner } from '../model.ts';
import {
  deleteRetiredKeys,
  insertActiveKeyIfNone,
  listPublishedKeys,
  rotateActiveKey,
} from '../store/oidc-keys.ts';
import { LONGEST_TOKEN_LIFETIME } from './lifetimes.ts';

/** The algorithm of the provider's signing keys (ID tokens, logout tokens, Security Event Tokens). */
export const SIGNING_ALG = 'RS256';

/** The provider's keys: private ones for signing (oidc-provider's `jwks`), public ones for the JWKS. */
export interface ProviderKeys extends ProviderSigner {
  /** Private JWKs (with `kid`, `alg`, `use: 'sig'`), the active key first. */
  privateJwks(): Promise<{ keys: JWK[] }>;
  /** The same keys without their private parts, as published at the JWKS endpoint. */
  publicJwks(): Promise<{ keys: JWK[] }>;
}

/**
 * The provider's signing keys, kept in `oidc_keys` with the private part encrypted. At first use an RS256 key
 * is generated; instances starting at once create exactly one (a unique index on the active key). Keys are
 * read from the database at most once per `cacheMs` (ms, default 60 s), so a rotation made elsewhere is seen.
 */
export function createProviderSigner(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random'>,
  o: { cacheMs?: number } = {},
): ProviderKeys {
  const cipher = appsCipher(deps.config.secret);
  const cacheMs = o.cacheMs ?? 60_000;
  let cached: { at: number; keys: JWK[] } | null = null;

  async function load(): Promise<JWK[]> {
    const now = deps.clock.now();
    // A clock set back (a test's, or a corrected host clock) counts as expired, not as fresh.
    const age = cached ? now.getTime() - cached.at : -1;
    if (cached && age >= 0 && age < cacheMs) return cached.keys;
    let rows = await listPublishedKeys(deps.db, now);
    if (!rows.some((r) => r.status === 'active' && r.alg === SIGNING_ALG)) {
      const jwk = await newSigningJwk(deps);
      await insertActiveKeyIfNone(deps.db, {
        kid: jwk.kid,
        alg: SIGNING_ALG,
        privateJwk: cipher.encrypt(JSON.stringify(jwk)),
        now,
      });
      rows = await listPublishedKeys(deps.db, now);
    }
    const keys = rows.map((r) => JSON.parse(cipher.decrypt(r.private_jwk)) as JWK);
    cached = { at: now.getTime(), keys };
    return keys;
  }

  return {
    issuer: deps.config.publicUrl,
    async privateJwks() {
      return { keys: await load() };
    },
    async publicJwks() {
      return {
        keys: (await load()).map(({ kid, alg, use, kty, n, e, crv, x, y }) =>
          JSON.parse(JSON.stringify({ kid, alg, use, kty, n, e, crv, x, y })),
        ),
      };
    },
    async signJwt(claims, typ) {
      const active = (await load())[0];
      if (!active?.kid) throw new Error('the provider has no signing key');
      const key = await importJWK(active, SIGNING_ALG);
      return new SignJWT(claims).setProtectedHeader({ alg: SIGNING_ALG, kid: active.kid, typ }).sign(key);
    },
  };
}

/** A new RS256 private JWK (2048-bit modulus) with its `kid`, `alg` and `use`. */
async function newSigningJwk(deps: Pick<Deps, 'random'>): Promise<JWK & { kid: string }> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true, modulusLength: 2048 });
  return { ...(await exportJWK(privateKey)), kid: newId(deps.random, 'key'), alg: SIGNING_ALG, use: 'sig' };
}

/**
 * Rotates the provider's signing key (`npm run oidc:rotate-keys`): a new RS256 key becomes active at once;
 * the previous active key becomes `retiring`, still published in the JWKS until now + 2 × the longest token
 * lifetime (apps/oidc/lifetimes.ts), so everything it signed keeps verifying; keys past that are deleted.
 * Instances see the new key within their key cache (60 s) and sign with it from then on.
 */
export async function rotateSigningKey(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random'>,
): Promise<{ kid: string; retired: string[]; retireAfter: Date; deleted: number }> {
  const cipher = appsCipher(deps.config.secret);
  const now = deps.clock.now();
  const retireAfter = new Date(now.getTime() + 2 * LONGEST_TOKEN_LIFETIME * 1000);
  const jwk = await newSigningJwk(deps);
  return deps.db.tx(async (tx) => {
    const deleted = await deleteRetiredKeys(tx, now);
    const { retired } = await rotateActiveKey(tx, {
      kid: jwk.kid,
      alg: SIGNING_ALG,
      privateJwk: cipher.encrypt(JSON.stringify(jwk)),
      now,
      retireAfter,
    });
    return { kid: jwk.kid, retired, retireAfter, deleted };
  });
}
