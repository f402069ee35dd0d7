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
  NoContent,
  OrNull,
  PasskeyOptionsOut,
  PHONE_SEND,
  TOTP_CHECK,
} from '../../api/schema.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../kernel/errors.ts';
import { reauthWithPasskey, startPasskeySecondFactor } from '../../security-info/passkeys/passkey-service.ts';
import {
  completePendingSignIn,
  completePendingWithRecoveryCode,
  pendingMethods,
  pendingPasskeyOptions,
  sendPendingCode,
} from '../second-factor.ts';
import { listTrustedDevices, revokeTrustedDevices } from '../trusted-devices.ts';
import { organisationRequires } from './api.ts';

const Code = T.String({ maxLength: 64 });

/** The second step of a pending sign-in, and a step-up with a passkey, over the API. */
export function secondStepApiRoutes(
  v1: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {
  const app = v1.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/sessions/second-factor/methods',
    {
      schema: {
        tags: ['sessions'],
        summary:
          'Methods that can complete a pending sign-in, and the alternatives: recovery_code (POST ' +
          '/sessions/second-factor/recovery-code) and no_access (a page with the recovery options)',
        body: T.Object({ pendingToken: Str(64) }),
        response: {
          200: T.Object({
            reason: T.Union([T.Literal('two_step'), T.Literal('unusual')]),
            methods: T.Array(
              T.Object({
                id: T.String(),
                kind: T.Union([
                  T.Literal('email'),
                  T.Literal('phone'),
                  T.Literal('totp'),
                  T.Literal('passkey'),
                ]),
                masked: T.String(),
              }),
            ),
            alternatives: T.Array(
              T.Object({
                kind: T.Union([T.Literal('recovery_code'), T.Literal('no_access')]),
                url: T.Optional(T.String({ description: 'no_access: the page with the recovery options' })),
              }),
            ),
          }),
          ...errors('signin.flow_invalid'),
        },
      },
    },
    async (req) => pendingMethods(deps, req.body.pendingToken),
  );
  app.post(
    '/sessions/second-factor/send',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Send a sign-in code to an email or phone method',
        body: T.Object({ pendingToken: Str(64), methodId: Str(64) }),
        response: {
          200: T.Object({ resendAt: DateTime }),
          ...errors('signin.flow_invalid', 'code.not_found', CODE_SEND, PHONE_SEND),
        },
      },
    },
    async (req) => {
      const b = req.body;
      const r = await sendPendingCode(deps, b.pendingToken, b.methodId, req.ctx);
      return { resendAt: r.resendAt.toISOString() };
    },
  );
  app.post(
    '/sessions/second-factor/recovery-code',
    {
      schema: {
        tags: ['sessions'],
        summary:
          'Complete a pending sign-in with the recovery code (one of the alternatives listed with the methods). ' +
          'The code is spent; newRecoveryCode replaces it and is shown only in this answer.',
        body: T.Object({
          pendingToken: Str(64),
          recoveryCode: Str(80),
          trustDevice: T.Optional(T.Boolean()),
        }),
        response: {
          200: T.Object({
            sessionToken: T.String(),
            trustedDeviceToken: OrNull(T.String()),
            newRecoveryCode: T.String({ description: 'Shown only here: the spent code is replaced' }),
            organisationRequires: T.Optional(
              T.Union([T.Literal('new_password'), T.Literal('methods')], {
                description:
                  "As in POST /sessions: what the account's organisation asks before anything else",
              }),
            ),
          }),
          // account.restricted: a recovery code younger than the wait of a pending replacement.
          ...errors('signin.flow_invalid', 'recovery_code.format', 'account.restricted', CODE_CHECK),
        },
      },
    },
    async (req) => {
      const b = req.body;
      const r = await completePendingWithRecoveryCode(deps, b.pendingToken, b, req.ctx);
      return {
        sessionToken: r.sessionToken,
        trustedDeviceToken: r.trustedDeviceToken,
        newRecoveryCode: r.newRecoveryCode,
        ...(await organisationRequires(deps, r.accountId)),
      };
    },
  );
  app.post(
    '/sessions/second-factor',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Complete a pending sign-in with a code or an authenticator code',
        body: T.Object({
          pendingToken: Str(64),
          methodId: Str(64),
          code: T.Optional(Code),
          trustDevice: T.Optional(T.Boolean()),
          passkeyToken: T.Optional(Str(100)),
          passkeyResponse: T.Optional(T.Unknown()),
        }),
        response: {
          200: T.Object({
            sessionToken: T.String(),
            trustedDeviceToken: T.Optional(OrNull(T.String())),
            organisationRequires: T.Optional(
              T.Union([T.Literal('new_password'), T.Literal('methods')], {
                description:
                  "As in POST /sessions: what the account's organisation asks before anything else",
              }),
            ),
          }),
          ...errors('signin.flow_invalid', 'auth.invalid_credentials', 'auth.throttled', TOTP_CHECK),
        },
      },
    },
    async (req) => {
      const b = req.body;
      const r = await completePendingSignIn(deps, b.pendingToken, b, req.ctx);
      return {
        sessionToken: r.sessionToken,
        trustedDeviceToken: r.trustedDeviceToken,
        ...(await organisationRequires(deps, r.accountId)),
      };
    },
  );

  app.post(
    '/sessions/second-factor/passkey-options',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Start the passkey check of a pending two-step sign-in',
        body: T.Object({ pendingToken: Str(64) }),
        response: { 200: PasskeyOptionsOut, ...errors('signin.flow_invalid') },
      },
    },
    async (req) => {
      const r = await pendingPasskeyOptions(deps, req.body.pendingToken);
      if (!r) throw new AppError('request.invalid');
      return r;
    },
  );
  app.post(
    '/reauth/passkey/options',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Start a step-up with a passkey',
        response: { 200: PasskeyOptionsOut, ...errors(AUTH, 'contact.not_found') },
        ...SESSION_AUTH,
      },
    },
    async (req) => {
      const r = await startPasskeySecondFactor(deps, requireSession(req).accountId);
      if (!r) throw new AppError('contact.not_found');
      return r;
    },
  );
  app.post(
    '/reauth/passkey',
    {
      schema: {
        tags: ['sessions'],
        summary:
          'Step-up with a passkey (a second-factor proof for 10 minutes); the session token is replaced: use the returned one',
        body: T.Object({ token: Str(100), response: T.Unknown() }),
        response: {
          200: T.Object({ sessionToken: T.String() }),
          ...errors(AUTH, 'auth.invalid_credentials', 'auth.throttled', 'signin.flow_invalid'),
        },
        ...SESSION_AUTH,
      },
    },
    async (req) => {
      const b = req.body;
      return reauthWithPasskey(deps, requireSession(req), b.token, b.response, req.ctx);
    },
  );
}

/** The devices trusted to skip the second step, over the API. */
export function trustedDevicesApiRoutes(
  v1: FastifyInstance,
  deps: Pick<Deps, 'db' | 'clock' | 'emit'>,
): void {
  const app = v1.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/trusted-devices',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Devices where no second proof is asked',
        response: {
          200: T.Object({
            devices: T.Array(
              T.Object({
                publicId: T.String(),
                createdAt: DateTime,
                expiresAt: DateTime,
                ip: T.String(),
                userAgent: T.String(),
              }),
            ),
          }),
          ...errors(AUTH),
        },
        ...SESSION_AUTH,
      },
    },
    async (req) => ({
      devices: (await listTrustedDevices(deps, requireSession(req).accountId)).map((d) => ({
        publicId: d.publicId,
        createdAt: d.createdAt.toISOString(),
        expiresAt: d.expiresAt.toISOString(),
        ip: d.ip,
        userAgent: d.userAgent,
      })),
    }),
  );
  app.delete(
    '/trusted-devices/:id',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Stop trusting one device',
        params: T.Object({ id: Str(64) }),
        response: { 204: NoContent, ...errors(AUTH, 'session.not_found') },
        ...SESSION_AUTH,
      },
    },
    async (req, reply) => {
      const s = requireSession(req);
      const n = await deps.db.tx(async (tx) => {
        const n = await revokeTrustedDevices(tx, s.accountId, req.params.id);
        if (n > 0)
          await deps.emit(tx, {
            type: 'device.revoked',
            accountId: s.accountId,
            ctx: req.ctx,
            at: deps.clock.now(),
          });
        return n;
      });
      if (n === 0) throw new AppError('session.not_found');
      return reply.status(204).send(null);
    },
  );
  app.delete(
    '/trusted-devices',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Stop trusting every device',
        response: { 200: T.Object({ revoked: T.Integer() }), ...errors(AUTH) },
        ...SESSION_AUTH,
      },
    },
    async (req) => {
      const s = requireSession(req);
      const revoked = await deps.db.tx(async (tx) => {
        const n = await revokeTrustedDevices(tx, s.accountId, null);
        await deps.emit(tx, {
          type: 'device.revoked',
          accountId: s.accountId,
          ctx: req.ctx,
          at: deps.clock.now(),
          detail: { count: String(n) },
        });
        return n;
      });
      return { revoked };
    },
  );
}
