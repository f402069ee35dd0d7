import type { FastifyInstance } from 'fastify';
import { activityRoutes } from '../activity/http/routes.tsx';
import { checkupRoutes } from '../checkup/http/routes.tsx';
import type { Deps } from '../deps.ts';
import { noticesRoutes } from '../notices/http/routes.tsx';
import { messagesRoutes } from '../notifications/http/routes.tsx';
import type { DevMessageReader } from '../notifications/ports.ts';
import { operatorRoutes } from '../operator/http/routes.tsx';
import { accountRoutes } from './account-routes.tsx';
import { authRoutes } from './auth-routes.tsx';
import { devRoutes } from './dev-routes.tsx';
import { forgotRoutes } from './forgot-routes.tsx';
import { passkeyRoutes } from './passkey-routes.tsx';
import { recoveryFormRoutes } from './recovery-form-routes.tsx';
import { replacementRoutes } from './replacement-routes.tsx';
import { secondFactorRoutes } from './second-factor-routes.tsx';
import { securityRoutes } from './security-routes.tsx';
import { twoStepRoutes } from './two-step-routes.tsx';

/** What the web edge needs from the adapters, given by app.ts (the edge never imports src/adapters/). */
export interface WebEdgePorts {
  devMessages: DevMessageReader;
}

/** The server-rendered web UI: every page works without JavaScript; every form carries a CSRF token. */
export function webRoutes(web: FastifyInstance, deps: Deps, edge: WebEdgePorts): void {
  authRoutes(web, deps);
  secondFactorRoutes(web, deps);
  securityRoutes(web, deps);
  accountRoutes(web, deps);
  twoStepRoutes(web, deps);
  activityRoutes(web, deps);
  messagesRoutes(web, deps);
  passkeyRoutes(web, deps);
  forgotRoutes(web, deps);
  devRoutes(web, deps, edge.devMessages);
  replacementRoutes(web, deps);
  recoveryFormRoutes(web, deps);
  checkupRoutes(web, deps);
  noticesRoutes(web, deps);
  operatorRoutes(web, deps);
}
