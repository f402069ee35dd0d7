import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type as T } from 'typebox';
import { Code, requireSession, SESSION_AUTH, Str } from '../../api/kit.ts';
import { AUTH, CODE_SEND, DateTime, errors, PHONE_SEND, TOTP_CHECK } from '../../api/schema.ts';
import type { Deps } from '../../deps.ts';
import { reauthWithCode, reauthWithPassword, sendReauthCode } from '../reauth.ts';

/** Fresh proof (step-up) under /api/v1: POST /reauth, /reauth/code, /reauth/code/verify. Bodies typed by schema. */
export function reauthApiRoutes(
  v1: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {
  const api = v1.withTypeProvider<TypeBoxTypeProvider>();
  api.post(
    '/reauth',
    {
      schema: {
        tags: ['sessions'],
        summary:
          'Fresh proof with the password (valid 10 minutes); the session token is replaced: use the returned one',
        body: T.Object({ password: Str(1024) }),
        response: {
          200: T.Object({ sessionToken: T.String() }),
          ...errors(AUTH, 'auth.invalid_credentials', 'auth.throttled'),
        },
        ...SESSION_AUTH,
      },
    },
    async (req) => reauthWithPassword(deps, requireSession(req), req.body.password, req.ctx),
  );
  api.post(
    '/reauth/code',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Send a fresh-proof code to a verified method',
        body: T.Object({ methodId: Str(64) }),
        response: {
          200: T.Object({ resendAt: DateTime }),
          ...errors(AUTH, 'contact.not_found', CODE_SEND, PHONE_SEND),
        },
        ...SESSION_AUTH,
      },
    },
    async (req) => {
      const r = await sendReauthCode(deps, requireSession(req), req.body.methodId);
      return { resendAt: r.resendAt.toISOString() };
    },
  );
  api.post(
    '/reauth/code/verify',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Fresh proof with a code; the session token is replaced: use the returned one',
        body: T.Object({ methodId: Str(64), code: Code }),
        response: {
          200: T.Object({ sessionToken: T.String() }),
          ...errors(AUTH, 'contact.not_found', 'auth.throttled', TOTP_CHECK),
        },
        ...SESSION_AUTH,
      },
    },
    async (req) => {
      const b = req.body;
      return reauthWithCode(deps, requireSession(req), b.methodId, b.code, req.ctx);
    },
  );
}
