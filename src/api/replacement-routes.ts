import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';

/** JSON API of this capability (being built), under /api/v1. */
export function replacementApiRoutes(v1: FastifyInstance, deps: Deps): void {
  void v1;
  void deps;
}
