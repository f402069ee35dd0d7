import type { Deps } from '../deps.ts';
import { sha256 } from '../kernel/crypto.ts';
import { fail } from '../kernel/errors.ts';
import { newId, token } from '../kernel/random.ts';
import { type OrgAdmin, type OrgCapability, ROLE_RANK, roleCan } from './admin-access.ts';
import { type OrgActor, recordOrgAudit } from './audit.ts';
import {
  findActiveOrgToken,
  insertOrgToken,
  listOrgTokens,
  type OrgTokenRole,
  type OrgTokenRow,
  revokeOrgToken,
  touchOrgToken,
} from './store/tokens.ts';

/**
 * Organisation admin tokens (docs/flows/organisations-api.md): what an integration (a provisioning script,
 * a compliance dashboard) presents to /api/v1/orgs/{orgId} as `Authorization: Bearer mot_…`.
 *
 * - Created by an organisation admin in the console, with a name and a role no higher than the creator's
 *   (reader, authentication admin, organisation admin); the token is shown once and stored only as its
 *   SHA-256 (a 256-bit random secret needs no slow hash: OWASP API Security, RFC 6750 §5.3).
 * - Scoped to ONE organisation: on any other organisation's URL it answers exactly as for an unknown id.
 * - Revocable; a revoked token is refused on the next request on every instance (no cache).
 * - Each creation and revocation is in the organisation's audit log; each use sets `last_used_at`, at most
 *   once a minute.
 */

/** The prefix of every organisation token (secret scanners recognise it). */
export const ORG_TOKEN_PREFIX = 'mot_';
/** The roles a token may carry. */
export const ORG_TOKEN_ROLES: readonly OrgTokenRole[] = ['reader', 'auth_admin', 'org_admin'];
const NAME_MAX = 100;
const TOKEN_SHAPE = /^mot_[A-Za-z0-9_-]{43}$/;

/** What an authenticated token may act as: its organisation, its role and the actor the audit log names. */
export interface OrgTokenAccess {
  orgId: string;
  tokenId: string;
  role: OrgTokenRole;
  actor: OrgActor;
}

/** A token as the console lists it (never the secret). */
export interface OrgTokenView {
  id: string;
  name: string;
  role: OrgTokenRole;
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const view = (r: OrgTokenRow): OrgTokenView => ({
  id: r.id,
  name: r.name,
  role: r.role,
  createdBy: r.created_by,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

/** A token name from untrusted input: NFKC, trimmed, 1–100 characters. Errors: `org.token_name_invalid`. */
function cleanName(v: unknown): string {
  const s = typeof v === 'string' ? v.normalize('NFKC').trim() : '';
  if (s.length < 1 || s.length > NAME_MAX) fail('org.token_name_invalid');
  return s;
}

/**
 * Creates a token for the admin's organisation. `role` must be one of ORG_TOKEN_ROLES and not above the
 * admin's own role. Returns the token, to be shown once: `mot_` + 32 random bytes in base64url.
 * Errors: `org.token_name_invalid`, `org.role_invalid`.
 */
export async function createOrgToken(
  deps: Pick<Deps, 'db' | 'clock' | 'random'>,
  admin: Pick<OrgAdmin, 'orgId' | 'accountId' | 'role' | 'actor'>,
  input: { name: unknown; role: unknown },
): Promise<{ id: string; token: string; name: string; role: OrgTokenRole }> {
  const name = cleanName(input.name);
  const role = input.role as OrgTokenRole;
  if (!ORG_TOKEN_ROLES.includes(role) || ROLE_RANK[role] > ROLE_RANK[admin.role]) fail('org.role_invalid');
  const id = newId(deps.random, 'otk');
  const secret = `${ORG_TOKEN_PREFIX}${token(deps.random, 32)}`;
  await deps.db.tx(async (tx) => {
    await insertOrgToken(tx, {
      id,
      orgId: admin.orgId,
      name,
      tokenHash: sha256(secret),
      role,
      createdBy: admin.accountId,
      createdAt: deps.clock.now(),
    });
    await recordOrgAudit(deps, tx, {
      orgId: admin.orgId,
      actor: admin.actor,
      action: 'token.created',
      target: name,
      detail: { tokenId: id, role },
    });
  });
  return { id, token: secret, name, role };
}

/** The organisation's tokens, active ones first, newest first (at most 500). */
export async function orgTokens(deps: Pick<Deps, 'db'>, orgId: string): Promise<OrgTokenView[]> {
  return (await listOrgTokens(deps.db, orgId)).map(view);
}

/**
 * Revokes the organisation's token `tokenId` (audited as `token.revoked`). A token of another organisation,
 * an unknown id or one already revoked changes nothing. Returns whether this call revoked it.
 */
export async function revokeOrgTokenOf(
  deps: Pick<Deps, 'db' | 'clock' | 'random'>,
  admin: Pick<OrgAdmin, 'orgId' | 'actor'>,
  tokenId: unknown,
): Promise<boolean> {
  if (typeof tokenId !== 'string' || tokenId.length > 64) return false;
  return deps.db.tx(async (tx) => {
    const row = await revokeOrgToken(tx, admin.orgId, tokenId, deps.clock.now());
    if (!row) return false;
    await recordOrgAudit(deps, tx, {
      orgId: admin.orgId,
      actor: admin.actor,
      action: 'token.revoked',
      target: row.name,
      detail: { tokenId: row.id, role: row.role },
    });
    return true;
  });
}

/**
 * Authenticates `raw` (the bearer token as sent) for organisation `orgId` and `capability` (roles as in
 * admin-access.ts), reading the token on every call so that a revocation holds at once on every instance.
 *
 * Errors: `org.token_invalid` (401: missing, malformed, unknown or revoked), `org.not_found` (404: the token
 * belongs to another organisation — the same answer as an unknown id, so a token never learns whether
 * another organisation exists; the attempt is audit-logged in the token's own organisation),
 * `org.forbidden` (403: the token's role does not allow `capability`; audit-logged as refused).
 */
export async function orgTokenAccess(
  deps: Pick<Deps, 'db' | 'clock' | 'random'>,
  raw: string | undefined,
  orgId: string,
  capability: OrgCapability | readonly OrgCapability[],
  attempted: string,
): Promise<OrgTokenAccess> {
  if (typeof raw !== 'string' || !TOKEN_SHAPE.test(raw)) fail('org.token_invalid');
  const row = await findActiveOrgToken(deps.db, sha256(raw));
  if (!row) fail('org.token_invalid');
  const access: OrgTokenAccess = {
    orgId: row.org_id,
    tokenId: row.id,
    role: row.role,
    actor: { kind: 'token', id: row.id, name: row.name },
  };
  await touchOrgToken(deps.db, row.id, deps.clock.now());
  if (row.org_id !== orgId) {
    await refuse(deps, access, attempted, orgId.slice(0, 64));
    fail('org.not_found');
  }
  const caps = typeof capability === 'string' ? [capability] : capability;
  if (!caps.some((c) => roleCan(row.role, c))) {
    await refuse(deps, access, attempted, '');
    fail('org.forbidden');
  }
  return access;
}

async function refuse(
  deps: Pick<Deps, 'db' | 'clock' | 'random'>,
  access: OrgTokenAccess,
  attempted: string,
  target: string,
): Promise<void> {
  await recordOrgAudit(deps, deps.db, {
    orgId: access.orgId,
    actor: access.actor,
    action: 'action.refused',
    target,
    outcome: 'refused',
    detail: { attempted: attempted.slice(0, 64) },
  });
}
