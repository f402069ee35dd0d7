import swagger from '@fastify/swagger';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { meApiRoutes, passwordApiRoutes, secureApiRoutes, signupApiRoutes } from '../accounts/http/api.ts';
import { activityApiRoutes } from '../activity/http/api.ts';
import { checkupApiRoutes } from '../checkup/http/api.ts';
import type { Deps } from '../deps.ts';
import { noticesApiRoutes } from '../notices/http/api.ts';
import { messagesApiRoutes } from '../notifications/http/api.ts';
import { operatorApiRoutes } from '../operator/http/api.ts';
import { organisationApiRoutes } from '../organisations/http/api.ts';
import { resetApiRoutes } from '../recovery/http/api.ts';
import { recoveryFormApiRoutes } from '../recovery-form/http/api.ts';
import { replacementApiRoutes } from '../replacement/http/api.ts';
import { securityInfoApiRoutes } from '../security-info/http/api.ts';
import { passkeyApiRoutes } from '../security-info/http/passkey-api.ts';
import { twoStepApiRoutes } from '../security-info/http/two-step-api.ts';
import { sessionsApiRoutes } from '../sessions/http/api.ts';
import { reauthApiRoutes } from '../sessions/http/reauth-api.ts';
import { secondStepApiRoutes, trustedDevicesApiRoutes } from '../sessions/http/second-step-api.ts';
import { addSharedSchemas, refuseUnknownProperties } from './schema.ts';

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
  { name: 'organisations', description: 'Organisation administration (organisation admin token)' },
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

/** JSON API under /api/v1, described at /api/openapi.json. Authentication: `Authorization: Bearer <sessionToken>`. */
export async function apiRoutes(
  api: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): Promise<void> {
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
          orgToken: {
            type: 'http',
            scheme: 'bearer',
            description:
              'An organisation admin token (created in the organisation console), scoped to one organisation',
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

  const _auth = { security: [{ session: [] }] };
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

      reauthApiRoutes(v1, deps);

      securityInfoApiRoutes(v1, deps);

      passwordApiRoutes(v1, deps);

      // Activity
      activityApiRoutes(v1, deps);
      secureApiRoutes(v1, deps);

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
      organisationApiRoutes(v1, deps);
    },
    { prefix: '/v1' },
  );
}
