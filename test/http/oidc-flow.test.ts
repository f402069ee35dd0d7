import { createServer } from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateSigningKey } from '../../src/apps/oidc/keys.ts';
import { GOOD_PASSWORD, signedUpAccount } from '../support/harness.ts';
import {
  authorizationRequest,
  authorize,
  Browser,
  createOidcTestApp,
  type OidcTestApp,
  registerClient,
  relyingParty,
} from '../support/oidc.ts';
import { accountIn, orgWithAdmin } from '../support/orgs.ts';

let t: OidcTestApp;
let client: Awaited<ReturnType<typeof registerClient>>;
let rp: oidc.Configuration;
beforeAll(async () => {
  t = await createOidcTestApp();
  client = await registerClient(t);
  rp = await relyingParty(t.issuer, client);
});
afterAll(async () => {
  await t.close();
});

/** Mamori's clock at the real time (oidc-provider keeps its own). */
const realTime = () => t.clock.set(new Date());

async function idTokenClaims(id: string | undefined) {
  const jwks = createRemoteJWKSet(new URL(`${t.issuer}/oidc/jwks`));
  return (await jwtVerify(id as string, jwks, { issuer: t.issuer, audience: client.clientId })).payload;
}

/** Signs `browser` in to the app (consent allowed) and redeems the code. */
async function signInToApp(browser: Browser, extra: Record<string, string> = {}) {
  const req = await authorizationRequest(rp, client.redirectUri, extra);
  const r = await authorize(browser, req.url, { consent: 'allow' });
  if (!r.callback) throw new Error(`stopped at ${r.stoppedAt}`);
  const tokens = await oidc.authorizationCodeGrant(rp, r.callback, {
    pkceCodeVerifier: req.verifier,
    expectedNonce: req.nonce,
    expectedState: req.state,
  });
  return { tokens, claims: await idTokenClaims(tokens.id_token) };
}

/** A step-up by password through the API: the browser gets the rotated session token. */
async function stepUp(browser: Browser, token: string): Promise<string> {
  const r = await t.api('POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, token);
  if (r.status !== 200) throw new Error(JSON.stringify(r.body));
  browser.signedInWith(r.body.sessionToken as string);
  return r.body.sessionToken as string;
}

describe('a relying party signs a Mamori user in (openid-client over HTTP)', () => {
  it('discovery advertises the code flow with PKCE (S256) only, under the issuer = PUBLIC_URL', async () => {
    const disc = await (await fetch(`${t.issuer}/.well-known/openid-configuration`)).json();
    expect(disc).toMatchObject({
      issuer: t.issuer,
      authorization_endpoint: `${t.issuer}/oidc/auth`,
      token_endpoint: `${t.issuer}/oidc/token`,
      userinfo_endpoint: `${t.issuer}/oidc/userinfo`,
      jwks_uri: `${t.issuer}/oidc/jwks`,
      end_session_endpoint: `${t.issuer}/oidc/session/end`,
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
      backchannel_logout_supported: true,
      acr_values_supported: ['urn:mamori:acr:pwd', 'urn:mamori:acr:2fa'],
    });
    expect(disc.grant_types_supported).not.toContain('implicit');
    expect(disc.grant_types_supported).not.toContain('password');
    expect(disc.registration_endpoint).toBeUndefined();
    // A forged Host header does not move the advertised endpoints.
    const forged = await fetch(`${t.issuer}/.well-known/openid-configuration`, {
      headers: { 'x-forwarded-host': 'evil.example' },
    });
    expect(JSON.stringify(await forged.json())).not.toContain('evil.example');
  });

  it('code + PKCE → ID token (iss, aud, nonce, auth_time, amr, acr), userinfo, refresh with rotation and reuse detection, introspection, revocation', async () => {
    realTime();
    const acct = await signedUpAccount(t, { displayName: '山田 花子' });
    const browser = new Browser(t.issuer).signedInWith(acct.token);
    const { tokens, claims } = await signInToApp(browser);
    expect(claims.acr).toBe('urn:mamori:acr:pwd');
    expect(claims.amr).toEqual(['mail']);
    expect(claims.auth_time).toBeLessThanOrEqual(Math.ceil(t.clock.now().getTime() / 1000));
    const sub = claims.sub as string;
    expect(sub).toMatch(/^acc_/);
    expect(sub).not.toContain('@');
    const info = await oidc.fetchUserInfo(rp, tokens.access_token, sub);
    expect(info).toMatchObject({
      sub,
      email: acct.email,
      email_verified: true,
      name: '山田 花子',
      locale: 'ja',
    });
    expect(info.phone_number).toBeUndefined();

    // Every row issued for this sign-in names the account and the Mamori session it came from.
    const me = await t.api('GET', '/api/v1/sessions', undefined, acct.token);
    const current = (me.body.sessions as { publicId: string; current: boolean }[]).find(
      (s) => s.current,
    )?.publicId;
    const rows = await t.app.deps.db.query<{ model: string; account_id: string; mamori_session: string }>(
      `SELECT model, account_id, mamori_session FROM oidc_payloads WHERE account_id = $1 ORDER BY model`,
      [sub],
    );
    for (const m of ['AccessToken', 'AuthorizationCode', 'Grant', 'RefreshToken', 'Session'])
      expect(rows.find((r) => r.model === m)?.mamori_session, m).toBe(current);

    // Refresh: a new refresh token each time; the old one used again revokes the whole grant.
    const first = tokens.refresh_token as string;
    const second = await oidc.refreshTokenGrant(rp, first);
    expect(second.refresh_token).toBeTruthy();
    expect(second.refresh_token).not.toBe(first);
    const active = await oidc.tokenIntrospection(rp, second.access_token);
    expect(active).toMatchObject({ active: true, sub, client_id: client.clientId });
    await expect(oidc.refreshTokenGrant(rp, first)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.refreshTokenGrant(rp, second.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect((await oidc.tokenIntrospection(rp, second.access_token)).active).toBe(false);
    await expect(oidc.fetchUserInfo(rp, second.access_token, sub)).rejects.toBeDefined();

    // Revocation (RFC 7009) of a fresh sign-in's access token.
    const again = await signInToApp(browser);
    expect((await oidc.tokenIntrospection(rp, again.tokens.access_token)).active).toBe(true);
    await oidc.tokenRevocation(rp, again.tokens.access_token);
    expect((await oidc.tokenIntrospection(rp, again.tokens.access_token)).active).toBe(false);
  });

  it('consent is remembered in the grant; deny sends access_denied back to the app', async () => {
    realTime();
    const acct = await signedUpAccount(t);
    const browser = new Browser(t.issuer).signedInWith(acct.token);
    const denied = await authorize(browser, (await authorizationRequest(rp, client.redirectUri)).url, {
      consent: 'deny',
    });
    expect(denied.callback?.searchParams.get('error')).toBe('access_denied');
    expect(denied.callback?.searchParams.get('code')).toBeNull();
    await signInToApp(browser);
    // Asked once: the next sign-in to the same app goes straight back with a code.
    const again = await authorize(browser, (await authorizationRequest(rp, client.redirectUri)).url);
    expect(again.callback?.searchParams.get('code')).toBeTruthy();
    // A wider request asks again.
    const wider = await authorize(
      browser,
      (await authorizationRequest(rp, client.redirectUri, { scope: 'openid email profile phone' })).url,
    );
    expect(wider.stoppedAt).toMatch(/^\/oidc\/interaction\//);
    expect(wider.html).toContain('data-scope="phone"');
  });

  it('the consent page speaks ui_locales, else Mamori’s language', async () => {
    realTime();
    const acct = await signedUpAccount(t);
    const browser = new Browser(t.issuer).signedInWith(acct.token);
    const ja = await authorize(browser, (await authorizationRequest(rp, client.redirectUri)).url);
    expect(ja.html).toContain('Kumo Notes にサインイン');
    expect(ja.html).toContain('許可して続ける');
    const en = await authorize(
      browser,
      (await authorizationRequest(rp, client.redirectUri, { ui_locales: 'en-GB ja' })).url,
    );
    expect(en.html).toContain('Sign in to Kumo Notes');
    expect(en.html).toContain('Allow and continue');
    expect(en.html).toContain(acct.email);
  });

  it('without a Mamori session, or once it ended, the browser is sent to Mamori’s sign-in, never signed in by the provider’s own cookie', async () => {
    realTime();
    const anonymous = new Browser(t.issuer);
    const r = await authorize(anonymous, (await authorizationRequest(rp, client.redirectUri)).url);
    expect(r.stoppedAt).toMatch(/^\/sign-in\?next=%2Foidc%2Finteraction%2F[\w-]+$/);

    const acct = await signedUpAccount(t);
    const browser = new Browser(t.issuer).signedInWith(acct.token);
    await signInToApp(browser);
    // Signed out of Mamori (the session ends); the provider's cookie is still in the browser.
    await t.api('DELETE', '/api/v1/sessions/current', undefined, acct.token);
    expect([...browser.cookies.keys()]).toContain('mamori_oidc');
    const after = await authorize(browser, (await authorizationRequest(rp, client.redirectUri)).url);
    expect(after.callback).toBeUndefined();
    expect(after.stoppedAt).toMatch(/^\/sign-in\?next=/);
  });

  it('prompt=login and max_age ask for a fresh proof; auth_time is when it was given', async () => {
    realTime();
    const acct = await signedUpAccount(t);
    realTime();
    const browser = new Browser(t.issuer).signedInWith(acct.token);
    const firstAuth = (await signInToApp(browser)).claims.auth_time as number;

    const req = await authorizationRequest(rp, client.redirectUri, { prompt: 'login' });
    const stopped = await authorize(browser, req.url);
    expect(stopped.stoppedAt).toMatch(/^\/security\/reauth\?next=%2Foidc%2Finteraction%2F/);
    await new Promise((r) => setTimeout(r, 1100));
    realTime();
    await stepUp(browser, acct.token);
    // The same request resumes (its interaction) once the proof is given.
    const resumed = await browser.follow(
      decodeURIComponent(String(stopped.stoppedAt).replace(/^.*next=/, '')),
    );
    const callback = resumed.leftTo;
    expect(callback?.searchParams.get('code')).toBeTruthy();
    const tokens = await oidc.authorizationCodeGrant(rp, callback as URL, {
      pkceCodeVerifier: req.verifier,
      expectedNonce: req.nonce,
      expectedState: req.state,
    });
    const claims = await idTokenClaims(tokens.id_token);
    expect(claims.auth_time as number).toBeGreaterThan(firstAuth);
    expect(claims.amr).toEqual(['mail', 'pwd', 'mfa']);

    // max_age: a proof older than asked sends the browser to the step-up page again.
    await new Promise((r) => setTimeout(r, 2100));
    realTime();
    const old = await authorize(
      browser,
      (await authorizationRequest(rp, client.redirectUri, { max_age: '1' })).url,
    );
    expect(old.stoppedAt).toMatch(/^\/security\/reauth\?next=/);
    const fresh = await authorize(
      browser,
      (await authorizationRequest(rp, client.redirectUri, { max_age: '3600' })).url,
    );
    expect(fresh.callback?.searchParams.get('code')).toBeTruthy();
  });

  it('acr_values=urn:mamori:acr:2fa sends a one-method session to a second proof; acr and amr say what was achieved', async () => {
    realTime();
    const acct = await signedUpAccount(t);
    realTime();
    const browser = new Browser(t.issuer).signedInWith(acct.token);
    const req = await authorizationRequest(rp, client.redirectUri, { acr_values: 'urn:mamori:acr:2fa' });
    const stopped = await authorize(browser, req.url);
    expect(stopped.stoppedAt).toMatch(/^\/security\/reauth\?next=/);
    await new Promise((r) => setTimeout(r, 1100));
    realTime();
    await stepUp(browser, acct.token);
    const resumed = await browser.follow(
      decodeURIComponent(String(stopped.stoppedAt).replace(/^.*next=/, '')),
    );
    let callback = resumed.leftTo;
    if (!callback && resumed.page) {
      const html = await resumed.page.text();
      const uid = /\/oidc\/interaction\/([\w-]+)\/confirm/.exec(html)?.[1];
      callback = (await browser.submit(html, `/oidc/interaction/${uid}/confirm`)).leftTo;
    }
    const tokens = await oidc.authorizationCodeGrant(rp, callback as URL, {
      pkceCodeVerifier: req.verifier,
      expectedNonce: req.nonce,
      expectedState: req.state,
    });
    const claims = await idTokenClaims(tokens.id_token);
    expect(claims.acr).toBe('urn:mamori:acr:2fa');
    expect(claims.amr).toContain('mfa');
  });

  it('a member of the organisation that registered the app is not asked for consent; others are', async () => {
    realTime();
    const org = await orgWithAdmin(t, { name: '株式会社クモ' });
    const own = await registerClient(t, { orgId: org.orgId, name: 'クモ社内ポータル' });
    const ownRp = await relyingParty(t.issuer, own);
    realTime();
    const member = new Browser(t.issuer).signedInWith(org.admin.token);
    const r = await authorize(member, (await authorizationRequest(ownRp, own.redirectUri)).url);
    expect(r.callback?.searchParams.get('code')).toBeTruthy();
    const outsider = await signedUpAccount(t);
    const other = await authorize(
      new Browser(t.issuer).signedInWith(outsider.token),
      (await authorizationRequest(ownRp, own.redirectUri)).url,
    );
    expect(other.html).toContain('data-testid="oidc-consent"');
  });

  it('a session held by its organisation (a temporary password to replace) does not finish the request until the hold ends', async () => {
    realTime();
    const org = await orgWithAdmin(t, { name: '株式会社ホールド' });
    const member = await accountIn(t, org.domain);
    realTime();
    await t.app.deps.db.query(
      'UPDATE org_members SET must_change_password = true WHERE org_id = $1 AND role = $2',
      [org.orgId, 'member'],
    );
    const browser = new Browser(t.issuer).signedInWith(member.token);
    const r = await authorize(browser, (await authorizationRequest(rp, client.redirectUri)).url, {
      consent: 'allow',
    });
    expect(r.callback).toBeUndefined();
    expect(r.stoppedAt).toMatch(/^\/security\/new-password-required\?next=%2Foidc%2Finteraction%2F[\w-]+$/);
    // Once the hold ends, the same browser gets through.
    await t.app.deps.db.query('UPDATE org_members SET must_change_password = false WHERE org_id = $1', [
      org.orgId,
    ]);
    const after = await authorize(browser, (await authorizationRequest(rp, client.redirectUri)).url, {
      consent: 'allow',
    });
    expect(after.callback?.searchParams.get('code')).toBeTruthy();
  });

  it('after a key rotation new ID tokens are signed with the new key; the JWKS still publishes the old one', async () => {
    realTime();
    const before = (await (await fetch(`${t.issuer}/oidc/jwks`)).json()).keys.map(
      (k: { kid: string }) => k.kid,
    );
    const rotated = await rotateSigningKey(t.app.deps);
    t.clock.advance(61_000); // past the key cache of every instance
    const acct = await signedUpAccount(t);
    const { tokens } = await signInToApp(new Browser(t.issuer).signedInWith(acct.token));
    const header = JSON.parse(
      Buffer.from((tokens.id_token as string).split('.')[0] as string, 'base64url').toString(),
    );
    expect(header.kid).toBe(rotated.kid);
    const after = (await (await fetch(`${t.issuer}/oidc/jwks`)).json()).keys.map(
      (k: { kid: string }) => k.kid,
    );
    expect(after).toEqual([rotated.kid, ...before]);
  });

  it('RP-initiated logout ends the provider session, tells the other apps of that session by back-channel logout, and returns to the registered URI', async () => {
    realTime();
    // Another app of the same browser session, which registered a back-channel logout URI.
    const received: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push(new URLSearchParams(body).get('logout_token') ?? '');
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const addr = server.address();
    const other = await registerClient(t, {
      backchannelLogoutUri: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/bcl`,
    });
    const otherRp = await relyingParty(t.issuer, other);
    const acct = await signedUpAccount(t, { locale: 'en' });
    const browser = new Browser(t.issuer).signedInWith(acct.token);
    const { tokens } = await signInToApp(browser);
    const o = await authorize(browser, (await authorizationRequest(otherRp, other.redirectUri)).url, {
      consent: 'allow',
    });
    expect(o.callback?.searchParams.get('code')).toBeTruthy();
    const end = oidc.buildEndSessionUrl(rp, {
      id_token_hint: tokens.id_token as string,
      post_logout_redirect_uri: 'https://rp.example/signed-out',
      ui_locales: 'en',
    });
    const page = await browser.follow(end.toString());
    const html = (await page.page?.text()) ?? '';
    expect(html).toContain('Sign out of the app?');
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
    const fields = Object.fromEntries(
      [...(form?.[2] ?? '').matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    const res = await browser.request('POST', form?.[1] as string, { ...fields, logout: 'yes' });
    expect(res.headers.get('location')).toMatch(/^https:\/\/rp\.example\/signed-out/);
    const sessions = await t.app.deps.db.query(
      `SELECT 1 FROM oidc_payloads WHERE model = 'Session' AND account_id = $1`,
      [tokens.claims()?.sub],
    );
    expect(sessions).toHaveLength(0);
    // The other app got a logout token signed with the provider's key (OpenID Connect Back-Channel Logout 1.0).
    for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    server.close();
    expect(received).toHaveLength(1);
    const jwks = createRemoteJWKSet(new URL(`${t.issuer}/oidc/jwks`));
    const { payload, protectedHeader } = await jwtVerify(received[0] as string, jwks, {
      issuer: t.issuer,
      audience: other.clientId,
    });
    expect(protectedHeader.typ).toBe('logout+jwt');
    expect(payload.sub).toBe(tokens.claims()?.sub);
    expect(payload.events).toEqual({ 'http://schemas.openid.net/event/backchannel-logout': {} });
  });
});
