import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import {
  appClient,
  appDeliveries,
  providerLogin,
  sessionOf,
  webhookEndpoint,
} from '../support/apps-delivery.ts';
import { createTestApp, GOOD_PASSWORD, type TestApp } from '../support/harness.ts';
import { type Receiver, startReceiver, verifyLogoutToken, verifyWebhook } from '../support/receiver.ts';
import { codeIn } from '../support/smtp-sink.ts';
import { instance } from './support/delivery-helpers.ts';

const N = 100;

async function databaseUrlOf(t: TestApp): Promise<string> {
  const [{ name }] = (await t.app.deps.db.query<{ name: string }>('SELECT current_database() AS name')) as [
    { name: string },
  ];
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test');
  url.pathname = `/${name}`;
  return url.toString();
}

describe('application deliveries on PostgreSQL under concurrency', () => {
  let t: TestApp;
  let second: App;
  let rx: Receiver;
  const accounts: { email: string; token: string; accountId: string }[] = [];
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres', env: { TRUSTED_PROXIES: '127.0.0.1' } });
    second = await instance(await databaseUrlOf(t), { SMTP_URL: t.sink.url }, t.clock);
    rx = await startReceiver({ now: () => t.clock.now() });
    // N accounts, signed up and confirmed in parallel (one address each, one source network each).
    const tag = Math.random().toString(36).slice(2, 7);
    const emails = Array.from({ length: N }, (_, i) => `apps${i}.${tag}@example.com`);
    const ip = (i: number) => ({ 'x-forwarded-for': `198.51.100.${i}` });
    const started = await Promise.all(
      emails.map((email, i) =>
        t.api(
          'POST',
          '/api/v1/signup',
          { email, password: GOOD_PASSWORD, displayName: 'P', locale: 'en' },
          undefined,
          ip(i),
        ),
      ),
    );
    await t.drain();
    const confirmed = await Promise.all(
      emails.map((email, i) => {
        const mail = t.sink.messages.filter((m) => m.to.includes(email)).at(-1)!;
        return t.api(
          'POST',
          '/api/v1/signup/confirm',
          { signupToken: started[i]!.body.signupToken, code: codeIn(mail.text) },
          undefined,
          ip(i),
        );
      }),
    );
    for (const [i, c] of confirmed.entries()) {
      expect(c.status).toBe(200);
      const token = c.body.sessionToken as string;
      accounts.push({ email: emails[i]!, token, accountId: (await sessionOf(t, token)).accountId });
    }
  }, 240_000);
  afterAll(async () => {
    await second.close();
    await rx.close();
    await t.close();
  });

  it(`${N} concurrent method changes and sign-outs: one delivery per (event, endpoint), each received once with two dispatchers draining`, async () => {
    const hookA = await webhookEndpoint(t, { url: `${rx.url}/a`, events: ['method.added'] });
    const hookB = await webhookEndpoint(t, {
      url: `${rx.url}/b`,
      events: ['method.added', 'password.changed'],
    });
    const client = await appClient(t, { backchannelLogoutUri: `${rx.url}/logout` });
    const logins = await Promise.all(
      accounts.map(async (a) =>
        providerLogin(t, {
          accountId: a.accountId,
          mamoriSession: (await sessionOf(t, a.token)).publicId,
          clientId: client,
        }),
      ),
    );
    let started = performance.now();
    const added = await Promise.all(
      accounts.map((a, i) =>
        t.api('POST', '/api/v1/methods/emails', { email: `extra${i}.${a.email}` }, a.token, {
          'x-forwarded-for': `198.51.100.${i}`,
        }),
      ),
    );
    expect(added.map((r) => r.status)).toEqual(accounts.map(() => 202));
    const signedOut = await Promise.all(
      accounts.map((a) => t.api('DELETE', '/api/v1/sessions/current', undefined, a.token)),
    );
    expect(signedOut.map((r) => r.status)).toEqual(accounts.map(() => 204));
    const changesMs = performance.now() - started;

    const rows = await appDeliveries(t);
    const webhookRows = rows.filter((r) => r.kind === 'webhook');
    expect(webhookRows.filter((r) => r.recipient === hookA.id)).toHaveLength(N);
    expect(webhookRows.filter((r) => r.recipient === hookB.id)).toHaveLength(N);
    expect(rows.filter((r) => r.kind === 'backchannel_logout')).toHaveLength(N);

    // Two instances on one database drain at once.
    started = performance.now();
    await Promise.all([
      t.app.appsDispatcher.drain(),
      second.appsDispatcher.drain(),
      t.app.appsDispatcher.drain(),
    ]);
    const drainMs = performance.now() - started;
    console.log(
      `${2 * N} concurrent changes (method added, sign-out) in ${changesMs.toFixed(0)} ms; ${rows.length} deliveries drained by two instances in ${drainMs.toFixed(0)} ms`,
    );
    for (const [path, hook] of [
      ['/a', hookA],
      ['/b', hookB],
    ] as const) {
      const got = rx.at(path);
      expect(got).toHaveLength(N);
      expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(N);
      const subs = got.map((r) => verifyWebhook(hook.secret, r).data.sub as string);
      expect(new Set(subs)).toEqual(new Set(accounts.map((a) => a.accountId)));
    }
    const logouts = rx.at('/logout');
    expect(logouts).toHaveLength(N);
    const jwks = await t.app.providerKeys.publicJwks();
    const sids = new Set<string>();
    for (const r of logouts) {
      const claims = await verifyLogoutToken(r, {
        jwks,
        issuer: t.app.providerKeys.issuer,
        audience: client,
        currentDate: r.at,
      });
      sids.add(claims.sid as string);
    }
    expect(sids).toEqual(new Set(logins.map((l) => l.sid)));
    const stats = await t.app.deps.db.query<{ n: number; unknown: number }>(
      `SELECT count(*) FILTER (WHERE status <> 'sent')::int AS n, coalesce(sum(unknown_outcomes), 0)::int AS unknown
       FROM app_deliveries`,
    );
    expect(stats[0]).toEqual({ n: 0, unknown: 0 });
  }, 120_000);

  it(`${N} concurrent "send again" of one endpoint's delivery: exactly the limit is queued`, async () => {
    const hook = await webhookEndpoint(t, { url: `${rx.url}/resend`, events: ['password.changed'] });
    // A parked delivery of this endpoint, as the operator sees it in the log.
    const [row] = await t.app.deps.db.query<{ id: string }>(
      `INSERT INTO app_deliveries (id, reference, kind, recipient, event_type, body_text, next_attempt_at, created_at, headers, status)
       VALUES ('dlv_resend_source', 'msg_resend_source', 'webhook', $1, 'password.changed', $2, $3, $3,
               '{"webhook-id":"msg_resend_source"}'::jsonb, 'parked') RETURNING id`,
      [
        hook.id,
        t.app.deps.cipher.encrypt('{"type":"password.changed","timestamp":"2026-11-24T00:00:00Z","data":{}}'),
        t.clock.now(),
      ],
    );
    const { resendDelivery, RESENDS_PER_ENDPOINT } = await import('../../src/apps/delivery/delivery-log.ts');
    const results = await Promise.allSettled(
      Array.from({ length: N }, () => resendDelivery(t.app.deps, { kind: 'operator' }, row!.id)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(RESENDS_PER_ENDPOINT);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(new Set(refused.map((r) => (r.reason as { code: string }).code))).toEqual(
      new Set(['request.rate_limited']),
    );
    const copies = (await appDeliveries(t)).filter((d) => d.headers['resend-of'] === row!.id);
    expect(copies).toHaveLength(RESENDS_PER_ENDPOINT);
    expect(new Set(copies.map((c) => c.headers['webhook-id']))).toEqual(new Set(['msg_resend_source']));
    await Promise.all([t.app.appsDispatcher.drain(), second.appsDispatcher.drain()]);
    expect(rx.at('/resend')).toHaveLength(RESENDS_PER_ENDPOINT);
  }, 60_000);
});
