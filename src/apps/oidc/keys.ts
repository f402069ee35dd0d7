import type { ProviderSigner } from '../model.ts';

/** The provider's signer (filled in with the provider's keys). */
export function createProviderSigner(issuer: string): ProviderSigner {
  return {
    issuer,
    async signJwt() {
      throw new Error('the provider has no signing keys yet');
    },
  };
}
