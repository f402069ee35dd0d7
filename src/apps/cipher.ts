import { type Cipher, createCipher } from '../kernel/cipher.ts';

/**
 * The cipher of the apps capability's secrets at rest: the provider's private keys, client secrets, webhook
 * secrets and receivers' tokens (AES-256-GCM, key derived from MAMORI_SECRET with the purpose `apps`).
 */
export function appsCipher(secret: string): Cipher {
  return createCipher(secret, 'apps');
}
