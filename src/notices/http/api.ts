import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type as T } from 'typebox';
import { requireSession, SESSION_AUTH } from '../../api/kit.ts';
import { AUTH, errors } from '../../api/schema.ts';
import type { Deps } from '../../deps.ts';
import { NOTICE_CATEGORIES, noticePreferences, setNoticePreferences } from '../preferences.ts';

const Categories = T.Object(
  Object.fromEntries(NOTICE_CATEGORIES.map((c) => [c, T.Optional(T.Boolean())])) as Record<
    (typeof NOTICE_CATEGORIES)[number],
    ReturnType<typeof T.Optional<ReturnType<typeof T.Boolean>>>
  >,
  { additionalProperties: false },
);

const Preferences = T.Object({
  categories: T.Object(Object.fromEntries(NOTICE_CATEGORIES.map((c) => [c, T.Boolean()]))),
  security: T.Literal('always'),
});

/** Which service notices the signed-in user receives, under /api/v1. Security messages are always sent. */
export function noticesApiRoutes(v1: FastifyInstance, deps: Pick<Deps, 'db' | 'clock' | 'emit'>): void {
  const api = v1.withTypeProvider<TypeBoxTypeProvider>();
  const answer = async (accountId: string) => ({
    categories: await noticePreferences(deps.db, accountId),
    security: 'always' as const,
  });

  api.get(
    '/notices/preferences',
    {
      schema: {
        tags: ['notices'],
        summary:
          'Service notice categories I receive (terms, service_end, billing, other); security messages are always sent',
        response: { 200: Preferences, ...errors(AUTH) },
        ...SESSION_AUTH,
      },
    },
    async (req) => answer(requireSession(req).accountId),
  );
  api.put(
    '/notices/preferences',
    {
      schema: {
        tags: ['notices'],
        summary: 'Switch service notice categories on or off (categories left out are unchanged)',
        body: T.Object({ categories: Categories }),
        response: { 200: Preferences, ...errors(AUTH) },
        ...SESSION_AUTH,
      },
    },
    async (req) => {
      const s = requireSession(req);
      await setNoticePreferences(deps, s.accountId, req.body.categories, req.ctx);
      return answer(s.accountId);
    },
  );
}
