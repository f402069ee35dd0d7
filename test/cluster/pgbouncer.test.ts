import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationVersions } from '../../src/storage/migrate.ts';
import { launchBrowser, navigateBy, newUserContext, pathOf, SKIP_BROWSER } from '../e2e/browser.ts';
import {
  api,
  type Cluster,
  freshEmail,
  haveHaproxy,
  havePgbouncer,
  mailedCode,
  PASSWORD,
  report,
  requireBinary,
  signUp,
  sleep,
  startCluster,
  tally,
} from './cluster.ts';

/**
 * The cluster variant with pgbouncer in transaction pooling between the instances and PostgreSQL
 * (docs/cluster.md#pgbouncer): the instances' DATABASE_URL is pgbouncer's, migrations included. Migrations
 * take a transaction-scoped advisory lock (pg_advisory_xact_lock), which transaction pooling keeps.
 * PUBLIC_URL is HAProxy's address here, so a browser (Chromium) also runs a web flow through it.
 */
const RUN =
  requireBinary(haveHaproxy(), '/usr/sbin/haproxy', 'haproxy') &&
  requireBinary(havePgbouncer(), '/usr/sbin/pgbouncer', 'pgbouncer');

describe.skipIf(!RUN)('a cluster of 3 instances through pgbouncer (transaction pooling)', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster({
      instances: 3,
      pgbouncer: true,
      browser: true,
      env: {
        SENDS_PER_NETWORK_PER_HOUR: '1000000',
        SIGNUPS_PER_NETWORK_PER_HOUR: '1000000',
        CODE_RESEND_SECONDS: '0',
      },
    });
    const t0 = Date.now();
    await c.startAll();
    report('pgbouncer: 3 instances migrating at once through pgbouncer, all ready, ms', Date.now() - t0);
  }, 180_000);
  afterAll(async () => {
    await c?.close();
  });

  it('migrations through pgbouncer: three instances at once apply each version once', async () => {
    expect(c.serveUrl).not.toBe(c.databaseUrl);
    const rows = await c.sql<{ version: string; n: string }>(
      'SELECT version, count(*)::text AS n FROM schema_migrations GROUP BY version ORDER BY version',
    );
    expect(rows.map((r) => r.version)).toEqual(migrationVersions());
    expect(rows.every((r) => r.n === '1')).toBe(true);
  });

  it('sign-up, sign-in and a session ended on one instance refused on the others', async () => {
    const { email, token: keeper } = await signUp(c.lb, c.sink);
    const s = await api(c.instances[1]!.url, 'POST', '/sessions', { email, password: PASSWORD });
    expect(s.status).toBe(200);
    const victim = s.body?.sessionToken as string;
    for (const i of c.instances) expect((await api(i.url, 'GET', '/me', undefined, victim)).status).toBe(200);
    expect((await api(c.instances[0]!.url, 'POST', '/sessions/end-others', {}, keeper)).status).toBe(200);
    for (const i of c.instances) expect((await api(i.url, 'GET', '/me', undefined, victim)).status).toBe(401);
  });

  it('code budget holds through pgbouncer: 120 concurrent resends send at most the daily budget', async () => {
    const email = freshEmail('bouncer');
    const r = await api(c.lb, 'POST', '/signup', {
      email,
      password: PASSWORD,
      displayName: 'B',
      locale: 'en',
    });
    expect(r.status).toBe(202);
    await mailedCode(c.sink, email);
    const answers = await Promise.all(
      Array.from({ length: 120 }, () =>
        api(c.lb, 'POST', '/signup/resend', { signupToken: r.body?.signupToken }),
      ),
    );
    const t = tally(answers);
    report('pgbouncer: 120 resends of one sign-up code', t);
    expect(t['200'] ?? 0).toBeLessThanOrEqual(9);
    expect((t['200'] ?? 0) + (t['429 code.daily_limit'] ?? 0)).toBe(120);
  });

  it('outbox through pgbouncer: 60 messages queued on the three instances are each delivered once', async () => {
    const emails = Array.from({ length: 60 }, () => freshEmail('bounce-once'));
    const answers = await Promise.all(
      emails.map((email, k) =>
        api(c.instances[k % 3]!.url, 'POST', '/signup', {
          email,
          password: PASSWORD,
          displayName: 'O',
          locale: 'en',
        }),
      ),
    );
    expect(tally(answers)).toEqual({ '202': 60 });
    const end = Date.now() + 30_000;
    while (Date.now() < end && emails.some((e) => c.sink.to(e).length === 0)) await sleep(100);
    await sleep(500);
    const ids = new Map<string, number>();
    for (const e of emails)
      for (const m of c.sink.to(e)) ids.set(m.messageId, (ids.get(m.messageId) ?? 0) + 1);
    expect(ids.size).toBe(60);
    expect([...ids.values()].every((n) => n === 1)).toBe(true);
  });

  it.skipIf(SKIP_BROWSER)(
    'browser: sign up, confirm, see the security page and sign out through HAProxy, the requests spread over every instance',
    async () => {
      const browser = await launchBrowser();
      try {
        const context = await newUserContext(browser, 'en');
        const page = await context.newPage();
        const before = await c.lbSessions();
        const email = freshEmail('browser');
        await page.goto(`${c.lb}/sign-up`);
        await page.fill('#displayName', 'Browser Cluster');
        await page.fill('#email', email);
        await page.fill('#password', PASSWORD);
        await page.selectOption('#locale', 'en');
        await navigateBy(page, page.locator('main button[type="submit"]').first());
        expect(pathOf(page)).toBe('/sign-up/confirm');
        await page.fill('#code', await mailedCode(c.sink, email));
        await navigateBy(page, page.locator('main button[type="submit"]').first());
        expect(pathOf(page)).toBe('/security?done=welcome');
        await expect
          .poll(async () => (await page.getByTestId('primary-email').textContent())?.trim())
          .toBe(email);
        // Reload a few times: each request may land on another instance, the session and CSRF hold.
        for (let k = 0; k < 4; k++) {
          await page.goto(`${c.lb}/security`);
          expect(pathOf(page)).toBe('/security');
        }
        await navigateBy(page, page.getByTestId('sign-out'));
        await page.goto(`${c.lb}/security`);
        expect(pathOf(page)).toMatch(/^\/sign-in/);
        const after = await c.lbSessions();
        const spread = Object.fromEntries(
          Object.keys(after).map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)]),
        );
        report('browser flow: requests per instance', spread);
        for (const n of Object.values(spread)) expect(n).toBeGreaterThan(0);
        await context.close();
      } finally {
        await browser.close();
      }
    },
  );
});
