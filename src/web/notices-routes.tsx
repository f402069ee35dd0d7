import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';

/** Web pages of this capability (being built). */
export function noticesRoutes(web: FastifyInstance, deps: Deps): void {
  void web;
  void deps;
}
