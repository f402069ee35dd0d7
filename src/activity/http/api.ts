import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type as T } from 'typebox';
import { requireSession, SESSION_AUTH } from '../../api/kit.ts';
import { AUTH, DateTime, errors, NoContent, OrNull } from '../../api/schema.ts';
import type { Deps } from '../../deps.ts';
import { ACTIVITY_FILTERS, recentActivity, reviewActivity } from '../review.ts';

/** GET /activity (my recent security activity) and POST /activity/:id/review, under /api/v1. */
export function activityApiRoutes(v1: FastifyInstance, deps: Pick<Deps, 'db' | 'clock' | 'config'>): void {
  const api = v1.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/activity',
    {
      schema: {
        tags: ['activity'],
        summary: 'My recent security activity (retention period), optionally filtered',
        querystring: T.Object({
          filter: T.Optional(T.Union(Object.keys(ACTIVITY_FILTERS).map((f) => T.Literal(f)))),
        }),
        response: {
          200: T.Object({
            events: T.Array(
              T.Object({
                id: T.String(),
                kind: T.String({ description: 'An activity kind (docs/api.md)' }),
                createdAt: DateTime,
                ip: T.String(),
                country: T.String(),
                userAgent: T.String(),
                unusual: T.Boolean(),
                review: OrNull(T.Union([T.Literal('me'), T.Literal('not_me')])),
                detail: T.Record(T.String(), T.String()),
              }),
            ),
          }),
          ...errors(AUTH),
        },
        ...SESSION_AUTH,
      },
    },
    async (req) => ({
      events: (await recentActivity(deps, requireSession(req).accountId, req.query.filter ?? 'all')).map(
        (e) => ({
          ...e,
          createdAt: e.createdAt.toISOString(),
        }),
      ),
    }),
  );
  api.post(
    '/activity/:id/review',
    {
      schema: {
        tags: ['activity'],
        summary: "This was me / this wasn't me, on an unusual event",
        params: T.Object({ id: T.String({ maxLength: 64 }) }),
        body: T.Object({ review: T.Union([T.Literal('me'), T.Literal('not_me')]) }),
        response: { 204: NoContent, ...errors(AUTH, 'request.not_found') },
        ...SESSION_AUTH,
      },
    },
    async (req, reply) => {
      await reviewActivity(deps.db, requireSession(req).accountId, req.params.id, req.body.review);
      return reply.status(204).send(null);
    },
  );
}
