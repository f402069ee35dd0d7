import { createServer } from 'node:net';
import * as oidc from 'openid-client';
import { appsCipher } from '../../src/apps/cipher.ts';
import type { ClientMetadata } from '../../src/apps/model.ts';
import { ManualClock } from '../../src/kernel/clock.ts';
import type { StoreKind } from './databases.ts';
import { createTestApp, type TestApp } from './harness.ts';

/** A free TCP port on 127.0.0.1 (the app then listens on it, PUBLIC_URL names it). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** A test app listening over real HTTP, its issuer = PUBLIC_URL = http://127.0.0.1:<port>. */
export interface OidcTestApp extends TestApp {
  issuer: string;
}

/**
 * Starts a test app on a real port. The clock starts at the real time: oidc-provider keeps its own clock for
 * `iat`, `exp` and `auth_time`, so Mamori's must agree with it.
 */
export async function createOidcTestApp(o: { store?: StoreKind; env?: Record<string, string> } = {}) {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const t = await createTestApp({
    store: o.store,
    clock: new ManualClock(new Date().toISOString()),
    env: { PUBLIC_URL: issuer, ...o.env },
  });
  await t.app.http.listen({ port, host: '127.0.0.1' });
  return Object.assign(t, { issuer }) as OidcTestApp;
}

let n = 0;
/** Registers a client straight in `app_clients` (the registry's pages are another part's). */
export async function registerClient(
  t: TestApp,
  o: {
    redirectUris?: string[];
    postLogout?: string[];
    public?: boolean;
    orgId?: string | null;
    name?: string;
    backchannelLogoutUri?: string;
  } = {},
): Promise<{ clientId: string; clientSecret: string | null; redirectUri: string; metadata: ClientMetadata }> {
  n++;
  const clientId = `app_test${n}_${Math.random().toString(36).slice(2, 8)}`;
  const redirectUri = o.redirectUris?.[0] ?? 'https://rp.example/callback';
  const metadata: ClientMetadata = {
    redirect_uris: o.redirectUris ?? [redirectUri],
    post_logout_redirect_uris: o.postLogout ?? ['https://rp.example/signed-out'],
    token_endpoint_auth_method: o.public ? 'none' : 'client_secret_basic',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    application_type: 'web',
    ...(o.backchannelLogoutUri ? { backchannel_logout_uri: o.backchannelLogoutUri } : {}),
  };
  const clientSecret = o.public ? null : `secret-${clientId}-0123456789abcdef0123456789`;
  await t.app.deps.db.query(
    `INSERT INTO app_clients (client_id, org_id, name, metadata, secret, created_at)
     VALUES ($1, $2, $3, $4::jsonb, $5, now())`,
    [
      clientId,
      o.orgId ?? null,
      o.name ?? 'Kumo Notes',
      JSON.stringify(metadata),
      clientSecret ? appsCipher(t.app.deps.config.secret).encrypt(clientSecret) : null,
    ],
  );
  return { clientId, clientSecret, redirectUri, metadata };
}

/** openid-client's configuration for a registered client (discovery over real HTTP). */
export async function relyingParty(
  issuer: string,
  c: { clientId: string; clientSecret: string | null },
): Promise<oidc.Configuration> {
  return oidc.discovery(
    new URL(issuer),
    c.clientId,
    c.clientSecret ?? undefined,
    c.clientSecret ? oidc.ClientSecretBasic(c.clientSecret) : oidc.None(),
    { execute: [oidc.allowInsecureRequests] },
  );
}

/** Where a redirect (3xx Location) or an immediate refresh (`Refresh: 0;url=…`) leads, else null. */
function redirectTarget(res: Response): string | null {
  const loc = res.headers.get('location');
  if (res.status >= 300 && res.status < 400) return loc;
  return /^0;url=(.+)$/.exec(res.headers.get('refresh') ?? '')?.[1] ?? null;
}

/** A browser without a page: a cookie jar and manual redirects, over real HTTP. */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(private readonly origin: string) {}

  /** Uses a Mamori session token (from the API) as this browser's session cookie. */
  signedInWith(sessionToken: string): this {
    this.cookies.set('mamori_session', sessionToken);
    return this;
  }

  async request(method: string, url: string, form?: Record<string, string>): Promise<Response> {
    const u = new URL(url, this.origin);
    const res = await fetch(u, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) mamori-test',
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age=0/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a));
      if (gone || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /**
   * Follows redirects on this origin until one leaves it (returned as the URL it points to) or a page
   * answers (returned as the response). At most 12 hops.
   */
  async follow(url: string): Promise<{ leftTo?: URL; page?: Response; path: string }> {
    let next = new URL(url, this.origin);
    for (let i = 0; i < 12; i++) {
      if (next.origin !== this.origin) return { leftTo: next, path: next.pathname };
      const res = await this.request('GET', next.toString());
      const loc = redirectTarget(res);
      if (loc) {
        next = new URL(loc, next);
        continue;
      }
      return { page: res, path: next.pathname + next.search };
    }
    throw new Error('too many redirects');
  }

  /** Posts a form of the page at `path` (its CSRF token taken from `html`) and follows where it leads. */
  async submit(html: string, action: string): Promise<{ leftTo?: URL; page?: Response; path: string }> {
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (!csrf) throw new Error('no CSRF token in the page');
    const res = await this.request('POST', action, { _csrf: csrf });
    const loc = redirectTarget(res);
    if (loc) return this.follow(new URL(loc, this.origin).toString());
    return { page: res, path: action };
  }
}

/** What an authorization request asks, and the checks the relying party keeps for the callback. */
export async function authorizationRequest(
  rp: oidc.Configuration,
  redirectUri: string,
  extra: Record<string, string> = {},
) {
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(rp, {
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
    state,
    ...extra,
  });
  return { url, verifier, nonce, state };
}

/**
 * Runs an authorization request in `browser` up to the app's callback, allowing consent when asked.
 * Returns the callback URL (with `code` or `error`), or the page Mamori stopped at.
 */
export async function authorize(browser: Browser, url: URL, o: { consent?: 'allow' | 'deny' } = {}) {
  let step = await browser.follow(url.toString());
  for (let i = 0; i < 3 && step.page; i++) {
    const html = await step.page.text();
    if (!html.includes('data-testid="oidc-consent"') || !o.consent) return { stoppedAt: step.path, html };
    const uid = /\/oidc\/interaction\/([\w-]+)\/confirm/.exec(html)?.[1];
    step = await browser.submit(
      html,
      `/oidc/interaction/${uid}/${o.consent === 'allow' ? 'confirm' : 'abort'}`,
    );
  }
  if (!step.leftTo) throw new Error(`stopped at ${step.path}`);
  return { callback: step.leftTo };
}
