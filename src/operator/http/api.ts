import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type as T } from 'typebox';
import { Str } from '../../api/kit.ts';
import { DateTime, errors, NoContent, OrNull } from '../../api/schema.ts';
import type { Deps } from '../../deps.ts';
import type { ErrorCode } from '../../kernel/errors.ts';
import { operatorFromBearer } from '../../web/operator-guard.ts';
import {
  auditLog,
  decideRequest,
  parkedMessages,
  type RequestView as RequestViewData,
  recentDecisions,
  requestDetail,
  retryParked,
  reviewQueue,
} from '../console-service.ts';
import {
  completeOperatorSignIn,
  operatorEnrolment,
  signInOperator,
  signOutOperator,
} from '../operator-auth.ts';

const tags = ['operator'];
/** The operator token: an HTTP bearer token (the `operator` scheme of the document, api/routes.ts). */
const security = [{ operator: [] }];
const OPERATOR: ErrorCode[] = ['operator.required'];
const Operator = T.Object({
  id: T.String(),
  name: T.String(),
  role: T.Union([T.Literal('reviewer'), T.Literal('admin')]),
});
const Match = T.Union([T.Literal('current'), T.Literal('past'), T.Literal('activity'), T.Literal('none')]);
const Evidence = T.Object({
  displayName: T.Union([T.Literal('match'), T.Literal('mismatch'), T.Literal('blank')]),
  passwords: T.Array(T.Boolean()),
  countries: T.Array(T.Object({ code: T.String(), seen: T.Boolean() })),
  devices: T.Array(T.Object({ os: T.String(), seen: T.Boolean() })),
  emails: T.Array(T.Object({ masked: T.String(), found: Match })),
  phones: T.Array(T.Object({ masked: T.String(), found: Match })),
  providers: T.Array(
    T.Object({
      name: T.String(),
      label: T.Object({ ja: T.String(), en: T.String() }),
      matched: T.Boolean(),
    }),
  ),
  here: T.Object({ country: T.String(), countrySeen: T.Boolean(), deviceSeen: T.Boolean() }),
});
const RequestView = T.Object({
  id: T.String(),
  status: T.String(),
  maskedAccount: T.String(),
  accountKnown: T.Boolean(),
  maskedContact: T.String(),
  locale: T.String(),
  score: OrNull(T.Number()),
  evidence: OrNull(Evidence),
  country: T.String(),
  submittedAt: OrNull(DateTime),
  dueAt: OrNull(DateTime),
  overdue: T.Boolean(),
  decidedBy: OrNull(T.String()),
  decisionReason: OrNull(T.String()),
  decidedAt: OrNull(DateTime),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A request as the API answers it (times as ISO 8601 strings). */
function requestJson(v: RequestViewData) {
  return { ...v, submittedAt: iso(v.submittedAt), dueAt: iso(v.dueAt), decidedAt: iso(v.decidedAt) };
}

/**
 * JSON API of the operator console, under /api/v1/operator. Authentication: `Authorization: Bearer
 * <operatorToken>` from POST /operator/sessions (password) then POST /operator/sessions/code (authenticator
 * code; on the first sign-in after POST /operator/sessions/enrolment). Operators are not user accounts: user
 * tokens do not work, nor does a pending token.
 */
export function operatorApiRoutes(
  v1: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'limiter' | 'cipher' | 'emit'>,
): void {
  const api = v1.withTypeProvider<TypeBoxTypeProvider>();
  api.post(
    '/operator/sessions',
    {
      schema: {
        tags,
        summary:
          'Operator sign-in, step 1 (name and password); returns a pending token for step 2: enrolling an authenticator app on the first sign-in ("next": "enrol"), its code afterwards ("next": "code")',
        body: T.Object({ name: Str(64), password: Str(1024) }),
        response: {
          202: T.Object({ pendingToken: T.String(), next: T.Union([T.Literal('enrol'), T.Literal('code')]) }),
          ...errors('operator.invalid_credentials', 'request.rate_limited'),
        },
      },
    },
    async (req, reply) => {
      const r = await signInOperator(deps, req.body, req.ctx);
      return reply.status(202).send({ pendingToken: r.pendingToken, next: r.next });
    },
  );
  api.post(
    '/operator/sessions/enrolment',
    {
      schema: {
        tags,
        summary:
          'First sign-in: the authenticator app to add (otpauth URI, QR code as SVG, key to type); confirm it with POST /operator/sessions/code',
        body: T.Object({ pendingToken: Str(100) }),
        response: {
          200: T.Object({ uri: T.String(), qrSvg: T.String(), manualKey: T.String() }),
          ...errors('signin.flow_invalid'),
        },
      },
    },
    async (req) => operatorEnrolment(deps, req.body.pendingToken),
  );
  api.post(
    '/operator/sessions/code',
    {
      schema: {
        tags,
        summary:
          'Operator sign-in, step 2: a code from the authenticator app (each code works once); returns an operator token',
        body: T.Object({ pendingToken: Str(100), code: Str(32) }),
        response: {
          200: T.Object({ operatorToken: T.String(), operator: Operator }),
          ...errors('signin.flow_invalid', 'code.format', 'code.invalid', 'request.rate_limited'),
        },
      },
    },
    async (req) => {
      const r = await completeOperatorSignIn(deps, req.body, req.ctx);
      return { operatorToken: r.token, operator: r.operator };
    },
  );
  api.delete(
    '/operator/sessions/current',
    {
      schema: {
        tags,
        summary: 'Operator sign-out',
        response: { 204: NoContent, ...errors(OPERATOR) },
        security,
      },
    },
    async (req, reply) => {
      const op = await operatorFromBearer(deps, req);
      await signOutOperator(deps, req.headers.authorization?.slice(7).trim(), op);
      return reply.status(204).send(null);
    },
  );
  api.get(
    '/operator/requests',
    {
      schema: {
        tags,
        summary: 'Recovery requests waiting for a reviewer, closest deadline first',
        response: {
          200: T.Object({ requests: T.Array(RequestView), recent: T.Array(RequestView) }),
          ...errors(OPERATOR),
        },
        security,
      },
    },
    async (req) => {
      await operatorFromBearer(deps, req);
      return {
        requests: (await reviewQueue(deps)).map(requestJson),
        recent: (await recentDecisions(deps)).map(requestJson),
      };
    },
  );
  api.get(
    '/operator/requests/:id',
    {
      schema: {
        tags,
        summary: 'One request: match results of the evidence (never the typed passwords), score, deadline',
        params: T.Object({ id: Str(64) }),
        response: { 200: RequestView, ...errors(OPERATOR, 'recovery_form.not_found') },
        security,
      },
    },
    async (req) => {
      await operatorFromBearer(deps, req);
      return requestJson(await requestDetail(deps, req.params.id));
    },
  );
  api.post(
    '/operator/requests/:id/decision',
    {
      schema: {
        tags,
        summary: 'Approve (sends the one-time link) or deny (sends the denial) with a reason; audited',
        params: T.Object({ id: Str(64) }),
        body: T.Object({ decision: T.Union([T.Literal('approve'), T.Literal('deny')]), reason: Str(1000) }),
        response: {
          204: NoContent,
          ...errors(OPERATOR, 'recovery_form.not_found', 'recovery_form.invalid'),
        },
        security,
      },
    },
    async (req, reply) => {
      const op = await operatorFromBearer(deps, req);
      await decideRequest(deps, op, req.params.id, req.body, req.ctx);
      return reply.status(204).send(null);
    },
  );
  api.get(
    '/operator/outbox/parked',
    {
      schema: {
        tags,
        summary: 'Messages the dispatcher parked (recipient masked)',
        response: {
          200: T.Object({
            messages: T.Array(
              T.Object({
                id: T.String(),
                kind: T.String(),
                channel: T.Union([T.Literal('email'), T.Literal('sms')]),
                maskedRecipient: T.String(),
                attempts: T.Integer(),
                lastError: T.String(),
                createdAt: DateTime,
              }),
            ),
          }),
          ...errors(OPERATOR),
        },
        security,
      },
    },
    async (req) => {
      await operatorFromBearer(deps, req);
      return {
        messages: (await parkedMessages(deps)).map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })),
      };
    },
  );
  api.post(
    '/operator/outbox/:id/retry',
    {
      schema: {
        tags,
        summary: 'Queue a parked message again; audited',
        params: T.Object({ id: Str(64) }),
        response: { 204: NoContent, ...errors(OPERATOR, 'request.not_found') },
        security,
      },
    },
    async (req, reply) => {
      const op = await operatorFromBearer(deps, req);
      await retryParked(deps, op, req.params.id);
      return reply.status(204).send(null);
    },
  );
  api.get(
    '/operator/audit',
    {
      schema: {
        tags,
        summary: 'The audit log of reviewer actions',
        response: {
          200: T.Object({
            entries: T.Array(
              T.Object({
                operatorName: T.String(),
                action: T.String(),
                target: T.String(),
                detail: T.Record(T.String(), T.String()),
                createdAt: DateTime,
              }),
            ),
          }),
          ...errors(OPERATOR),
        },
        security,
      },
    },
    async (req) => {
      await operatorFromBearer(deps, req);
      return { entries: (await auditLog(deps)).map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })) };
    },
  );
}
