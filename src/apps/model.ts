/**
 * The shapes shared by the apps capability (docs/apps.md): relying applications registered as OpenID Connect
 * clients, webhook endpoints and shared-signals receivers. Each part owns its own files: `oidc/` the provider,
 * `registry/` the registrations, `delivery/` webhooks, Security Event Tokens and back-channel logouts.
 */

/** A client's registered metadata (OpenID Connect Dynamic Client Registration 1.0 §2 names), as stored. */
export interface ClientMetadata {
  /** Exact redirect URIs (compared as strings, RFC 9700 §4.1.3). */
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  /** OpenID Connect Back-Channel Logout 1.0: where logout tokens are POSTed. */
  backchannel_logout_uri?: string;
  backchannel_logout_session_required?: boolean;
  /** `none`: a public client (PKCE required); otherwise a confidential client with a secret. */
  token_endpoint_auth_method: 'none' | 'client_secret_basic' | 'client_secret_post';
  grant_types: ('authorization_code' | 'refresh_token')[];
  response_types: ['code'];
  application_type: 'web' | 'native';
}

/** A registered client. `orgId` null: registered by an operator for the whole deployment. */
export interface AppClient {
  clientId: string;
  orgId: string | null;
  name: string;
  metadata: ClientMetadata;
  /** The client secret in clear (decrypted), for confidential clients only. */
  secret: string | null;
  disabled: boolean;
}

/**
 * Signs JWTs with the provider's current signing key (the one its JWKS publishes): Security Event Tokens
 * (RFC 8417) and back-channel logout tokens. Built by `oidc/keys.ts`, wired by app.ts.
 */
export interface ProviderSigner {
  /** The provider's issuer identifier (`iss`). */
  readonly issuer: string;
  /** A compact JWS of `claims` with header `typ` (e.g. `secevent+jwt`, `logout+jwt`), RS256. */
  signJwt(claims: Record<string, unknown>, typ: string): Promise<string>;
}
