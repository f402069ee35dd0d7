/**
 * The part of oidc-provider 9's API Mamori uses (the package ships no type declarations). Shapes follow the
 * package's README and lib/; kept narrow on purpose: what is not declared here is not used.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type AdapterPayload = Record<string, unknown> & {
    accountId?: string;
    grantId?: string;
    uid?: string;
    userCode?: string;
    sessionUid?: string;
    consumed?: unknown;
  };

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface ClaimsResult {
    accountId: string;
    claims(use: string, scope: string, claims: unknown, rejected: string[]): Promise<Record<string, unknown>>;
  }

  export interface OidcSession {
    id: string;
    /** The id before this request rotated it (resume rotates it; the stored row still has the old id). */
    oldId?: string;
    uid: string;
    accountId?: string;
    acr?: string;
    amr?: string[];
    loginTs?: number;
    authTime(): number | undefined;
  }

  export interface OidcClient {
    clientId: string;
    clientName?: string;
  }

  export interface KoaContextWithOIDC {
    req: IncomingMessage;
    body: unknown;
    type: string;
    oidc: {
      params?: Record<string, unknown>;
      session?: OidcSession;
      client?: OidcClient;
      result?: { login?: unknown; consent?: { grantId?: string } };
      route?: string;
      provider: Provider;
    };
  }

  export interface InteractionDetails {
    uid: string;
    iat?: number;
    exp: number;
    returnTo: string;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    params: Record<string, unknown>;
    session?: { accountId: string; uid: string; cookie: string; acr?: string; amr?: string[] };
    grantId?: string;
    lastSubmission?: Record<string, unknown>;
  }

  export interface InteractionResults {
    login?: { accountId: string; acr?: string; amr?: string[]; remember?: boolean; ts?: number };
    consent?: { grantId?: string };
    error?: string;
    error_description?: string;
    [key: string]: unknown;
  }

  export interface GrantInstance {
    accountId?: string;
    clientId?: string;
    jti?: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    save(ttl?: number): Promise<string>;
  }

  export interface ClientInstance {
    clientId: string;
    clientName?: string;
  }

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>;
    on(event: string, listener: (...args: unknown[]) => void): this;
    Grant: {
      new (init: { accountId: string; clientId: string }): GrantInstance;
      find(id: string): Promise<GrantInstance | undefined>;
    };
    Client: { find(id: string): Promise<ClientInstance | undefined> };
    Session: { find(id: string): Promise<OidcSession | undefined> };
    static get ctx(): KoaContextWithOIDC | undefined;
  }

  export class Check {
    constructor(
      reason: string,
      description: string,
      check: (ctx: KoaContextWithOIDC) => boolean | Promise<boolean>,
    );
    static REQUEST_PROMPT: true;
    static NO_NEED_TO_PROMPT: false;
  }

  export interface Prompt {
    name: string;
    checks: { add(check: Check, index?: number): void };
  }

  export const interactionPolicy: {
    base(): { get(name: string): Prompt | undefined } & Prompt[];
    Check: typeof Check;
  };

  export namespace errors {
    class OIDCProviderError extends Error {
      constructor(message: string, description?: string);
    }
    class InvalidGrant extends OIDCProviderError {
      constructor(detail?: string);
    }
  }

  export default Provider;
}
