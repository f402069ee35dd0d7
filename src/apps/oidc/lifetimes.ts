/**
 * Lifetimes of the provider's artefacts, in seconds (oidc-provider `ttl`). Access tokens are short (opaque,
 * checked at every use); refresh tokens rotate at each use and the rotated one is kept to detect reuse.
 */
export const TTL = {
  AccessToken: 10 * 60,
  AuthorizationCode: 60,
  IdToken: 60 * 60,
  RefreshToken: 14 * 24 * 3600,
  Grant: 14 * 24 * 3600,
  Session: 14 * 24 * 3600,
  Interaction: 30 * 60,
} as const;

/**
 * The longest lifetime of anything the provider signs or that refers to a signing key (seconds): refresh
 * tokens outlive ID tokens, and an old ID token may come back as `id_token_hint` at logout for as long.
 */
export const LONGEST_TOKEN_LIFETIME = Math.max(TTL.IdToken, TTL.AccessToken, TTL.RefreshToken);
