import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { browserCookie, safeNext } from './web-helpers.ts';

/**
 * The way back to the organisation's "required" page (`/security/required`, organisations/http) from the
 * add-method pages of security-info: while a member works through what their organisation requires, a
 * cookie holds where they were going, and each add page, once the method is verified, leads back to the
 * required page instead of the overview. Shared here because one capability's http/ never imports another's.
 */
export const REQUIRED_RETURN_COOKIE = 'mamori_required_next';

/** Remembers `next` (a safe local path) for an hour while the member adds what is required. */
export function rememberRequiredReturn(deps: Pick<Deps, 'config'>, reply: FastifyReply, next: string): void {
  reply.setCookie(REQUIRED_RETURN_COOKIE, safeNext(next), browserCookie(deps, 3600));
}

/** Forgets the way back (the member met the policy or went on). */
export function forgetRequiredReturn(reply: FastifyReply): void {
  reply.clearCookie(REQUIRED_RETURN_COOKIE, { path: '/' });
}

/**
 * Where an add-method page goes once the method is verified: back to the required page, or `fallback`. The
 * fallback's `done=` (what was just added: `verified`, `totp`, `passkey`) goes along as `added=`, so the
 * required page can say that it worked.
 */
export function afterMethodAdded(req: FastifyRequest, fallback: string): string {
  const next = req.cookies[REQUIRED_RETURN_COOKIE];
  if (!next) return fallback;
  const done = new URL(fallback, 'http://x').searchParams.get('done');
  const added = done ? `&added=${encodeURIComponent(done)}` : '';
  return `/security/required?next=${encodeURIComponent(safeNext(next))}${added}`;
}
