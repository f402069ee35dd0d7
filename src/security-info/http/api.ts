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
  GUARDED,
  NoContent,
  OrNull,
  PHONE_SEND,
} from '../../api/schema.ts';
import type { Deps } from '../../deps.ts';
import type { Locale } from '../../kernel/context.ts';
import {
  addEmail,
  addPhone,
  describeMethod,
  listMethods,
  relabelMethod,
  removeMethod,
  resendMethodCode,
  verifyMethod,
} from '../methods-service.ts';

const Code = T.String({
  maxLength: 32,
  description: '6-digit code; full-width digits, spaces and hyphens accepted',
});

/** Contact emails and phones over the API (`/api/v1/methods…`): list, add, verify, resend, rename, remove. */
export function securityInfoApiRoutes(
  v1: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {
  const app = v1.withTypeProvider<TypeBoxTypeProvider>();

  // Security info
  const methodOut = (m: Awaited<ReturnType<typeof listMethods>>[number], locale: Locale) => ({
    id: m.id,
    kind: m.kind,
    value: m.value,
    masked: describeMethod(m, locale),
    label: m.label,
    verified: m.verifiedAt !== null,
    verifiedAt: m.verifiedAt?.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
    lastUsedAt: m.lastUsedAt?.toISOString() ?? null,
  });
  const MethodOut = T.Object({
    id: T.String(),
    kind: T.Union([T.Literal('email'), T.Literal('phone'), T.Literal('totp'), T.Literal('passkey')]),
    value: T.String(),
    masked: T.String(),
    label: T.String(),
    verified: T.Boolean(),
    verifiedAt: OrNull(DateTime),
    createdAt: DateTime,
    lastUsedAt: OrNull(DateTime),
  });
  app.get(
    '/methods',
    {
      schema: {
        tags: ['security-info'],
        summary: 'List my security info',
        response: { 200: T.Object({ methods: T.Array(MethodOut) }), ...errors(AUTH) },
        ...SESSION_AUTH,
      },
    },
    async (req) => ({
      methods: (await listMethods(deps.db, requireSession(req).accountId)).map((m) =>
        methodOut(m, req.ctx.locale),
      ),
    }),
  );
  app.post(
    '/methods/emails',
    {
      schema: {
        tags: ['security-info'],
        summary: 'Add a contact email (needs a fresh proof); a code is sent to it',
        body: T.Object({
          email: Str(320),
          label: T.Optional(Str(100)),
          acceptTypo: T.Optional(T.Boolean()),
        }),
        response: {
          202: T.Object({ methodId: T.String(), resendAt: DateTime }),
          ...errors(
            'policy.method_not_allowed',
            GUARDED,
            'contact.email_invalid',
            'contact.email_disposable',
            'contact.email_same_as_primary',
            'contact.email_typo',
            'contact.already_added',
            'contact.limit_reached',
            'contact.label_invalid',
            CODE_SEND,
          ),
        },
        ...SESSION_AUTH,
      },
    },
    async (req, reply) => {
      const r = await addEmail(deps, requireSession(req), req.body, req.ctx);
      return reply.status(202).send({ methodId: r.methodId, resendAt: r.resendAt.toISOString() });
    },
  );
  app.post(
    '/methods/phones',
    {
      schema: {
        tags: ['security-info'],
        summary: 'Add a mobile number (needs a fresh proof); a code is sent by SMS',
        body: T.Object({
          country: T.String({ pattern: '^[A-Za-z]{2}$' }),
          number: Str(40),
          label: T.Optional(Str(100)),
        }),
        response: {
          202: T.Object({ methodId: T.String(), resendAt: DateTime }),
          ...errors(
            'policy.method_not_allowed',
            'policy.country_not_allowed',
            GUARDED,
            'phone.invalid',
            'phone.not_mobile',
            'contact.already_added',
            'contact.limit_reached',
            'contact.label_invalid',
            CODE_SEND,
            PHONE_SEND,
          ),
        },
        ...SESSION_AUTH,
      },
    },
    async (req, reply) => {
      const r = await addPhone(deps, requireSession(req), req.body, req.ctx);
      return reply.status(202).send({ methodId: r.methodId, resendAt: r.resendAt.toISOString() });
    },
  );
  const idParams = T.Object({ id: Str(64) });
  app.post(
    '/methods/:id/verify',
    {
      schema: {
        tags: ['security-info'],
        summary: 'Verify a new method with its code',
        params: idParams,
        body: T.Object({ code: Code }),
        response: {
          200: T.Object({ method: MethodOut }),
          ...errors(
            GUARDED,
            'contact.not_found',
            CODE_CHECK,
            'policy.method_not_allowed',
            'policy.country_not_allowed',
          ),
        },
        ...SESSION_AUTH,
      },
    },
    async (req) => {
      const m = await verifyMethod(deps, requireSession(req), req.params.id, req.body.code, req.ctx);
      return { method: methodOut(m, req.ctx.locale) };
    },
  );
  app.post(
    '/methods/:id/resend',
    {
      schema: {
        tags: ['security-info'],
        summary: 'Send a new code to a method not yet verified',
        params: idParams,
        response: {
          200: T.Object({ resendAt: DateTime }),
          ...errors(GUARDED, 'contact.not_found', CODE_SEND, PHONE_SEND),
        },
        ...SESSION_AUTH,
      },
    },
    async (req) => ({
      resendAt: (await resendMethodCode(deps, requireSession(req), req.params.id, req.ctx)).toISOString(),
    }),
  );
  app.patch(
    '/methods/:id',
    {
      schema: {
        tags: ['security-info'],
        summary: 'Change a method label',
        params: idParams,
        body: T.Object({ label: Str(100) }),
        response: { 204: NoContent, ...errors(GUARDED, 'contact.not_found', 'contact.label_invalid') },
        ...SESSION_AUTH,
      },
    },
    async (req, reply) => {
      await relabelMethod(deps, requireSession(req), req.params.id, req.body.label, req.ctx);
      return reply.status(204).send(null);
    },
  );
  app.delete(
    '/methods/:id',
    {
      schema: {
        tags: ['security-info'],
        summary: 'Remove a method (needs a fresh proof; not the last verified one)',
        params: idParams,
        response: {
          204: NoContent,
          ...errors(
            GUARDED,
            'contact.not_found',
            'contact.last_method',
            'two_step.needs_two_methods',
            'policy.method_required',
          ),
        },
        ...SESSION_AUTH,
      },
    },
    async (req, reply) => {
      await removeMethod(deps, requireSession(req), req.params.id, req.ctx);
      return reply.status(204).send(null);
    },
  );
}
