import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, GOOD_PASSWORD, signedUpAccount, type TestApp } from '../support/harness.ts';

const TOKEN = 'scrape-token-0123456789-abcdef';

/** The value of a sample line `name{labels} value` (labels as written, in order), or 0 when absent. */
function sample(text: string, name: string, labels: string): number {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{${labels}}`) || (labels === '' && l.startsWith(`${name} `)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('GET /metrics (Prometheus)', () => {
  let t: TestApp;
  const scrape = async () => {
    const r = await t.app.http.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return r.body;
  };
  beforeAll(async () => {
    t = await createTestApp({ env: { METRICS_TOKEN: TOKEN, SIGNIN_FAILURES_PER_ACCOUNT: '3' } });
  });
  afterAll(() => t.close());

  it('is not there without the scraper token (the same 404 as an unknown path)', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-token-0123456789-abcdef' },
      { authorization: TOKEN },
    ]) {
      const r = await t.app.http.inject({ method: 'GET', url: '/metrics', headers });
      expect(r.statusCode).toBe(404);
      expect(r.body).not.toContain('mamori_');
    }
  });

  it('counts sign-ins by outcome, codes by event and channel, and refusals by budget family', async () => {
    const before = await scrape();
    const a = await signedUpAccount(t);
    for (let i = 0; i < 2; i++)
      await t.api('POST', '/api/v1/sessions', { email: a.email, password: 'wrong password 12345' });
    await t.api('POST', '/api/v1/sessions', { email: a.email, password: GOOD_PASSWORD });
    // Another account over its limit (3 here): the fourth wrong attempt is refused without a check.
    const b = await signedUpAccount(t);
    for (let i = 0; i < 4; i++)
      await t.api('POST', '/api/v1/sessions', { email: b.email, password: 'wrong password 12345' });
    const after = await scrape();
    const delta = (name: string, labels: string) =>
      sample(after, name, labels) - sample(before, name, labels);
    expect(delta('mamori_sign_ins_total', 'outcome="wrong"')).toBe(5);
    expect(delta('mamori_sign_ins_total', 'outcome="throttled"')).toBe(1);
    expect(delta('mamori_limiter_refusals_total', 'budget="signin:acct"')).toBe(1);
    expect(
      delta('mamori_sign_ins_total', 'outcome="signed_in"') +
        delta('mamori_sign_ins_total', 'outcome="second_factor"'),
    ).toBe(1);
    expect(delta('mamori_codes_total', 'event="issued",channel="email",reason=""')).toBe(2);
    expect(delta('mamori_codes_total', 'event="verified",channel="-",reason=""')).toBe(2);
  });

  it('times requests by route pattern, never by the raw URL (no ids or tokens in labels)', async () => {
    await t.app.http.inject({ method: 'GET', url: '/replacement/cancel/secret-token-in-path-123' });
    const text = await scrape();
    expect(text).not.toContain('secret-token-in-path-123');
    expect(text).toMatch(
      /mamori_http_request_duration_seconds_count\{route="\/sign-in",method="GET",status="200"\}|route="\/api\/v1\/sessions"/,
    );
  });

  it('reports the outbox: waiting messages, the age of the oldest, parked ones', async () => {
    await signedUpAccount(t); // leaves nothing waiting: the harness drains while signing up
    await t.api('POST', '/api/v1/signup', {
      email: 'waiting@example.com',
      password: GOOD_PASSWORD,
      displayName: 'W',
      locale: 'en',
    });
    t.clock.advance(90_000);
    const text = await scrape();
    expect(sample(text, 'mamori_outbox_pending', '')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'mamori_outbox_oldest_pending_seconds', '')).toBeGreaterThanOrEqual(90);
    expect(text).toMatch(/^mamori_outbox_parked \d+$/m);
    await t.drain();
    expect(sample(await scrape(), 'mamori_outbox_pending', '')).toBe(0);
  });
});

describe('GET /metrics on PostgreSQL', () => {
  it('reports the connection pool by state', async () => {
    const t = await createTestApp({ store: 'postgres', env: { METRICS_TOKEN: TOKEN } });
    try {
      const r = await t.app.http.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(sample(r.body, 'mamori_db_pool_connections', 'state="total"')).toBeGreaterThanOrEqual(1);
      expect(r.body).toMatch(/^mamori_db_pool_connections\{state="waiting"\} 0$/m);
    } finally {
      await t.close();
    }
  });
});

describe('docs/grafana-dashboard.json', () => {
  it('draws only metrics that /metrics exposes', async () => {
    const { readFileSync } = await import('node:fs');
    const dashboard = JSON.parse(
      readFileSync(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8'),
    ) as {
      panels: { targets: { expr: string }[] }[];
    };
    const t = await createTestApp({ env: { METRICS_TOKEN: TOKEN } });
    try {
      await t.app.http.inject({ method: 'GET', url: '/sign-in' });
      const text = (
        await t.app.http.inject({
          method: 'GET',
          url: '/metrics',
          headers: { authorization: `Bearer ${TOKEN}` },
        })
      ).body;
      const exposed = new Set(
        text
          .split('\n')
          .filter((l) => l.startsWith('# TYPE '))
          .map((l) => l.split(' ')[2]),
      );
      const used = dashboard.panels.flatMap((p) =>
        p.targets.flatMap((x) => x.expr.match(/mamori_[a-z_]+/g) ?? []),
      );
      const base = (m: string) => m.replace(/_(bucket|count|sum)$/, '');
      expect(used.length).toBeGreaterThan(5);
      expect(used.filter((m) => !exposed.has(m) && !exposed.has(base(m)))).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
