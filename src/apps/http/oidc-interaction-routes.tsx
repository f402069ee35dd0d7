import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { InteractionDetails } from 'oidc-provider';
import type { Deps } from '../../deps.ts';
import { findMember } from '../../organisations/store/members.ts';
import type { SessionView } from '../../sessions/session-cache.ts';
import { formSchema, readParams, text } from '../../web/form-kit.tsx';
import { Csrf, pageContext, pageHtml, renderErrorPage, sendPage, translator } from '../../web/render.tsx';
import type { ClientMetadata } from '../model.ts';
import { SCOPE_CLAIMS } from '../oidc/claims.ts';
import { acrOf, amrOf, authTimeMs, proofNeeded, provedAfter } from '../oidc/proof.ts';
import { interactionPath } from '../oidc/provider.ts';
import { withProviderScope } from '../oidc/request-scope.ts';
import { findEnabledClient } from '../store/oidc-clients.ts';
import { type ProviderSource, scopeOf } from './oidc-scope.ts';
import { pageLocale } from './oidc-views.tsx';

const UidParams = formSchema({ uid: text() });

/** The scopes a consent page can name, in the order it names them. */
const NAMED_SCOPES = ['openid', 'email', 'profile', 'phone', 'offline_access'] as const;

/**
 * Mamori's side of an authorization request (oidc-provider "interactions"): `GET /oidc/interaction/:uid`
 * signs the request in with the browser's Mamori session, or sends the browser to get one:
 * - no Mamori session → `/sign-in?next=…` (two-step, passkeys and unusual-sign-in checks included);
 * - a session held by its organisation (temporary password, registration) → the hold's page first (the web
 *   plumbing's hold applies to this page like to any other);
 * - prompt=login, max_age exceeded, or acr_values=urn:mamori:acr:2fa on a session without a second factor →
 *   the step-up page (`/security/reauth?next=…`), then back here;
 * - consent (which scopes, remembered in the Grant) on a page of its own, allow or deny (`access_denied`); a
 *   member of the organisation that registered the client is not asked.
 */
export function oidcInteractionRoutes(web: FastifyInstance, deps: Deps, provider: ProviderSource): void {
  /** The interaction of this browser for `uid`, or null (expired, used, another browser's). */
  const details = async (req: FastifyRequest, reply: FastifyReply): Promise<InteractionDetails | null> => {
    const { uid } = readParams(req, UidParams);
    try {
      const d = await (await provider()).interactionDetails(req.raw, reply.raw);
      return d.uid === uid ? d : null;
    } catch {
      return null;
    }
  };

  const expired = (req: FastifyRequest, reply: FastifyReply) =>
    renderErrorPage(req, reply, 400, translator(req.ctx.locale)('oidc.interaction.expired'));

  /** Finishes the interaction with `result` and sends the browser back to the provider. */
  const finish = async (
    req: FastifyRequest,
    reply: FastifyReply,
    result: Parameters<Awaited<ReturnType<ProviderSource>>['interactionResult']>[2],
    merge: boolean,
  ) => {
    const p = await provider();
    const to = await withProviderScope(scopeOf(req), () =>
      p.interactionResult(req.raw, reply.raw, result, { mergeWithLastSubmission: merge }),
    );
    return continuePage(req, reply, to);
  };

  /**
   * Goes on to `to` (the provider's resume URL, same origin) by a page that refreshes to it rather than a
   * redirect: the browser may have come here from a form (sign-in, second step, consent), and the pages' CSP
   * `form-action 'self'` would block the redirect chain that ends at the app's origin.
   */
  const continuePage = (req: FastifyRequest, reply: FastifyReply, to: string) => {
    const path = new URL(to, deps.config.publicUrl).pathname;
    const pc = pageContext(req, reply);
    const tr = translator(pc.locale);
    return reply
      .header('refresh', `0;url=${path}`)
      .status(200)
      .type('text/html; charset=utf-8')
      .send(
        pageHtml(
          pc,
          tr('oidc.continue.title'),
          <div class="card narrow" data-testid="oidc-continue">
            <h1>{tr('oidc.continue.title')}</h1>
            <p>
              <a href={path}>{tr('oidc.continue.link')}</a>
            </p>
          </div>,
        ),
      );
  };

  const loginOf = (s: SessionView) => ({
    accountId: s.accountId,
    acr: acrOf(s),
    amr: amrOf(s),
    ts: Math.floor(authTimeMs(s) / 1000),
    remember: true,
  });

  web.get('/oidc/interaction/:uid', async (req, reply) => {
    const d = await details(req, reply);
    if (!d) return expired(req, reply);
    const here = interactionPath(d.uid);
    const s = req.session;
    if (!s) return reply.redirect(`/sign-in?next=${encodeURIComponent(here)}`, 303);
    const asked = String(d.params.prompt ?? '').split(' ');
    const maxAge = Number(d.params.max_age);
    const requestedAtMs = (d.iat ?? d.exp) * 1000;
    const need = proofNeeded(
      s,
      {
        promptLogin: asked.includes('login'),
        maxAgeSeconds: Number.isSafeInteger(maxAge) && maxAge >= 0 ? maxAge : undefined,
        acrValues: String(d.params.acr_values ?? '').split(' '),
        requestedAtMs,
      },
      deps.clock.now().getTime(),
    );
    // A second factor asked for and not given even after a step-up made for this request (the account has
    // none to give): the request goes on, and `acr` says what was achieved.
    const steppedUpForThis = provedAfter(s, requestedAtMs);
    if (need === 'reauth' || (need === 'second_factor' && !steppedUpForThis))
      return reply.redirect(`/security/reauth?next=${encodeURIComponent(here)}`, 303);
    if (d.prompt.name === 'login' || d.session?.accountId !== s.accountId)
      return finish(req, reply, { login: loginOf(s) }, false);
    if (d.prompt.name !== 'consent') return expired(req, reply);
    const clientId = String(d.params.client_id ?? '');
    const client = await findEnabledClient(deps.db, clientId);
    if (!client) return expired(req, reply);
    // The organisation's own apps: its members are not asked (docs/flows/apps-oidc.md).
    if (client.orgId && (await findMember(deps.db, s.accountId))?.org_id === client.orgId)
      return finish(req, reply, { consent: { grantId: await saveGrant(req, d, s) } }, true);
    return consentPage(req, reply, d, s, client.name, client.metadata);
  });

  const consentPage = (
    req: FastifyRequest,
    reply: FastifyReply,
    d: InteractionDetails,
    s: SessionView,
    app: string,
    metadata: Pick<ClientMetadata, 'redirect_uris' | 'application_type'>,
  ) => {
    const pc = { ...pageContext(req, reply), locale: pageLocale(d.params.ui_locales, req.ctx.locale) };
    const tr = translator(pc.locale);
    const scopes = new Set(String(d.params.scope ?? '').split(' '));
    const redirect = String(d.params.redirect_uri ?? metadata.redirect_uris[0] ?? '');
    let host = '';
    try {
      host = new URL(redirect).host;
    } catch {
      host = '';
    }
    const here = interactionPath(d.uid);
    return sendPage(
      reply,
      pc,
      tr('oidc.consent.title', { app }),
      <div class="card narrow" data-testid="oidc-consent">
        <h1>{tr('oidc.consent.title', { app })}</h1>
        <p class="lead">{tr('oidc.consent.lead', { app })}</p>
        <p>{tr('oidc.consent.as', { name: s.displayName, email: s.email })}</p>
        <p>{tr('oidc.consent.asks', { app })}</p>
        <ul>
          {NAMED_SCOPES.filter((sc) => scopes.has(sc)).map((sc) => (
            <li data-scope={sc}>{tr(`oidc.consent.scope.${sc}`, { email: s.email, app })}</li>
          ))}
        </ul>
        {/* A native app is asked every time (OpenID Connect's advice, oidc-provider's native_client_prompt). */}
        <p>
          {tr(
            metadata.application_type === 'native'
              ? 'oidc.consent.asked_each_time'
              : 'oidc.consent.remembered',
            { app },
          )}
        </p>
        {host ? <p>{tr('oidc.consent.redirect_to', { host })}</p> : null}
        <div class="actions">
          <form method="post" action={`${here}/confirm`}>
            <Csrf pc={pc} />
            <button type="submit" data-testid="oidc-allow">
              {tr('oidc.consent.allow')}
            </button>
          </form>
          <form method="post" action={`${here}/abort`}>
            <Csrf pc={pc} />
            <button type="submit" class="secondary" data-testid="oidc-deny">
              {tr('oidc.consent.deny')}
            </button>
          </form>
        </div>
        <p>{tr('oidc.consent.not_you', { app })}</p>
      </div>,
    );
  };

  /** The grant of this consent: the existing one (if any) extended by what the request is missing. */
  const saveGrant = async (req: FastifyRequest, d: InteractionDetails, s: SessionView): Promise<string> => {
    const p = await provider();
    return withProviderScope(scopeOf(req), async () => {
      const grant =
        (d.grantId ? await p.Grant.find(d.grantId) : undefined) ??
        new p.Grant({ accountId: s.accountId, clientId: String(d.params.client_id) });
      const missing = d.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      const known = new Set<string>([...Object.keys(SCOPE_CLAIMS), 'offline_access']);
      const scopes = (missing.missingOIDCScope ?? []).filter((sc) => known.has(sc));
      if (scopes.length) grant.addOIDCScope(scopes.join(' '));
      if (missing.missingOIDCClaims?.length) grant.addOIDCClaims(missing.missingOIDCClaims);
      return grant.save();
    });
  };

  /** A consent answer: only for the signed-in account the interaction was signed in with. */
  const consentAnswer = async (req: FastifyRequest, reply: FastifyReply, allow: boolean) => {
    const d = await details(req, reply);
    if (d?.prompt.name !== 'consent') return expired(req, reply);
    const s = req.session;
    if (!s || d.session?.accountId !== s.accountId) return reply.redirect(interactionPath(d.uid), 303);
    if (!allow)
      return finish(
        req,
        reply,
        { error: 'access_denied', error_description: 'End-User denied the request' },
        false,
      );
    return finish(req, reply, { consent: { grantId: await saveGrant(req, d, s) } }, true);
  };

  web.post('/oidc/interaction/:uid/confirm', { preValidation: web.csrfProtection }, (req, reply) =>
    consentAnswer(req, reply, true),
  );
  web.post('/oidc/interaction/:uid/abort', { preValidation: web.csrfProtection }, (req, reply) =>
    consentAnswer(req, reply, false),
  );
}
