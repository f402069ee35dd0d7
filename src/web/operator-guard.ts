import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { AppError } from '../kernel/errors.ts';
import {
  OPERATOR_COOKIE,
  type Operator,
  pendingOperatorSignIn,
  validateOperatorToken,
} from '../operator/operator-auth.ts';

/* The operator guards of the HTTP edge: a bearer token for the JSON API, the console cookie for pages. */

/** The operator of a bearer token (JSON API), or AppError 'operator.required'. */
export async function operatorFromBearer(
  deps: Pick<Deps, 'db' | 'clock'>,
  req: FastifyRequest,
): Promise<Operator> {
  const h = req.headers.authorization;
  const op = h?.startsWith('Bearer ') ? await validateOperatorToken(deps, h.slice(7).trim()) : null;
  if (!op) throw new AppError('operator.required');
  return op;
}

/**
 * The signed-in operator for a console page, or null after redirecting: to the enrolment or code page of a
 * pending sign-in, otherwise to /operator/sign-in.
 */
export async function requireOperator(
  deps: Pick<Deps, 'db' | 'clock'>,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<Operator | null> {
  const raw = req.cookies[OPERATOR_COOKIE];
  const op = await validateOperatorToken(deps, raw);
  if (op) return op;
  // Between the password and the code nothing opens: the sign-in continues where it stopped.
  const pending = raw ? await pendingOperatorSignIn(deps, raw) : null;
  if (pending) {
    await reply.redirect(
      pending.next === 'enrol' ? '/operator/sign-in/enrol' : '/operator/sign-in/code',
      303,
    );
    return null;
  }
  if (raw) reply.clearCookie(OPERATOR_COOKIE, { path: '/operator' });
  await reply.redirect('/operator/sign-in', 303);
  return null;
}
