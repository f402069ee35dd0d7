import type { FastifyReply } from 'fastify';
import type { Deps } from '../deps.ts';
import { browserCookie } from './web-helpers.ts';

/**
 * The trusted-device cookie, set by every page that ends with a device the owner proved (the second step
 * of a sign-in, a password reset, the recovery form's reset link): sessions/trusted-devices.ts.
 */
export const TRUSTED_DEVICE_COOKIE = 'mamori_td';

/** Keeps a device trust (sessions/trusted-devices.ts) in this browser for as long as it lasts. */
export function setTrustedDeviceCookie(deps: Pick<Deps, 'config'>, reply: FastifyReply, raw: string): void {
  reply.setCookie(TRUSTED_DEVICE_COOKIE, raw, browserCookie(deps, deps.config.trustedDeviceDays * 24 * 3600));
}
