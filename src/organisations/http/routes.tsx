import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { actionRoutes } from './action-routes.tsx';
import { consoleRoutes } from './console-routes.tsx';
import { memberRoutes } from './member-routes.tsx';
import { tokenRoutes } from './token-routes.tsx';

/** The web edge of organisations: the member's pages, the organisation console, the admin actions. */
export function organisationRoutes(
  web: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {
  memberRoutes(web, deps);
  consoleRoutes(web, deps);
  actionRoutes(web, deps);
  tokenRoutes(web, deps);
}
