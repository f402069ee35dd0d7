import Provider, { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import type { Deps } from '../../deps.ts';
import { hmac } from '../../kernel/crypto.ts';
import { boundMamoriSession } from '../store/oidc-payloads.ts';
import { providerAdapter } from './adapter.ts';
import { findAccountClaims, SCOPE_CLAIMS } from './claims.ts';
import type { ProviderKeys } from './keys.ts';
import { TTL } from './lifetimes.ts';
import { guardedFetch } from './outgoing.ts';
import { ACR_PASSWORD, ACR_TWO_FACTOR } from './proof.ts';
import { currentScope } from './request-scope.ts';

/** Where the provider's endpoints live (issuer = PUBLIC_URL; discovery at /.well-known/openid-configuration). */
export const OIDC_ROUTES = {
  authorization: '/oidc/auth',
  token: '/oidc/token',
  userinfo: '/oidc/userinfo',
  jwks: '/oidc/jwks',
  revocation: '/oidc/token/revocation',
  introspection: '/oidc/token/introspection',
  end_session: '/oidc/session/end',
} as const;

/** The interaction page of an authorization request (src/apps/http/oidc-interaction-routes.tsx). */
export function interactionPath(uid: string): string {
  return `/oidc/interaction/${uid}`;
}

/** The pages the provider draws itself, given by the HTTP edge (Mamori's look, ja/en). */
export interface ProviderViews {
  logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void>;
  postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void>;
  renderError(ctx: KoaContextWithOIDC, out: Record<string, string>, error: Error): Promise<void>;
}

/**
 * Mamori's OpenID Connect provider: oidc-provider (OpenID Certified) configured for the authorization code
 * flow only, PKCE (S256) required of every client, refresh tokens rotated at each use (a reused one revokes
 * its grant), opaque access tokens, userinfo, revocation (RFC 7009), introspection (RFC 7662), RP-initiated
 * logout and back-channel logout (OpenID Connect RP-Initiated Logout 1.0, Back-Channel Logout 1.0).
 * Implicit, password, client-credentials and device grants, dynamic registration and the development
 * interactions are off. Signing keys from `keys` (the active one first); cookies signed with a key derived
 * from MAMORI_SECRET, `secure` when PUBLIC_URL is https.
 *
 * The login prompt also asks for Mamori's own proof when the browser's Mamori session is not the one the
 * provider session was bound to (signed out, ended elsewhere, another account) or is held by its
 * organisation (the interaction page then leads to the hold's page), and when acr_values asks
 * urn:mamori:acr:2fa of a session that reached only urn:mamori:acr:pwd.
 */
export function createProvider(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'log'>,
  jwks: Awaited<ReturnType<ProviderKeys['privateJwks']>>,
  views: ProviderViews,
): Provider {
  const https = deps.config.publicUrl.startsWith('https://');
  const policy = interactionPolicy.base();
  const login = policy.get('login');
  login?.checks.add(
    new interactionPolicy.Check(
      'mamori_session',
      'the Mamori session the provider session was bound to has ended, changed or is held',
      async (ctx) => {
        const s = ctx.oidc.session;
        if (ctx.oidc.result?.login || !s?.accountId) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
        const current = currentScope()?.mamoriSession;
        // A session its organisation holds goes to the interaction page, which leads to the hold's page.
        if (!current || current.accountId !== s.accountId || current.held)
          return interactionPolicy.Check.REQUEST_PROMPT;
        // A resume rotates the session id (session fixation) before this check runs, and the row under the
        // new id is only written when the request ends: the binding is still under the old one.
        return (await boundMamoriSession(deps.db, s.oldId ?? s.id)) === current.publicId
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT;
      },
    ),
  );
  login?.checks.add(
    new interactionPolicy.Check('mamori_acr', 'a second factor was asked for', (ctx) => {
      const asked = String(ctx.oidc.params?.acr_values ?? '').split(' ');
      return asked.includes(ACR_TWO_FACTOR) &&
        ctx.oidc.session?.acr !== ACR_TWO_FACTOR &&
        !ctx.oidc.result?.login
        ? interactionPolicy.Check.REQUEST_PROMPT
        : interactionPolicy.Check.NO_NEED_TO_PROMPT;
    }),
  );

  const provider = new Provider(deps.config.publicUrl, {
    adapter: providerAdapter(deps),
    jwks,
    findAccount: (_ctx: unknown, sub: string) => findAccountClaims(deps, sub),
    // acr, amr and auth_time in every ID token (the openid scope), not only when asked for.
    claims: { ...SCOPE_CLAIMS, openid: ['sub', 'acr', 'amr', 'auth_time'], sid: null },
    scopes: ['openid', 'email', 'profile', 'phone', 'offline_access'],
    acrValues: [ACR_PASSWORD, ACR_TWO_FACTOR],
    responseTypes: ['code'],
    pkce: { required: () => true },
    routes: OIDC_ROUTES,
    ttl: TTL,
    // A refresh token for every client allowed the refresh_token grant (no offline_access ceremony); rotated
    // at each use, and a rotated one used again revokes the grant (oidc-provider's reuse detection).
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(g: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: 'RS256',
      token_endpoint_auth_method: 'client_secret_basic',
    },
    cookies: {
      keys: [hmac(deps.config.secret, 'mamori oidc-provider cookies')],
      long: { httpOnly: true, sameSite: 'lax', secure: https },
      short: { httpOnly: true, sameSite: 'lax', secure: https },
      names: { session: 'mamori_oidc', interaction: 'mamori_oidc_interaction', resume: 'mamori_oidc_resume' },
    },
    interactions: { policy, url: async (_ctx: unknown, i: { uid: string }) => interactionPath(i.uid) },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: false },
      clientCredentials: { enabled: false },
      deviceFlow: { enabled: false },
      resourceIndicators: { enabled: false },
      userinfo: { enabled: true },
      // A client may introspect or revoke only the tokens issued to it: apps of different organisations
      // never learn about each other's users (oidc-provider's default lets any confidential client introspect
      // any token).
      revocation: { enabled: true, allowedPolicy: ownTokensOnly },
      introspection: { enabled: true, allowedPolicy: ownTokensOnly },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: views.logoutSource,
        postLogoutSuccessSource: views.postLogoutSuccessSource,
      },
    },
    renderError: views.renderError,
    // CORS for browser-based apps: their own registered origins, at userinfo and for public clients.
    clientBasedCORS: (
      ctx: KoaContextWithOIDC,
      origin: string,
      client: { clientAuthMethod: string; redirectUris: string[] },
    ) =>
      origin !== 'null' &&
      (ctx.oidc.route === 'userinfo' || client.clientAuthMethod === 'none') &&
      client.redirectUris.some((uri) => URL.canParse(uri) && new URL(uri).origin === origin),
    // Back-channel logout tokens the provider sends itself (at RP-initiated logout): no SSRF.
    fetch: guardedFetch(deps),
    // Tokens stay valid for their own lifetime even if the provider's cookie session ends; what ends them
    // is Mamori (deleting their rows), see docs/flows/apps-oidc.md.
    expiresWithSession: async () => false,
  });
  // Every URL the provider draws comes from PUBLIC_URL (the edge rewrites Host and the scheme), never from a
  // request's Host header.
  provider.proxy = true;
  provider.on('server_error', (_ctx, err) => deps.log.error({ err }, 'openid connect provider error'));
  provider.on('backchannel.error', (_ctx, err, client) =>
    deps.log.warn(
      { err, clientId: (client as { clientId?: string } | undefined)?.clientId },
      'back-channel logout failed',
    ),
  );
  return provider;
}

/** Introspection and revocation allowed only for a token issued to the asking client. */
async function ownTokensOnly(
  _ctx: unknown,
  client: { clientId: string },
  token: { clientId?: string },
): Promise<boolean> {
  return token.clientId === client.clientId;
}
