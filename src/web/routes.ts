import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { forgotRoutes } from '../recovery/http/routes.tsx';
import { recoveryFormRoutes } from '../recovery-form/http/routes.tsx';
import { replacementRoutes } from '../replacement/http/routes.tsx';
import { accountRoutes } from './account-routes.tsx';
import { activityRoutes } from './activity-routes.tsx';
import { authRoutes } from './auth-routes.tsx';
import { checkupRoutes } from './checkup-routes.tsx';
import { devRoutes } from './dev-routes.tsx';
import { messagesRoutes } from './messages-routes.tsx';
import { noticesRoutes } from './notices-routes.tsx';
import { operatorRoutes } from './operator-routes.tsx';
import { passkeyRoutes } from './passkey-routes.tsx';
import { secondFactorRoutes } from './second-factor-routes.tsx';
import { securityRoutes } from './security-routes.tsx';
import { twoStepRoutes } from './two-step-routes.tsx';

/** The server-rendered web UI: every page works without JavaScript; every form carries a CSRF token. */
export function webRoutes(web: FastifyInstance, deps: Deps): void {
  authRoutes(web, deps);
  secondFactorRoutes(web, deps);
  securityRoutes(web, deps);
  accountRoutes(web, deps);
  twoStepRoutes(web, deps);
  activityRoutes(web, deps);
  messagesRoutes(web, deps);
  passkeyRoutes(web, deps);
  forgotRoutes(web, deps);
  devRoutes(web, deps);
  replacementRoutes(web, deps);
  recoveryFormRoutes(web, deps);
  checkupRoutes(web, deps);
  noticesRoutes(web, deps);
  operatorRoutes(web, deps);
}
