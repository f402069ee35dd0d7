import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

let t: OidcTestApp;
beforeAll(async () => {
  t = await createOidcTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('a relying party signs a Mamori user in (openid-client over HTTP)', () => {
  it('discovery, code + PKCE, ID token, userinfo, refresh rotation, introspection, revocation', async () => {
    const disc = await (await fetch(`${t.issuer}/.well-known/openid-configuration`)).json();
    expect(disc.issuer).toBe(t.issuer);
    expect(disc.authorization_endpoint).toBe(`${t.issuer}/oidc/auth`);
    expect(disc.token_endpoint).toBe(`${t.issuer}/oidc/token`);
    expect(disc.code_challenge_methods_supported).toEqual(['S256']);
    expect(disc.response_types_supported).toEqual(['code']);
    expect(disc.grant_types_supported).not.toContain('implicit');
    expect(disc.registration_endpoint).toBeUndefined();

    const client = await registerClient(t);
    const rp = await relyingParty(t.issuer, client);
    const acct = await signedUpAccount(t, { displayName: '山田 花子' });
    const browser = new Browser(t.issuer).signedInWith(acct.token);
    const req = await authorizationRequest(rp, client.redirectUri);
    const r = await authorize(browser, req.url, { consent: 'allow' });
    expect(r.callback?.searchParams.get('code')).toBeTruthy();
    const tokens = await oidc.authorizationCodeGrant(rp, r.callback as URL, {
      pkceCodeVerifier: req.verifier,
      expectedNonce: req.nonce,
      expectedState: req.state,
    });
    const jwks = createRemoteJWKSet(new URL(`${t.issuer}/oidc/jwks`));
    const { payload } = await jwtVerify(tokens.id_token as string, jwks, {
      issuer: t.issuer,
      audience: client.clientId,
    });
    expect(payload.nonce).toBe(req.nonce);
    expect(payload.acr).toBe('urn:mamori:acr:pwd');
    expect(payload.amr).toEqual(['mail']);
    expect(typeof payload.auth_time).toBe('number');
    const sub = payload.sub as string;
    expect(sub).toMatch(/^acc_/);
    const info = await oidc.fetchUserInfo(rp, tokens.access_token, sub);
    expect(info).toMatchObject({ sub, email: acct.email, email_verified: true, name: '山田 花子' });
  });
});
