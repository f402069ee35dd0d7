import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type as T } from 'typebox';
import { accountSummaries } from '../../accounts/store.ts';
import { DateTime, errors, OrNull } from '../../api/schema.ts';
import type { Deps } from '../../deps.ts';
import { AppError, type ErrorCode, fail } from '../../kernel/errors.ts';
import type { OrgCapability } from '../admin-access.ts';
import { orgTokenAccess } from '../api-tokens.ts';
import { assignRole, organisationPolicy, savePolicy } from '../org-admin.ts';
import { POLICY_METHOD_KINDS } from '../policy.ts';
import { findMember } from '../store/members.ts';
import { orgActionApiRoutes } from './api-actions.ts';
import { auditPage, memberReports, organisationOverview, pageSize } from './api-queries.ts';
import { memberApiRoutes } from './member-api.ts';

/*
 * The organisation API, /api/v1/orgs/{orgId}/… (docs/api.md, "Organisations"): for integrations of one
 * organisation, authenticated by an organisation admin token (`Authorization: Bearer mot_…`, created in the
 * console at /org/tokens). Every answer about another organisation is the one for an unknown id
 * (`org.not_found`). Every write is audit-logged with the token as the actor (kind `token`).
 *
 * What each token role may do (admin-access.ts): reader — read the organisation, its policy, its members and
 * its audit log; authentication admin — read the organisation, its policy and its members, and the member
 * actions and temporary access passes (api-actions.ts); organisation admin — everything, including the policy,
 * roles and invitations.
 */

const tags = ['organisations'];
/** The organisation admin token (the `orgToken` scheme of the document, api/routes.ts). */
const security = [{ orgToken: [] }];
/** What every operation can answer about its token. */
const TOKEN: ErrorCode[] = ['org.token_invalid', 'org.not_found', 'org.forbidden'];

const OrgParams = T.Object({
  orgId: T.String({ maxLength: 64, description: 'The organisation id (org_…)' }),
});
const Digits = (max: number, description: string) => T.String({ pattern: `^[0-9]{1,${max}}$`, description });
const Role = T.Union([
  T.Literal('member'),
  T.Literal('reader'),
  T.Literal('auth_admin'),
  T.Literal('org_admin'),
]);
const Required = T.Union([T.Literal('phone'), T.Literal('phishing_resistant'), T.Literal('authenticator')]);
const MethodKind = T.Union([T.Literal('passkey'), T.Literal('totp'), T.Literal('phone'), T.Literal('email')]);

const Policy = T.Object(
  {
    allowed: T.Object(
      Object.fromEntries(POLICY_METHOD_KINDS.map((k) => [k, T.Boolean()])) as Record<
        (typeof POLICY_METHOD_KINDS)[number],
        ReturnType<typeof T.Boolean>
      >,
      { description: 'Which kinds of method members may register and use' },
    ),
    smsCountries: T.Array(T.String({ maxLength: 2 }), {
      maxItems: 250,
      description: 'ISO 3166-1 alpha-2 countries SMS may go to; empty: every supported country',
    }),
    minMethods: T.Integer({ description: 'Minimum number of verified methods, 1–5' }),
    required: T.Array(Required, {
      maxItems: 3,
      description:
        'Kinds every member must have: phone, phishing_resistant (a passkey), authenticator (an app or a passkey)',
    }),
    resetMethods: T.Integer({ description: 'Methods needed to reset a password, 1 or 2 (admins: always 2)' }),
    reconfirmDays: T.Integer({ description: 'Re-confirm security info every N days, 0–730 (0 = never)' }),
    enforceRegistration: T.Boolean({ description: 'Interrupt sign-in until the member meets the policy' }),
    snoozeDays: T.Integer({ description: 'How long a snooze puts the interrupt off, 0–14 days (0 = none)' }),
    maxSnoozes: T.Integer({ description: 'Snoozes a member has before registration is required, 0–10' }),
  },
  { description: 'The authentication-methods policy (docs/flows/organisations.md)' },
);
const PolicyOut = T.Object({
  version: T.Integer({ description: 'Send it back as baseVersion' }),
  policy: Policy,
});

const Shortfall = T.Object({
  kind: T.Union([T.Literal('required'), T.Literal('count')]),
  required: T.Optional(Required),
  have: T.Optional(T.Integer()),
  need: T.Optional(T.Integer()),
});
const Member = T.Object({
  accountId: T.String(),
  email: T.String({ description: 'The sign-in address' }),
  displayName: T.String(),
  role: Role,
  joinedAt: DateTime,
  methods: T.Object(
    Object.fromEntries(POLICY_METHOD_KINDS.map((k) => [k, T.Integer()])) as Record<
      (typeof POLICY_METHOD_KINDS)[number],
      ReturnType<typeof T.Integer>
    >,
    { description: 'Verified methods by kind' },
  ),
  compliance: T.Object({
    met: T.Boolean(),
    counted: T.Integer({ description: 'Methods that count under the policy' }),
    shortfalls: T.Array(Shortfall),
    steps: T.Array(MethodKind, { description: 'The fewest kinds to add to comply, most secure first' }),
    stuck: T.Boolean({ description: 'No allowed addition can meet the policy (the member must contact)' }),
  }),
  snoozesUsed: T.Integer(),
  snoozedUntil: OrNull(DateTime),
  mustReregister: T.Boolean(),
  mustChangePassword: T.Boolean(),
});
const AuditEntry = T.Object({
  id: T.String(),
  at: DateTime,
  actor: T.Object({
    kind: T.Union([
      T.Literal('operator'),
      T.Literal('admin'),
      T.Literal('token'),
      T.Literal('member'),
      T.Literal('system'),
    ]),
    id: OrNull(T.String()),
    name: T.String(),
  }),
  action: T.String({ description: 'A stable action name (docs/api.md)' }),
  targetAccountId: OrNull(T.String()),
  target: T.String(),
  outcome: T.Union([T.Literal('done'), T.Literal('refused')]),
  detail: T.Object({}, { additionalProperties: true, description: 'Options, or a policy diff (changes)' }),
});

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * The JSON API of organisations under /api/v1/orgs/{orgId}, authenticated by organisation admin tokens
 * (api-tokens.ts). Member actions, temporary access passes and invitations are in api-actions.ts
 * (`orgActionApiRoutes`).
 */
export function organisationApiRoutes(
  v1: FastifyInstance,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {
  const api = v1.withTypeProvider<TypeBoxTypeProvider>();
  const access = (
    req: FastifyRequest,
    orgId: string,
    capability: OrgCapability | OrgCapability[],
    attempted: string,
  ) => orgTokenAccess(deps, bearer(req), orgId, capability, attempted);

  api.get(
    '/orgs/:orgId',
    {
      schema: {
        tags,
        summary: 'The organisation: name, whom members contact, domains, member count, policy version',
        params: OrgParams,
        response: {
          200: T.Object({
            id: T.String(),
            name: T.String(),
            contact: T.String(),
            createdAt: DateTime,
            domains: T.Array(T.Object({ domain: T.String(), verifiedAt: DateTime })),
            memberCount: T.Integer(),
            policyVersion: T.Integer(),
          }),
          ...errors(TOKEN),
        },
        security,
      },
    },
    async (req) => {
      await access(req, req.params.orgId, 'directory', 'api.org');
      const o = await organisationOverview(deps, req.params.orgId);
      return {
        ...o,
        createdAt: o.createdAt.toISOString(),
        domains: o.domains.map((d) => ({ domain: d.domain, verifiedAt: d.verifiedAt.toISOString() })),
      };
    },
  );

  api.get(
    '/orgs/:orgId/policy',
    {
      schema: {
        tags,
        summary: 'The current authentication-methods policy and its version',
        params: OrgParams,
        response: { 200: PolicyOut, ...errors(TOKEN) },
        security,
      },
    },
    async (req) => {
      await access(req, req.params.orgId, 'directory', 'api.policy');
      return organisationPolicy(deps, req.params.orgId);
    },
  );

  api.put(
    '/orgs/:orgId/policy',
    {
      schema: {
        tags,
        summary:
          'Saves a new version of the policy, based on `baseVersion` (the version read): if another admin saved meanwhile, nothing is saved (409). Applies at each member’s next sign-in; audit-logged as a diff. Organisation admin tokens.',
        params: OrgParams,
        body: T.Object({
          baseVersion: T.Integer({ minimum: 0, description: 'The version the change is based on' }),
          policy: Policy,
        }),
        response: { 200: PolicyOut, ...errors(TOKEN, 'org.policy_invalid', 'org.policy_conflict') },
        security,
      },
    },
    async (req) => {
      const a = await access(req, req.params.orgId, 'policy', 'api.policy.save');
      try {
        await savePolicy(deps, a.actor, a.orgId, req.body.baseVersion, req.body.policy);
      } catch (e) {
        // The policy's own checks name fields of the policy: point them into this body.
        if (e instanceof AppError && e.code === 'org.policy_invalid')
          throw new AppError(
            'org.policy_invalid',
            {},
            { fields: e.fields.map((f) => ({ ...f, path: `/policy${f.path}` })) },
          );
        throw e;
      }
      return organisationPolicy(deps, a.orgId);
    },
  );

  api.get(
    '/orgs/:orgId/members',
    {
      schema: {
        tags,
        summary:
          'Members with their role, verified methods by kind, compliance with the current policy, snoozes used and marks; oldest first, paged',
        params: OrgParams,
        querystring: T.Object({
          met: T.Optional(
            T.Union([T.Literal('true'), T.Literal('false')], { description: 'Compliant or not' }),
          ),
          role: T.Optional(Role),
          limit: T.Optional(Digits(3, 'Page size, 1–100 (default 50)')),
          cursor: T.Optional(T.String({ maxLength: 200, description: 'nextCursor of the page before' })),
        }),
        response: {
          200: T.Object({
            policyVersion: T.Integer(),
            members: T.Array(Member),
            nextCursor: OrNull(T.String({ description: 'null on the last page' })),
          }),
          ...errors(TOKEN),
        },
        security,
      },
    },
    async (req) => {
      const a = await access(req, req.params.orgId, 'directory', 'api.members');
      const q = req.query;
      const page = await memberReports(deps, a.orgId, {
        met: q.met === undefined ? undefined : q.met === 'true',
        role: q.role,
        limit: pageSize(q.limit),
        cursor: q.cursor,
      });
      return {
        policyVersion: page.policyVersion,
        nextCursor: page.nextCursor,
        members: page.members.map((m) => ({
          ...m,
          joinedAt: m.joinedAt.toISOString(),
          snoozedUntil: iso(m.snoozedUntil),
        })),
      };
    },
  );

  api.put(
    '/orgs/:orgId/members/:accountId/role',
    {
      schema: {
        tags,
        summary:
          'Gives a member of the organisation a role (member, reader, auth_admin, org_admin); the last organisation admin keeps theirs. Organisation admin tokens.',
        params: T.Object({
          orgId: T.String({ maxLength: 64 }),
          accountId: T.String({ maxLength: 64 }),
        }),
        body: T.Object({ role: Role }),
        response: {
          200: T.Object({ accountId: T.String(), role: Role }),
          ...errors(TOKEN, 'org.not_member', 'org.last_admin', 'org.already_member', 'org.role_invalid'),
        },
        security,
      },
    },
    async (req) => {
      const a = await access(req, req.params.orgId, 'members', 'api.member.role');
      const member = await findMember(deps.db, req.params.accountId);
      if (!member || member.org_id !== a.orgId) fail('org.not_member');
      const email = (await accountSummaries(deps.db, [member.account_id])).get(member.account_id)?.email;
      if (!email) fail('org.not_member');
      const accountId = await assignRole(deps, a.actor, a.orgId, { email, role: req.body.role });
      if (accountId !== member.account_id) fail('org.not_member');
      return { accountId, role: req.body.role };
    },
  );

  api.get(
    '/orgs/:orgId/audit',
    {
      schema: {
        tags,
        summary: 'The organisation’s audit log, newest first, paged',
        params: OrgParams,
        querystring: T.Object({
          limit: T.Optional(Digits(3, 'Page size, 1–100 (default 50)')),
          cursor: T.Optional(Digits(18, 'nextCursor of the page before')),
        }),
        response: {
          200: T.Object({
            entries: T.Array(AuditEntry),
            nextCursor: OrNull(T.String({ description: 'null on the last page' })),
          }),
          ...errors(TOKEN),
        },
        security,
      },
    },
    async (req) => {
      const a = await access(req, req.params.orgId, ['reports', 'policy'], 'api.audit');
      const page = await auditPage(deps, a.orgId, {
        limit: pageSize(req.query.limit),
        cursor: req.query.cursor,
      });
      return {
        nextCursor: page.nextCursor,
        entries: page.entries.map((e) => ({
          id: e.id,
          at: e.createdAt.toISOString(),
          actor: { kind: e.actorKind, id: e.actorId, name: e.actorName },
          action: e.action,
          targetAccountId: e.targetAccountId,
          target: e.target,
          outcome: e.outcome,
          detail: e.detail,
        })),
      };
    },
  );

  orgActionApiRoutes(v1, deps);
  memberApiRoutes(v1, deps);
}
