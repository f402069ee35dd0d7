import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedFetch } from '../../src/apps/oidc/outgoing.ts';
import { signedUpAccount } from '../support/harness.ts';
import {
  authorizationRequest,
  authorize,
  Browser,
  createOidcTestApp,
  type OidcTestApp,
  registerClient,
  relyingParty,
} from '../support/oidc.ts';

// On PostgreSQL: the single-use guarantees are tested with 100 concurrent requests.
let t: OidcTestApp;
let client: Awaited<ReturnType<typeof registerClient>>;
let rp: oidc.Configuration;
let browser: Browser;
beforeAll(async () => {
  t = await createOidcTestApp({ store: 'postgres' });
  client = await registerClient(t, { redirectUris: ['https://rp.example:8443/cb'] });
  rp = await relyingParty(t.issuer, client);
  const acct = await signedUpAccount(t);
  t.clock.set(new Date());
  browser = new Browser(t.issuer).signedInWith(acct.token);
});
afterAll(async () => {
  await t.close();
});

/** A code for `client` through the browser (consent allowed), with its verifier. */
async function freshCode(extra: Record<string, string> = {}) {
  const req = await authorizationRequest(rp, client.redirectUri, extra);
  const r = await authorize(browser, req.url, { consent: 'allow' });
  if (!r.callback) throw new Error(`stopped at ${r.stoppedAt}`);
  return { callback: r.callback, code: r.callback.searchParams.get('code') as string, ...req };
}

/** The token endpoint, spoken directly (client_secret_basic). */
function tokenRequest(body: Record<string, string>) {
  return fetch(`${t.issuer}/oidc/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(body).toString(),
  });
}

function authUrl(params: Record<string, string>): string {
  return `${t.issuer}/oidc/auth?${new URLSearchParams({
    client_id: client.clientId,
    response_type: 'code',
    scope: 'openid',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGjSstw-cM',
    code_challenge_method: 'S256',
    state: 'st',
    ...params,
  })}`;
}

describe('attacks on the OpenID Connect provider', () => {
  it('a redirect URI that is not exactly a registered one is refused without redirecting', async () => {
    const variants = [
      'https://rp.example:8443/cb/',
      'https://RP.example:8443/cb',
      'https://rp.example:8443/CB',
      'https://rp.example:8443/cb?x=1',
      'https://rp.example:8443/cb#frag',
      'https://rp.example:8443@evil.example/cb',
      'https://evil.example@rp.example:8443/cb',
      'https://rp.example/cb',
      'https://rp.example:9443/cb',
      'http://rp.example:8443/cb',
      'https://rp.example:8443/cb/../cb',
      'https://rp.example:8443/x/../cb',
      'https://evil.example/cb',
      'javascript:alert(1)',
    ];
    for (const v of variants) {
      const res = await browser.request('GET', authUrl({ redirect_uri: v }));
      expect(res.status, v).toBe(400);
      expect(res.headers.get('location'), v).toBeNull();
      const html = await res.text();
      expect(html, v).toContain('data-testid="oidc-error"');
      expect(html, v).not.toContain('evil.example');
    }
  });

  it('PKCE is required of every client, S256 only; a wrong verifier gets no tokens', async () => {
    const noChallenge = await browser.follow(
      authUrl({ redirect_uri: client.redirectUri, code_challenge: '', code_challenge_method: '' }),
    );
    expect(noChallenge.leftTo?.searchParams.get('error')).toBe('invalid_request');
    expect(noChallenge.leftTo?.searchParams.get('code')).toBeNull();
    const plain = await browser.follow(
      authUrl({
        redirect_uri: client.redirectUri,
        code_challenge: 'a'.repeat(43),
        code_challenge_method: 'plain',
      }),
    );
    expect(plain.leftTo?.searchParams.get('error')).toBe('invalid_request');
    expect(plain.leftTo?.searchParams.get('code')).toBeNull();

    const c = await freshCode();
    const wrong = await tokenRequest({
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: client.redirectUri,
      code_verifier: oidc.randomPKCECodeVerifier(),
    });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error).toBe('invalid_grant');
    const none = await tokenRequest({
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: client.redirectUri,
    });
    expect(none.status).toBe(400);
  });

  it('a code used twice is refused and the tokens of its first use are revoked', async () => {
    const c = await freshCode();
    const body = {
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: client.redirectUri,
      code_verifier: c.verifier,
    };
    const first = await tokenRequest(body);
    expect(first.status).toBe(200);
    const tokens = await first.json();
    const again = await tokenRequest(body);
    expect(again.status).toBe(400);
    expect((await again.json()).error).toBe('invalid_grant');
    expect((await oidc.tokenIntrospection(rp, tokens.access_token)).active).toBe(false);
    await expect(oidc.refreshTokenGrant(rp, tokens.refresh_token)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('100 concurrent redemptions of one code: exactly one token response', async () => {
    const c = await freshCode();
    const body = {
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: client.redirectUri,
      code_verifier: c.verifier,
    };
    const answers = await Promise.all(Array.from({ length: 100 }, () => tokenRequest(body)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(99);
  });

  it('100 concurrent refreshes of one refresh token: exactly one success; a reuse after rotation revokes the grant', async () => {
    const c = await freshCode();
    const tokens = await oidc.authorizationCodeGrant(rp, c.callback, {
      pkceCodeVerifier: c.verifier,
      expectedNonce: c.nonce,
      expectedState: c.state,
    });
    const answers = await Promise.all(
      Array.from({ length: 100 }, () =>
        tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string }),
      ),
    );
    const ok = answers.filter((a) => a.status === 200);
    expect(ok).toHaveLength(1);
    const rotated = await (ok[0] as Response).json();
    // The rotated-out token again: the grant is revoked, the winner's tokens with it.
    const reuse = await tokenRequest({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token as string,
    });
    expect(reuse.status).toBe(400);
    expect((await oidc.tokenIntrospection(rp, rotated.access_token)).active).toBe(false);
    const next = await tokenRequest({ grant_type: 'refresh_token', refresh_token: rotated.refresh_token });
    expect(next.status).toBe(400);
  });

  it('a client cannot introspect or revoke another client’s tokens', async () => {
    const c = await freshCode();
    const tokens = await oidc.authorizationCodeGrant(rp, c.callback, {
      pkceCodeVerifier: c.verifier,
      expectedNonce: c.nonce,
      expectedState: c.state,
    });
    const other = await registerClient(t);
    const otherRp = await relyingParty(t.issuer, other);
    const seen = await oidc.tokenIntrospection(otherRp, tokens.access_token);
    expect(seen).toEqual({ active: false });
    await oidc.tokenRevocation(otherRp, tokens.access_token).catch(() => undefined);
    expect((await oidc.tokenIntrospection(rp, tokens.access_token)).active).toBe(true);
  });

  it('a disabled client is refused at once, at the authorization and the token endpoints', async () => {
    const other = await registerClient(t);
    const otherRp = await relyingParty(t.issuer, other);
    const req = await authorizationRequest(otherRp, other.redirectUri);
    const r = await authorize(browser, req.url, { consent: 'allow' });
    expect(r.callback?.searchParams.get('code')).toBeTruthy();
    await t.app.deps.db.query('UPDATE app_clients SET disabled_at = now() WHERE client_id = $1', [
      other.clientId,
    ]);
    const token = await fetch(`${t.issuer}/oidc/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${other.clientId}:${other.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: r.callback?.searchParams.get('code') as string,
        redirect_uri: other.redirectUri,
        code_verifier: req.verifier,
      }).toString(),
    });
    expect(token.status).toBe(401);
    expect((await token.json()).error).toBe('invalid_client');
    const auth = await browser.request('GET', req.url.toString());
    expect(auth.status).toBe(400);
    expect(auth.headers.get('location')).toBeNull();
  });

  it('once the account’s rows are deleted from oidc_payloads its tokens are inactive and refused at userinfo', async () => {
    const c = await freshCode();
    const tokens = await oidc.authorizationCodeGrant(rp, c.callback, {
      pkceCodeVerifier: c.verifier,
      expectedNonce: c.nonce,
      expectedState: c.state,
    });
    const sub = tokens.claims()?.sub as string;
    expect((await oidc.tokenIntrospection(rp, tokens.access_token)).active).toBe(true);
    await t.app.deps.db.query('DELETE FROM oidc_payloads WHERE account_id = $1', [sub]);
    expect((await oidc.tokenIntrospection(rp, tokens.access_token)).active).toBe(false);
    expect((await oidc.tokenIntrospection(rp, tokens.refresh_token as string)).active).toBe(false);
    const info = await fetch(`${t.issuer}/oidc/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(info.status).toBe(401);
    await expect(oidc.refreshTokenGrant(rp, tokens.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('the provider’s own outgoing requests (back-channel logout) do not reach private networks', async () => {
    const config = { ...t.app.deps.config, apps: { allowPrivateNetworks: false, deliveryTimeoutSeconds: 2 } };
    const f = guardedFetch({ config });
    for (const u of [
      'http://127.0.0.1:1/logout',
      'http://10.1.2.3/logout',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/logout',
      'http://[::ffff:127.0.0.1]/logout',
      'http://localhost/logout',
      'file:///etc/passwd',
    ])
      await expect(f(u), u).rejects.toThrow(/refused/);
  });
});
