import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type as T } from 'typebox';
import { requireSession, SESSION_AUTH } from '../../api/kit.ts';
import { errors, GUARDED, PasskeyOptionsOut } from '../../api/schema.ts';
import type { Deps } from '../../deps.ts';
import {
  finishPasskeyRegistration,
  finishPasskeySignIn,
  startPasskeyRegistration,
  startPasskeySignIn,
} from '../passkeys/passkey-service.ts';

const B64 = (max: number) => T.String({ maxLength: max, pattern: '^[A-Za-z0-9_-]*={0,2}$' });
const ChallengeToken = T.String({
  maxLength: 100,
  description: 'The `token` returned with the options (valid 5 minutes, single use)',
});

/** `credential.toJSON()` of the browser (WebAuthn Level 3 RegistrationResponseJSON). */
const RegistrationResponse = T.Object(
  {
    id: B64(1400),
    rawId: B64(1400),
    type: T.Literal('public-key'),
    authenticatorAttachment: T.Optional(T.Union([T.String({ maxLength: 32 }), T.Null()])),
    clientExtensionResults: T.Optional(T.Object({}, { additionalProperties: true })),
    response: T.Object({
      clientDataJSON: B64(4096),
      attestationObject: B64(12_000),
      authenticatorData: T.Optional(B64(12_000)),
      transports: T.Optional(T.Array(T.String({ maxLength: 32 }), { maxItems: 10 })),
      publicKeyAlgorithm: T.Optional(T.Integer()),
      publicKey: T.Optional(B64(4096)),
    }),
  },
  { description: 'The browser credential after navigator.credentials.create(), as credential.toJSON()' },
);

/** `credential.toJSON()` of the browser (WebAuthn Level 3 AuthenticationResponseJSON). */
const AuthenticationResponse = T.Object(
  {
    id: B64(1400),
    rawId: B64(1400),
    type: T.Literal('public-key'),
    authenticatorAttachment: T.Optional(T.Union([T.String({ maxLength: 32 }), T.Null()])),
    clientExtensionResults: T.Optional(T.Object({}, { additionalProperties: true })),
    response: T.Object({
      clientDataJSON: B64(4096),
      authenticatorData: B64(4096),
      signature: B64(4096),
      userHandle: T.Optional(T.Union([B64(128), T.Null()])),
    }),
  },
  { description: 'The browser credential after navigator.credentials.get(), as credential.toJSON()' },
);

/**
 * Passkeys over the API. A ceremony is two calls: `…/options` returns `{ token, options }` (options for
 * `PublicKeyCredential.parseCreationOptionsFromJSON` / `parseRequestOptionsFromJSON`), then the client
 * posts the token with `credential.toJSON()`.
 */
export function passkeyApiRoutes(
  v1: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'emit'>,
): void {
  const app = v1.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/methods/passkeys/options',
    {
      schema: {
        tags: ['security-info'],
        summary: 'Start adding a passkey (needs a fresh proof): WebAuthn creation options and a token',
        response: {
          200: PasskeyOptionsOut,
          ...errors(GUARDED, 'contact.limit_reached', 'policy.method_not_allowed'),
        },
        ...SESSION_AUTH,
      },
    },
    async (req) => startPasskeyRegistration(deps, requireSession(req)),
  );
  app.post(
    '/methods/passkeys',
    {
      schema: {
        tags: ['security-info'],
        summary: 'Finish adding a passkey with the browser credential; it becomes verified security info',
        body: T.Object({
          token: ChallengeToken,
          response: RegistrationResponse,
          name: T.Optional(T.String({ maxLength: 100 })),
        }),
        response: {
          201: T.Object({ methodId: T.String() }),
          ...errors(
            'policy.method_not_allowed',
            GUARDED,
            'auth.invalid_credentials',
            'signin.flow_invalid',
            'contact.already_added',
            'contact.label_invalid',
            'contact.limit_reached',
          ),
        },
        ...SESSION_AUTH,
      },
    },
    async (req, reply) => {
      const b = req.body;
      const r = await finishPasskeyRegistration(
        deps,
        requireSession(req),
        b.token,
        b.response,
        b.name,
        req.ctx,
      );
      return reply.status(201).send(r);
    },
  );
  app.post(
    '/sessions/passkey/options',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Start a passwordless sign-in with a passkey: WebAuthn request options and a token',
        response: { 200: PasskeyOptionsOut, ...errors() },
      },
    },
    async (req) => startPasskeySignIn(deps, req.ctx),
  );
  app.post(
    '/sessions/passkey',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Sign in with a passkey (no password; the session counts as two-step verified)',
        body: T.Object({ token: ChallengeToken, response: AuthenticationResponse }),
        response: {
          200: T.Object({ sessionToken: T.String() }),
          ...errors('auth.invalid_credentials', 'auth.throttled', 'signin.flow_invalid'),
        },
      },
    },
    async (req) => {
      const b = req.body;
      const r = await finishPasskeySignIn(deps, b.token, b.response, req.ctx);
      return { sessionToken: r.sessionToken };
    },
  );
}
