import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appDeliveries,
  drainApps,
  newWebhookSecret,
  sessionOf,
  webhookEndpoint,
  webhookSchemaProblems,
} from '../support/apps-delivery.ts';
import {
  createTestApp,
  GOOD_PASSWORD,
  signedUpAccount,
  type TestApp,
  verifiedEmail,
} from '../support/harness.ts';
import { addMember, orgWithAdmin } from '../support/orgs.ts';
import { type Receiver, startReceiver, verifyWebhook } from '../support/receiver.ts';

describe('webhooks (Standard Webhooks)', () => {
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

  it("signs each event for every subscribed endpoint, tells an organisation only its members' events, and carries no secret", async () => {
    const all = await webhookEndpoint(t, {
      url: `${rx.url}/all`,
      events: ['method.added', 'method.verified', 'password.changed'],
    });
    const onlyPassword = await webhookEndpoint(t, { url: `${rx.url}/pw`, events: ['password.changed'] });
    const { orgId, domain } = await orgWithAdmin(t);
    const other = await orgWithAdmin(t);
    const mine = await webhookEndpoint(t, { url: `${rx.url}/org`, orgId, events: ['method.verified'] });
    await webhookEndpoint(t, { url: `${rx.url}/other-org`, orgId: other.orgId, events: ['method.verified'] });
    const memberEmail = `webhook.member@${domain}`;
    const member = await signedUpAccount(t, { email: memberEmail });
    await addMember(t, orgId, memberEmail).catch(() => undefined);
    const { accountId } = await sessionOf(t, member.token);
    const contact = `contact.full.${Date.now()}@example.org`;
    await verifiedEmail(t, member.token, contact);
    const stranger = await signedUpAccount(t, { email: `webhook.stranger@${other.domain}` });
    const strangerId = (await sessionOf(t, stranger.token)).accountId;
    await verifiedEmail(t, stranger.token);
    const codes = t.sink.messages.map((m) => /\b(\d{6})\b/.exec(m.text)?.[1]).filter(Boolean) as string[];
    const newPassword = 'another long passphrase for webhooks 7';
    const changed = await t.api('POST', '/api/v1/password', { password: newPassword }, member.token);
    expect(changed.status).toBe(200);
    await drainApps(t);

    // The deployment's endpoint hears every account (the organisations' admins too): this member's events.
    const about = (path: string, secret: string) =>
      rx
        .at(path)
        .map((r) => verifyWebhook(secret, r))
        .filter((g) => g.data.sub === accountId);
    const got = about('/all', all.secret);
    expect(got.map((g) => g.type)).toEqual(['method.added', 'method.verified', 'password.changed']);
    for (const g of got) {
      expect(g.data.sub).toBe(accountId);
      expect(g.data.organisation_id).toBe(orgId);
    }
    expect(got[1]?.data.method).toEqual({ kind: 'email', label: expect.stringContaining('***') });
    expect(about('/pw', onlyPassword.secret).map((g) => g.type)).toEqual(['password.changed']);
    expect(about('/org', mine.secret).map((g) => g.type)).toEqual(['method.verified']);
    // The other organisation's endpoint hears only its own members (its admin), never this member.
    expect(rx.at('/other-org').map((r) => JSON.parse(r.body).data.sub)).toEqual([strangerId]);
    // Another endpoint's secret does not verify it.
    expect(() => verifyWebhook(onlyPassword.secret, rx.at('/all')[0]!)).toThrow();
    // Every body validates against its JSON Schema (docs/events/).
    for (const r of rx.received) expect(webhookSchemaProblems(r.body), r.body).toEqual([]);
    // No secret, code, password or full contact value in any body or header.
    const everything = JSON.stringify(rx.received);
    for (const secret of [newPassword, GOOD_PASSWORD, contact, memberEmail, member.token, ...codes])
      expect(everything).not.toContain(secret);
    // webhook-id is the delivery's stable id; the timestamp is the send time.
    const rows = await appDeliveries(t);
    for (const r of rx.at('/all'))
      expect(rows.map((d) => d.headers['webhook-id'])).toContain(r.headers['webhook-id']);
    expect(rows.every((d) => d.status === 'sent')).toBe(true);
  });

  it('during a secret rotation signs with both secrets until previous_until, then with the new one only', async () => {
    const oldSecret = newWebhookSecret();
    const ep = await webhookEndpoint(t, {
      url: `${rx.url}/rotating`,
      events: ['method.verified'],
      previousSecret: oldSecret,
      previousUntil: new Date(t.clock.now().getTime() + 3 * 60_000),
    });
    const a = await signedUpAccount(t);
    await verifiedEmail(t, a.token);
    await drainApps(t);
    const first = rx.at('/rotating')[0]!;
    expect(String(first.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifyWebhook(ep.secret, first).type).toBe('method.verified');
    expect(verifyWebhook(oldSecret, first).type).toBe('method.verified');
    t.clock.advance(3 * 60_000);
    await verifiedEmail(t, a.token);
    await drainApps(t);
    const second = rx.at('/rotating')[1]!;
    expect(verifyWebhook(ep.secret, second).type).toBe('method.verified');
    expect(() => verifyWebhook(oldSecret, second)).toThrow();
  });
});
