/**
 * What a newcomer hit following docs/apps.md with a native (public) app in a real browser: the second
 * sign-in in the same browser asked for consent twice in a row (the resume rotates the provider session id,
 * and the Mamori-session check looked the binding up under the new, not yet stored, id), and the consent
 * page promised "the next time, it signs you in without asking" to an app that is asked every time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerClient } from '../../src/apps/registry/clients.ts';
import { t as tr } from '../../src/i18n/index.ts';
import { signedUpAccount } from '../support/harness.ts';
import {
  authorizationRequest,
  Browser,
  createOidcTestApp,
  type OidcTestApp,
  relyingParty,
} from '../support/oidc.ts';
import { enrolledOperator, operatorConsole } from '../support/operator.ts';

const OPERATOR = { kind: 'operator' as const, id: 'opr_newcomer', name: 'newcomer' };
const CALLBACK = 'http://localhost:4000/callback';

let t: OidcTestApp;
beforeAll(async () => {
  t = await createOidcTestApp();
});
afterAll(async () => {
  await t.close();
});

/** Runs one sign-in, allowing every consent page; returns the consent pages seen and where it ended. */
async function signIn(browser: Browser, url: URL) {
  const consents: string[] = [];
  let step = await browser.follow(url.toString());
  for (let i = 0; i < 5 && step.page; i++) {
    const html = await step.page.text();
    if (!html.includes('data-testid="oidc-consent"')) break;
    consents.push(html);
    const uid = /\/oidc\/interaction\/([\w-]+)\/confirm/.exec(html)?.[1];
    step = await browser.submit(html, `/oidc/interaction/${uid}/confirm`);
  }
  return { consents, callback: step.leftTo };
}

describe('a native app signs the same browser in again', () => {
  it('asks for consent once per sign-in, and the page says it will ask again', async () => {
    const app = await registerClient(t.app.deps, OPERATOR, {
      orgId: null,
      name: 'Newcomer Desk',
      type: 'public',
      redirectUris: [CALLBACK],
    });
    const rp = await relyingParty(t.issuer, { clientId: app.clientId, clientSecret: null });
    const user = await signedUpAccount(t);
    const browser = new Browser(t.issuer).signedInWith(user.token);

    for (const round of [1, 2, 3]) {
      const req = await authorizationRequest(rp, CALLBACK, { ui_locales: 'en' });
      const r = await signIn(browser, req.url);
      expect(r.consents, `sign-in ${round}`).toHaveLength(1);
      expect(r.callback?.searchParams.get('code'), `sign-in ${round}`).toBeTruthy();
      const page = r.consents[0] ?? '';
      expect(page).toContain(
        tr('en', 'oidc.consent.asked_each_time', { app: 'Newcomer Desk' }).replace(/'/g, '&#39;'),
      );
      expect(page).not.toContain('without asking');
    }
  });
});

describe('the delivery log is one of the apps pages', () => {
  it('shows the same tabs as Applications and Webhooks, the log marked as the current one', async () => {
    const op = await enrolledOperator(t);
    const c = await operatorConsole(t, op);
    const page = await c.get('/operator/apps/deliveries');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="/operator/apps"');
    expect(page.body).toContain('href="/operator/apps/webhooks"');
    expect(page.body).toMatch(/<a href="\/operator\/apps\/deliveries" aria-current="page"/);
  });
});
