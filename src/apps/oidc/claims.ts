import type { ClaimsResult } from 'oidc-provider';
import { findAccountById } from '../../accounts/store.ts';
import type { Deps } from '../../deps.ts';
import { listMethods } from '../../security-info/store.ts';

/**
 * The scopes Mamori's provider offers and the claims each releases (OpenID Connect Core 1.0 §5.4):
 * `openid` → `sub` (the account id: stable, never the email); `email` → `email`, `email_verified`;
 * `profile` → `name` (the display name), `locale`, `zoneinfo`; `phone` → `phone_number` and
 * `phone_number_verified` (true) only when the account has a verified phone, else neither.
 */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: ['name', 'locale', 'zoneinfo'],
  phone: ['phone_number', 'phone_number_verified'],
} as const;

export type OidcScope = keyof typeof SCOPE_CLAIMS;

/**
 * oidc-provider's `findAccount`: the account read fresh at each call (ID token, userinfo), or undefined when
 * it no longer exists (the token is then refused). Claims outside the granted scopes are filtered by the
 * provider.
 */
export async function findAccountClaims(
  deps: Pick<Deps, 'db'>,
  sub: string,
): Promise<ClaimsResult | undefined> {
  if (sub.length > 100) return undefined;
  const account = await findAccountById(deps.db, sub);
  if (!account) return undefined;
  return {
    accountId: account.id,
    async claims(_use, scope) {
      const scopes = new Set(scope.split(' '));
      const phone = scopes.has('phone')
        ? (await listMethods(deps.db, account.id)).find((m) => m.kind === 'phone' && m.verifiedAt)
        : undefined;
      return {
        sub: account.id,
        email: account.email,
        email_verified: account.emailConfirmedAt !== null,
        name: account.displayName,
        locale: account.locale,
        zoneinfo: account.timeZone,
        ...(phone ? { phone_number: phone.value, phone_number_verified: true } : {}),
      };
    },
  };
}
