import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accountCheckup, confirmSecurityInfo, periodicState } from '../checkup/periodic.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../kernel/errors.ts';
import type { SessionView } from '../sessions/session-cache.ts';

function session(req: FastifyRequest): SessionView {
  if (!req.session) throw new AppError('auth.required', 401);
  return req.session;
}

/** Security checkup and the periodic "is this still yours?" check, under /api/v1. */
export function checkupApiRoutes(v1: FastifyInstance, deps: Deps): void {
  const auth = { security: [{ session: [] }] };

  v1.get(
    '/checkup',
    {
      schema: {
        tags: ['checkup'],
        summary:
          'Security checkup: a 0–100 score and the rules met or not, each failing rule with the web paths that fix it',
        ...auth,
      },
    },
    async (req) => {
      const s = session(req);
      return accountCheckup(deps, s.accountId);
    },
  );
  v1.get(
    '/checkup/periodic',
    {
      schema: {
        tags: ['checkup'],
        summary:
          'Periodic check: whether the client should ask "is this security info still yours?" now (PERIODIC_CHECK_DAYS), with every verified method and when it was last confirmed',
        ...auth,
      },
    },
    async (req) => {
      const s = session(req);
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
  v1.post(
    '/checkup/periodic/confirm',
    {
      schema: {
        tags: ['checkup'],
        summary: 'Confirm that every verified method (and the sign-in address) is still mine',
        ...auth,
      },
    },
    async (req) => {
      const s = session(req);
      const confirmed = await confirmSecurityInfo(deps, s, req.ctx);
      return { confirmedMethods: confirmed, confirmedAt: deps.clock.now().toISOString() };
    },
  );
}
