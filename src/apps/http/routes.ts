import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { appsConsoleRoutes } from './console-routes.tsx';
import { deliveryRoutes } from './delivery-routes.tsx';
import { oidcRoutes } from './oidc-routes.ts';

/**
 * The HTTP edge of the apps capability (docs/apps.md). `oidc` is registered by app.ts in a scope of its own
 * (the provider reads its own request bodies); the console pages ride the web UI's plumbing.
 */
export const appsOidcRoutes = oidcRoutes;

/** The apps pages inside the web UI (CSRF, sessions, pages): registrations and the delivery log. */
export function appsWebRoutes(web: FastifyInstance, deps: Deps): void {
  appsConsoleRoutes(web, deps);
  deliveryRoutes(web, deps);
}
