import swagger from '@fastify/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type as T } from 'typebox';
import { meApiRoutes, passwordApiRoutes, signupApiRoutes } from '../accounts/http/api.ts';
import { secureAccount } from '../accounts/secure-account.ts';
import { activityApiRoutes } from '../activity/http/api.ts';
import { checkupApiRoutes } from '../checkup/http/api.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../kernel/errors.ts';
import { noticesApiRoutes } from '../notices/http/api.ts';
import { messagesApiRoutes } from '../notifications/http/api.ts';
import { operatorApiRoutes } from '../operator/http/api.ts';
import { resetApiRoutes } from '../recovery/http/api.ts';
import { recoveryFormApiRoutes } from '../recovery-form/http/api.ts';
import { replacementApiRoutes } from '../replacement/http/api.ts';
import { securityInfoApiRoutes } from '../security-info/http/api.ts';
import { passkeyApiRoutes } from '../security-info/http/passkey-api.ts';
import { twoStepApiRoutes } from '../security-info/http/two-step-api.ts';
import { sessionsApiRoutes } from '../sessions/http/api.ts';
import { secondStepApiRoutes, trustedDevicesApiRoutes } from '../sessions/http/second-step-api.ts';
import { reauthWithCode, reauthWithPassword, sendReauthCode } from '../sessions/reauth.ts';
import type { SessionView } from '../sessions/session-cache.ts';
import {
  AUTH,
  addSharedSchemas,
  CODE_SEND,
  DateTime,
  errors,
  GUARDED,
  OrNull,
  PASSWORD_RULES,
  PHONE_SEND,
  refuseUnknownProperties,
  TOTP_CHECK,
} from './schema.ts';

const Str = (max: number) => T.String({ maxLength: max });
const Code = T.String({
  maxLength: 32,
  description: '6-digit code; full-width digits, spaces and hyphens accepted',
});
const _FlowToken = T.String({ maxLength: 64 });
const _MaskedMethod = T.Object({
  id: T.String(),
  kind: T.Union([T.Literal('signin'), T.Literal('email'), T.Literal('phone'), T.Literal('totp')], {
    description: 'signin: the verified sign-in address, confirmed by typing it in full',
  }),
  masked: T.String(),
});
const _ResetDelivery = T.Object({
  delivery: T.Union([T.Literal('if_matched'), T.Literal('totp')]),
  resendAt: OrNull(DateTime),
});

/** The tags of the document, in order. */
const API_TAGS = [
  { name: 'accounts', description: 'Sign-up, the account, its password' },
  { name: 'sessions', description: 'Sign-in (with a second factor), sessions, fresh proof, trusted devices' },
  {
    name: 'security-info',
    description: 'Contact emails, phones, authenticator apps, passkeys, recovery code',
  },
  { name: 'activity', description: 'Security activity and securing the account' },
  { name: 'password-reset', description: 'Forgotten password' },
  {
    name: 'messages',
    description: 'Messages Mamori sent, the public reference check, the personal greeting',
  },
  { name: 'replacement', description: 'Replacing lost security info (with a waiting period)' },
  { name: 'recovery-form', description: 'Account recovery form reviewed by an operator' },
  { name: 'checkup', description: 'Security checkup and the periodic check' },
  { name: 'notices', description: 'Service notice preferences' },
  { name: 'operator', description: 'Operator console (operator token)' },
];

const SUCCESS: Record<string, string> = {
  '200': 'OK',
  '201': 'Created',
  '202': 'Accepted',
  '204': 'Done, no content',
};

/** `post /api/v1/methods/:id/verify` → `postMethodsByIdVerify`. */
export function operationId(method: string, url: string): string {
  const words = url
    .replace(/^\/api\/v1\//, '')
    .split('/')
    .flatMap((seg) => (seg.startsWith(':') ? ['by', seg.slice(1)] : seg.split(/[-_]/)))
    .filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join('');
}

function session(req: FastifyRequest): SessionView {
  if (!req.session) throw new AppError('auth.required');
  return req.session;
}

/** JSON API under /api/v1, described at /api/openapi.json. Authentication: `Authorization: Bearer <sessionToken>`. */
export async function apiRoutes(api: FastifyInstance, deps: Deps): Promise<void> {
  await api.register(swagger, {
    // Shared schemas (api/schema.ts) keep their names in the document: #/components/schemas/Error.
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Mamori API',
        version: '1.0.0',
        description:
          'Account security service: accounts, sessions, security info (contact emails, phones), verification codes and password reset. Errors are `{ "error": { "code", "message", "fields"? } }`; each operation lists the codes it can answer, all codes are in docs/errors.md. Messages follow `Accept-Language` (ja, en).',
        license: { name: 'Proprietary', identifier: 'LicenseRef-Mamori' },
      },
      servers: [{ url: deps.config.publicUrl, description: 'This Mamori' }],
      tags: API_TAGS,
      components: {
        securitySchemes: {
          session: {
            type: 'http',
            scheme: 'bearer',
            description: 'A user session token (`sessionToken` from sign-in, sign-up or a fresh proof)',
          },
          operator: {
            type: 'http',
            scheme: 'bearer',
            description: 'An operator token (`operatorToken` from POST /api/v1/operator/sessions/code)',
          },
        },
      },
    },
    // Every operation: a stable operationId, and `security: []` when it needs no token.
    transform: ({ schema, url, route }) => {
      const s = { ...(schema as Record<string, unknown>) };
      const method = ([] as string[]).concat(route.method)[0] ?? 'GET';
      s.operationId ??= operationId(method, url);
      s.security ??= [];
      // A success answer is described by its status unless its schema says more.
      const response = s.response as Record<string, Record<string, unknown>> | undefined;
      if (response)
        s.response = Object.fromEntries(
          Object.entries(response).map(([status, r]) => [
            status,
            r.description || !SUCCESS[status] ? r : { ...r, description: SUCCESS[status] },
          ]),
        );
      return { schema: s as never, url };
    },
  });
  addSharedSchemas(api);
  refuseUnknownProperties(api);
  api.get('/openapi.json', { schema: { hide: true } }, async () => api.swagger());

  const auth = { security: [{ session: [] }] };
  const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

  await api.register(
    async (v1) => {
      v1.addHook('onSend', async (_req, reply, payload) => {
        noStore(reply);
        return payload;
      });

      signupApiRoutes(v1, deps);
      sessionsApiRoutes(v1, deps);
      meApiRoutes(v1, deps);

      // Fresh proof
      v1.post(
        '/reauth',
        {
          schema: {
            tags: ['sessions'],
            summary:
              'Fresh proof with the password (valid 10 minutes); the session token is replaced: use the returned one',
            body: T.Object({ password: Str(1024) }),
            response: {
              200: T.Object({ sessionToken: T.String() }),
              ...errors(AUTH, 'auth.invalid_credentials', 'auth.throttled'),
            },
            ...auth,
          },
        },
        async (req) =>
          reauthWithPassword(deps, session(req), (req.body as { password: string }).password, req.ctx),
      );
      v1.post(
        '/reauth/code',
        {
          schema: {
            tags: ['sessions'],
            summary: 'Send a fresh-proof code to a verified method',
            body: T.Object({ methodId: Str(64) }),
            response: {
              200: T.Object({ resendAt: DateTime }),
              ...errors(AUTH, 'contact.not_found', CODE_SEND, PHONE_SEND),
            },
            ...auth,
          },
        },
        async (req) => {
          const r = await sendReauthCode(deps, session(req), (req.body as { methodId: string }).methodId);
          return { resendAt: r.resendAt.toISOString() };
        },
      );
      v1.post(
        '/reauth/code/verify',
        {
          schema: {
            tags: ['sessions'],
            summary: 'Fresh proof with a code; the session token is replaced: use the returned one',
            body: T.Object({ methodId: Str(64), code: Code }),
            response: {
              200: T.Object({ sessionToken: T.String() }),
              ...errors(AUTH, 'contact.not_found', 'auth.throttled', TOTP_CHECK),
            },
            ...auth,
          },
        },
        async (req) => {
          const b = req.body as { methodId: string; code: string };
          return reauthWithCode(deps, session(req), b.methodId, b.code, req.ctx);
        },
      );

      securityInfoApiRoutes(v1, deps);

      passwordApiRoutes(v1, deps);

      // Activity
      activityApiRoutes(v1, deps);
      v1.post(
        '/secure',
        {
          schema: {
            tags: ['activity'],
            summary:
              'Secure my account: new password, other sessions ended, trusted devices removed (needs a fresh proof)',
            body: T.Object({ password: Str(1024) }),
            response: {
              200: T.Object({ endedSessions: T.Integer(), revokedDevices: T.Integer() }),
              ...errors(GUARDED, PASSWORD_RULES, 'password.same_as_current', 'password.same_as_phrase'),
            },
            ...auth,
          },
        },
        async (req) => secureAccount(deps, session(req), req.body as { password: string }, req.ctx),
      );

      resetApiRoutes(v1, deps);
      secondStepApiRoutes(v1, deps);
      twoStepApiRoutes(v1, deps);
      trustedDevicesApiRoutes(v1, deps);
      messagesApiRoutes(v1, deps);
      replacementApiRoutes(v1, deps);
      recoveryFormApiRoutes(v1, deps);
      checkupApiRoutes(v1, deps);
      noticesApiRoutes(v1, deps);
      operatorApiRoutes(v1, deps);
      passkeyApiRoutes(v1, deps);
    },
    { prefix: '/v1' },
  );
}
