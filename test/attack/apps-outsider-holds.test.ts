import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizationRequest,
  authorize,
  Browser,
  createOidcTestApp,
  type OidcTestApp,
  registerClient,
  relyingParty,
} from '../support/oidc.ts';
import { memberIn, setPolicy, verifiedPhone, webSignIn } from '../support/org-enforce.ts';
import { orgWithAdmin } from '../support/orgs.ts';

// A member who already signed in to an app keeps the provider's cookie. Their organisation then holds them
// (registration enforced, found at a sign-in elsewhere): every Mamori page of the old session now leads to
// the required page — and the provider must not go on signing them in to apps without asking either
// (docs/flows/apps-oidc.md: "the request does not finish while the session is held").
let t: OidcTestApp;
beforeAll(async () => {
  t = await createOidcTestApp({ store: 'postgres' });
  t.clock.set(new Date());
});
afterAll(async () => {
  await t.close();
});

describe('outsider: the provider and a session its organisation holds', () => {
  it('a held session gets no code from the provider, even with a provider session and a remembered consent', async () => {
    const org = await orgWithAdmin(t);
    const m = await memberIn(t, org.orgId, org.domain);
    t.clock.set(new Date());
    const client = await registerClient(t, { orgId: org.orgId, redirectUris: ['https://rp.example/cb'] });
    const rp = await relyingParty(t.issuer, client);
    const browser = new Browser(t.issuer).signedInWith(m.token);

    const first = await authorize(browser, (await authorizationRequest(rp, client.redirectUri)).url, {
      consent: 'allow',
    });
    expect(first.callback?.searchParams.get('code')).toBeTruthy();

    // The organisation now enforces a phone; the member signs in elsewhere and is held.
    await setPolicy(t, org.orgId, { maxSnoozes: 0, minMethods: 1, required: ['phone'] });
    const elsewhere = await webSignIn(t, m.email, m.password, '/security');
    expect(elsewhere.location).toBe('/security/required?next=%2Fsecurity');
    // The first browser's Mamori session is held too: its pages lead to the required page.
    const page = await browser.request('GET', '/security');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/security\/required/);

    const again = await authorize(browser, (await authorizationRequest(rp, client.redirectUri)).url, {
      consent: 'allow',
    });
    expect(again.callback?.searchParams.get('code') ?? null).toBeNull();
    expect(again.stoppedAt).toMatch(/^\/security\/required/);

    // Once the member complies, the same browser goes on to the app.
    await verifiedPhone(t, m.token, '090-4444-0303');
    const required = await browser.request('GET', again.stoppedAt as string);
    expect(required.status).toBe(200);
    await required.arrayBuffer();
    const after = await authorize(browser, (await authorizationRequest(rp, client.redirectUri)).url, {
      consent: 'allow',
    });
    expect(after.callback?.searchParams.get('code')).toBeTruthy();
  });
});
