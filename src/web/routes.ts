import type { FastifyInstance } from 'fastify';
import { accountRoutes } from '../accounts/http/account-routes.tsx';
import { passwordRoutes } from '../accounts/http/password-routes.tsx';
import { signupRoutes } from '../accounts/http/signup-routes.tsx';
import { activityRoutes } from '../activity/http/routes.tsx';
import { appsWebRoutes } from '../apps/http/routes.ts';
import { checkupRoutes } from '../checkup/http/routes.tsx';
import type { Deps } from '../deps.ts';
import { noticesRoutes } from '../notices/http/routes.tsx';
import { messagesRoutes } from '../notifications/http/routes.tsx';
import type { DevMessageReader } from '../notifications/ports.ts';
import { operatorRoutes } from '../operator/http/routes.tsx';
import { organisationRoutes } from '../organisations/http/routes.tsx';
import { forgotRoutes } from '../recovery/http/routes.tsx';
import { recoveryFormRoutes } from '../recovery-form/http/routes.tsx';
import { replacementRoutes } from '../replacement/http/routes.tsx';
import { passkeyRoutes } from '../security-info/http/passkey-routes.tsx';
import { securityInfoRoutes } from '../security-info/http/routes.tsx';
import { twoStepRoutes } from '../security-info/http/two-step-routes.tsx';
import { reauthRoutes } from '../sessions/http/reauth-routes.tsx';
import { secondFactorRoutes } from '../sessions/http/second-factor-routes.tsx';
import { sessionsRoutes } from '../sessions/http/sessions-routes.tsx';
import { signinRoutes } from '../sessions/http/signin-routes.tsx';
import { trustedDevicesRoutes } from '../sessions/http/trusted-devices-routes.tsx';
import { devRoutes } from './dev-routes.tsx';
import { homeRoutes } from './home-routes.ts';

/** What the edge needs from the adapters, wired by app.ts (the edge never imports an adapter). */
export interface WebEdgePorts {
  devMessages: DevMessageReader;
}

/** The server-rendered web UI: every page works without JavaScript; every form carries a CSRF token. */
export function webRoutes(web: FastifyInstance, deps: Deps, edge: WebEdgePorts): void {
  homeRoutes(web);
  signinRoutes(web, deps);
  signupRoutes(web, deps);
  secondFactorRoutes(web, deps);
  securityInfoRoutes(web, deps);
  reauthRoutes(web, deps);
  passwordRoutes(web, deps);
  sessionsRoutes(web, deps);
  accountRoutes(web, deps);
  twoStepRoutes(web, deps);
  trustedDevicesRoutes(web, deps);
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
  organisationRoutes(web, deps);
  appsWebRoutes(web, deps);
}
