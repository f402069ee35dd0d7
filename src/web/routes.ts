import type { FastifyInstance } from 'fastify';
import { accountRoutes } from '../accounts/http/account-routes.tsx';
import { signupRoutes } from '../accounts/http/signup-routes.tsx';
import type { Deps } from '../deps.ts';
import { secondFactorRoutes } from '../sessions/http/second-factor-routes.tsx';
import { signinRoutes } from '../sessions/http/signin-routes.tsx';
import { activityRoutes } from './activity-routes.tsx';
import { checkupRoutes } from './checkup-routes.tsx';
import { devRoutes } from './dev-routes.tsx';
import { forgotRoutes } from './forgot-routes.tsx';
import { homeRoutes } from './home-routes.ts';
import { messagesRoutes } from './messages-routes.tsx';
import { noticesRoutes } from './notices-routes.tsx';
import { operatorRoutes } from './operator-routes.tsx';
import { passkeyRoutes } from './passkey-routes.tsx';
import { recoveryFormRoutes } from './recovery-form-routes.tsx';
import { replacementRoutes } from './replacement-routes.tsx';
import { securityRoutes } from './security-routes.tsx';
import { twoStepRoutes } from './two-step-routes.tsx';

/** The server-rendered web UI: every page works without JavaScript; every form carries a CSRF token. */
export function webRoutes(web: FastifyInstance, deps: Deps): void {
  homeRoutes(web);
  signinRoutes(web, deps);
  signupRoutes(web, deps);
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
