import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../../src/apps/delivery/safe-post.ts';
import { appDeliveries, drainApps, webhookEndpoint } from '../support/apps-delivery.ts';
import { createTestApp, signedUpAccount, type TestApp, verifiedEmail } from '../support/harness.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';

describe('app deliveries never reach private networks (SSRF)', () => {
  let t: TestApp;
  let rx: Receiver;
  beforeAll(async () => {
    t = await createTestApp({ env: { APPS_ALLOW_PRIVATE_NETWORKS: 'false' } });
    rx = await startReceiver({ now: () => t.clock.now() });
  });
  afterAll(async () => {
    await rx.close();
    await t.close();
  });

  it('refuses loopback, private, link-local, mapped and odd-scheme endpoints at send time, and parks them', async () => {
    const port = new URL(rx.url).port;
    const urls = [
      `${rx.url}/direct`,
      `http://localhost:${port}/by-name`,
      `http://[::1]:${port}/v6`,
      `http://[::ffff:127.0.0.1]:${port}/mapped`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
      'http://0.0.0.0/',
      `http://user:secret@127.0.0.1:${port}/creds`,
      'file:///etc/passwd',
      'gopher://127.0.0.1:6379/_FLUSHALL',
    ];
    const ids: string[] = [];
    for (const url of urls) ids.push((await webhookEndpoint(t, { url, events: ['method.verified'] })).id);
    const a = await signedUpAccount(t);
    await verifiedEmail(t, a.token);
    await drainApps(t);
    expect(rx.received).toHaveLength(0);
    const rows = (await appDeliveries(t)).filter((r) => ids.includes(r.recipient));
    expect(rows).toHaveLength(urls.length);
    for (const r of rows) {
      expect(r.status).toBe('parked');
      expect(r.attempts).toBe(1);
      expect(r.last_error).toMatch(/private or reserved address|only http and https|credentials in the URL/);
      expect(r.last_error).not.toContain('secret');
    }
  });

  it('classifies addresses as RFC 6890 says', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      'ff02::1',
      '::ffff:10.0.0.1',
      'not-an-ip',
    ])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '133.242.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'])
      expect(isPrivateAddress(a), a).toBe(false);
  });
});

describe('app deliveries follow no redirect', () => {
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

  it('a 3xx is a refusal: parked, the Location never requested, and at most a few KiB of any answer read', async () => {
    const moved = await webhookEndpoint(t, { url: `${rx.url}/moved`, events: ['method.verified'] });
    rx.answer('/moved', 302, '');
    const huge = await webhookEndpoint(t, { url: `${rx.url}/huge`, events: ['method.verified'] });
    rx.answer('/huge', 500, 'x'.repeat(5_000_000));
    const a = await signedUpAccount(t);
    await verifiedEmail(t, a.token);
    await drainApps(t);
    const rows = await appDeliveries(t);
    expect(rows.find((r) => r.recipient === moved.id)).toMatchObject({
      status: 'parked',
      last_error: 'HTTP 302',
    });
    expect(rows.find((r) => r.recipient === huge.id)).toMatchObject({
      status: 'pending',
      last_error: 'HTTP 500',
    });
    expect(rx.received.map((r) => r.path).sort()).toEqual(['/huge', '/moved']);
  });
});
