import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNAL_URIS } from '../../src/apps/delivery/signals.ts';
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
import { createTestApp, signedUpAccount, signInFully, type TestApp } from '../support/harness.ts';
import {
  type Receiver,
  startReceiver,
  verifyLogoutToken,
  verifySet,
  verifyWebhook,
} from '../support/receiver.ts';

describe("ending apps' sessions (Back-Channel Logout 1.0) and the signals that go with it", () => {
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
  const keys = () => t.app.providerKeys.publicJwks();
  const issuer = () => t.app.providerKeys.issuer;

  it('"secure my account": webhook account.secured, SETs session-revoked + credential-change, logout tokens, and every provider row gone', async () => {
    const a = await signedUpAccount(t);
    const intruder = await signInFully(t, a.email, a.password, { 'user-agent': 'Intruder/1.0' });
    expect(intruder.status).toBe(200);
    const mine = await sessionOf(t, a.token);
    const theirs = await sessionOf(t, intruder.body.sessionToken as string);
    const used = await appClient(t, { backchannelLogoutUri: `${rx.url}/logout/used` });
    const neverUsed = await appClient(t, { backchannelLogoutUri: `${rx.url}/logout/never` });
    await signalReceiver(t, {
      clientId: used,
      url: `${rx.url}/sse/used`,
      events: [SIGNAL_URIS.sessionRevoked, SIGNAL_URIS.credentialChange],
      authToken: 'receiver-bearer-token-1',
    });
    await signalReceiver(t, {
      clientId: neverUsed,
      url: `${rx.url}/sse/never`,
      events: [SIGNAL_URIS.sessionRevoked, SIGNAL_URIS.credentialChange],
    });
    const hook = await webhookEndpoint(t, { url: `${rx.url}/hook`, events: ['account.secured'] });
    const viaIntruder = await providerLogin(t, {
      accountId: mine.accountId,
      mamoriSession: theirs.publicId,
      clientId: used,
    });
    const viaMe = await providerLogin(t, {
      accountId: mine.accountId,
      mamoriSession: mine.publicId,
      clientId: used,
      offline: true,
    });
    expect(await payloadsOf(t, mine.accountId)).toHaveLength(8);

    const secured = await t.api(
      'POST',
      '/api/v1/secure',
      { password: 'a fresh secure passphrase 9' },
      a.token,
    );
    expect(secured.status).toBe(200);
    // In the same transaction: every provider row of the account is gone, offline refresh token included.
    expect(await payloadsOf(t, mine.accountId)).toEqual([]);
    await drainApps(t);

    const [webhook] = rx.at('/hook').map((r) => verifyWebhook(hook.secret, r));
    expect(webhook).toMatchObject({ type: 'account.secured', data: { sub: mine.accountId } });

    const sets = rx.at('/sse/used');
    expect(sets).toHaveLength(1);
    expect(sets[0]!.headers.authorization).toBe('Bearer receiver-bearer-token-1');
    const set = await verifySet(sets[0]!, {
      jwks: await keys(),
      issuer: issuer(),
      audience: used,
      currentDate: sets[0]!.at,
    });
    expect(set.sub_id).toEqual({ format: 'iss_sub', iss: issuer(), sub: mine.accountId });
    expect(Object.keys(set.events).sort()).toEqual([
      SIGNAL_URIS.credentialChange,
      SIGNAL_URIS.sessionRevoked,
    ]);
    expect(set.events[SIGNAL_URIS.credentialChange]).toMatchObject({
      credential_type: 'password',
      change_type: 'update',
    });
    // Never a word to an app the account never used.
    expect(rx.at('/sse/never')).toHaveLength(0);
    expect(rx.at('/logout/never')).toHaveLength(0);

    const logouts = rx.at('/logout/used');
    const sids = [];
    for (const r of logouts) {
      const claims = await verifyLogoutToken(r, {
        jwks: await keys(),
        issuer: issuer(),
        audience: used,
        currentDate: r.at,
      });
      expect(claims.sub).toBe(mine.accountId);
      expect((claims.exp as number) - (claims.iat as number)).toBe(120);
      sids.push(claims.sid);
    }
    expect(sids.sort()).toEqual([viaIntruder.sid, viaMe.sid].sort());
    // The provider's token values never travel.
    const everything = JSON.stringify(rx.received);
    for (const secret of [viaMe.accessToken, viaMe.refreshToken, viaIntruder.refreshToken, a.token])
      expect(everything).not.toContain(secret);
  });

  it('ending one session ends only what was issued under it; a step-up ends nothing; a password change ends everything', async () => {
    const b = await signedUpAccount(t);
    const other = await signInFully(t, b.email, b.password, { 'user-agent': 'Other/2.0' });
    const mine = await sessionOf(t, b.token);
    const theirs = await sessionOf(t, other.body.sessionToken as string);
    const client = await appClient(t, { backchannelLogoutUri: `${rx.url}/logout/one` });
    await signalReceiver(t, {
      clientId: client,
      url: `${rx.url}/sse/one`,
      events: [SIGNAL_URIS.credentialChange],
    });
    const there = await providerLogin(t, {
      accountId: mine.accountId,
      mamoriSession: theirs.publicId,
      clientId: client,
    });
    const here = await providerLogin(t, {
      accountId: mine.accountId,
      mamoriSession: mine.publicId,
      clientId: client,
      offline: true,
    });

    const ended = await t.api('DELETE', `/api/v1/sessions/${theirs.publicId}`, undefined, b.token);
    expect(ended.status).toBe(204);
    const left = await payloadsOf(t, mine.accountId);
    expect(left.some((r) => r.includes(there.grantId) || r.includes(there.accessToken))).toBe(false);
    expect(left).toContain(`RefreshToken:${here.refreshToken}`);
    expect(left).toContain(`Session:${here.sessionId}`);
    await drainApps(t);
    const first = rx.at('/logout/one');
    expect(first).toHaveLength(1);
    const claims = await verifyLogoutToken(first[0]!, {
      jwks: await keys(),
      issuer: issuer(),
      audience: client,
      currentDate: first[0]!.at,
    });
    expect(claims.sid).toBe(there.sid);

    // A step-up raises `sessions.revoked` too, but no session ended: nothing is removed or sent.
    const before = await payloadsOf(t, mine.accountId);
    const stepped = await t.api('POST', '/api/v1/reauth', { password: b.password }, b.token);
    expect(stepped.status).toBe(200);
    expect(await payloadsOf(t, mine.accountId)).toEqual(before);

    // A password change: every grant and token of the account, the offline refresh token too.
    const changed = await t.api(
      'POST',
      '/api/v1/password',
      { password: 'yet another passphrase for logout 3' },
      stepped.body.sessionToken as string,
    );
    expect(changed.status).toBe(200);
    expect(await payloadsOf(t, mine.accountId)).toEqual([]);
    await drainApps(t);
    expect(rx.at('/logout/one')).toHaveLength(2);
    const [set] = rx.at('/sse/one');
    const verified = await verifySet(set!, {
      jwks: await keys(),
      issuer: issuer(),
      audience: client,
      currentDate: set!.at,
    });
    expect(verified.events).toEqual({
      [SIGNAL_URIS.credentialChange]: expect.objectContaining({
        credential_type: 'password',
        change_type: 'update',
      }),
    });
    expect((await appDeliveries(t)).every((d) => d.status === 'sent')).toBe(true);
  });
});
