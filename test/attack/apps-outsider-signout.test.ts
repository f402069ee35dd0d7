import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedUpAccount, signInFully } from '../support/harness.ts';
import {
  authorizationRequest,
  authorize,
  Browser,
  createOidcTestApp,
  type OidcTestApp,
  registerClient,
  relyingParty,
} from '../support/oidc.ts';

// Sign-out ends the app's tokens of the Mamori session signed out (docs/flows/apps-oidc.md "What ends an app's
// session"). The app signed in twice with the same remembered consent: once from session 1, once from
// session 2 in the same browser. Signing session 2 out must end what was issued through session 2.
let t: OidcTestApp;
beforeAll(async () => {
  t = await createOidcTestApp({ store: 'postgres' });
  t.clock.set(new Date());
});
afterAll(async () => {
  await t.close();
});

describe('outsider: tokens outliving the Mamori session they were issued through', () => {
  it('signing out the session an app signed in through revokes those tokens, even under a consent given earlier', async () => {
    const a = await signedUpAccount(t);
    t.clock.set(new Date());
    const client = await registerClient(t, { redirectUris: ['https://rp.example/cb'] });
    const rp = await relyingParty(t.issuer, client);
    const browser = new Browser(t.issuer).signedInWith(a.token);

    const signIn = async () => {
      const req = await authorizationRequest(rp, client.redirectUri);
      const r = await authorize(browser, req.url, { consent: 'allow' });
      return oidc.authorizationCodeGrant(rp, r.callback as URL, {
        pkceCodeVerifier: req.verifier,
        expectedNonce: req.nonce,
        expectedState: req.state,
      });
    };
    const first = await signIn();

    const s2 = await signInFully(t, a.email, a.password);
    expect(s2.status).toBe(200);
    const second = s2.body.sessionToken as string;
    browser.signedInWith(second);
    const tokens = await signIn();
    expect((await oidc.tokenIntrospection(rp, tokens.access_token)).active).toBe(true);

    const out = await t.api('DELETE', '/api/v1/sessions/current', undefined, second);
    expect(out.status).toBe(204);
    await t.drain();
    expect((await oidc.tokenIntrospection(rp, tokens.access_token)).active).toBe(false);
    await expect(oidc.refreshTokenGrant(rp, tokens.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    // Session 1 is still signed in: what it gave the app may stay.
    expect((await t.api('GET', '/api/v1/me', undefined, a.token)).status).toBe(200);
    expect((await oidc.tokenIntrospection(rp, first.access_token)).active).toBe(true);
  });
});
