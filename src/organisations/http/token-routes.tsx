import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';

/** Pages of organisations: the organisation's API tokens (create, shown once; revoke). */
export function tokenRoutes(
  _web: FastifyInstance,
  _deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {}
