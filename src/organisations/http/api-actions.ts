import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type as T } from 'typebox';
import { DateTime, errors, NoContent, OrNull } from '../../api/schema.ts';
import type { Deps } from '../../deps.ts';
import { type ErrorCode, fail } from '../../kernel/errors.ts';
import type { OrgCapability } from '../admin-access.ts';
import {
  type ActingAdmin,
  addMemberContact,
  memberDetail,
  requireReregistration,
  resetMemberPassword,
  revokeMemberSessions,
} from '../admin-actions.ts';
import { type OrgTokenAccess, orgTokenAccess } from '../api-tokens.ts';
import { inviteMember, listInvitations, revokeInvitationById } from '../invitations.ts';
import { findOrganisation } from '../store/orgs.ts';
import { createTap, revokeTap, TAP_LENGTH, TAP_LIFETIME_MINUTES } from '../tap.ts';

/*
 * The organisation API's member actions, temporary access passes and invitations (issue 9 §4, §6;
 * docs/api.md "Organisations", docs/flows/organisations-api.md): the console's services (admin-actions.ts,
 * tap.ts, invitations.ts) behind an organisation admin token.
 *
 * A token acts as an administrator of its organisation with the token's role and no account of its own:
 * its `accountId` is `token:<tokenId>`, which is never an account id, so "never on yourself" cannot hide a
 * target, and "never on a higher role" holds as for a person (an authentication admin token acts on members
 * and readers only; an organisation admin token on everyone in the organisation). There is no step-up for a
 * token (`session: null`): the token, scoped to one organisation, is the proof. Every action and every
 * refusal is audit-logged with the token as the actor (kind `token`, its name).
 */

type ApiDeps = Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>;

const tags = ['organisations'];
const security = [{ orgToken: [] }];
/** What every operation can answer about its token. */
const TOKEN: ErrorCode[] = ['org.token_invalid', 'org.not_found', 'org.forbidden'];
/** What every member action can answer about its target (refusals audited). */
const TARGET: ErrorCode[] = [...TOKEN, 'org.target_forbidden'];

const OrgParams = T.Object({
  orgId: T.String({ maxLength: 64, description: 'The organisation id (org_…)' }),
});
const MemberParams = T.Object({
  orgId: T.String({ maxLength: 64, description: 'The organisation id (org_…)' }),
  accountId: T.String({
    maxLength: 64,
    description: 'The member’s account id (from GET /orgs/{orgId}/members)',
  }),
});
const InvitationParams = T.Object({
  orgId: T.String({ maxLength: 64, description: 'The organisation id (org_…)' }),
  invitationId: T.String({ maxLength: 64, description: 'The invitation id (inv_…)' }),
});
const Role = T.Union([
  T.Literal('member'),
  T.Literal('reader'),
  T.Literal('auth_admin'),
  T.Literal('org_admin'),
]);

const Invitation = T.Object({
  id: T.String(),
  email: T.String(),
  role: Role,
  createdAt: DateTime,
  expiresAt: DateTime,
});

const MemberDetailOut = T.Object({
  accountId: T.String(),
  email: T.String({ description: 'The sign-in address' }),
  displayName: T.String(),
  role: Role,
  mustReregister: T.Boolean({ description: 'Asked to set up their methods again at the next sign-in' }),
  mustChangePassword: T.Boolean({ description: 'Must replace a temporary password at the next sign-in' }),
  twoStep: T.Boolean({ description: 'Two-step verification is on' }),
  methods: T.Array(
    T.Object({
      kind: T.Union([T.Literal('email'), T.Literal('phone'), T.Literal('totp'), T.Literal('passkey')]),
      masked: T.String({ description: 'Masked address or number; empty for apps and passkeys' }),
      label: T.String(),
      verified: T.Boolean({
        description: 'False: added but not yet confirmed by the member (counts for nothing)',
      }),
    }),
  ),
  temporaryAccessPass: OrNull(
    T.Object(
      {
        oneTime: T.Boolean(),
        createdAt: DateTime,
        expiresAt: DateTime,
        usedAt: OrNull(DateTime),
      },
      { description: 'The live pass (never its value); null when none, expired or spent' },
    ),
  ),
});

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

/**
 * The administrator a token acts as: the token's organisation and role, an account id that is never an
 * account's (`token:<tokenId>`), the token as the audit actor, and no session (no step-up for a token).
 * Errors: `org.not_found` (the organisation was deleted since the token was read).
 */
export async function tokenAsAdmin(deps: Pick<Deps, 'db'>, a: OrgTokenAccess): Promise<ActingAdmin> {
  const org = await findOrganisation(deps.db, a.orgId);
  if (!org) fail('org.not_found');
  return {
    admin: {
      orgId: org.id,
      orgName: org.name,
      orgContact: org.contact,
      accountId: `token:${a.tokenId}`,
      role: a.role,
      actor: a.actor,
    },
    session: null,
  };
}

/**
 * The member actions, temporary access passes and invitations of /api/v1/orgs/{orgId}. Member actions
 * need a token role with `member_actions` (auth_admin, org_admin); invitations `members` (org_admin).
 */
export function orgActionApiRoutes(v1: FastifyInstance, deps: ApiDeps): void {
  const api = v1.withTypeProvider<TypeBoxTypeProvider>();
  const actingToken = async (
    req: FastifyRequest,
    orgId: string,
    capability: OrgCapability,
    attempted: string,
  ): Promise<ActingAdmin> =>
    tokenAsAdmin(deps, await orgTokenAccess(deps, bearer(req), orgId, capability, attempted));

  api.get(
    '/orgs/:orgId/members/:accountId',
    {
      schema: {
        tags,
        summary:
          'One member: role, marks, two-step verification, security info (masked; pending ones marked), the live temporary access pass (never its value). Authentication admin and organisation admin tokens.',
        params: MemberParams,
        response: { 200: MemberDetailOut, ...errors(TOKEN, 'org.not_member') },
        security,
      },
    },
    async (req) => {
      const by = await actingToken(req, req.params.orgId, 'member_actions', 'api.member');
      const d = await memberDetail(deps, by.admin, req.params.accountId);
      return {
        accountId: d.accountId,
        email: d.email,
        displayName: d.displayName,
        role: d.role,
        mustReregister: d.mustReregister,
        mustChangePassword: d.mustChangePassword,
        twoStep: d.twoStep,
        methods: d.methods.map((m) => ({
          kind: m.kind,
          masked: m.masked,
          label: m.label,
          verified: m.verified,
        })),
        temporaryAccessPass: d.tap
          ? {
              oneTime: d.tap.one_time,
              createdAt: d.tap.created_at.toISOString(),
              expiresAt: d.tap.expires_at.toISOString(),
              usedAt: d.tap.used_at ? d.tap.used_at.toISOString() : null,
            }
          : null,
      };
    },
  );

  api.post(
    '/orgs/:orgId/members/:accountId/reregistration',
    {
      schema: {
        tags,
        summary:
          'Requires the member to set up their methods again: removes their phones and authenticator apps (emails and passkeys stay) and sends them to registration at the next sign-in. Audit-logged (member.reregister_required) and emailed to the member.',
        params: MemberParams,
        response: {
          200: T.Object({
            removedPhones: T.Integer({ description: 'Phones removed' }),
            removedAuthenticators: T.Integer({ description: 'Authenticator apps removed' }),
          }),
          ...errors(TARGET),
        },
        security,
      },
    },
    async (req) => {
      const by = await actingToken(req, req.params.orgId, 'member_actions', 'member.reregister_required');
      return requireReregistration(deps, by, req.params.accountId);
    },
  );

  api.post(
    '/orgs/:orgId/members/:accountId/session-revocation',
    {
      schema: {
        tags,
        summary:
          'Ends every session, pending sign-in and trusted device of the member at once. Audit-logged (member.sessions_revoked) and emailed to the member.',
        params: MemberParams,
        response: {
          200: T.Object({
            endedSessions: T.Integer({ description: 'Sessions ended' }),
            revokedDevices: T.Integer({
              description: 'Trusted devices that will be asked for a second factor again',
            }),
          }),
          ...errors(TARGET),
        },
        security,
      },
    },
    async (req) => {
      const by = await actingToken(req, req.params.orgId, 'member_actions', 'member.sessions_revoked');
      return revokeMemberSessions(deps, by, req.params.accountId);
    },
  );

  api.post(
    '/orgs/:orgId/members/:accountId/temporary-password',
    {
      schema: {
        tags,
        summary:
          'Resets the member’s password to a temporary one (20 readable characters), which they must change at the next sign-in; ends their sessions. The answer is the only time the temporary password exists in clear. Audit-logged (member.password_reset) and emailed to the member (without the password).',
        params: MemberParams,
        response: {
          201: T.Object({
            temporaryPassword: T.String({
              description: 'Shown once: give it to the member by a safe channel',
            }),
          }),
          ...errors(TARGET),
        },
        security,
      },
    },
    async (req, reply) => {
      const by = await actingToken(req, req.params.orgId, 'member_actions', 'member.password_reset');
      const r = await resetMemberPassword(deps, by, req.params.accountId);
      return reply.status(201).send({ temporaryPassword: r.temporaryPassword });
    },
  );

  api.post(
    '/orgs/:orgId/members/:accountId/contacts',
    {
      schema: {
        tags,
        summary:
          'Adds an email address or a mobile number to the member’s security info on their behalf. It stays pending (counts for nothing) until the member confirms it with a code from their security page. The organisation’s policy applies (allowed kinds, SMS countries). Audit-logged (member.contact_added) and emailed to the member.',
        params: MemberParams,
        body: T.Object({
          kind: T.Union([T.Literal('email'), T.Literal('phone')]),
          email: T.Optional(T.String({ maxLength: 320, description: 'kind email: the address' })),
          country: T.Optional(
            T.String({
              maxLength: 2,
              description: 'kind phone: ISO 3166-1 alpha-2 country of a national number (default JP)',
            }),
          ),
          number: T.Optional(
            T.String({ maxLength: 40, description: 'kind phone: the mobile number, national or +E.164' }),
          ),
        }),
        response: {
          201: T.Object({
            methodId: T.String(),
            kind: T.Union([T.Literal('email'), T.Literal('phone')]),
            masked: T.String({ description: 'The address or number, masked' }),
          }),
          ...errors(
            TARGET,
            'contact.email_invalid',
            'contact.email_disposable',
            'contact.email_same_as_primary',
            'contact.already_added',
            'contact.limit_reached',
            'phone.invalid',
            'phone.not_mobile',
            'phone.country_unsupported',
            'policy.method_not_allowed',
            'policy.country_not_allowed',
          ),
        },
        security,
      },
    },
    async (req, reply) => {
      const by = await actingToken(req, req.params.orgId, 'member_actions', 'member.contact_added');
      const r = await addMemberContact(deps, by, req.params.accountId, req.body);
      return reply.status(201).send({ methodId: r.methodId, kind: r.kind, masked: r.masked });
    },
  );

  api.post(
    '/orgs/:orgId/members/:accountId/temporary-access-pass',
    {
      schema: {
        tags,
        summary: `Creates a temporary access pass for the member, replacing any earlier one (one per member). Signing in with it at /sign-in/pass counts as a second factor and leads to registering methods; the session ends when the pass does. Shown once, stored as a keyed hash. Audit-logged (tap.created) and emailed to the member (without the pass).`,
        params: MemberParams,
        body: T.Object({
          length: T.Optional(
            T.Integer({
              description: `Characters, ${TAP_LENGTH.min}–${TAP_LENGTH.max} (default ${TAP_LENGTH.default})`,
            }),
          ),
          lifetimeMinutes: T.Optional(
            T.Integer({
              description: `Minutes, ${TAP_LIFETIME_MINUTES.min}–${TAP_LIFETIME_MINUTES.max} (30 days; default ${TAP_LIFETIME_MINUTES.default})`,
            }),
          ),
          oneTime: T.Optional(
            T.Boolean({ description: 'Works for one sign-in only (default false, as in Entra ID)' }),
          ),
        }),
        response: {
          201: T.Object({
            pass: T.String({ description: 'Shown once: give it to the member by a safe channel' }),
            expiresAt: DateTime,
            oneTime: T.Boolean(),
          }),
          ...errors(TARGET, 'org.tap_invalid'),
        },
        security,
      },
    },
    async (req, reply) => {
      const by = await actingToken(req, req.params.orgId, 'member_actions', 'tap.created');
      const r = await createTap(deps, by, req.params.accountId, {
        length: req.body.length,
        lifetimeMinutes: req.body.lifetimeMinutes,
        oneTime: req.body.oneTime === true,
      });
      return reply
        .status(201)
        .send({ pass: r.pass, expiresAt: r.expiresAt.toISOString(), oneTime: r.oneTime });
    },
  );

  api.delete(
    '/orgs/:orgId/members/:accountId/temporary-access-pass',
    {
      schema: {
        tags,
        summary:
          'Revokes the member’s temporary access pass: it stops working at once (404 org.tap_not_found when the member has none). Audit-logged (tap.revoked).',
        params: MemberParams,
        response: { 204: NoContent, ...errors(TARGET, 'org.tap_not_found') },
        security,
      },
    },
    async (req, reply) => {
      const by = await actingToken(req, req.params.orgId, 'member_actions', 'tap.revoked');
      if (!(await revokeTap(deps, by, req.params.accountId))) fail('org.tap_not_found');
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/orgs/:orgId/invitations',
    {
      schema: {
        tags,
        summary:
          'The open invitations (not accepted, withdrawn or expired), newest first. Organisation admin tokens.',
        params: OrgParams,
        response: { 200: T.Object({ invitations: T.Array(Invitation) }), ...errors(TOKEN) },
        security,
      },
    },
    async (req) => {
      const by = await actingToken(req, req.params.orgId, 'members', 'api.invitations');
      const list = await listInvitations(deps, by.admin);
      return {
        invitations: list.map((i) => ({
          id: i.id,
          email: i.email,
          role: i.role,
          createdAt: i.createdAt.toISOString(),
          expiresAt: i.expiresAt.toISOString(),
        })),
      };
    },
  );

  api.post(
    '/orgs/:orgId/invitations',
    {
      schema: {
        tags,
        summary:
          'Invites an address to the organisation with a role: the email carries a link valid 7 days; the invitee signs in or signs up with that address and accepts. A new invitation of the same address withdraws the open one. Audit-logged (invitation.sent). Organisation admin tokens.',
        params: OrgParams,
        body: T.Object({
          email: T.String({ maxLength: 320 }),
          role: Role,
          locale: T.Optional(
            T.Union([T.Literal('ja'), T.Literal('en')], {
              description:
                'The language of the email (default: the request’s, from Accept-Language; else ja)',
            }),
          ),
        }),
        response: {
          201: Invitation,
          ...errors(TOKEN, 'contact.email_invalid', 'org.role_invalid', 'request.rate_limited'),
        },
        security,
      },
    },
    async (req, reply) => {
      const by = await actingToken(req, req.params.orgId, 'members', 'invitation.sent');
      const i = await inviteMember(deps, by.admin, {
        email: req.body.email,
        role: req.body.role,
        locale: req.body.locale ?? req.ctx.locale,
      });
      return reply.status(201).send({
        id: i.id,
        email: i.email,
        role: i.role,
        createdAt: i.createdAt.toISOString(),
        expiresAt: i.expiresAt.toISOString(),
      });
    },
  );

  api.delete(
    '/orgs/:orgId/invitations/:invitationId',
    {
      schema: {
        tags,
        summary:
          'Withdraws an open invitation: its link stops working (400 org.invitation_invalid when there is no such open invitation in this organisation). Audit-logged (invitation.revoked). Organisation admin tokens.',
        params: InvitationParams,
        response: { 204: NoContent, ...errors(TOKEN, 'org.invitation_invalid') },
        security,
      },
    },
    async (req, reply) => {
      const by = await actingToken(req, req.params.orgId, 'members', 'invitation.revoked');
      await revokeInvitationById(deps, by.admin, req.params.invitationId);
      return reply.status(204).send(null);
    },
  );
}
