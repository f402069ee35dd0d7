import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import type { Sql } from '../storage/db.ts';

/** A signed-in operator of the console (reviewers and admins: separate from user accounts). */
export interface Operator {
  id: string;
  name: string;
  role: 'reviewer' | 'admin';
}

/**
 * The signed-in operator for a console page, or null after redirecting to /operator/sign-in.
 * (Implemented with the operator console.)
 */
export async function requireOperator(deps: Deps, req: FastifyRequest, reply: FastifyReply): Promise<Operator | null> {
  void deps;
  void req;
  await reply.redirect('/operator/sign-in', 303);
  return null;
}

/** Appends an entry to the operator audit log (inside the transaction of the action). */
export async function auditOperator(
  tx: Sql,
  operator: Operator,
  action: string,
  target: string,
  detail: Record<string, string> = {},
): Promise<void> {
  void tx;
  void operator;
  void action;
  void target;
  void detail;
}
