import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';

/** Pages of organisations: the organisation console: overview, policy, members and reports, audit log; the operator's organisation pages. */
export function consoleRoutes(
  _web: FastifyInstance,
  _deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {}
