/**
 * The applications capability end to end, across its parts: an operator registers an app, a webhook and a
 * signals receiver through the registry's services; a standard OpenID Connect client (openid-client) signs a
 * user in through Mamori's pages; the user presses "secure my account"; the app's tokens stop working at
 * once and it hears of it by back-channel logout, by a signed webhook and by a Security Event Token — all
 * verified with libraries no one here wrote (openid-client, jose, standardwebhooks). On PostgreSQL.
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNAL_URIS } from '../../src/apps/delivery/signals.ts';
import { registerClient } from '../../src/apps/registry/clients.ts';
import { registerSignalReceiver } from '../../src/apps/registry/receivers.ts';
import { registerWebhookEndpoint } from '../../src/apps/registry/webhooks.ts';
import { GOOD_PASSWORD, signedUpAccount } from '../support/harness.ts';
import {
  authorizationRequest,
  authorize,
  Browser,
  createOidcTestApp,
  type OidcTestApp,
  relyingParty,
} from '../support/oidc.ts';
import {
  type Receiver,
  startReceiver,
  verifyLogoutToken,
  verifySet,
  verifyWebhook,
} from '../support/receiver.ts';

const OPERATOR = { kind: 'operator' as const, id: 'opr_story', name: 'story-operator' };

let t: OidcTestApp;
let rx: Receiver;
beforeAll(async () => {
  t = await createOidcTestApp({ store: 'postgres' });
  rx = await startReceiver();
});
afterAll(async () => {
  await rx.close();
  await t.close();
});

describe('an app signs a user in through Mamori and hears when the account is secured', () => {
  it('tokens end at once; back-channel logout, webhook and SET arrive signed and verifiable', async () => {
    const deps = t.app.deps;
    const app = await registerClient(deps, OPERATOR, {
      orgId: null,
      name: 'Kumo Notes',
      type: 'confidential',
      redirectUris: ['https://notes.example/callback'],
      backchannelLogoutUri: `${rx.url}/backchannel`,
    });
    expect(app.secret).toBeTruthy();
    const hook = await registerWebhookEndpoint(deps, OPERATOR, {
      orgId: null,
      url: `${rx.url}/hook`,
      description: 'security desk',
      events: ['account.secured'],
    });
    await registerSignalReceiver(deps, OPERATOR, {
      clientId: app.clientId,
      endpointUrl: `${rx.url}/sse`,
      events: [SIGNAL_URIS.sessionRevoked],
    });

    // The user signs in to the app with Mamori (the browser holds a Mamori session), allowing consent.
    const user = await signedUpAccount(t);
    const rp = await relyingParty(t.issuer, { clientId: app.clientId, clientSecret: app.secret });
    const browser = new Browser(t.issuer).signedInWith(user.token);
    const req = await authorizationRequest(rp, 'https://notes.example/callback', {
      scope: 'openid email offline_access',
      prompt: 'consent',
    });
    const r = await authorize(browser, req.url, { consent: 'allow' });
    expect(r.callback).toBeTruthy();
    const tokens = await oidc.authorizationCodeGrant(rp, r.callback as URL, {
      pkceCodeVerifier: req.verifier,
      expectedNonce: req.nonce,
      expectedState: req.state,
    });
    const jwks = createLocalJWKSet(await t.app.providerKeys.publicJwks());
    const { payload: id } = await jwtVerify(tokens.id_token as string, jwks, {
      issuer: t.issuer,
      audience: app.clientId,
    });
    const info = await oidc.fetchUserInfo(rp, tokens.access_token, id.sub as string);
    expect(info).toMatchObject({ email: user.email, email_verified: true });
    expect((await oidc.tokenIntrospection(rp, tokens.access_token)).active).toBe(true);
    expect(tokens.refresh_token).toBeTruthy();

    // "Secure my account" (the owner's fresh sign-in is the proof).
    t.clock.set(new Date());
    const secured = await t.api(
      'POST',
      '/api/v1/secure',
      { password: `${GOOD_PASSWORD} now safe` },
      user.token,
    );
    expect(secured.status).toBe(200);

    // At once, before any delivery: the app's tokens no longer work.
    expect((await oidc.tokenIntrospection(rp, tokens.access_token)).active).toBe(false);
    await expect(oidc.fetchUserInfo(rp, tokens.access_token, id.sub as string)).rejects.toBeTruthy();
    await expect(oidc.refreshTokenGrant(rp, tokens.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    });

    // Then the app hears of it three ways, each signed.
    await t.app.appsDispatcher.drain();
    const keys = await t.app.providerKeys.publicJwks();
    const logouts = rx.at('/backchannel');
    expect(logouts).toHaveLength(1);
    const logout = await verifyLogoutToken(logouts[0]!, {
      jwks: keys,
      issuer: t.issuer,
      audience: app.clientId,
      currentDate: logouts[0]!.at,
    });
    expect(logout.sub).toBe(id.sub);
    if (id.sid) expect(logout.sid).toBe(id.sid);

    const hooks = rx.at('/hook');
    expect(hooks).toHaveLength(1);
    expect(verifyWebhook(hook.secret, hooks[0]!)).toMatchObject({
      type: 'account.secured',
      data: { sub: id.sub },
    });

    const sets = rx.at('/sse');
    expect(sets).toHaveLength(1);
    const set = await verifySet(sets[0]!, {
      jwks: keys,
      issuer: t.issuer,
      audience: app.clientId,
      currentDate: sets[0]!.at,
    });
    expect(set.sub_id).toEqual({ format: 'iss_sub', iss: t.issuer, sub: id.sub });
    expect(Object.keys(set.events)).toEqual([SIGNAL_URIS.sessionRevoked]);

    // No secret travelled: not the new password, not a token.
    for (const m of rx.received) {
      expect(m.body).not.toContain('now safe');
      expect(m.body).not.toContain(tokens.access_token);
      expect(m.body).not.toContain(tokens.refresh_token as string);
    }
  });
});
