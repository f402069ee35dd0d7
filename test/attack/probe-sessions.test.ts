import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t as tr } from '../../src/i18n/index.ts';
import { createTestApp, GOOD_PASSWORD, type TestApp } from '../support/harness.ts';
import { account, addContact, call, freshEmail, ipv4, secondInstance } from './support.ts';

/**
 * Probes (outside tester): every way of ending sessions, done on instance A, is seen on instance B at once
 * (PostgreSQL, session cache on). B's cache is warmed with the old token first.
 */
describe('probe: sessions ended on A are refused on B at once (PostgreSQL, cache on)', () => {
  let t: TestApp;
  let b: TestApp;
  let closeB: () => Promise<void>;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres', env: { SESSION_CACHE_SECONDS: '5' } });
    const second = await secondInstance(t);
    b = { ...t, app: second.app };
    closeB = second.close;
  });
  afterAll(async () => {
    await closeB();
    await t.close();
  });

  /** An owner with a contact and a second session (the one that must end), warmed in B's cache. */
  async function owner() {
    const a = await account(t);
    const contact = freshEmail('contact');
    const methodId = await addContact(t, a.token, a.ip, contact);
    await t.drain();
    t.clock.advance(61_000);
    const stepped = await call(t, 'POST', '/api/v1/reauth', { password: GOOD_PASSWORD }, a);
    const token = stepped.body.sessionToken as string;
    const other = (await call(t, 'POST', '/api/v1/sessions', { email: a.email, password: GOOD_PASSWORD }, a))
      .body.sessionToken as string;
    expect((await call(b, 'GET', '/api/v1/me', undefined, { ip: a.ip, token: other })).status).toBe(200);
    return { ...a, token, other, contact, methodId };
  }
  const me = (a: { ip: string }, token: string) =>
    call(b, 'GET', '/api/v1/me', undefined, { ip: a.ip, token });

  it('"secure my account" on A', async () => {
    const a = await owner();
    expect((await call(t, 'POST', '/api/v1/secure', { password: 'secured passphrase 2026' }, a)).status).toBe(
      200,
    );
    expect((await me(a, a.other)).status).toBe(401);
  });

  it('"end other sessions" on A', async () => {
    const a = await owner();
    expect((await call(t, 'POST', '/api/v1/sessions/end-others', undefined, a)).status).toBeLessThan(300);
    expect((await me(a, a.other)).status).toBe(401);
  });

  it('"this wasn’t me" on a replacement’s link, on A', async () => {
    const a = await owner();
    const newEmail = freshEmail('new');
    const added = await call(t, 'POST', '/api/v1/replacement/emails', { email: newEmail }, a);
    const code = await t.mailedCode(newEmail);
    await call(t, 'POST', `/api/v1/replacement/items/${added.body.itemId}/verify`, { code }, a);
    expect((await call(t, 'POST', '/api/v1/replacement/start', {}, a)).status).toBe(202);
    expect((await me(a, a.other)).status).toBe(200);
    await t.drain();
    const mail = t.sink
      .to(a.email)
      .filter((m) => m.subject === tr('ja', 'replacement.mail.started.subject'))
      .at(-1);
    const token = mail?.text.match(/\/replacement\/cancel\?token=([A-Za-z0-9_-]+)/)?.[1];
    expect(token).toBeTruthy();
    const r = await call(
      t,
      'POST',
      '/api/v1/replacement/link/cancel',
      { token, notMe: true },
      { ip: ipv4() },
    );
    expect(r.status).toBe(204);
    expect((await me(a, a.other)).status).toBe(401);
    expect((await me(a, a.token)).status).toBe(401);
  });

  it('a password set through an approved recovery-form link, on A', async () => {
    const a = await owner();
    const raw = randomBytes(32).toString('base64url');
    const now = t.clock.now();
    await t.app.deps.db.query(
      `INSERT INTO recovery_requests (id, flow_hash, account_id, account_key, contact_email, contact_key, locale,
         status, created_at, expires_at, ip, user_agent, country, reset_token_hash, reset_expires_at, stamp)
       SELECT $1, $2, id, email_key, $3, $3, 'ja', 'approved', $4, $5, '203.0.113.1', 'test', 'JP', $6, $5,
         security_stamp FROM accounts WHERE email = $7`,
      [
        `rfq_${raw.slice(0, 10)}`,
        raw,
        freshEmail('helper'),
        now,
        new Date(now.getTime() + 86_400_000),
        createHash('sha256').update(raw).digest('base64url'),
        a.email,
      ],
    );
    const r = await call(
      t,
      'POST',
      '/api/v1/recovery-form/reset',
      { token: raw, password: 'recovered pass 1234' },
      { ip: ipv4() },
    );
    expect(r.status).toBe(200);
    expect((await me(a, a.other)).status).toBe(401);
    expect((await me(a, a.token)).status).toBe(401);
  });

  it('a session ended by its id on A', async () => {
    const a = await owner();
    const list = (await call(t, 'GET', '/api/v1/sessions', undefined, a)).body.sessions as {
      publicId: string;
      current: boolean;
    }[];
    const others = list.filter((s) => !s.current);
    for (const s of others)
      expect((await call(t, 'DELETE', `/api/v1/sessions/${s.publicId}`, undefined, a)).status).toBeLessThan(
        300,
      );
    expect((await me(a, a.other)).status).toBe(401);
    expect((await me(a, a.token)).status).toBe(200);
  });
});
