import type { FastifyRequest } from 'fastify';
import { Type as T } from 'typebox';
import { AppError } from '../kernel/errors.ts';
import type { SessionView } from '../sessions/session-cache.ts';

/*
 * What every capability's JSON routes share (src/<capability>/http/api.ts): the signed-in session, the
 * security requirement that names it in the OpenAPI document, and the common field schemas.
 */

/** The request's session (from `Authorization: Bearer`), or AppError `auth.required` (401). */
export function requireSession(req: FastifyRequest): SessionView {
  if (!req.session) throw new AppError('auth.required');
  return req.session;
}

/** The OpenAPI security requirement of a route that needs a user session. */
export const SESSION_AUTH = { security: [{ session: [] }] };

/** A string of at most `max` characters (UTF-16 units). */
export const Str = (max: number) => T.String({ maxLength: max });

/** A one-time code as people type it. */
export const Code = T.String({
  maxLength: 32,
  description: '6-digit code; full-width digits, spaces and hyphens accepted',
});
