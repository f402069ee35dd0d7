import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type as T } from 'typebox';
import { setTwoStep } from '../../accounts/two-step-service.ts';
import { requireSession, SESSION_AUTH, Str } from '../../api/kit.ts';
import { CODE_CHECK, errors, GUARDED, NoContent } from '../../api/schema.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../kernel/errors.ts';
import { normalizeLabel } from '../label.ts';
import { createRecoveryCode } from '../recovery-code-service.ts';
import { confirmTotp, startTotp } from '../totp-service.ts';

const Code = T.String({ maxLength: 64 });

/** Authenticator apps, the recovery code and the two-step switch over the API. */
export function twoStepApiRoutes(
  v1: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {
  const app = v1.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
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
          ...errors(GUARDED, 'contact.label_invalid', 'contact.limit_reached', 'policy.method_not_allowed'),
        },
        ...SESSION_AUTH,
      },
    },
    async (req, reply) => {
      const label = normalizeLabel(req.body.label);
      if (label === null) throw new AppError('contact.label_invalid');
      return reply.status(202).send(await startTotp(deps, requireSession(req), label));
    },
  );
  app.post(
    '/methods/totp/:id/confirm',
    {
      schema: {
        tags: ['security-info'],
        summary: 'Confirm an authenticator app with its first code',
        params: T.Object({ id: Str(64) }),
        body: T.Object({ code: Code }),
        response: {
          204: NoContent,
          ...errors(GUARDED, 'contact.not_found', CODE_CHECK, 'policy.method_not_allowed'),
        },
        ...SESSION_AUTH,
      },
    },
    async (req, reply) => {
      await confirmTotp(deps, requireSession(req), req.params.id, req.body.code, req.ctx);
      return reply.status(204).send(null);
    },
  );
  app.post(
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
        ...SESSION_AUTH,
      },
    },
    async (req) => createRecoveryCode(deps, requireSession(req), req.ctx),
  );
  app.put(
    '/two-step',
    {
      schema: {
        tags: ['security-info'],
        summary: 'Turn two-step verification on (needs two verified methods) or off; needs a fresh proof',
        body: T.Object({ enabled: T.Boolean() }),
        response: { 204: NoContent, ...errors(GUARDED, 'two_step.needs_two_methods') },
        ...SESSION_AUTH,
      },
    },
    async (req, reply) => {
      await setTwoStep(deps, requireSession(req), req.body.enabled, req.ctx);
      return reply.status(204).send(null);
    },
  );
}
