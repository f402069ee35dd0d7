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
import { secondInstance } from './support.ts';

// An attacker holding a stolen code or refresh token races the app: the redemptions arrive together, on
// PostgreSQL. A second use must not only be refused — whoever won must lose the tokens too (RFC 6749 §4.1.2,
// OAuth 2.0 Security BCP §4.14), as docs/flows/apps-oidc.md promises.
let t: OidcTestApp;
let client: Awaited<ReturnType<typeof registerClient>>;
let rp: oidc.Configuration;
let browser: Browser;
let other: { origin: string; close: () => Promise<void> };
beforeAll(async () => {
  t = await createOidcTestApp({ store: 'postgres' });
  client = await registerClient(t, { redirectUris: ['https://rp.example/cb'] });
  rp = await relyingParty(t.issuer, client);
  const acct = await signedUpAccount(t);
  t.clock.set(new Date());
  browser = new Browser(t.issuer).signedInWith(acct.token);
  // A second instance on the same database (same PUBLIC_URL, another port).
  const second = await secondInstance(t);
  const address = await second.app.http.listen({ port: 0, host: '127.0.0.1' });
  other = { origin: address, close: second.close };
});
afterAll(async () => {
  await other.close();
  await t.close();
});

async function freshCode() {
  const req = await authorizationRequest(rp, client.redirectUri);
  const r = await authorize(browser, req.url, { consent: 'allow' });
  if (!r.callback) throw new Error(`stopped at ${r.stoppedAt}`);
  return { callback: r.callback, code: r.callback.searchParams.get('code') as string, ...req };
}

function tokenRequest(body: Record<string, string>, origin = t.issuer) {
  return fetch(`${origin}/oidc/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(body).toString(),
  });
}

async function userinfoStatus(accessToken: string): Promise<number> {
  const res = await fetch(`${t.issuer}/oidc/userinfo`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  await res.arrayBuffer();
  return res.status;
}

describe('outsider: a stolen code or refresh token raced against the app', () => {
  it('100 concurrent redemptions of one code: the one that won gets tokens that no longer work', async () => {
    const c = await freshCode();
    const body = {
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: client.redirectUri,
      code_verifier: c.verifier,
    };
    const answers = await Promise.all(Array.from({ length: 100 }, () => tokenRequest(body)));
    const ok = answers.filter((a) => a.status === 200);
    expect(ok).toHaveLength(1);
    const won = await (ok[0] as Response).json();
    for (const a of answers) if (a.status !== 200) await a.arrayBuffer();
    // The code was presented more than once: the winner (maybe the attacker) must not keep a working token.
    expect((await oidc.tokenIntrospection(rp, won.access_token)).active).toBe(false);
    expect(await userinfoStatus(won.access_token)).toBe(401);
    const refreshed = await tokenRequest({ grant_type: 'refresh_token', refresh_token: won.refresh_token });
    expect(refreshed.status).toBe(400);
  });

  it('100 concurrent refreshes of one refresh token: the reuse revokes the grant, the winner included', async () => {
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
    const won = await (ok[0] as Response).json();
    for (const a of answers) if (a.status !== 200) await a.arrayBuffer();
    expect(await userinfoStatus(won.access_token)).toBe(401);
    expect(await userinfoStatus(tokens.access_token)).toBe(401);
    const next = await tokenRequest({ grant_type: 'refresh_token', refresh_token: won.refresh_token });
    expect(next.status).toBe(400);
  });

  it('100 concurrent refreshes of one refresh token over two instances: one success, and its tokens refused', async () => {
    const c = await freshCode();
    const tokens = await oidc.authorizationCodeGrant(rp, c.callback, {
      pkceCodeVerifier: c.verifier,
      expectedNonce: c.nonce,
      expectedState: c.state,
    });
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        tokenRequest(
          { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string },
          i % 2 ? other.origin : t.issuer,
        ),
      ),
    );
    const ok = answers.filter((a) => a.status === 200);
    expect(ok).toHaveLength(1);
    expect(answers.filter((a) => a.status === 400)).toHaveLength(99);
    const won = await (ok[0] as Response).json();
    for (const a of answers) if (a.status !== 200) await a.arrayBuffer();
    expect(await userinfoStatus(won.access_token)).toBe(401);
    const next = await tokenRequest(
      { grant_type: 'refresh_token', refresh_token: won.refresh_token },
      other.origin,
    );
    expect(next.status).toBe(400);
  });
});
