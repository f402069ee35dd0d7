import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type as T } from 'typebox';
import { requireSession, SESSION_AUTH, Str } from '../../api/kit.ts';
import { DateTime, errors, GUARDED, NoContent, OrNull, PASSWORD_RULES } from '../../api/schema.ts';
import type { Deps } from '../../deps.ts';
import { replaceTemporaryPassword } from '../admin-actions.ts';
import { memberRequirement, snoozeRegistration } from '../enforcement.ts';
import { findMember } from '../store/members.ts';

/*
 * The member's side of organisations in the JSON API (the pages: /security/required and
 * /security/new-password-required): what the organisation requires of me now, the snooze, and choosing my own
 * password after an admin's temporary one. A client that signs in through the API reads
 * `GET /api/v1/me/organisation` after the sign-in, as the pages interrupt a web sign-in.
 */

const tags = ['organisations'];
const Kind = T.Union([T.Literal('passkey'), T.Literal('totp'), T.Literal('phone'), T.Literal('email')]);
const RequiredKind = T.Union([
  T.Literal('phone'),
  T.Literal('phishing_resistant'),
  T.Literal('authenticator'),
]);

const Requirement = T.Object({
  organisation: OrNull(T.Object({ name: T.String(), contact: T.String() })),
  role: OrNull(
    T.Union([T.Literal('member'), T.Literal('reader'), T.Literal('auth_admin'), T.Literal('org_admin')]),
  ),
  mustChangePassword: T.Boolean({
    description: 'An admin gave a temporary password: choose one (POST /password/temporary)',
  }),
  required: OrNull(
    T.Object({
      met: T.Boolean({ description: 'The verified methods meet the policy' }),
      interrupt: T.Boolean({
        description: 'The web sign-in stops here until the member adds what is missing or snoozes',
      }),
      counted: T.Integer({ description: 'Methods that count under the policy' }),
      minMethods: T.Integer(),
      requiredKinds: T.Array(RequiredKind),
      steps: T.Array(Kind, { description: 'The fewest kinds to add to meet the policy, most secure first' }),
      reregister: T.Boolean({ description: 'An admin asked the member to set up their methods again' }),
      stuck: T.Boolean({ description: 'No allowed addition can meet the policy: contact the organisation' }),
      snoozesLeft: T.Integer(),
      snoozedUntil: OrNull(DateTime),
    }),
  ),
});

/** `GET /me/organisation`, `POST /me/organisation/snooze`, `POST /password/temporary`. */
export function memberApiRoutes(
  v1: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'emit'>,
): void {
  const api = v1.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/me/organisation',
    {
      schema: {
        tags,
        summary: 'What my organisation requires of me now (null parts outside any organisation)',
        response: { 200: Requirement, ...errors('auth.required') },
        ...SESSION_AUTH,
      },
    },
    async (req) => {
      const s = requireSession(req);
      const member = await findMember(deps.db, s.accountId);
      // One read of the membership; the requirement only for a member.
      const r = member ? await deps.db.tx((tx) => memberRequirement(deps, tx, s.accountId)) : null;
      return {
        organisation: r ? { name: r.org.name, contact: r.org.contact } : null,
        role: member?.role ?? null,
        mustChangePassword: member?.must_change_password ?? false,
        required: r
          ? {
              met: r.met,
              interrupt: r.interrupt,
              counted: r.counted,
              minMethods: r.policy.minMethods,
              requiredKinds: r.policy.required,
              steps: r.steps,
              reregister: r.reregister,
              stuck: r.stuck,
              snoozesLeft: r.snoozesLeft,
              snoozedUntil: r.snoozedUntil ? r.snoozedUntil.toISOString() : null,
            }
          : null,
      };
    },
  );
  api.post(
    '/me/organisation/snooze',
    {
      schema: {
        tags,
        summary: "Put off my organisation's registration requirement (one of the policy's limited snoozes)",
        response: {
          200: T.Object({ snoozesLeft: T.Integer(), snoozedUntil: DateTime }),
          ...errors('auth.required', 'policy.snooze_unavailable', 'org.not_member'),
        },
        ...SESSION_AUTH,
      },
    },
    async (req) => {
      const r = await snoozeRegistration(deps, requireSession(req).accountId);
      return { snoozesLeft: r.left, snoozedUntil: r.until.toISOString() };
    },
  );
  api.post(
    '/password/temporary',
    {
      schema: {
        tags,
        summary:
          "Choose my own password after an organisation admin's temporary one (the session may do nothing else before)",
        body: T.Object({ password: Str(1024) }),
        response: {
          204: NoContent,
          ...errors(
            GUARDED,
            PASSWORD_RULES,
            'password.same_as_current',
            'password.same_as_phrase',
            'org.not_member',
          ),
        },
        ...SESSION_AUTH,
      },
    },
    async (req, reply) => {
      await replaceTemporaryPassword(deps, requireSession(req), req.body, req.ctx);
      return reply.status(204).send(null);
    },
  );
}
