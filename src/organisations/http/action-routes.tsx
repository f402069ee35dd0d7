import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';

/** Pages of organisations: the admin actions on a member, temporary access passes, invitations. */
export function actionRoutes(
  _web: FastifyInstance,
  _deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {}
