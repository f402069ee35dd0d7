import type { FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { ProviderRequestScope } from '../oidc/request-scope.ts';

/** The provider for the current signing keys: built at first use, rebuilt when the published keys change. */
export type ProviderSource = () => Promise<Provider>;

/** The request's scope for the provider: its Mamori session and language (apps/oidc/request-scope.ts). */
export function scopeOf(req: FastifyRequest): ProviderRequestScope {
  const s = req.session;
  return {
    mamoriSession: s
      ? {
          publicId: s.publicId,
          accountId: s.accountId,
          held: s.mustChangePassword === true || s.registrationHeld === true,
        }
      : null,
    locale: req.ctx.locale,
  };
}
