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
  PHONE_SEND,
} from '../../api/schema.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../kernel/errors.ts';
import {
  addReplacementEmail,
  addReplacementPhone,
  applyWithRecoveryCode,
  cancelByLink,
  cancelByOwner,
  cancelLinkInfo,
  confirmReplacement,
  discardDraft,
  removeItem,
  replacementState,
  resendItemCode,
  verifyItem,
} from '../replacement-service.ts';
import type { Replacement } from '../store.ts';

const tags = ['replacement'];
const Item = T.Object({
  id: T.String(),
  kind: T.Union([T.Literal('email'), T.Literal('phone')]),
  value: T.String(),
  verified: T.Boolean(),
});
const ItemAdded = T.Object({ itemId: T.String(), resendAt: DateTime });
const ReplacementOut = T.Object({
  id: T.String(),
  status: T.String(),
  source: T.String(),
  startedAt: T.Union([T.String(), T.Null()]),
  effectiveAt: T.Union([T.String(), T.Null()]),
  items: T.Array(Item),
});

const out = (r: Replacement | null) =>
  r
    ? {
        id: r.id,
        status: r.status,
        source: r.source,
        startedAt: r.startedAt?.toISOString() ?? null,
        effectiveAt: r.effectiveAt?.toISOString() ?? null,
        items: r.items.map((i) => ({
          id: i.id,
          kind: i.kind,
          value: i.value,
          verified: i.verifiedAt !== null,
        })),
      }
    : null;

/**
 * JSON API of "I don't have any of these": new security info that replaces all the old info after a
 * 30-day wait (docs/flows/replacement.md), under /api/v1.
 */
export function replacementApiRoutes(
  v1: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {
  const api = v1.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    '/replacement',
    {
      schema: {
        tags,
        ...SESSION_AUTH,
        summary: 'The pending replacement of security info and the draft being entered (either may be null)',
        response: {
          200: T.Object({
            pending: T.Union([ReplacementOut, T.Null()]),
            draft: T.Union([ReplacementOut, T.Null()]),
          }),
          ...errors(AUTH),
        },
      },
    },
    async (req) => {
      const s = await replacementState(deps, requireSession(req).accountId);
      return { pending: out(s.pending), draft: out(s.draft) };
    },
  );
  api.post(
    '/replacement/emails',
    {
      schema: {
        tags,
        ...SESSION_AUTH,
        summary: 'Add a new email address to the draft; a code is sent to it (needs a fresh proof)',
        body: T.Object({ email: Str(320), acceptTypo: T.Optional(T.Boolean()) }),
        response: {
          202: ItemAdded,
          ...errors(
            'policy.method_not_allowed',
            GUARDED,
            'contact.email_invalid',
            'contact.email_disposable',
            'contact.email_same_as_primary',
            'contact.email_typo',
            'contact.already_added',
            'contact.limit_reached',
            'replacement.already_pending',
            CODE_SEND,
          ),
        },
      },
    },
    async (req, reply) => {
      const r = await addReplacementEmail(deps, requireSession(req), req.body);
      return reply.status(202).send({ itemId: r.itemId, resendAt: r.resendAt.toISOString() });
    },
  );
  api.post(
    '/replacement/phones',
    {
      schema: {
        tags,
        ...SESSION_AUTH,
        summary: 'Add a new mobile number to the draft; a code is texted to it (needs a fresh proof)',
        body: T.Object({ country: Str(2), number: Str(64) }),
        response: {
          202: ItemAdded,
          ...errors(
            'policy.method_not_allowed',
            'policy.country_not_allowed',
            GUARDED,
            'phone.invalid',
            'phone.not_mobile',
            'contact.already_added',
            'contact.limit_reached',
            'replacement.already_pending',
            CODE_SEND,
            PHONE_SEND,
          ),
        },
      },
    },
    async (req, reply) => {
      const r = await addReplacementPhone(deps, requireSession(req), req.body);
      return reply.status(202).send({ itemId: r.itemId, resendAt: r.resendAt.toISOString() });
    },
  );
  api.post(
    '/replacement/items/:id/verify',
    {
      schema: {
        tags,
        ...SESSION_AUTH,
        summary: 'Enter the code sent to a new item of the draft',
        params: T.Object({ id: Str(64) }),
        body: T.Object({ code: Str(32) }),
        response: {
          200: T.Object({ id: T.String(), verified: T.Literal(true) }),
          ...errors(
            'policy.method_not_allowed',
            'policy.country_not_allowed',
            GUARDED,
            'contact.not_found',
            'replacement.not_found',
            CODE_CHECK,
          ),
        },
      },
    },
    async (req) => {
      const item = await verifyItem(deps, requireSession(req), req.params.id, req.body.code);
      return { id: item.id, verified: true as const };
    },
  );
  api.post(
    '/replacement/items/:id/resend',
    {
      schema: {
        tags,
        ...SESSION_AUTH,
        summary: 'Send a new code to a new item',
        params: T.Object({ id: Str(64) }),
        response: {
          200: T.Object({ resendAt: DateTime }),
          ...errors(GUARDED, 'contact.not_found', 'replacement.not_found', CODE_SEND, PHONE_SEND),
        },
      },
    },
    async (req) => {
      const at = await resendItemCode(deps, requireSession(req), req.params.id);
      return { resendAt: at.toISOString() };
    },
  );
  api.delete(
    '/replacement/items/:id',
    {
      schema: {
        tags,
        ...SESSION_AUTH,
        summary: 'Remove an item from the draft',
        params: T.Object({ id: Str(64) }),
        response: { 204: NoContent, ...errors(GUARDED, 'contact.not_found', 'replacement.not_found') },
      },
    },
    async (req, reply) => {
      await removeItem(deps, requireSession(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  api.delete(
    '/replacement/draft',
    {
      schema: {
        tags,
        ...SESSION_AUTH,
        summary: 'Discard the draft',
        response: { 204: NoContent, ...errors(GUARDED, 'replacement.not_found') },
      },
    },
    async (req, reply) => {
      await discardDraft(deps, requireSession(req));
      return reply.status(204).send(null);
    },
  );
  api.post(
    '/replacement/start',
    {
      schema: {
        tags,
        ...SESSION_AUTH,
        summary:
          'Start the 30-day wait with the verified items of the draft; the current contacts are told at once (needs a fresh proof)',
        response: {
          202: T.Object({ id: T.String(), effectiveAt: DateTime }),
          ...errors(GUARDED, 'replacement.not_found', 'replacement.invalid', 'replacement.already_pending'),
        },
      },
    },
    async (req, reply) => {
      const r = await confirmReplacement(deps, requireSession(req), req.ctx);
      return reply.status(202).send({ id: r.id, effectiveAt: r.effectiveAt.toISOString() });
    },
  );
  api.post(
    '/replacement/cancel',
    {
      schema: {
        tags,
        ...SESSION_AUTH,
        summary: 'Cancel the pending replacement (signed in)',
        response: { 204: NoContent, ...errors(GUARDED, 'replacement.not_found') },
      },
    },
    async (req, reply) => {
      await cancelByOwner(deps, requireSession(req), req.ctx);
      return reply.status(204).send(null);
    },
  );
  api.post(
    '/replacement/recovery-code',
    {
      schema: {
        tags,
        ...SESSION_AUTH,
        summary:
          'Skip the wait with a valid recovery code: the replacement takes effect now; returns the new recovery code',
        body: T.Object({ recoveryCode: Str(64) }),
        response: {
          200: T.Object({ recoveryCode: T.String() }),
          ...errors(
            GUARDED,
            'replacement.not_found',
            'replacement.invalid',
            'replacement.recovery_code_too_new',
            CODE_CHECK,
          ),
        },
      },
    },
    async (req) => {
      const code = await applyWithRecoveryCode(deps, requireSession(req), req.body.recoveryCode, req.ctx);
      return { recoveryCode: code };
    },
  );
  api.post(
    '/replacement/link',
    {
      schema: {
        tags,
        summary: 'What a cancel link (from an email to a current contact) is about; no sign-in needed',
        body: T.Object({ token: Str(100) }),
        response: {
          200: T.Object({ maskedAccount: T.String(), effectiveAt: DateTime }),
          ...errors('replacement.not_found'),
        },
      },
    },
    async (req) => {
      const info = await cancelLinkInfo(deps, req.body.token);
      if (!info) throw new AppError('replacement.not_found');
      return { maskedAccount: info.maskedAccount, effectiveAt: info.effectiveAt.toISOString() };
    },
  );
  api.post(
    '/replacement/link/cancel',
    {
      schema: {
        tags,
        summary:
          'Cancel with the token of a cancel link; notMe also signs out every session (no sign-in needed)',
        body: T.Object({ token: Str(100), notMe: T.Optional(T.Boolean()) }),
        response: { 204: NoContent, ...errors('replacement.not_found') },
      },
    },
    async (req, reply) => {
      const b = req.body;
      await cancelByLink(deps, b.token, b.notMe === true, req.ctx);
      return reply.status(204).send(null);
    },
  );
}
