import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';

/** The OpenID Connect provider under /oidc and its interaction pages (filled in by the oidc part). */
export async function oidcRoutes(_app: FastifyInstance, _deps: Deps): Promise<void> {}
