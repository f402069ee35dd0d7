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
import { withTwoStep } from '../support/orgs.ts';

// The ID token's acr must say how the browser's CURRENT Mamori session was proved. A provider session made
// with a two-factor Mamori session must not lend its acr to another Mamori session of the same account that
// was proved by a password only (docs/flows/apps-oidc.md "acr values").
let t: OidcTestApp;
beforeAll(async () => {
  t = await createOidcTestApp({ store: 'postgres' });
  t.clock.set(new Date());
});
afterAll(async () => {
  await t.close();
});

const TWO_FACTOR = 'urn:mamori:acr:2fa';

describe('outsider: acr borrowed from another Mamori session', () => {
  it('a password-only session in the browser never gets an ID token saying 2fa', async () => {
    const a = await signedUpAccount(t);
    const strong = await withTwoStep(t, a);
    t.clock.set(new Date());
    const client = await registerClient(t, { redirectUris: ['https://rp.example/cb'] });
    const rp = await relyingParty(t.issuer, client);
    const browser = new Browser(t.issuer).signedInWith(strong.token);

    const ask = () => authorizationRequest(rp, client.redirectUri, { acr_values: TWO_FACTOR });
    const first = await ask();
    const r1 = await authorize(browser, first.url, { consent: 'allow' });
    const t1 = await oidc.authorizationCodeGrant(rp, r1.callback as URL, {
      pkceCodeVerifier: first.verifier,
      expectedNonce: first.nonce,
      expectedState: first.state,
    });
    expect(t1.claims()?.acr).toBe(TWO_FACTOR);

    // Two-step verification off; a new sign-in with the password alone, in the same browser (the provider's
    // cookie stays). The two-factor session is still alive elsewhere.
    const off = await t.api('PUT', '/api/v1/two-step', { enabled: false }, strong.token);
    expect(off.status).toBe(204);
    t.clock.set(new Date());
    const weak = await signInFully(t, a.email, a.password);
    expect(weak.status).toBe(200);
    browser.signedInWith(weak.body.sessionToken as string);

    // The first request is sent to a fresh proof (another Mamori session). Whoever holds the browser walks away
    // from that page and the app asks again.
    const second = await authorize(browser, (await ask()).url, { consent: 'allow' });
    expect(second.callback).toBeUndefined();
    const third = await ask();
    const r3 = await authorize(browser, third.url, { consent: 'allow' });
    if (r3.callback?.searchParams.get('code')) {
      const t3 = await oidc.authorizationCodeGrant(rp, r3.callback, {
        pkceCodeVerifier: third.verifier,
        expectedNonce: third.nonce,
        expectedState: third.state,
      });
      expect(t3.claims()?.acr).not.toBe(TWO_FACTOR);
    } else {
      expect(r3.stoppedAt).toMatch(/^\/security\/reauth/);
    }
  });
});
