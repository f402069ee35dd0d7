import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type as T } from 'typebox';
import { requireSession, SESSION_AUTH, Str } from '../../api/kit.ts';
import {
  AUTH,
  CODE_CHECK,
  CODE_SEND,
  DateTime,
  errors,
  GUARDED,
  NETWORK_LIMIT,
  PASSWORD_RULES,
} from '../../api/schema.ts';
import type { Deps } from '../../deps.ts';
import { confirmSignup, resendSignupCode, signUp } from '../accounts-service.ts';
import { changePassword } from '../password-service.ts';
import { updateProfile } from '../profile.ts';
import { secureAccount } from '../secure-account.ts';

/*
 * The accounts JSON API (mounted under /api/v1 by src/api/routes.ts): sign-up, the signed-in account
 * (/me) and the password change. Bodies and params are typed by their TypeBox schemas.
 */

const Code = T.String({
  maxLength: 32,
  description: '6-digit code; full-width digits, spaces and hyphens accepted',
});
const FlowToken = T.String({ maxLength: 64 });

/** POST /signup, /signup/confirm, /signup/resend. */
export function signupApiRoutes(
  v1: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'limiter' | 'cipher' | 'emit'>,
): void {
  const api = v1.withTypeProvider<TypeBoxTypeProvider>();
  api.post(
    '/signup',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Sign up; a code is emailed to confirm the address (same answer if the address is taken)',
        body: T.Object({
          email: Str(320),
          password: Str(1024),
          displayName: Str(200),
          locale: T.Optional(T.Union([T.Literal('ja'), T.Literal('en')])),
          timeZone: T.Optional(Str(64)),
          acceptTypo: T.Optional(T.Boolean()),
        }),
        response: {
          202: T.Object({ signupToken: T.String(), maskedEmail: T.String(), resendAt: DateTime }),
          ...errors(
            'account.email_invalid',
            'account.email_disposable',
            'account.email_typo',
            'account.display_name_invalid',
            PASSWORD_RULES,
            CODE_SEND,
            NETWORK_LIMIT,
          ),
        },
      },
    },
    async (req, reply) => {
      const r = await signUp(deps, req.body, req.ctx);
      return reply.status(202).send({ ...r, resendAt: r.resendAt.toISOString() });
    },
  );
  api.post(
    '/signup/confirm',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Confirm the primary address with the code; returns a session token',
        body: T.Object({ signupToken: FlowToken, code: Code }),
        response: {
          200: T.Object({ sessionToken: T.String() }),
          ...errors(CODE_CHECK),
        },
      },
    },
    async (req) => {
      const r = await confirmSignup(deps, req.body.signupToken, req.body.code, req.ctx);
      return { sessionToken: r.sessionToken };
    },
  );
  api.post(
    '/signup/resend',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Send a new confirmation code',
        body: T.Object({ signupToken: FlowToken }),
        response: {
          200: T.Object({ resendAt: DateTime }),
          ...errors('code.not_found', CODE_SEND, NETWORK_LIMIT),
        },
      },
    },
    async (req) => ({
      resendAt: (await resendSignupCode(deps, req.body.signupToken, req.ctx)).toISOString(),
    }),
  );
}

/** PATCH and GET /me: the signed-in account's profile. */
export function meApiRoutes(v1: FastifyInstance, deps: Pick<Deps, 'db' | 'clock' | 'emit'>): void {
  const api = v1.withTypeProvider<TypeBoxTypeProvider>();
  api.patch(
    '/me',
    {
      schema: {
        tags: ['accounts'],
        summary:
          'Change the display name, language (emails and pages) and time zone; not security info, no step-up',
        body: T.Object({
          displayName: T.Optional(Str(200)),
          locale: T.Optional(T.Union([T.Literal('ja'), T.Literal('en')])),
          timeZone: T.Optional(Str(64)),
        }),
        response: {
          200: T.Object({
            id: T.String(),
            email: T.String(),
            displayName: T.String(),
            locale: T.Union([T.Literal('ja'), T.Literal('en')]),
            timeZone: T.String(),
          }),
          ...errors(AUTH, 'account.display_name_invalid', 'account.time_zone_invalid'),
        },
        ...SESSION_AUTH,
      },
    },
    async (req) => {
      const s = requireSession(req);
      const p = await updateProfile(deps, s, req.body);
      return { id: s.accountId, email: s.email, ...p };
    },
  );
  api.get(
    '/me',
    {
      schema: {
        tags: ['accounts'],
        summary: 'The signed-in account',
        response: {
          200: T.Object({
            id: T.String(),
            email: T.String(),
            displayName: T.String(),
            locale: T.Union([T.Literal('ja'), T.Literal('en')]),
            timeZone: T.String(),
          }),
          ...errors(AUTH),
        },
        ...SESSION_AUTH,
      },
    },
    async (req) => {
      const s = requireSession(req);
      return {
        id: s.accountId,
        email: s.email,
        displayName: s.displayName,
        locale: s.locale,
        timeZone: s.timeZone,
      };
    },
  );
}

/** POST /password: change the password (needs a fresh proof). */
export function passwordApiRoutes(
  v1: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'emit'>,
): void {
  const api = v1.withTypeProvider<TypeBoxTypeProvider>();
  api.post(
    '/password',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Change my password (needs a fresh proof)',
        body: T.Object({ password: Str(1024), endOtherSessions: T.Optional(T.Boolean()) }),
        response: {
          200: T.Object({ endedSessions: T.Integer() }),
          ...errors(GUARDED, PASSWORD_RULES, 'password.same_as_current', 'password.same_as_phrase'),
        },
        ...SESSION_AUTH,
      },
    },
    async (req) => changePassword(deps, requireSession(req), req.body, req.ctx),
  );
}

/** POST /secure: "secure my account" (a fresh proof, a new password; other sessions and trusted devices end). */
export function secureApiRoutes(
  v1: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'emit'>,
): void {
  const api = v1.withTypeProvider<TypeBoxTypeProvider>();
  api.post(
    '/secure',
    {
      schema: {
        tags: ['activity'],
        summary:
          'Secure my account: new password, other sessions ended, trusted devices removed (needs a fresh proof)',
        body: T.Object({ password: Str(1024) }),
        response: {
          200: T.Object({ endedSessions: T.Integer(), revokedDevices: T.Integer() }),
          ...errors(GUARDED, PASSWORD_RULES, 'password.same_as_current', 'password.same_as_phrase'),
        },
        ...SESSION_AUTH,
      },
    },
    async (req) => secureAccount(deps, requireSession(req), req.body, req.ctx),
  );
}
