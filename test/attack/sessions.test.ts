import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisLimiter } from '../../src/abuse/redis-limiter.ts';
import { type App, createApp } from '../../src/app.ts';
import { openPostgres } from '../../src/storage/postgres.ts';
import { PG_ADMIN_URL } from '../support/databases.ts';
import {
  createTestApp,
  GOOD_PASSWORD,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';
import { formClient } from '../web/browser-less-client.ts';

/**
 * Kind: sessions end when they are ended. With the session cache on (SESSION_CACHE_SECONDS=5), a session
 * ended by a reset, a sign-out or a step-up is refused on every instance as soon as the ending request has
 * answered; a step-up replaces the session token, so a token copied before it does not carry it.
 */

const ENV = { SESSION_CACHE_SECONDS: '5', REDIS_URL: 'redis://127.0.0.1:6379' };
const P2 = 'second passphrase of mine 22';

/** A second instance of the app on the same PostgreSQL database (its own pool, its own session cache). */
async function secondInstance(t: TestApp): Promise<{ app: App; close: () => Promise<void> }> {
  const [{ db: name }] = (await t.app.deps.db.query<{ db: string }>('SELECT current_database() AS db')) as [
    { db: string },
  ];
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  const db = await openPostgres(u.toString());
  // The same configuration (SESSION_CACHE_SECONDS=5, REDIS_URL) as the first instance.
  const app = await createApp(t.app.deps.config, {
    db,
    clock: t.clock,
    manualDispatch: true,
  });
  await app.http.ready();
  return {
    app,
    async close() {
      await app.close();
      await db.close();
    },
  };
}

const me = (app: App, token: string) =>
  app.http
    .inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })
    .then((r) => r.statusCode);

describe('sessions end when they are ended (PostgreSQL, cache on, two instances)', () => {
  let t: TestApp;
  let b: Awaited<ReturnType<typeof secondInstance>>;
  let redis: Redis;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres', env: ENV });
    b = await secondInstance(t);
    // Both instances throttle through Redis, under a key prefix of this run only, so that other test runs
    // sharing the server (and the same manual clock) cannot throttle these sign-ins.
    redis = new Redis(ENV.REDIS_URL);
    const limiter = redisLimiter(redis, `mamori-test:${process.pid}:${Date.now()}:`);
    t.app.deps.limiter = limiter;
    b.app.deps.limiter = limiter;
  });
  afterAll(async () => {
    await b.close();
    await t.close();
    redis.disconnect();
  });

  async function resetAtNewPassword(email: string, contact: string, methodId: string) {
    const flowToken = (await t.api('POST', '/api/v1/password-reset', { email })).body.flowToken as string;
    t.clock.advance(61_000);
    await t.api('POST', '/api/v1/password-reset/choose', { flowToken, methodId, confirm: contact });
    const code = await t.mailedCode(contact);
    expect((await t.api('POST', '/api/v1/password-reset/verify', { flowToken, code })).status).toBe(204);
    return flowToken;
  }

  it('100 concurrent GET /me with the old token racing a password reset: none answers 200 after the reset answered', async () => {
    const a = await signedUpAccount(t);
    const contact = uniqueEmail('contact');
    const methodId = await verifiedEmail(t, a.token, contact);
    const flow = await resetAtNewPassword(a.email, contact, methodId);
    expect(await me(t.app, a.token)).toBe(200); // cached on A
    expect(await me(b.app, a.token)).toBe(200); // cached on B
    let resetDone = false;
    const late: number[] = [];
    const during = Array.from({ length: 100 }, async (_, i) => {
      await new Promise((r) => setTimeout(r, i % 20));
      const app = i % 2 ? b.app : t.app;
      const started = resetDone;
      const status = await me(app, a.token);
      if (started) late.push(status);
      return status;
    });
    const reset = t
      .api('POST', '/api/v1/password-reset/complete', { flowToken: flow, password: P2 })
      .then((r) => {
        resetDone = true;
        return r;
      });
    const [done] = await Promise.all([reset, ...during]);
    expect(done.status).toBe(200);
    // Right after the reset answered: 100 more on both instances.
    const after = await Promise.all(
      Array.from({ length: 100 }, (_, i) => me(i % 2 ? b.app : t.app, a.token)),
    );
    expect([...late, ...after].filter((s) => s === 200)).toEqual([]);
    expect(after.every((s) => s === 401)).toBe(true);
  });

  it('a sign-out on instance A is refused on instance B immediately after A answered', async () => {
    const a = await signedUpAccount(t);
    expect(await me(b.app, a.token)).toBe(200); // B caches it
    expect(await me(b.app, a.token)).toBe(200);
    const out = await t.api('DELETE', '/api/v1/sessions/current', undefined, a.token);
    expect(out.status).toBe(204);
    const onB = await Promise.all(Array.from({ length: 100 }, () => me(b.app, a.token)));
    expect(onB.every((s) => s === 401)).toBe(true);
  });

  it('ending another session, and a password change, on A are seen at once on B', async () => {
    const a = await signedUpAccount(t);
    const other = (await t.api('POST', '/api/v1/sessions', { email: a.email, password: GOOD_PASSWORD })).body
      .sessionToken as string;
    const third = (await t.api('POST', '/api/v1/sessions', { email: a.email, password: GOOD_PASSWORD })).body
      .sessionToken as string;
    expect(await me(b.app, other)).toBe(200);
    expect(await me(b.app, third)).toBe(200);
    const list = await t.api('GET', '/api/v1/sessions', undefined, a.token);
    const sessions = list.body.sessions as { publicId: string; current: boolean; createdAt: string }[];
    const otherId = sessions.filter((s) => !s.current).at(0)!.publicId;
    expect((await t.api('DELETE', `/api/v1/sessions/${otherId}`, undefined, a.token)).status).toBe(204);
    const left = [await me(b.app, other), await me(b.app, third)].sort();
    expect(left).toEqual([200, 401]);
    expect((await t.api('POST', '/api/v1/password', { password: P2 }, a.token)).status).toBe(200);
    expect(await me(b.app, other)).toBe(401);
    expect(await me(b.app, third)).toBe(401);
    expect(await me(b.app, a.token)).toBe(200);
  });

  it('a step-up rotates the API token: the token copied before it cannot add a method, on either instance', async () => {
    const a = await signedUpAccount(t);
    t.clock.advance(11 * 60_000);
    expect(await me(b.app, a.token)).toBe(200);
    const stepped = await t.api('POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, a.token);
    expect(stepped.status).toBe(200);
    const fresh = stepped.body.sessionToken as string;
    expect(fresh).not.toBe(a.token);
    const copied = await Promise.all(
      Array.from({ length: 50 }, () =>
        t.api('POST', '/api/v1/methods/emails', { email: uniqueEmail('thief') }, a.token),
      ),
    );
    expect(copied.every((r) => r.status === 401)).toBe(true);
    expect(await me(b.app, a.token)).toBe(401);
    expect(await me(b.app, fresh)).toBe(200);
    expect((await t.api('POST', '/api/v1/methods/emails', { email: uniqueEmail() }, fresh)).status).toBe(202);
  });

  it('a step-up with a code rotates the token too', async () => {
    const a = await signedUpAccount(t);
    const contact = uniqueEmail('c');
    const methodId = await verifiedEmail(t, a.token, contact);
    await t.drain();
    t.clock.advance(61_000);
    await t.api('POST', '/api/v1/reauth/code', { methodId }, a.token);
    const code = await t.mailedCode(contact);
    const stepped = await t.api('POST', '/api/v1/reauth/code/verify', { methodId, code }, a.token);
    expect(stepped.status).toBe(200);
    expect(await me(t.app, a.token)).toBe(401);
    expect(await me(b.app, stepped.body.sessionToken as string)).toBe(200);
  });

  it('a step-up on the web sets a new cookie; the cookie copied before it stops working', async () => {
    const a = await signedUpAccount(t);
    t.clock.advance(11 * 60_000);
    const web = formClient(t);
    web.jar.set('mamori_session', a.token);
    expect((await web.get('/security/reauth?next=/security/emails/add')).statusCode).toBe(200);
    const r = await web.post('/security/reauth?next=/security/emails/add', { password: GOOD_PASSWORD });
    expect(r.statusCode).toBe(303);
    const cookie = web.jar.get('mamori_session');
    expect(cookie && cookie !== a.token).toBe(true);
    expect((await web.follow(r)).statusCode).toBe(200);
    // The old cookie, replayed by someone who copied it: signed out.
    const thief = formClient(t);
    thief.jar.set('mamori_session', a.token);
    const page = await thief.get('/security/emails/add');
    expect(page.statusCode).toBe(303);
    expect(String(page.headers.location)).toMatch(/^\/sign-in/);
  });

  it('signing in on the web in a browser that held a session ends the old one', async () => {
    const a = await signedUpAccount(t);
    const web = formClient(t, { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) mamori-test' });
    web.jar.set('mamori_session', a.token);
    await web.get('/security'); // a page with a CSRF token (a sign-in form left open in another tab)
    const signIn = await web.post('/sign-in', { email: a.email, password: GOOD_PASSWORD });
    expect(signIn.statusCode).toBe(303);
    expect(web.jar.get('mamori_session')).not.toBe(a.token);
    expect(await me(b.app, a.token)).toBe(401);
  });
});
