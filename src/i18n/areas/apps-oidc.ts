/** Texts of the apps capability (apps-oidc): the OpenID Connect provider's interaction pages (sign in to an app, consent). */
export const appsOidcEn = {} as const;

export const appsOidcJa: Record<keyof typeof appsOidcEn, string> = {};
