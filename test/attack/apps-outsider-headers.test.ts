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

// Pages of the provider that a hostile site could frame (consent, logout confirmation) or whose cookies it
// could send cross-site.
let t: OidcTestApp;
beforeAll(async () => {
  t = await createOidcTestApp({ store: 'postgres' });
  t.clock.set(new Date());
});
afterAll(async () => {
  await t.close();
});

function frameable(res: Response): boolean {
  const csp = res.headers.get('content-security-policy') ?? '';
  const xfo = res.headers.get('x-frame-options') ?? '';
  return !/frame-ancestors\s+'none'/.test(csp) && !/deny/i.test(xfo);
}

describe('outsider: framing and cookies of the provider pages', () => {
  it('the consent page and the logout confirmation cannot be framed; provider cookies are HttpOnly and SameSite', async () => {
    const a = await signedUpAccount(t);
    t.clock.set(new Date());
    const client = await registerClient(t, { redirectUris: ['https://rp.example/cb'] });
    const rp = await relyingParty(t.issuer, client);
    const browser = new Browser(t.issuer).signedInWith(a.token);
    const req = await authorizationRequest(rp, client.redirectUri);
    const auth = await browser.request('GET', req.url.toString());
    for (const c of auth.headers.getSetCookie()) {
      expect(c, c).toMatch(/httponly/i);
      expect(c, c).toMatch(/samesite=lax/i);
    }
    const stop = await authorize(browser, req.url);
    expect(stop.html).toContain('data-testid="oidc-consent"');
    const consent = await browser.request('GET', stop.stoppedAt as string);
    expect(frameable(consent)).toBe(false);
    await consent.arrayBuffer();

    const done = await authorize(browser, req.url, { consent: 'allow' });
    const req2 = await authorizationRequest(rp, client.redirectUri);
    const done2 = await authorize(browser, req2.url, { consent: 'allow' });
    const tokens = await oidc.authorizationCodeGrant(rp, done2.callback as URL, {
      pkceCodeVerifier: req2.verifier,
      expectedNonce: req2.nonce,
      expectedState: req2.state,
    });
    expect(done.callback ?? done.stoppedAt).toBeTruthy();
    const logout = await browser.request(
      'GET',
      `/oidc/session/end?${new URLSearchParams({
        id_token_hint: tokens.id_token as string,
        post_logout_redirect_uri: 'https://rp.example/signed-out',
        client_id: client.clientId,
      })}`,
    );
    expect(logout.status).toBe(200);
    expect(frameable(logout)).toBe(false);
    // The registered post-logout URI's origin may end the confirmation form's redirect chain.
    expect(logout.headers.get('content-security-policy')).toContain("form-action 'self' https://rp.example");
    const html = await logout.text();
    expect(html).toContain('<form');
    // An unregistered post-logout URI: refused, and its origin is not let into the page's form-action.
    const evil = await browser.request(
      'GET',
      `/oidc/session/end?${new URLSearchParams({
        id_token_hint: tokens.id_token as string,
        post_logout_redirect_uri: 'https://evil.example/x',
      })}`,
    );
    expect(evil.status).toBe(400);
    expect(evil.headers.get('content-security-policy') ?? '').not.toContain('evil.example');
    await evil.arrayBuffer();
  });
});
