/**
 * How an API route describes its answers, next to the route:
 *
 *   response: { 200: T.Object({ … }), ...errors(AUTH, GUARDED, 'contact.not_found') }
 *
 * `errors(...)` lists ONLY the error codes the operation can answer (plus the ones every operation can:
 * EVERYWHERE), grouped by their HTTP status, each as the shared error body with its codes as an enum. The
 * HTTP tests check every real answer against the document (test/support/openapi-conformance.ts), so a
 * code missing here fails a test.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { Type as T, type TSchema } from 'typebox';
import { ERROR_STATUS, type ErrorCode } from '../kernel/errors.ts';

/** Codes any operation can answer: the edges (malformed or oversized body, wrong media type) and a fault. */
export const EVERYWHERE: readonly ErrorCode[] = [
  'request.invalid',
  'request.malformed',
  'request.too_large',
  'request.unsupported_media_type',
  'internal',
];
/** A route for a signed-in account. */
export const AUTH: readonly ErrorCode[] = ['auth.required'];
/** A change of security info (guardSecurityChange): fresh proof, replacement restrictions. */
export const GUARDED: readonly ErrorCode[] = ['auth.required', 'auth.reauth_required', 'account.restricted'];
/** Checking a one-time code. */
export const CODE_CHECK: readonly ErrorCode[] = [
  'code.format',
  'code.wrong',
  'code.expired',
  'code.invalid',
  'code.not_found',
  'code.too_many_attempts',
];
/** Checking a code that may be an authenticator app's: a right code whose time step was used is `code.used`. */
export const TOTP_CHECK: readonly ErrorCode[] = [...CODE_CHECK, 'code.used'];
/** Sending a one-time code (refused while the code is locked after wrong guesses). */
export const CODE_SEND: readonly ErrorCode[] = [
  // A re-send for a flow that a change of password or security info ended (verification/challenges.ts).
  'code.not_found',
  'code.resend_wait',
  'code.too_many_attempts',
  'code.daily_limit',
];
/** Sending a code that may go by SMS: the destination country's limits. */
export const PHONE_SEND: readonly ErrorCode[] = ['phone.country_limit', 'phone.country_unsupported'];
/** The per-network limit on sends and sign-up (abuse/network-limits.ts), with Retry-After. */
export const NETWORK_LIMIT: ErrorCode = 'request.rate_limited';
/** The password rules. */
export const PASSWORD_RULES: readonly ErrorCode[] = [
  'password.too_short',
  'password.too_long',
  'password.common',
  'password.contains_email',
];

/** One field a validation error names: where (`body`, `querystring`, `params`), its JSON pointer and why. */
export const FieldError = T.Object(
  {
    in: T.String({ description: 'body, querystring, params or headers' }),
    path: T.String({ description: 'JSON pointer of the field, e.g. /email ("" for the whole part)' }),
    code: T.String({
      description:
        'required, unknown (a property the operation does not take), type, too_long, too_short, too_many, format, not_allowed or invalid',
    }),
  },
  { additionalProperties: false, $id: 'FieldError' },
);

/** The error body every error answer shares (`Error` in the document). */
export const ErrorBody = T.Object(
  {
    error: T.Object(
      {
        code: T.String({ description: 'Stable error code (docs/errors.md)' }),
        message: T.String({ description: 'For people, in the request language (Accept-Language)' }),
        fields: T.Optional(
          T.Array(T.Unsafe({ $ref: 'FieldError#' }), {
            description: 'request.invalid only: every field that is wrong',
          }),
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, $id: 'Error' },
);

/** Shared schemas, referenced as `Name#` by the routes: add them to the API instance before its routes. */
export function addSharedSchemas(api: FastifyInstance): void {
  api.addSchema(FieldError);
  api.addSchema(ErrorBody);
}

/** The shared error body, with the codes this answer can carry. */
export function errorBody(codes: readonly ErrorCode[]): TSchema {
  const sorted = [...new Set(codes)].sort();
  return T.Unsafe({
    description: `Error: ${sorted.join(', ')}`,
    allOf: [
      { $ref: 'Error#' },
      {
        type: 'object',
        properties: {
          error: { type: 'object', properties: { code: { type: 'string', enum: sorted } } },
        },
      },
    ],
  });
}

/** The error answers of an operation: the given codes (lists or single codes) and EVERYWHERE, by status. */
export function errors(...codes: (ErrorCode | readonly ErrorCode[])[]): Record<number, TSchema> {
  const all = new Set<ErrorCode>([...EVERYWHERE, ...codes.flat()]);
  // Any signed-in operation may meet a session held to choosing a new password first (an organisation
  // admin's temporary password, web/plumbing.ts).
  if (all.has('auth.required')) {
    all.add('auth.password_change_required');
    all.add('policy.registration_required');
  }
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of all) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries([...byStatus].map(([status, list]) => [status, errorBody(list)]));
}

/** No content (204). */
export const NoContent = T.Null({ description: 'No content' });
/** A date and time, ISO 8601 in UTC. */
export const DateTime = T.String({ format: 'date-time' });
/** Either `s` or null. */
export const OrNull = <S extends TSchema>(s: S) => T.Union([s, T.Null()]);

const isObjectSchema = (s: Record<string, unknown>) =>
  s.type === 'object' || (s.properties !== undefined && s.type === undefined);

/**
 * A copy of a body schema where every object refuses properties it does not list (unless it says
 * otherwise): `additionalProperties: false` enforced, since the validator does not strip them
 * (`removeAdditional: false` in app.ts).
 */
export function strictObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictObjects);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = strictObjects(v);
  if (isObjectSchema(out) && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** Every JSON body schema of the routes registered under `api` refuses unknown properties. */
export function refuseUnknownProperties(api: FastifyInstance): void {
  api.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as { body?: unknown } | undefined;
    if (schema?.body) schema.body = strictObjects(schema.body);
  });
}

/** WebAuthn options for the browser and the token to post back with its answer. */
export const PasskeyOptionsOut = T.Object({
  token: T.String({ description: 'Valid 5 minutes, single use' }),
  options: T.Object(
    {},
    {
      additionalProperties: true,
      description:
        'PublicKeyCredentialCreationOptionsJSON or PublicKeyCredentialRequestOptionsJSON (WebAuthn Level 3)',
    },
  ),
});
