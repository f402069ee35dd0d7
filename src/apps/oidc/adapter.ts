import { type Adapter, type AdapterPayload, errors } from 'oidc-provider';
import type { Deps } from '../../deps.ts';
import { appsCipher } from '../cipher.ts';
import { findEnabledClient } from '../store/oidc-clients.ts';
import {
  consumePayload,
  destroyByGrant,
  destroyGrantOf,
  destroyPayload,
  findPayload,
  upsertPayload,
} from '../store/oidc-payloads.ts';
import { currentScope } from './request-scope.ts';

/**
 * The storage of oidc-provider (its Adapter interface, README "Adapter") on Mamori's tables: every model in
 * `oidc_payloads`, found by (model, id); clients read from `app_clients`.
 *
 * - `expiresIn` is in seconds from `deps.clock`; `find` ignores rows past `expires_at` (housekeeping deletes
 *   them later).
 * - `account_id`, `grant_id`, `uid`, `user_code` and `mamori_session` are copied out so that ending a Mamori
 *   session or account can delete every token issued for it in one statement: a deleted row is a revoked
 *   token (access and refresh tokens are opaque, looked up here at every use).
 * - `consume` is one conditional UPDATE: of concurrent redemptions of one code or refresh token exactly one
 *   goes on, the others get `invalid_grant` and revoke the grant it belongs to — the one that went on included
 *   (RFC 6749 §4.1.2, §10.4; OAuth 2.0 Security BCP §4.14: a code or refresh token used twice is stolen).
 * - Client: an enabled registration, its secret decrypted; a disabled client is not found.
 */
export function providerAdapter(deps: Pick<Deps, 'db' | 'clock' | 'config'>): new (name: string) => Adapter {
  const cipher = appsCipher(deps.config.secret);
  return class MamoriAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const scope = currentScope();
      // A provider Session is bound only where a login is applied to it (see ProviderRequestScope).
      const s = this.model !== 'Session' || scope?.resumesLogin ? (scope?.mamoriSession ?? null) : null;
      const accountId = typeof payload.accountId === 'string' ? payload.accountId : null;
      // Tokens issued at the token endpoint (no Mamori cookie) descend from the code or refresh token redeemed.
      const redeemedFrom =
        this.model === 'AccessToken' || this.model === 'RefreshToken' ? (scope?.redeemedFrom ?? null) : null;
      await upsertPayload(deps.db, {
        model: this.model,
        id,
        payload,
        accountId,
        grantId: this.model === 'Grant' ? id : str(payload.grantId),
        uid: str(payload.uid),
        userCode: str(payload.userCode),
        // Only the session of the same account the payload is for.
        mamoriSession: s && accountId === s.accountId ? s.publicId : redeemedFrom,
        sessionUid: str(payload.sessionUid),
        expiresAt: expiresIn ? new Date(deps.clock.now().getTime() + expiresIn * 1000) : null,
      });
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === 'Client') return this.findClient(id);
      return this.found(await findPayload(deps.db, this.model, { id }, deps.clock.now()));
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return this.found(await findPayload(deps.db, this.model, { uid }, deps.clock.now()));
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return this.found(await findPayload(deps.db, this.model, { userCode }, deps.clock.now()));
    }

    async consume(id: string): Promise<void> {
      const consumed = await consumePayload(deps.db, this.model, id, deps.clock.now());
      const scope = currentScope();
      if (consumed && scope) scope.redeemedFrom = consumed.mamoriSession;
      if (!consumed) {
        // Used twice at once: the other use may already be issuing tokens. Revoke the whole grant, as
        // oidc-provider does for a use after the first (the Grant row gone, the winner's tokens are refused).
        await destroyGrantOf(deps.db, this.model, id);
        throw new errors.InvalidGrant(
          `${this.model === 'RefreshToken' ? 'refresh token' : 'grant'} already used`,
        );
      }
    }

    async destroy(id: string): Promise<void> {
      await destroyPayload(deps.db, this.model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await destroyByGrant(deps.db, this.model, grantId);
    }

    private found(
      r: { payload: Record<string, unknown>; consumedAt: Date | null } | null,
    ): AdapterPayload | undefined {
      if (!r) return undefined;
      return r.consumedAt ? { ...r.payload, consumed: Math.floor(r.consumedAt.getTime() / 1000) } : r.payload;
    }

    private async findClient(id: string): Promise<AdapterPayload | undefined> {
      if (id.length > 200) return undefined;
      const c = await findEnabledClient(deps.db, id);
      if (!c) return undefined;
      const m = c.metadata;
      return {
        client_id: c.clientId,
        client_name: c.name,
        redirect_uris: m.redirect_uris,
        post_logout_redirect_uris: m.post_logout_redirect_uris ?? [],
        token_endpoint_auth_method: m.token_endpoint_auth_method,
        grant_types: m.grant_types,
        response_types: ['code'],
        application_type: m.application_type,
        ...(m.backchannel_logout_uri
          ? {
              backchannel_logout_uri: m.backchannel_logout_uri,
              backchannel_logout_session_required: m.backchannel_logout_session_required ?? false,
            }
          : {}),
        ...(c.encryptedSecret && m.token_endpoint_auth_method !== 'none'
          ? { client_secret: cipher.decrypt(c.encryptedSecret) }
          : {}),
      };
    }
  };
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
