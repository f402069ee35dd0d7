import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import type Provider from 'oidc-provider';
import type { Deps } from '../../deps.ts';
import type { ProviderKeys } from '../oidc/keys.ts';
import { createProvider, OIDC_ROUTES } from '../oidc/provider.ts';
import { withProviderScope } from '../oidc/request-scope.ts';
import { findEnabledClient } from '../store/oidc-clients.ts';
import { oidcInteractionRoutes } from './oidc-interaction-routes.tsx';
import { type ProviderSource, scopeOf } from './oidc-scope.ts';
import { providerViews } from './oidc-views.tsx';

/**
 * The OpenID Connect provider (docs/flows/apps-oidc.md): discovery at /.well-known/openid-configuration, the
 * protocol endpoints under /oidc/… handed to oidc-provider with their bodies unread, and Mamori's interaction
 * pages (/oidc/interaction/:uid). Every URL the provider draws is made from PUBLIC_URL: the request's Host
 * and scheme are replaced before it sees them.
 */
export async function oidcRoutes(app: FastifyInstance, deps: Deps, keys: ProviderKeys): Promise<void> {
  const views = providerViews();
  let built: { kids: string; provider: Provider; handle: ReturnType<Provider['callback']> } | null = null;
  const provider: ProviderSource = async () => {
    const jwks = await keys.privateJwks();
    const kids = jwks.keys.map((k) => k.kid).join(' ');
    if (!built || built.kids !== kids) {
      const p = createProvider(deps, jwks, views);
      built = { kids, provider: p, handle: p.callback() };
    }
    return built.provider;
  };
  const publicUrl = new URL(deps.config.publicUrl);

  const handle = async (req: FastifyRequest, reply: FastifyReply) => {
    await provider();
    const current = built;
    if (!current) return;
    reply.hijack();
    // The answer is written by oidc-provider on the raw response: carry over the headers Mamori's hooks set
    // (security headers, no-store) and any cookie they asked for.
    for (const [name, value] of Object.entries(reply.getHeaders()))
      if (value !== undefined) reply.raw.setHeader(name, value);
    // The logout page's form leads (through the provider's redirect) to the app's post-logout URI: the CSP
    // lets that one origin end the form's redirect chain (the provider checks the URI is registered).
    const back = await logoutReturnOrigin(deps, req);
    if (back) {
      const csp = String(reply.getHeader('content-security-policy') ?? '');
      reply.raw.setHeader(
        'content-security-policy',
        csp.replace("form-action 'self'", `form-action 'self' ${back}`),
      );
    }
    const h = req.raw.headers;
    h.host = publicUrl.host;
    h['x-forwarded-proto'] = publicUrl.protocol.slice(0, -1);
    h['x-forwarded-for'] = req.ip;
    delete h['x-forwarded-host'];
    delete h.forwarded;
    const resumesLogin = req.url.startsWith(`${OIDC_ROUTES.authorization}/`);
    await withProviderScope({ ...scopeOf(req), resumesLogin }, async () => {
      await current.handle(req.raw, reply.raw);
    });
  };

  // The protocol endpoints read their own bodies (form posts to token, revocation, introspection, logout).
  await app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', (_req, _payload, done) => done(null));
    raw.get('/.well-known/openid-configuration', handle);
    raw.route({ method: ['GET', 'POST', 'OPTIONS'], url: '/oidc/*', handler: handle });
  });
  await app.register(async (web) => oidcInteractionRoutes(web, deps, provider));
}

/**
 * The origin of `post_logout_redirect_uri` on a GET of the end-session endpoint, when it is an http(s) URL
 * registered by the client the request names (`client_id`, else the `aud` of `id_token_hint`, read unverified:
 * only to choose which registered list to compare with; the provider verifies the hint). Null otherwise, so
 * a URI of no client never widens the page's CSP.
 */
async function logoutReturnOrigin(deps: Pick<Deps, 'db'>, req: FastifyRequest): Promise<string | null> {
  if (req.method !== 'GET' || !req.url.startsWith(`${OIDC_ROUTES.end_session}?`)) return null;
  const params = new URL(req.url, 'http://x').searchParams;
  const raw = params.get('post_logout_redirect_uri');
  if (!raw || raw.length > 2000) return null;
  const clientId = params.get('client_id') ?? audienceOf(params.get('id_token_hint'));
  if (!clientId || clientId.length > 200) return null;
  const client = await findEnabledClient(deps.db, clientId);
  if (!client?.metadata.post_logout_redirect_uris?.includes(raw)) return null;
  try {
    const u = new URL(raw);
    return (u.protocol === 'https:' || u.protocol === 'http:') && /^[\w.:[\]-]+$/.test(u.host)
      ? u.origin
      : null;
  } catch {
    return null;
  }
}

/** The single audience of a JWT, decoded without verification; null when absent or malformed. */
function audienceOf(jwt: string | null): string | null {
  if (!jwt || jwt.length > 8000) return null;
  try {
    const { aud } = decodeJwt(jwt);
    return typeof aud === 'string' ? aud : Array.isArray(aud) && aud.length === 1 ? (aud[0] ?? null) : null;
  } catch {
    return null;
  }
}
