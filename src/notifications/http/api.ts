import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type as T } from 'typebox';
import { throttleNetwork } from '../../abuse/network-limits.ts';
import { setPersonalPhrase } from '../../accounts/personal-phrase.ts';
import { requireSession, SESSION_AUTH } from '../../api/kit.ts';
import { AUTH, DateTime, errors, GUARDED, NoContent, OrNull } from '../../api/schema.ts';
import type { Deps } from '../../deps.ts';
import { checkReference, listSentMessages } from '../sent-messages.ts';

/** Anti-phishing: messages we sent, the public reference check, the personal phrase. */
export function messagesApiRoutes(
  v1: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'limiter' | 'cipher' | 'emit'>,
): void {
  const api = v1.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/messages',
    {
      schema: {
        tags: ['messages'],
        summary: 'Every email and SMS sent for my account (destinations masked)',
        response: {
          200: T.Object({
            messages: T.Array(
              T.Object({
                reference: T.String(),
                channel: T.Union([T.Literal('email'), T.Literal('sms')]),
                kind: T.String(),
                to: T.String({ description: 'Masked destination' }),
                createdAt: DateTime,
                status: T.Union([
                  T.Literal('pending'),
                  T.Literal('sending'),
                  T.Literal('sent'),
                  T.Literal('parked'),
                ]),
              }),
            ),
          }),
          ...errors(AUTH),
        },
        ...SESSION_AUTH,
      },
    },
    async (req) => ({
      messages: (await listSentMessages(deps, requireSession(req).accountId)).map((m) => ({
        ...m,
        createdAt: m.createdAt.toISOString(),
      })),
    }),
  );
  api.post(
    '/messages/check',
    {
      schema: {
        tags: ['messages'],
        summary: 'Public: was a message with this reference sent by Mamori? (nothing else is revealed)',
        body: T.Object({ reference: T.String({ maxLength: 64 }) }),
        response: {
          200: T.Object({ genuine: T.Boolean(), sentAt: OrNull(DateTime) }),
          // reference.invalid: text that is not of the reference shape (MMR-XXXX-XXXX, typed any way).
          ...errors('request.rate_limited', 'reference.invalid'),
        },
      },
    },
    async (req) => {
      await throttleNetwork(deps, req.ctx.ip, ['reference_check']);
      const r = await checkReference(deps, req.body.reference);
      return { genuine: r.genuine, sentAt: r.sentAt?.toISOString() ?? null };
    },
  );
  api.put(
    '/phrase',
    {
      schema: {
        tags: ['messages'],
        summary: 'Set (or clear with "") the personal phrase shown in every email',
        body: T.Object({ phrase: T.String({ maxLength: 400 }) }),
        response: {
          204: NoContent,
          ...errors(
            GUARDED,
            'phrase.invalid',
            'phrase.is_password',
            'phrase.contains_email',
            'phrase.contains_phone',
          ),
        },
        ...SESSION_AUTH,
      },
    },
    async (req, reply) => {
      await setPersonalPhrase(deps, requireSession(req), req.body.phrase, req.ctx);
      return reply.status(204).send(null);
    },
  );
}
