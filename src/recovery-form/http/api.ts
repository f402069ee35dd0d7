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
  PASSWORD_RULES,
} from '../../api/schema.ts';
import type { Deps } from '../../deps.ts';
import {
  completeRecoveryReset,
  recoveryFormState,
  recoveryLinkState,
  resendRecoveryContactCode,
  startRecoveryForm,
  submitRecoveryForm,
  verifyRecoveryContact,
} from '../form-service.ts';
import { createPowChallenge } from '../pow.ts';

const FlowToken = T.String({ maxLength: 64 });
const tags = ['recovery-form'];

const Pow = T.Object(
  {
    algorithm: Str(16),
    challenge: Str(100),
    number: T.Integer({ minimum: 0 }),
    salt: Str(200),
    signature: Str(100),
  },
  {
    description:
      'The solved challenge from GET /recovery-form/pow: the number n with sha256(salt + n) = challenge',
  },
);

const Evidence = T.Object({
  displayName: T.Optional(Str(200)),
  passwords: T.Optional(T.Array(Str(1024), { maxItems: 3, description: 'Checked, never stored' })),
  countries: T.Optional(T.Array(Str(2), { maxItems: 3, description: 'ISO 3166-1 alpha-2' })),
  devices: T.Optional(
    T.Array(T.Union(['windows', 'macos', 'ios', 'android', 'linux', 'chromeos'].map((d) => T.Literal(d))), {
      maxItems: 3,
    }),
  ),
  emails: T.Optional(T.Array(Str(320), { maxItems: 3 })),
  phones: T.Optional(T.Array(Str(64), { maxItems: 3 })),
  phoneCountry: T.Optional(Str(2)),
  providers: T.Optional(
    T.Record(T.String({ maxLength: 32 }), Str(200), {
      description: 'Answers to the host application’s questions',
    }),
  ),
});

/** JSON API of the account recovery form (public), under /api/v1. docs/flows/recovery-form.md. */
export function recoveryFormApiRoutes(
  v1: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {
  const api = v1.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/recovery-form/pow',
    {
      schema: {
        tags,
        summary: 'A proof-of-work challenge (the bot check) for starting a request',
        response: {
          200: T.Object({
            algorithm: T.String(),
            challenge: T.String(),
            maxnumber: T.Integer(),
            salt: T.String(),
            signature: T.String(),
          }),
          ...errors(),
        },
      },
    },
    async () => createPowChallenge(deps),
  );
  api.post(
    '/recovery-form',
    {
      schema: {
        tags,
        summary:
          'Start a request: the account, a different contact email and the solved challenge; a code goes to the contact email (same answer whether or not the account exists)',
        body: T.Object({ account: Str(320), contactEmail: Str(320), pow: Pow }),
        response: {
          202: T.Object({ flowToken: T.String(), maskedContact: T.String(), resendAt: DateTime }),
          ...errors(
            'account.email_invalid',
            'contact.email_invalid',
            'contact.email_disposable',
            'recovery_form.pow_invalid',
            'recovery_form.invalid',
            'recovery_form.limit',
            'recovery_form.not_allowed',
            CODE_SEND,
            NETWORK_LIMIT,
          ),
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const r = await startRecoveryForm(deps, b, req.ctx);
      return reply
        .status(202)
        .send({ flowToken: r.flowToken, maskedContact: r.maskedContact, resendAt: r.resendAt.toISOString() });
    },
  );
  api.post(
    '/recovery-form/state',
    {
      schema: {
        tags,
        summary: 'The current step and the host application’s extra questions',
        body: T.Object({ flowToken: FlowToken }),
        response: {
          200: T.Object({
            step: T.Union([T.Literal('code'), T.Literal('evidence')]),
            maskedAccount: T.String(),
            maskedContact: T.String(),
            expiresAt: DateTime,
            providers: T.Array(
              T.Object({ name: T.String(), label: T.Object({ ja: T.String(), en: T.String() }) }),
            ),
          }),
          ...errors('recovery_form.not_found'),
        },
      },
    },
    async (req) => {
      const s = await recoveryFormState(deps, req.body.flowToken);
      return { ...s, expiresAt: s.expiresAt.toISOString() };
    },
  );
  api.post(
    '/recovery-form/verify',
    {
      schema: {
        tags,
        summary: 'Verify the contact email with the code',
        body: T.Object({ flowToken: FlowToken, code: Str(32) }),
        response: { 204: NoContent, ...errors('recovery_form.not_found', CODE_CHECK) },
      },
    },
    async (req, reply) => {
      const b = req.body;
      await verifyRecoveryContact(deps, b.flowToken, b.code);
      return reply.status(204).send(null);
    },
  );
  api.post(
    '/recovery-form/resend',
    {
      schema: {
        tags,
        summary: 'Send a new code to the contact email',
        body: T.Object({ flowToken: FlowToken }),
        response: {
          200: T.Object({ resendAt: DateTime }),
          ...errors('recovery_form.not_found', CODE_SEND, NETWORK_LIMIT),
        },
      },
    },
    async (req) => ({
      resendAt: (await resendRecoveryContactCode(deps, req.body.flowToken, req.ctx)).resendAt.toISOString(),
    }),
  );
  api.post(
    '/recovery-form/submit',
    {
      schema: {
        tags,
        summary:
          'Send the answers (at most 2 requests per account and per contact a day). The answer is emailed to the contact address by dueAt',
        body: T.Object({ flowToken: FlowToken, evidence: Evidence }),
        response: {
          202: T.Object({ dueAt: DateTime, maskedContact: T.String() }),
          ...errors('recovery_form.not_found', 'recovery_form.invalid', 'recovery_form.limit'),
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const r = await submitRecoveryForm(deps, b.flowToken, b.evidence, req.ctx);
      return reply.status(202).send({ dueAt: r.dueAt.toISOString(), maskedContact: r.maskedContact });
    },
  );
  api.post(
    '/recovery-form/reset/state',
    {
      schema: {
        tags,
        summary: 'Check a one-time link from an approval',
        body: T.Object({ token: Str(100) }),
        response: {
          200: T.Object({ maskedAccount: T.String(), contactEmail: T.String(), expiresAt: DateTime }),
          ...errors('recovery_form.not_found'),
        },
      },
    },
    async (req) => {
      const s = await recoveryLinkState(deps, req.body.token);
      return {
        maskedAccount: s.maskedAccount,
        contactEmail: s.contactEmail,
        expiresAt: s.expiresAt.toISOString(),
      };
    },
  );
  api.post(
    '/recovery-form/reset',
    {
      schema: {
        tags,
        summary:
          'Use the one-time link: set a new password; the contact email becomes the new security info after the 30-day wait',
        body: T.Object({ token: Str(100), password: Str(1024) }),
        response: {
          200: T.Object({
            replacement: T.Union([T.Literal('started'), T.Literal('failed')]),
            trustedDeviceToken: T.String({
              description:
                'Trust for this device: pass it at sign-in (trustedDeviceToken) so it is not asked for a code to a contact the owner lost',
            }),
          }),
          ...errors(
            'recovery_form.not_found',
            PASSWORD_RULES,
            'password.same_as_current',
            'password.same_as_phrase',
          ),
        },
      },
    },
    async (req) => {
      const b = req.body;
      return completeRecoveryReset(deps, b.token, { password: b.password }, req.ctx);
    },
  );
}
