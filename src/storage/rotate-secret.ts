import { countRecoveryCodes } from '../accounts/store.ts';
import { reencryptClientSecrets } from '../apps/store/oidc-clients.ts';
import { reencryptProviderKeys } from '../apps/store/oidc-keys.ts';
import { createCipher } from '../kernel/cipher.ts';
import { reencryptOutboxBodies } from '../notifications/store.ts';
import { reencryptOperatorSecrets } from '../operator/store.ts';
import { reencryptTotpSecrets } from '../security-info/store.ts';
import type { Db } from './db.ts';

/**
 * Re-encrypts what is encrypted under MAMORI_SECRET — authenticator secrets (accounts' and operators'),
 * pending outbox bodies, the OpenID Connect provider's private keys and client secrets — from the old secret to the new one, in one transaction, each through its owner's
 * store. Recovery codes are HMACs of codes nobody stores, so they cannot be carried over: their owners must
 * create new ones (returned count).
 */
export async function rotateSecret(db: Db, oldSecret: string, newSecret: string) {
  const rewrap = (purpose: string) => {
    const from = createCipher(oldSecret, purpose);
    const to = createCipher(newSecret, purpose);
    return (sealed: string) => to.encrypt(from.decrypt(sealed));
  };
  return db.tx(async (tx) => {
    const methods = await reencryptTotpSecrets(tx, rewrap('totp-secret'));
    // Operators' authenticators, and the ones being enrolled during a sign-in.
    const operators = await reencryptOperatorSecrets(tx, rewrap('operator-totp'));
    const messages = await reencryptOutboxBodies(tx, rewrap('outbox'));
    // The OpenID Connect provider's signing keys and the clients' secrets (src/apps/, purpose `apps`).
    const appSecrets =
      (await reencryptProviderKeys(tx, rewrap('apps'))) + (await reencryptClientSecrets(tx, rewrap('apps')));
    return {
      authenticators: methods + operators,
      messages,
      appSecrets,
      recoveryCodesToRenew: await countRecoveryCodes(tx),
    };
  });
}
