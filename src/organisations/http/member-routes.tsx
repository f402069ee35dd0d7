import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';

/** Pages of organisations: the member's pages: the sign-in interrupt, the organisation's requirements, why this matters. */
export function memberRoutes(
  _web: FastifyInstance,
  _deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {}
