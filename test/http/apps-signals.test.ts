import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNAL_URIS, type SignalSourceEvent, signalEvents } from '../../src/apps/delivery/signals.ts';
import {
  appClient,
  appDeliveries,
  drainApps,
  providerLogin,
  sessionOf,
  signalReceiver,
} from '../support/apps-delivery.ts';
import { createTestApp, signedUpAccount, type TestApp } from '../support/harness.ts';
import { type Receiver, startReceiver, verifySet } from '../support/receiver.ts';

const at = new Date('2026-11-24T01:00:00Z');
const ctx = { ip: '198.51.100.7', userAgent: 'UA', country: 'JP' };
const account = {
  id: 'acc_1',
  email: 'a@example.jp',
  displayName: 'A',
  locale: 'ja' as const,
  timeZone: 'Asia/Tokyo',
};

describe('Security Event Tokens (RFC 8417, pushed per RFC 8935)', () => {
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

  it('maps Mamori events to CAEP and RISC events', () => {
    const ev = (e: SignalSourceEvent) => signalEvents(e).events;
    const ts = at.getTime() / 1000;
    expect(ev({ type: 'account.secured', accountId: 'acc_1', account, ctx, at })).toEqual({
      [SIGNAL_URIS.sessionRevoked]: { event_timestamp: ts, initiating_entity: 'user' },
      [SIGNAL_URIS.credentialChange]: {
        credential_type: 'password',
        change_type: 'update',
        event_timestamp: ts,
        initiating_entity: 'user',
      },
    });
    const method = (type: 'method.verified' | 'method.removed', kind: string) =>
      ev({ type, accountId: 'acc_1', account, ctx, at, method: 'm', detail: { kind, method: 'm' } });
    expect(method('method.verified', 'passkey')[SIGNAL_URIS.credentialChange]).toMatchObject({
      credential_type: 'fido2-platform',
      change_type: 'create',
    });
    expect(method('method.removed', 'totp')[SIGNAL_URIS.credentialChange]).toMatchObject({
      credential_type: 'app',
      change_type: 'delete',
    });
    expect(method('method.verified', 'phone')[SIGNAL_URIS.credentialChange]).toMatchObject({
      credential_type: 'phone-sms',
    });
    // A contact email is not a credential CAEP names: nothing is said.
    expect(method('method.verified', 'email')).toEqual({});
    for (const type of ['recovery_code.used', 'recovery_form.approved', 'replacement.completed'] as const)
      expect(Object.keys(ev({ type, accountId: 'acc_1', account, ctx, at } as SignalSourceEvent))).toEqual([
        SIGNAL_URIS.recoveryActivated,
      ]);
    expect(
      signalEvents({
        type: 'admin.action',
        orgId: 'org_1',
        at,
        action: 'member.sessions_revoked',
        targetAccountId: 'acc_1',
        actorKind: 'admin',
      }),
    ).toEqual({
      accountId: 'acc_1',
      events: { [SIGNAL_URIS.sessionRevoked]: { event_timestamp: ts, initiating_entity: 'admin' } },
    });
    expect(ev({ type: 'session.ended', accountId: 'acc_1', ctx, at })).toHaveProperty([
      SIGNAL_URIS.sessionRevoked,
    ]);
  });

  it('pushes only the subscribed events, only to apps the account used; a 400 with err is parked at once', async () => {
    const a = await signedUpAccount(t);
    const { accountId, publicId } = await sessionOf(t, a.token);
    const used = await appClient(t);
    const broken = await appClient(t);
    const unused = await appClient(t);
    await providerLogin(t, { accountId, mamoriSession: publicId, clientId: used });
    await providerLogin(t, { accountId, mamoriSession: publicId, clientId: broken });
    await signalReceiver(t, {
      clientId: used,
      url: `${rx.url}/sse/used`,
      events: [SIGNAL_URIS.credentialChange],
    });
    await signalReceiver(t, {
      clientId: used,
      url: `${rx.url}/sse/recovery`,
      events: [SIGNAL_URIS.recoveryActivated],
    });
    const brokenId = await signalReceiver(t, {
      clientId: broken,
      url: `${rx.url}/sse/broken`,
      events: [SIGNAL_URIS.credentialChange],
    });
    rx.answer('/sse/broken', 400, JSON.stringify({ err: 'invalid_key', description: 'secret-ish detail' }));
    await signalReceiver(t, {
      clientId: unused,
      url: `${rx.url}/sse/unused`,
      events: [SIGNAL_URIS.credentialChange],
    });

    const changed = await t.api(
      'POST',
      '/api/v1/password',
      { password: 'signals passphrase number 5' },
      a.token,
    );
    expect(changed.status).toBe(200);
    await drainApps(t);

    const got = rx.at('/sse/used');
    expect(got).toHaveLength(1);
    const set = await verifySet(got[0]!, {
      jwks: await t.app.providerKeys.publicJwks(),
      issuer: t.app.providerKeys.issuer,
      audience: used,
      currentDate: got[0]!.at,
    });
    expect(set.sub_id).toEqual({ format: 'iss_sub', iss: t.app.providerKeys.issuer, sub: accountId });
    expect(Object.keys(set.events)).toEqual([SIGNAL_URIS.credentialChange]);
    expect(typeof set.txn).toBe('string');
    expect(got[0]!.headers.authorization).toBeUndefined();
    expect(rx.at('/sse/recovery')).toHaveLength(0);
    expect(rx.at('/sse/unused')).toHaveLength(0);
    const parked = (await appDeliveries(t)).find((d) => d.recipient === brokenId)!;
    expect(parked).toMatchObject({
      status: 'parked',
      attempts: 1,
      last_error: 'HTTP 400 (err: invalid_key)',
    });
  });
});
