import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type as T } from 'typebox';
import { setTwoStep } from '../accounts/two-step-service.ts';
import { recordActivity } from '../activity/activity.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../kernel/errors.ts';
import { normalizeLabel } from '../security-info/label.ts';
import { reauthWithPasskey, startPasskeySecondFactor } from '../security-info/passkeys/passkey-service.ts';
import { createRecoveryCode } from '../security-info/recovery-code-service.ts';
import { confirmTotp, startTotp } from '../security-info/totp-service.ts';
import {
  completePendingSignIn,
  completePendingWithRecoveryCode,
  pendingMethods,
  pendingPasskeyOptions,
  sendPendingCode,
} from '../sessions/second-factor.ts';
import type { SessionView } from '../sessions/session-cache.ts';
import { listTrustedDevices, revokeTrustedDevices } from '../sessions/trusted-devices.ts';
import {
  AUTH,
  CODE_CHECK,
  CODE_SEND,
  DateTime,
  errors,
  GUARDED,
  NoContent,
  OrNull,
  PasskeyOptionsOut,
  PHONE_SEND,
  TOTP_CHECK,
} from './schema.ts';

const Str = (max: number) => T.String({ maxLength: max });
const Code = T.String({ maxLength: 64 });

function session(req: FastifyRequest): SessionView {
  if (!req.session) throw new AppError('auth.required');
  return req.session;
}

/** Second factor at sign-in, authenticator apps, recovery code, two-step verification, trusted devices. */
export function twoStepApiRoutes(v1: FastifyInstance, deps: Deps): void {
  const auth = { security: [{ session: [] }] };

  v1.post(
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
    async (req) => pendingMethods(deps, (req.body as { pendingToken: string }).pendingToken),
  );
  v1.post(
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
      const b = req.body as { pendingToken: string; methodId: string };
      const r = await sendPendingCode(deps, b.pendingToken, b.methodId, req.ctx);
      return { resendAt: r.resendAt.toISOString() };
    },
  );
  v1.post(
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
          }),
          // account.restricted: a recovery code younger than the wait of a pending replacement.
          ...errors('signin.flow_invalid', 'recovery_code.format', 'account.restricted', CODE_CHECK),
        },
      },
    },
    async (req) => {
      const b = req.body as { pendingToken: string; recoveryCode: string; trustDevice?: boolean };
      const r = await completePendingWithRecoveryCode(deps, b.pendingToken, b, req.ctx);
      return {
        sessionToken: r.sessionToken,
        trustedDeviceToken: r.trustedDeviceToken,
        newRecoveryCode: r.newRecoveryCode,
      };
    },
  );
  v1.post(
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
          }),
          ...errors('signin.flow_invalid', 'auth.invalid_credentials', 'auth.throttled', TOTP_CHECK),
        },
      },
    },
    async (req) => {
      const b = req.body as { pendingToken: string; methodId: string; code?: string; trustDevice?: boolean };
      const r = await completePendingSignIn(deps, b.pendingToken, b, req.ctx);
      return { sessionToken: r.sessionToken, trustedDeviceToken: r.trustedDeviceToken };
    },
  );

  v1.post(
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
      const r = await pendingPasskeyOptions(deps, (req.body as { pendingToken: string }).pendingToken);
      if (!r) throw new AppError('request.invalid');
      return r;
    },
  );
  v1.post(
    '/reauth/passkey/options',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Start a step-up with a passkey',
        response: { 200: PasskeyOptionsOut, ...errors(AUTH, 'contact.not_found') },
        ...auth,
      },
    },
    async (req) => {
      const r = await startPasskeySecondFactor(deps, session(req).accountId);
      if (!r) throw new AppError('contact.not_found');
      return r;
    },
  );
  v1.post(
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
        ...auth,
      },
    },
    async (req) => {
      const b = req.body as { token: string; response: unknown };
      return reauthWithPasskey(deps, session(req), b.token, b.response, req.ctx);
    },
  );
  v1.post(
    '/methods/totp',
    {
      schema: {
        tags: ['security-info'],
        summary: 'Start adding an authenticator app (needs a fresh proof): QR code and key',
        body: T.Object({ label: T.Optional(Str(100)) }),
        response: {
          202: T.Object({
            methodId: T.String(),
            uri: T.String({ description: 'otpauth:// URI' }),
            qrSvg: T.String({ description: 'The URI as a QR code (SVG)' }),
            manualKey: T.String({ description: 'The key to type by hand' }),
          }),
          ...errors(GUARDED, 'contact.label_invalid', 'contact.limit_reached'),
        },
        ...auth,
      },
    },
    async (req, reply) => {
      const label = normalizeLabel((req.body as { label?: string }).label);
      if (label === null) throw new AppError('contact.label_invalid');
      return reply.status(202).send(await startTotp(deps, session(req), label));
    },
  );
  v1.post(
    '/methods/totp/:id/confirm',
    {
      schema: {
        tags: ['security-info'],
        summary: 'Confirm an authenticator app with its first code',
        params: T.Object({ id: Str(64) }),
        body: T.Object({ code: Code }),
        response: { 204: NoContent, ...errors(GUARDED, 'contact.not_found', CODE_CHECK) },
        ...auth,
      },
    },
    async (req, reply) => {
      await confirmTotp(
        deps,
        session(req),
        (req.params as { id: string }).id,
        (req.body as { code: string }).code,
        req.ctx,
      );
      return reply.status(204).send();
    },
  );
  v1.post(
    '/recovery-code',
    {
      schema: {
        tags: ['security-info'],
        summary:
          'Create a new recovery code (shown once). replaced: an earlier code that still worked stops working now.',
        response: {
          200: T.Object({ recoveryCode: T.String(), replaced: T.Boolean() }),
          ...errors(GUARDED),
        },
        ...auth,
      },
    },
    async (req) => createRecoveryCode(deps, session(req), req.ctx),
  );
  v1.put(
    '/two-step',
    {
      schema: {
        tags: ['security-info'],
        summary: 'Turn two-step verification on (needs two verified methods) or off; needs a fresh proof',
        body: T.Object({ enabled: T.Boolean() }),
        response: { 204: NoContent, ...errors(GUARDED, 'two_step.needs_two_methods') },
        ...auth,
      },
    },
    async (req, reply) => {
      await setTwoStep(deps, session(req), (req.body as { enabled: boolean }).enabled, req.ctx);
      return reply.status(204).send();
    },
  );
  v1.get(
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
        ...auth,
      },
    },
    async (req) => ({
      devices: await listTrustedDevices(deps, session(req).accountId),
    }),
  );
  v1.delete(
    '/trusted-devices/:id',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Stop trusting one device',
        params: T.Object({ id: Str(64) }),
        response: { 204: NoContent, ...errors(AUTH, 'session.not_found') },
        ...auth,
      },
    },
    async (req, reply) => {
      const s = session(req);
      const n = await deps.db.tx(async (tx) => {
        const n = await revokeTrustedDevices(tx, s.accountId, (req.params as { id: string }).id);
        if (n > 0)
          await recordActivity(tx, deps.random, deps.clock.now(), s.accountId, 'device.revoked', req.ctx);
        return n;
      });
      if (n === 0) throw new AppError('session.not_found');
      return reply.status(204).send();
    },
  );
  v1.delete(
    '/trusted-devices',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Stop trusting every device',
        response: { 200: T.Object({ revoked: T.Integer() }), ...errors(AUTH) },
        ...auth,
      },
    },
    async (req) => {
      const s = session(req);
      const revoked = await deps.db.tx(async (tx) => {
        const n = await revokeTrustedDevices(tx, s.accountId, null);
        await recordActivity(tx, deps.random, deps.clock.now(), s.accountId, 'device.revoked', req.ctx, {
          count: String(n),
        });
        return n;
      });
      return { revoked };
    },
  );
}
