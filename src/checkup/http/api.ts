import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type as T } from 'typebox';
import { requireSession, SESSION_AUTH } from '../../api/kit.ts';
import { AUTH, DateTime, errors, OrNull } from '../../api/schema.ts';
import type { Deps } from '../../deps.ts';
import { accountCheckup, confirmSecurityInfo, periodicState } from '../periodic.ts';

/** Security checkup and the periodic "is this still yours?" check, under /api/v1. */
export function checkupApiRoutes(
  v1: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'emit'>,
): void {
  const api = v1.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    '/checkup',
    {
      schema: {
        tags: ['checkup'],
        summary:
          'Security checkup: a 0–100 score and the rules met or not, each failing rule with the web paths that fix it',
        response: {
          200: T.Object({
            score: T.Integer({ minimum: 0, maximum: 100 }),
            items: T.Array(
              T.Object({
                id: T.String({ description: 'The rule (docs/api.md)' }),
                ok: T.Boolean(),
                weight: T.Number(),
                addresses: T.Array(T.String()),
                actions: T.Array(
                  T.Object({ method: T.Union([T.Literal('get'), T.Literal('post')]), path: T.String() }),
                ),
                variant: OrNull(
                  T.Union([T.Literal('first_method'), T.Literal('needs_two_methods')], {
                    description:
                      'first_method: no verified method yet (add one, not "one more"); needs_two_methods: two-step waits for two verified methods, so no action is offered',
                  }),
                ),
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
      return accountCheckup(deps, s.accountId);
    },
  );
  api.get(
    '/checkup/periodic',
    {
      schema: {
        tags: ['checkup'],
        summary:
          'Periodic check: whether the client should ask "is this security info still yours?" now (PERIODIC_CHECK_DAYS), with every verified method and when it was last confirmed',
        response: {
          200: T.Object({
            due: T.Boolean(),
            periodDays: T.Integer(),
            lastConfirmedAt: DateTime,
            everConfirmed: T.Boolean(),
            methods: T.Array(
              T.Object({
                id: T.String(),
                kind: T.String(),
                value: T.String(),
                label: T.String(),
                confirmedAt: OrNull(DateTime),
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
      const st = await periodicState(deps, s.accountId);
      return {
        due: st.due,
        periodDays: st.periodDays,
        lastConfirmedAt: st.lastConfirmedAt.toISOString(),
        everConfirmed: st.everConfirmed,
        methods: st.methods.map((m) => ({
          id: m.id,
          kind: m.kind,
          value: m.value,
          label: m.label,
          confirmedAt: m.confirmedAt?.toISOString() ?? null,
        })),
      };
    },
  );
  api.post(
    '/checkup/periodic/confirm',
    {
      schema: {
        tags: ['checkup'],
        summary: 'Confirm that every verified method (and the sign-in address) is still mine',
        response: {
          200: T.Object({ confirmedMethods: T.Integer(), confirmedAt: DateTime }),
          // auth.reauth_required: the session last proved itself before the current security info.
          ...errors(AUTH, 'auth.reauth_required'),
        },
        ...SESSION_AUTH,
      },
    },
    async (req) => {
      const s = requireSession(req);
      const confirmed = await confirmSecurityInfo(deps, s, req.ctx);
      return { confirmedMethods: confirmed, confirmedAt: deps.clock.now().toISOString() };
    },
  );
}
