import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type as T } from 'typebox';
import { Str } from '../../api/kit.ts';
import {
  CODE_CHECK,
  CODE_SEND,
  DateTime,
  errors,
  NETWORK_LIMIT,
  NoContent,
  OrNull,
  PASSWORD_RULES,
  PHONE_SEND,
  TOTP_CHECK,
} from '../../api/schema.ts';
import type { Deps } from '../../deps.ts';
import {
  chooseResetMethod,
  completeReset,
  resendResetCode,
  resetState,
  startReset,
  useRecoveryCode,
  verifyResetCode,
} from '../reset-service.ts';

const Code = T.String({
  maxLength: 32,
  description: '6-digit code; full-width digits, spaces and hyphens accepted',
});
const FlowToken = T.String({ maxLength: 64 });
const MaskedMethod = T.Object({
  id: T.String(),
  kind: T.Union([T.Literal('signin'), T.Literal('email'), T.Literal('phone'), T.Literal('totp')], {
    description: 'signin: the verified sign-in address, confirmed by typing it in full',
  }),
  masked: T.String(),
});
const ResetDelivery = T.Object({
  delivery: T.Union([T.Literal('if_matched'), T.Literal('totp')]),
  resendAt: OrNull(DateTime),
});

/**
 * JSON API of the forgotten password (docs/flows/password-reset.md), under /api/v1: start, state, choose and
 * confirm a method, resend, verify the code, set the new password, or prove it with the recovery code.
 * Every step answers the same whether or not the account exists. No session needed.
 */
export function resetApiRoutes(
  v1: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {
  const api = v1.withTypeProvider<TypeBoxTypeProvider>();
  api.post(
    '/password-reset',
    {
      schema: {
        tags: ['password-reset'],
        summary: 'Start: the same answer whether or not the account exists',
        body: T.Object({ email: Str(320) }),
        response: {
          202: T.Object({ flowToken: T.String() }),
          ...errors('account.email_invalid', NETWORK_LIMIT),
        },
      },
    },
    async (req, reply) => reply.status(202).send({ flowToken: await startReset(deps, req.body, req.ctx) }),
  );
  api.post(
    '/password-reset/state',
    {
      schema: {
        tags: ['password-reset'],
        summary: 'Current step and masked methods',
        body: T.Object({ flowToken: FlowToken }),
        response: {
          200: T.Object({
            step: T.Union([
              T.Literal('choose'),
              T.Literal('code'),
              T.Literal('new_password'),
              T.Literal('done'),
            ]),
            maskedAccount: T.String(),
            methods: T.Array(MaskedMethod),
            chosen: OrNull(MaskedMethod),
            secondProof: T.Boolean(),
            secondProofBy: T.Optional(
              OrNull(
                T.Union([T.Literal('two_step'), T.Literal('organisation')], {
                  description:
                    "Why a second proof is asked: the account's two-step verification or its organisation's policy",
                }),
              ),
            ),
            resendAt: OrNull(DateTime),
          }),
          ...errors('reset.flow_invalid'),
        },
      },
    },
    async (req) => {
      const state = await resetState(deps, req.body.flowToken, req.ctx.locale);
      return { ...state, resendAt: state.resendAt?.toISOString() ?? null };
    },
  );
  api.post(
    '/password-reset/choose',
    {
      schema: {
        tags: ['password-reset'],
        summary:
          'Choose a method and confirm it (full address or last 4 digits). delivery "if_matched": a code ' +
          'was sent if the confirmation matched (the answer never says which); "totp": nothing is sent.',
        body: T.Object({ flowToken: FlowToken, methodId: Str(64), confirm: Str(320) }),
        response: {
          200: ResetDelivery,
          ...errors('reset.flow_invalid', CODE_SEND, PHONE_SEND, NETWORK_LIMIT),
        },
      },
    },
    async (req) => {
      const r = await chooseResetMethod(deps, req.body.flowToken, req.body, req.ctx);
      return { delivery: r.delivery, resendAt: r.resendAt?.toISOString() ?? null };
    },
  );
  api.post(
    '/password-reset/resend',
    {
      schema: {
        tags: ['password-reset'],
        summary:
          'Send a new code (if the confirmation matched; the answer never says which). 429 code.resend_wait ' +
          'with the real wait while the last code of this flow is recent.',
        body: T.Object({ flowToken: FlowToken }),
        response: {
          200: ResetDelivery,
          ...errors('reset.flow_invalid', CODE_SEND, PHONE_SEND, NETWORK_LIMIT),
        },
      },
    },
    async (req) => {
      const r = await resendResetCode(deps, req.body.flowToken, req.ctx);
      return { delivery: r.delivery, resendAt: r.resendAt?.toISOString() ?? null };
    },
  );
  api.post(
    '/password-reset/verify',
    {
      schema: {
        tags: ['password-reset'],
        summary: 'Enter the code',
        body: T.Object({ flowToken: FlowToken, code: Code }),
        response: { 204: NoContent, ...errors('reset.flow_invalid', TOTP_CHECK) },
      },
    },
    async (req, reply) => {
      await verifyResetCode(deps, req.body.flowToken, req.body.code, req.ctx);
      return reply.status(204).send(null);
    },
  );
  api.post(
    '/password-reset/complete',
    {
      schema: {
        tags: ['password-reset'],
        summary: 'Set the new password; every session ends',
        body: T.Object({ flowToken: FlowToken, password: Str(1024) }),
        response: {
          200: T.Object({
            newRecoveryCode: OrNull(
              T.String({
                description:
                  'Always null: a recovery code used in this flow was already replaced, and the new one shown, by /password-reset/recovery-code',
              }),
            ),
            trustedDeviceToken: T.String({
              description:
                'Trust for the device that reset: pass it at sign-in (trustedDeviceToken) so this device is not asked for a code to a contact the owner may have lost',
            }),
          }),
          ...errors(
            'reset.flow_invalid',
            PASSWORD_RULES,
            'password.same_as_current',
            'password.same_as_phrase',
          ),
        },
      },
    },
    async (req) => {
      return completeReset(deps, req.body.flowToken, req.body.password, req.ctx);
    },
  );
  api.post(
    '/password-reset/recovery-code',
    {
      schema: {
        tags: ['password-reset'],
        summary: "I don't have any of these: prove it with the recovery code",
        body: T.Object({ flowToken: FlowToken, recoveryCode: Str(80) }),
        response: {
          200: T.Object({
            newRecoveryCode: T.String({
              description:
                'The code typed is spent: this is its replacement, shown only here. The owner keeps this code even if they stop now',
            }),
            next: T.Union([T.Literal('new_password'), T.Literal('second_proof')], {
              description:
                'What the flow asks next: the new password, or (an organisation that asks for two proofs, and always for its admins) a second proof from another method',
            }),
          }),
          // account.restricted: a recovery code younger than the wait of a pending replacement (not spent).
          ...errors('reset.flow_invalid', 'account.restricted', 'recovery_code.format', CODE_CHECK),
        },
      },
    },
    async (req) => {
      return useRecoveryCode(deps, req.body.flowToken, req.body.recoveryCode, req.ctx);
    },
  );
}
