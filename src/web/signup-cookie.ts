import type { Deps } from '../deps.ts';
import { browserCookie } from './web-helpers.ts';

/** The sign-up flow's cookie (its token), read by the sign-up pages and cleared by a sign-in. */
export const SIGNUP_COOKIE = 'mamori_signup';

/** The cookie options of the sign-up token (an hour, HTTP only, Secure behind https). */
export function signupCookieOptions(deps: Pick<Deps, 'config'>) {
  return browserCookie(deps, 3600);
}
