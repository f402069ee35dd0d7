import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNAL_URIS } from '../../src/apps/delivery/signals.ts';
import { createToken } from '../http/org-api-support.ts';
import {
  appClient,
  appDeliveries,
  drainApps,
  payloadsOf,
  providerLogin,
  sessionOf,
  signalReceiver,
  webhookEndpoint,
} from '../support/apps-delivery.ts';
import { createTestApp, type TestApp, verifiedEmail } from '../support/harness.ts';
import { accountIn, orgWithAdmin } from '../support/orgs.ts';
import { type Receiver, startReceiver, verifySet, verifyWebhook } from '../support/receiver.ts';
import { signedIn } from '../web/page-text.ts';

describe('organisations and their deliveries', () => {
  let t: TestApp;
  let rx: Receiver;
  beforeAll(async () => {
    t = await createTestApp();
    rx = await startReceiver({ now: () => t.clock.now() });
  });
  afterAll(async () => {
    await rx.close();
    await t.close();
  });

  it('an admin\'s "revoke all sessions": admin.action webhook, SET session-revoked, every app grant of the member gone', async () => {
    const org = await orgWithAdmin(t);
    const m = await accountIn(t, org.domain);
    const { accountId, publicId } = await sessionOf(t, m.token);
    const client = await appClient(t, { orgId: org.orgId, backchannelLogoutUri: `${rx.url}/logout` });
    await signalReceiver(t, { clientId: client, url: `${rx.url}/sse`, events: [SIGNAL_URIS.sessionRevoked] });
    await providerLogin(t, { accountId, mamoriSession: publicId, clientId: client, offline: true });
    const hook = await webhookEndpoint(t, {
      url: `${rx.url}/hook`,
      orgId: org.orgId,
      events: ['admin.action'],
    });
    const { token } = await createToken(t, org.admin.token, { role: 'auth_admin' });
    const r = await t.api(
      'POST',
      `/api/v1/orgs/${org.orgId}/members/${accountId}/session-revocation`,
      undefined,
      token,
    );
    expect(r.status).toBe(200);
    expect(await payloadsOf(t, accountId)).toEqual([]);
    await drainApps(t);
    const told = rx.at('/hook').map((x) => verifyWebhook(hook.secret, x));
    // Creating the API token was an admin action too; then the revocation.
    expect(told.map((x) => x.data.action)).toEqual(['token.created', 'member.sessions_revoked']);
    expect(told[1]).toMatchObject({
      type: 'admin.action',
      data: {
        action: 'member.sessions_revoked',
        sub: accountId,
        actor_kind: 'token',
        organisation_id: org.orgId,
      },
    });
    const [sse] = rx.at('/sse');
    const set = await verifySet(sse!, {
      jwks: await t.app.providerKeys.publicJwks(),
      issuer: t.app.providerKeys.issuer,
      audience: client,
      currentDate: sse!.at,
    });
    expect(set.events[SIGNAL_URIS.sessionRevoked]).toMatchObject({ initiating_entity: 'admin' });
    expect(rx.at('/logout')).toHaveLength(1);
  });

  it("an admin sees and resends only their organisation's deliveries", async () => {
    const a = await orgWithAdmin(t);
    const b = await orgWithAdmin(t);
    await webhookEndpoint(t, { url: `${rx.url}/a`, orgId: a.orgId, events: ['method.verified'] });
    await webhookEndpoint(t, { url: `${rx.url}/b`, orgId: b.orgId, events: ['method.verified'] });
    t.clock.advance(61_000);
    await verifiedEmail(t, a.admin.token);
    t.clock.advance(61_000);
    await verifiedEmail(t, b.admin.token);
    await drainApps(t);
    const rows = await appDeliveries(t);
    const ofA = rows.find((d) => d.org_id === a.orgId)!;
    const ofB = rows.find((d) => d.org_id === b.orgId)!;
    const c = signedIn(t, b.admin.token, 'en');
    const page = await c.get('/org/apps/deliveries');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`data-id="${ofB.id}"`);
    expect(page.body).not.toContain(`data-id="${ofA.id}"`);
    expect(page.body).not.toContain('/a"');
    const foreign = await c.post(`/org/apps/deliveries/${ofA.id}/resend`, {});
    expect(foreign.statusCode).toBe(404);
    expect((await appDeliveries(t)).filter((d) => d.headers['resend-of'] === ofA.id)).toHaveLength(0);
    // A member who is no admin, and a signed-out visitor, get nothing.
    const member = await accountIn(t, b.domain);
    const asMember = await signedIn(t, member.token, 'en').get('/org/apps/deliveries');
    expect(asMember.statusCode).toBe(403);
    expect(asMember.body).not.toContain('data-id=');
    const anonymous = await t.app.http.inject({ method: 'GET', url: '/org/apps/deliveries' });
    expect(anonymous.statusCode).toBe(303);
    const operatorPage = await t.app.http.inject({ method: 'GET', url: '/operator/apps/deliveries' });
    expect(operatorPage.statusCode).toBe(303);
    expect(operatorPage.headers.location).toBe('/operator/sign-in');
  });
});
