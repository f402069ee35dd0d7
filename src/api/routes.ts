import swagger from '@fastify/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type as T } from 'typebox';
import { confirmSignup, resendSignupCode, signUp } from '../accounts/accounts-service.ts';
import { changePassword } from '../accounts/password-service.ts';
import { updateProfile } from '../accounts/profile.ts';
import { secureAccount } from '../accounts/secure-account.ts';
import { activityApiRoutes } from '../activity/http/api.ts';
import { checkupApiRoutes } from '../checkup/http/api.ts';
import type { Deps } from '../deps.ts';
import type { Locale } from '../kernel/context.ts';
import { AppError } from '../kernel/errors.ts';
import { noticesApiRoutes } from '../notices/http/api.ts';
import { messagesApiRoutes } from '../notifications/http/api.ts';
import { operatorApiRoutes } from '../operator/http/api.ts';
import {
  chooseResetMethod,
  completeReset,
  resendResetCode,
  resetState,
  startReset,
  useRecoveryCode,
  verifyResetCode,
} from '../recovery/reset-service.ts';
import {
  addEmail,
  addPhone,
  describeMethod,
  listMethods,
  relabelMethod,
  removeMethod,
  resendMethodCode,
  verifyMethod,
} from '../security-info/methods-service.ts';
import { reauthWithCode, reauthWithPassword, sendReauthCode } from '../sessions/reauth.ts';
import type { SessionView } from '../sessions/session-cache.ts';
import { endOtherSessions, endSession, listSessions } from '../sessions/sessions.ts';
import { signIn, signOut } from '../sessions/sign-in.ts';
import { passkeyApiRoutes } from './passkey-routes.ts';
import { recoveryFormApiRoutes } from './recovery-form-routes.ts';
import { replacementApiRoutes } from './replacement-routes.ts';
import {
  AUTH,
  addSharedSchemas,
  CODE_CHECK,
  CODE_SEND,
  DateTime,
  errors,
  GUARDED,
  NETWORK_LIMIT,
  NoContent,
  OrNull,
  PASSWORD_RULES,
  PHONE_SEND,
  refuseUnknownProperties,
  TOTP_CHECK,
} from './schema.ts';
import { twoStepApiRoutes } from './two-step-routes.ts';

const Str = (max: number) => T.String({ maxLength: max });
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

      // Accounts
      v1.post(
        '/signup',
        {
          schema: {
            tags: ['accounts'],
            summary:
              'Sign up; a code is emailed to confirm the address (same answer if the address is taken)',
            body: T.Object({
              email: Str(320),
              password: Str(1024),
              displayName: Str(200),
              locale: T.Optional(T.Union([T.Literal('ja'), T.Literal('en')])),
              timeZone: T.Optional(Str(64)),
              acceptTypo: T.Optional(T.Boolean()),
            }),
            response: {
              202: T.Object({ signupToken: T.String(), maskedEmail: T.String(), resendAt: DateTime }),
              ...errors(
                'account.email_invalid',
                'account.email_disposable',
                'account.email_typo',
                'account.display_name_invalid',
                PASSWORD_RULES,
                CODE_SEND,
                NETWORK_LIMIT,
              ),
            },
          },
        },
        async (req, reply) => {
          const r = await signUp(deps, req.body as Record<string, unknown> as never, req.ctx);
          return reply.status(202).send({ ...r, resendAt: r.resendAt.toISOString() });
        },
      );
      v1.post(
        '/signup/confirm',
        {
          schema: {
            tags: ['accounts'],
            summary: 'Confirm the primary address with the code; returns a session token',
            body: T.Object({ signupToken: FlowToken, code: Code }),
            response: {
              200: T.Object({ sessionToken: T.String() }),
              ...errors(CODE_CHECK),
            },
          },
        },
        async (req) => {
          const b = req.body as { signupToken: string; code: string };
          const r = await confirmSignup(deps, b.signupToken, b.code, req.ctx);
          return { sessionToken: r.sessionToken };
        },
      );
      v1.post(
        '/signup/resend',
        {
          schema: {
            tags: ['accounts'],
            summary: 'Send a new confirmation code',
            body: T.Object({ signupToken: FlowToken }),
            response: {
              200: T.Object({ resendAt: DateTime }),
              ...errors('code.not_found', CODE_SEND, NETWORK_LIMIT),
            },
          },
        },
        async (req) => ({
          resendAt: (
            await resendSignupCode(deps, (req.body as { signupToken: string }).signupToken, req.ctx)
          ).toISOString(),
        }),
      );

      // Sessions
      v1.post(
        '/sessions',
        {
          schema: {
            tags: ['sessions'],
            summary: 'Sign in with email and password',
            body: T.Object({
              email: Str(320),
              password: Str(1024),
              trustedDeviceToken: T.Optional(Str(100)),
            }),
            response: {
              200: T.Object({ sessionToken: T.String() }),
              202: T.Object({
                confirmEmail: T.Optional(T.Object({ signupToken: T.String(), maskedEmail: T.String() })),
                secondFactor: T.Optional(
                  T.Object({
                    pendingToken: T.String(),
                    reason: T.Union([T.Literal('two_step'), T.Literal('unusual')]),
                  }),
                ),
              }),
              ...errors('auth.invalid_credentials', 'auth.throttled', NETWORK_LIMIT, CODE_SEND),
            },
          },
        },
        async (req, reply) => {
          const r = await signIn(
            deps,
            req.body as { email: string; password: string; trustedDeviceToken?: string },
            req.ctx,
          );
          if (r.kind === 'confirm_email')
            return reply
              .status(202)
              .send({ confirmEmail: { signupToken: r.signupToken, maskedEmail: r.maskedEmail } });
          if (r.kind === 'second_factor')
            return reply
              .status(202)
              .send({ secondFactor: { pendingToken: r.pendingToken, reason: r.reason } });
          return { sessionToken: r.sessionToken };
        },
      );
      v1.get(
        '/sessions',
        {
          schema: {
            tags: ['sessions'],
            summary: 'List my sessions',
            response: {
              200: T.Object({
                sessions: T.Array(
                  T.Object({
                    publicId: T.String(),
                    createdAt: DateTime,
                    lastSeenAt: DateTime,
                    ip: T.String(),
                    userAgent: T.String(),
                    current: T.Boolean(),
                  }),
                ),
              }),
              ...errors(AUTH),
            },
            ...auth,
          },
        },
        async (req) => {
          const s = session(req);
          return { sessions: await listSessions(deps, s.accountId, s.id) };
        },
      );
      v1.delete(
        '/sessions/current',
        {
          schema: {
            tags: ['sessions'],
            summary: 'Sign out',
            response: { 204: NoContent, ...errors(AUTH) },
            ...auth,
          },
        },
        async (req, reply) => {
          const s = session(req);
          await signOut(deps, s.id, s.accountId, req.ctx);
          return reply.status(204).send();
        },
      );
      v1.delete(
        '/sessions/:id',
        {
          schema: {
            tags: ['sessions'],
            summary: 'End one of my sessions',
            params: T.Object({ id: Str(64) }),
            response: { 204: NoContent, ...errors(AUTH, 'session.not_found') },
            ...auth,
          },
        },
        async (req, reply) => {
          const s = session(req);
          const ended = await deps.db.tx((tx) =>
            endSession(deps, tx, s.accountId, (req.params as { id: string }).id),
          );
          if (!ended) throw new AppError('session.not_found');
          return reply.status(204).send();
        },
      );
      v1.post(
        '/sessions/end-others',
        {
          schema: {
            tags: ['sessions'],
            summary: 'End all my other sessions',
            response: { 200: T.Object({ ended: T.Integer() }), ...errors(AUTH) },
            ...auth,
          },
        },
        async (req) => {
          const s = session(req);
          return { ended: await deps.db.tx((tx) => endOtherSessions(deps, tx, s.accountId, s.id)) };
        },
      );
      v1.patch(
        '/me',
        {
          schema: {
            tags: ['accounts'],
            summary:
              'Change the display name, language (emails and pages) and time zone; not security info, no step-up',
            body: T.Object({
              displayName: T.Optional(Str(200)),
              locale: T.Optional(T.Union([T.Literal('ja'), T.Literal('en')])),
              timeZone: T.Optional(Str(64)),
            }),
            response: {
              200: T.Object({
                id: T.String(),
                email: T.String(),
                displayName: T.String(),
                locale: T.Union([T.Literal('ja'), T.Literal('en')]),
                timeZone: T.String(),
              }),
              ...errors(AUTH, 'account.display_name_invalid', 'account.time_zone_invalid'),
            },
            ...auth,
          },
        },
        async (req) => {
          const s = session(req);
          const p = await updateProfile(deps, s, req.body as Record<string, unknown>);
          return { id: s.accountId, email: s.email, ...p };
        },
      );
      v1.get(
        '/me',
        {
          schema: {
            tags: ['accounts'],
            summary: 'The signed-in account',
            response: {
              200: T.Object({
                id: T.String(),
                email: T.String(),
                displayName: T.String(),
                locale: T.Union([T.Literal('ja'), T.Literal('en')]),
                timeZone: T.String(),
              }),
              ...errors(AUTH),
            },
            ...auth,
          },
        },
        async (req) => {
          const s = session(req);
          return {
            id: s.accountId,
            email: s.email,
            displayName: s.displayName,
            locale: s.locale,
            timeZone: s.timeZone,
          };
        },
      );

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
      v1.get(
        '/methods',
        {
          schema: {
            tags: ['security-info'],
            summary: 'List my security info',
            response: { 200: T.Object({ methods: T.Array(MethodOut) }), ...errors(AUTH) },
            ...auth,
          },
        },
        async (req) => ({
          methods: (await listMethods(deps.db, session(req).accountId)).map((m) =>
            methodOut(m, req.ctx.locale),
          ),
        }),
      );
      v1.post(
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
            ...auth,
          },
        },
        async (req, reply) => {
          const r = await addEmail(deps, session(req), req.body as { email: string }, req.ctx);
          return reply.status(202).send({ methodId: r.methodId, resendAt: r.resendAt.toISOString() });
        },
      );
      v1.post(
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
            ...auth,
          },
        },
        async (req, reply) => {
          const r = await addPhone(
            deps,
            session(req),
            req.body as { country: string; number: string },
            req.ctx,
          );
          return reply.status(202).send({ methodId: r.methodId, resendAt: r.resendAt.toISOString() });
        },
      );
      const idParams = T.Object({ id: Str(64) });
      v1.post(
        '/methods/:id/verify',
        {
          schema: {
            tags: ['security-info'],
            summary: 'Verify a new method with its code',
            params: idParams,
            body: T.Object({ code: Code }),
            response: {
              200: T.Object({ method: MethodOut }),
              ...errors(GUARDED, 'contact.not_found', CODE_CHECK),
            },
            ...auth,
          },
        },
        async (req) => {
          const m = await verifyMethod(
            deps,
            session(req),
            (req.params as { id: string }).id,
            (req.body as { code: string }).code,
            req.ctx,
          );
          return { method: methodOut(m, req.ctx.locale) };
        },
      );
      v1.post(
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
            ...auth,
          },
        },
        async (req) => ({
          resendAt: (
            await resendMethodCode(deps, session(req), (req.params as { id: string }).id, req.ctx)
          ).toISOString(),
        }),
      );
      v1.patch(
        '/methods/:id',
        {
          schema: {
            tags: ['security-info'],
            summary: 'Change a method label',
            params: idParams,
            body: T.Object({ label: Str(100) }),
            response: { 204: NoContent, ...errors(GUARDED, 'contact.not_found', 'contact.label_invalid') },
            ...auth,
          },
        },
        async (req, reply) => {
          await relabelMethod(
            deps,
            session(req),
            (req.params as { id: string }).id,
            (req.body as { label: string }).label,
            req.ctx,
          );
          return reply.status(204).send();
        },
      );
      v1.delete(
        '/methods/:id',
        {
          schema: {
            tags: ['security-info'],
            summary: 'Remove a method (needs a fresh proof; not the last verified one)',
            params: idParams,
            response: {
              204: NoContent,
              ...errors(GUARDED, 'contact.not_found', 'contact.last_method', 'two_step.needs_two_methods'),
            },
            ...auth,
          },
        },
        async (req, reply) => {
          await removeMethod(deps, session(req), (req.params as { id: string }).id, req.ctx);
          return reply.status(204).send();
        },
      );

      // Password
      v1.post(
        '/password',
        {
          schema: {
            tags: ['accounts'],
            summary: 'Change my password (needs a fresh proof)',
            body: T.Object({ password: Str(1024), endOtherSessions: T.Optional(T.Boolean()) }),
            response: {
              200: T.Object({ endedSessions: T.Integer() }),
              ...errors(GUARDED, PASSWORD_RULES, 'password.same_as_current', 'password.same_as_phrase'),
            },
            ...auth,
          },
        },
        async (req) => changePassword(deps, session(req), req.body as { password: string }, req.ctx),
      );

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

      // Password reset
      v1.post(
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
        async (req, reply) =>
          reply
            .status(202)
            .send({ flowToken: await startReset(deps, req.body as { email: string }, req.ctx) }),
      );
      v1.post(
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
                resendAt: OrNull(DateTime),
              }),
              ...errors('reset.flow_invalid'),
            },
          },
        },
        async (req) => resetState(deps, (req.body as { flowToken: string }).flowToken, req.ctx.locale),
      );
      v1.post(
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
          const b = req.body as { flowToken: string; methodId: string; confirm: string };
          const r = await chooseResetMethod(deps, b.flowToken, b, req.ctx);
          return { delivery: r.delivery, resendAt: r.resendAt?.toISOString() ?? null };
        },
      );
      v1.post(
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
          const r = await resendResetCode(deps, (req.body as { flowToken: string }).flowToken, req.ctx);
          return { delivery: r.delivery, resendAt: r.resendAt?.toISOString() ?? null };
        },
      );
      v1.post(
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
          const b = req.body as { flowToken: string; code: string };
          await verifyResetCode(deps, b.flowToken, b.code, req.ctx);
          return reply.status(204).send();
        },
      );
      v1.post(
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
          const b = req.body as { flowToken: string; password: string };
          return completeReset(deps, b.flowToken, b.password, req.ctx);
        },
      );
      v1.post(
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
                    'The code typed is spent: this is its replacement, shown only here. The flow goes on to the new password; the owner keeps this code even if they stop now',
                }),
              }),
              // account.restricted: a recovery code younger than the wait of a pending replacement (not spent).
              ...errors('reset.flow_invalid', 'account.restricted', 'recovery_code.format', CODE_CHECK),
            },
          },
        },
        async (req) => {
          const b = req.body as { flowToken: string; recoveryCode: string };
          return useRecoveryCode(deps, b.flowToken, b.recoveryCode, req.ctx);
        },
      );
      twoStepApiRoutes(v1, deps);
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
