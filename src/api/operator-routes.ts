import type { FastifyInstance } from 'fastify';
import { Type as T } from 'typebox';
import type { Deps } from '../deps.ts';
import {
  auditLog,
  decideRequest,
  parkedMessages,
  recentDecisions,
  requestDetail,
  retryParked,
  reviewQueue,
} from '../operator/console-service.ts';
import {
  completeOperatorSignIn,
  operatorEnrolment,
  operatorFromBearer,
  signInOperator,
  signOutOperator,
} from '../operator/operator-auth.ts';

const Str = (max: number) => T.String({ maxLength: max });
const tags = ['operator'];
/**
 * The operator token is an HTTP bearer token like a user session token, so the existing `session` bearer scheme
 * describes it (an undefined scheme name would break the OpenAPI document).
 */
const security = [{ session: [] }];

/**
 * JSON API of the operator console, under /api/v1/operator. Authentication: `Authorization: Bearer
 * <operatorToken>` from POST /operator/sessions (password) then POST /operator/sessions/code (authenticator
 * code; on the first sign-in after POST /operator/sessions/enrolment). Operators are not user accounts: user
 * tokens do not work, nor does a pending token.
 */
export function operatorApiRoutes(v1: FastifyInstance, deps: Deps): void {
  v1.post(
    '/operator/sessions',
    {
      schema: {
        tags,
        summary:
          'Operator sign-in, step 1 (name and password); returns a pending token for step 2: enrolling an authenticator app on the first sign-in ("next": "enrol"), its code afterwards ("next": "code")',
        body: T.Object({ name: Str(64), password: Str(1024) }),
      },
    },
    async (req, reply) => {
      const r = await signInOperator(deps, req.body as { name: string; password: string }, req.ctx);
      return reply.status(202).send({ pendingToken: r.pendingToken, next: r.next });
    },
  );
  v1.post(
    '/operator/sessions/enrolment',
    {
      schema: {
        tags,
        summary:
          'First sign-in: the authenticator app to add (otpauth URI, QR code as SVG, key to type); confirm it with POST /operator/sessions/code',
        body: T.Object({ pendingToken: Str(100) }),
      },
    },
    async (req) => operatorEnrolment(deps, (req.body as { pendingToken: string }).pendingToken),
  );
  v1.post(
    '/operator/sessions/code',
    {
      schema: {
        tags,
        summary:
          'Operator sign-in, step 2: a code from the authenticator app (each code works once); returns an operator token',
        body: T.Object({ pendingToken: Str(100), code: Str(32) }),
      },
    },
    async (req) => {
      const r = await completeOperatorSignIn(
        deps,
        req.body as { pendingToken: string; code: string },
        req.ctx,
      );
      return { operatorToken: r.token, operator: r.operator };
    },
  );
  v1.delete(
    '/operator/sessions/current',
    { schema: { tags, summary: 'Operator sign-out', security } },
    async (req, reply) => {
      const op = await operatorFromBearer(deps, req);
      await signOutOperator(deps, req.headers.authorization?.slice(7).trim(), op);
      return reply.status(204).send();
    },
  );
  v1.get(
    '/operator/requests',
    {
      schema: { tags, summary: 'Recovery requests waiting for a reviewer, closest deadline first', security },
    },
    async (req) => {
      await operatorFromBearer(deps, req);
      return { requests: await reviewQueue(deps), recent: await recentDecisions(deps) };
    },
  );
  v1.get(
    '/operator/requests/:id',
    {
      schema: {
        tags,
        summary: 'One request: match results of the evidence (never the typed passwords), score, deadline',
        params: T.Object({ id: Str(64) }),
        security,
      },
    },
    async (req) => {
      await operatorFromBearer(deps, req);
      return requestDetail(deps, (req.params as { id: string }).id);
    },
  );
  v1.post(
    '/operator/requests/:id/decision',
    {
      schema: {
        tags,
        summary: 'Approve (sends the one-time link) or deny (sends the denial) with a reason; audited',
        params: T.Object({ id: Str(64) }),
        body: T.Object({ decision: T.Union([T.Literal('approve'), T.Literal('deny')]), reason: Str(1000) }),
        security,
      },
    },
    async (req, reply) => {
      const op = await operatorFromBearer(deps, req);
      await decideRequest(deps, op, (req.params as { id: string }).id, req.body as never, req.ctx);
      return reply.status(204).send();
    },
  );
  v1.get(
    '/operator/outbox/parked',
    { schema: { tags, summary: 'Messages the dispatcher parked (recipient masked)', security } },
    async (req) => {
      await operatorFromBearer(deps, req);
      return { messages: await parkedMessages(deps) };
    },
  );
  v1.post(
    '/operator/outbox/:id/retry',
    {
      schema: {
        tags,
        summary: 'Queue a parked message again; audited',
        params: T.Object({ id: Str(64) }),
        security,
      },
    },
    async (req, reply) => {
      const op = await operatorFromBearer(deps, req);
      await retryParked(deps, op, (req.params as { id: string }).id);
      return reply.status(204).send();
    },
  );
  v1.get(
    '/operator/audit',
    { schema: { tags, summary: 'The audit log of reviewer actions', security } },
    async (req) => {
      await operatorFromBearer(deps, req);
      return { entries: await auditLog(deps) };
    },
  );
}
