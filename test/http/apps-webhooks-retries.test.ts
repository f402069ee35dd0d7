import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appDeliveries, drainApps, webhookEndpoint } from '../support/apps-delivery.ts';
import { createTestApp, signedUpAccount, type TestApp, verifiedEmail } from '../support/harness.ts';
import { enrolledOperator, operatorConsole } from '../support/operator.ts';
import { downUrl, type Receiver, startReceiver, verifyWebhook } from '../support/receiver.ts';

const METRICS = 'metrics-token-for-app-deliveries-0123';

describe('webhook retries: a down or slow endpoint delays only itself', () => {
  let t: TestApp;
  let rx: Receiver;
  beforeAll(async () => {
    t = await createTestApp({ env: { APPS_DELIVERY_TIMEOUT_SECONDS: '1', METRICS_TOKEN: METRICS } });
    rx = await startReceiver({ now: () => t.clock.now() });
  });
  afterAll(async () => {
    await rx.close();
    await t.close();
  });

  it('delivers to the others, retries the down one with back-off, parks it, shows it in the log, and sends it again', async () => {
    const events = ['method.verified'];
    const ok = await webhookEndpoint(t, { url: `${rx.url}/ok`, events });
    const down = await webhookEndpoint(t, { url: await downUrl(), events });
    const slow = await webhookEndpoint(t, { url: `${rx.url}/slow`, events });
    rx.answer('/slow', 'slow');
    const a = await signedUpAccount(t);
    await verifiedEmail(t, a.token);
    const started = Date.now();
    await drainApps(t);
    // The slow one was cut at the time limit (1 s), not waited for.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(rx.at('/ok')).toHaveLength(1);
    expect(rx.at('/slow')).toHaveLength(1);
    const byRecipient = async () => {
      const rows = await appDeliveries(t);
      return (id: string) => rows.filter((r) => r.recipient === id);
    };
    let of = await byRecipient();
    expect(of(ok.id).map((r) => r.status)).toEqual(['sent']);
    expect(of(down.id)).toMatchObject([
      { status: 'pending', attempts: 1, last_error: expect.stringContaining('ECONNREFUSED') },
    ]);
    expect(of(slow.id)).toMatchObject([{ status: 'pending', attempts: 1 }]);

    // A second event: the healthy endpoint gets it at once; the others wait behind their first delivery.
    t.clock.advance(61_000);
    await verifiedEmail(t, a.token);
    await drainApps(t);
    expect(rx.at('/ok')).toHaveLength(2);
    of = await byRecipient();
    expect(of(down.id).map((r) => r.attempts)).toEqual([2, 0]);

    // The slow endpoint recovers: its two deliveries go, in order, the first one with the same webhook-id.
    rx.answer('/slow', 200);
    const firstSlowId = rx.at('/slow')[0]!.headers['webhook-id'];
    for (let i = 0; i < 3; i++) {
      t.clock.advance(3 * 60_000);
      await drainApps(t);
    }
    const slowGot = rx.at('/slow');
    expect(slowGot.length).toBeGreaterThanOrEqual(3);
    expect(slowGot[1]!.headers['webhook-id']).toBe(firstSlowId);
    expect(verifyWebhook(slow.secret, slowGot.at(-1)!).type).toBe('method.verified');

    // The down endpoint: retried with growing waits (nothing before its next time), then parked after 8 attempts.
    const before = (await byRecipient())(down.id)[0]!.attempts;
    await drainApps(t);
    expect((await byRecipient())(down.id)[0]!.attempts).toBe(before);
    for (let i = 0; i < 12; i++) {
      t.clock.advance(60 * 60_000);
      await drainApps(t);
    }
    of = await byRecipient();
    expect(of(down.id)[0]).toMatchObject({ status: 'parked', attempts: 8 });
    expect(of(down.id)[1]?.status).toBe('parked');
    // /metrics counts them for the operator's dashboard.
    const metrics = await t.app.http.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${METRICS}` },
    });
    expect(metrics.body).toMatch(/^mamori_app_deliveries_parked 2$/m);

    // The operator's log shows it, and "send again" queues a copy with the same webhook-id.
    const op = await enrolledOperator(t);
    const c = await operatorConsole(t, op);
    const page = await c.get(`/operator/apps/deliveries?endpoint=${down.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-status="parked"');
    expect(page.body).toContain('ECONNREFUSED');
    const parked = of(down.id)[0]!;
    const resent = await c.post(`/operator/apps/deliveries/${parked.id}/resend?endpoint=${down.id}`, {});
    expect(resent.statusCode).toBe(200);
    const copies = (await appDeliveries(t)).filter((r) => r.headers['resend-of'] === parked.id);
    expect(copies).toHaveLength(1);
    expect(copies[0]!.headers['webhook-id']).toBe(parked.headers['webhook-id']);
    // Now that the endpoint is up again, the copy arrives, signed, with the original's id.
    await webhookDownIsUp(t, down.id, `${rx.url}/back`);
    await drainApps(t);
    const back = rx.at('/back');
    expect(back).toHaveLength(1);
    expect(back[0]!.headers['webhook-id']).toBe(parked.headers['webhook-id']);
    expect(verifyWebhook(down.secret, back[0]!).type).toBe('method.verified');
    // Without the CSRF token nothing is sent again.
    const forged = await c.post(`/operator/apps/deliveries/${parked.id}/resend`, {}, false);
    expect(forged.statusCode).toBe(403);
  });
});

/** The endpoint's owner fixed it: it now points at a live URL. */
async function webhookDownIsUp(t: TestApp, id: string, url: string): Promise<void> {
  await t.app.deps.db.query('UPDATE webhook_endpoints SET url = $2 WHERE id = $1', [id, url]);
}
