import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type as T } from 'typebox';
import { requireSession, SESSION_AUTH, Str } from '../../api/kit.ts';
import { AUTH, CODE_SEND, DateTime, errors, NETWORK_LIMIT, NoContent } from '../../api/schema.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../kernel/errors.ts';
import { organisationInterrupt } from '../../organisations/enforcement.ts';
import { listSessions, ownerEndsOtherSessions, ownerEndsSession } from '../sessions.ts';
import { signIn, signOut } from '../sign-in.ts';

/*
 * The sessions JSON API (mounted under /api/v1 by src/api/routes.ts): sign-in, my sessions, sign-out.
 * Bodies and params are typed by their TypeBox schemas.
 */

/** POST /sessions (sign-in), GET /sessions, DELETE /sessions/current and /sessions/:id, POST /sessions/end-others. */
export function sessionsApiRoutes(
  v1: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {
  const api = v1.withTypeProvider<TypeBoxTypeProvider>();
  api.post(
    '/sessions',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Sign in with email and password',
        body: T.Object({
          email: Str(320),
          password: Str(1024),
          trustedDeviceToken: T.Optional(Str(100)),
        }),
        response: {
          200: T.Object({
            sessionToken: T.String(),
            organisationRequires: T.Optional(
              T.Union([T.Literal('new_password'), T.Literal('methods')], {
                description:
                  "The account's organisation interrupts this sign-in: `new_password` (an admin gave a temporary password: POST /password/temporary; nothing else is allowed before), `methods` (security info to add: GET /me/organisation)",
              }),
            ),
          }),
          202: T.Object({
            confirmEmail: T.Optional(T.Object({ signupToken: T.String(), maskedEmail: T.String() })),
            secondFactor: T.Optional(
              T.Object({
                pendingToken: T.String(),
                reason: T.Union([T.Literal('two_step'), T.Literal('unusual')]),
              }),
            ),
          }),
          ...errors('auth.invalid_credentials', 'auth.throttled', NETWORK_LIMIT, CODE_SEND),
        },
      },
    },
    async (req, reply) => {
      const r = await signIn(deps, req.body, req.ctx);
      if (r.kind === 'confirm_email')
        return reply
          .status(202)
          .send({ confirmEmail: { signupToken: r.signupToken, maskedEmail: r.maskedEmail } });
      if (r.kind === 'second_factor')
        return reply.status(202).send({ secondFactor: { pendingToken: r.pendingToken, reason: r.reason } });
      return { sessionToken: r.sessionToken, ...(await organisationRequires(deps, r.accountId)) };
    },
  );
  api.get(
    '/sessions',
    {
      schema: {
        tags: ['sessions'],
        summary: 'List my sessions',
        response: {
          200: T.Object({
            sessions: T.Array(
              T.Object({
                publicId: T.String(),
                createdAt: DateTime,
                lastSeenAt: DateTime,
                ip: T.String(),
                userAgent: T.String(),
                current: T.Boolean(),
              }),
            ),
          }),
          ...errors(AUTH),
        },
        ...SESSION_AUTH,
      },
    },
    async (req) => {
      const s = requireSession(req);
      const sessions = await listSessions(deps, s.accountId, s.id);
      return {
        sessions: sessions.map((x) => ({
          ...x,
          createdAt: x.createdAt.toISOString(),
          lastSeenAt: x.lastSeenAt.toISOString(),
        })),
      };
    },
  );
  api.delete(
    '/sessions/current',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Sign out',
        response: { 204: NoContent, ...errors(AUTH) },
        ...SESSION_AUTH,
      },
    },
    async (req, reply) => {
      const s = requireSession(req);
      await signOut(deps, s.id, s.accountId, req.ctx);
      return reply.status(204).send(null);
    },
  );
  api.delete(
    '/sessions/:id',
    {
      schema: {
        tags: ['sessions'],
        summary: 'End one of my sessions',
        params: T.Object({ id: Str(64) }),
        response: { 204: NoContent, ...errors(AUTH, 'session.not_found') },
        ...SESSION_AUTH,
      },
    },
    async (req, reply) => {
      const s = requireSession(req);
      const ended = await ownerEndsSession(deps, s.accountId, req.params.id, req.ctx);
      if (!ended) throw new AppError('session.not_found');
      return reply.status(204).send(null);
    },
  );
  api.post(
    '/sessions/end-others',
    {
      schema: {
        tags: ['sessions'],
        summary: 'End all my other sessions',
        response: { 200: T.Object({ ended: T.Integer() }), ...errors(AUTH) },
        ...SESSION_AUTH,
      },
    },
    async (req) => {
      const s = requireSession(req);
      return { ended: await ownerEndsOtherSessions(deps, s.accountId, s.id, req.ctx) };
    },
  );
}

/**
 * What the account's organisation asks before anything else at this sign-in (the web sign-in is sent to the
 * matching page instead), as an optional field of the sign-in answer.
 */
export async function organisationRequires(
  deps: Pick<Deps, 'db' | 'clock'>,
  accountId: string,
): Promise<{ organisationRequires?: 'new_password' | 'methods' }> {
  const path = await organisationInterrupt(deps, accountId);
  if (path === '/security/new-password-required') return { organisationRequires: 'new_password' };
  if (path === '/security/required') return { organisationRequires: 'methods' };
  return {};
}
