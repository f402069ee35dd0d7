import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isPeriodicCheckDue, pathAfterSignIn, sendPeriodicReminders } from '../../src/checkup/periodic.ts';
import { DAY } from '../../src/kernel/clock.ts';
import {
  createTestApp,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';
import { formClient } from '../web/browser-less-client.ts';

describe('security checkup and the periodic check (HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  afterEach(() => {
    delete process.env.PERIODIC_CHECK_DAYS;
  });

  const accountId = async (token: string) =>
    (await t.api('GET', '/api/v1/me', undefined, token)).body.id as string;
  /** Moves the account's creation (and its last confirmation) `days` into the past. */
  const age = (id: string, days: number) =>
    t.app.deps.db.query(
      'UPDATE accounts SET created_at = $2::timestamptz, info_confirmed_at = CASE WHEN info_confirmed_at IS NULL THEN NULL ELSE $2::timestamptz END WHERE id = $1',
      [id, new Date(t.clock.now().getTime() - days * DAY)],
    );
  const web = (token: string) => {
    const c = formClient(t);
    c.jar.set('mamori_session', token);
    return c;
  };

  it('GET /api/v1/checkup scores a new account and lists what to improve', async () => {
    const { token } = await signedUpAccount(t);
    const r = await t.api('GET', '/api/v1/checkup', undefined, token);
    expect(r.status).toBe(200);
    // Nothing is in place yet, and nothing is ticked for addresses the account does not have.
    expect(r.body.score).toBe(0);
    const items = r.body.items as {
      id: string;
      ok: boolean;
      variant: string | null;
      actions: { method: string; path: string }[];
    }[];
    expect(items.map((i) => i.id)).toEqual([
      'two_methods',
      'two_step',
      'strong_method',
      'phone',
      'recovery_code',
    ]);
    expect(items.every((i) => !i.ok)).toBe(true);
    expect(items[0]?.variant).toBe('first_method');
    // Two-step waits for two methods and offers no button that would only be refused.
    expect(items[1]).toMatchObject({ variant: 'needs_two_methods', actions: [] });
    expect(items.find((i) => i.id === 'recovery_code')?.actions).toEqual([
      { method: 'post', path: '/security/recovery-code' },
    ]);
    expect((await t.api('GET', '/api/v1/checkup')).status).toBe(401);
  });

  it('counts a verified contact address, and flags role and disposable addresses by name', async () => {
    const { token } = await signedUpAccount(t);
    const role = `info.${Math.random().toString(36).slice(2, 6)}@example.org`.replace(
      /^info\.[a-z0-9]+/,
      'info',
    );
    await verifiedEmail(t, token, role);
    const id = await accountId(token);
    // Older accounts may still hold a throwaway address (added before such addresses were refused).
    await t.app.deps.db.query(
      `INSERT INTO security_methods (id, account_id, kind, value, value_key, verified_at, created_at)
       VALUES ($1, $2, 'email', 'old@mailinator.com', 'old@mailinator.com', $3, $3)`,
      [`mth_test_${id}`, id, t.clock.now()],
    );
    const r = await t.api('GET', '/api/v1/checkup', undefined, token);
    const items = r.body.items as { id: string; ok: boolean; addresses: string[] }[];
    expect(items.find((i) => i.id === 'two_methods')?.ok).toBe(true);
    expect(items.find((i) => i.id === 'no_role_address')).toMatchObject({ ok: false, addresses: [role] });
    expect(items.find((i) => i.id === 'no_disposable')).toMatchObject({
      ok: false,
      addresses: ['old@mailinator.com'],
    });
    // 100 − two_step 20 − strong 15 − phone 10 − recovery 10 − disposable 10 − role 5
    expect(r.body.score).toBe(30);
  });

  it('the checkup page shows the score, one-click links and CSRF-protected forms', async () => {
    const { token } = await signedUpAccount(t, { locale: 'en' });
    const c = web(token);
    const page = await c.get('/security/checkup');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Security checkup</h1>');
    expect(page.body).toContain('data-score="0"');
    expect(page.body).toContain('Add a way to verify it is you');
    expect(page.body).not.toContain('Add a second way');
    expect(page.body).toContain('Then turn on two-step verification');
    expect(page.body).not.toContain('No disposable addresses');
    expect(page.body).toContain('href="/security/emails/add"');
    expect(page.body).toContain('href="/security/phones/add"');
    expect(page.body).toContain('href="/security/passkeys/add"');
    expect(page.body).not.toContain('href="/security/two-step"');
    expect(page.body).toMatch(
      /<form method="post" action="\/security\/recovery-code" class="inline"><input type="hidden" name="_csrf" value="[^"]+"/,
    );
    expect(page.body).toMatch(/<form method="post" action="\/security\/totp"/);
    // The recovery code form really works from the checkup page.
    const replaces = /name="replaces" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    expect(replaces).toBe('none');
    const made = await c.post('/security/recovery-code', { replaces });
    expect(made.statusCode).toBe(200);
    const after = await c.get('/security/checkup');
    // 10 of the 70 points that apply.
    expect(after.body).toContain('data-score="14"');
    expect(after.body).toContain('data-check="recovery_code" data-ok="true"');
    expect((await formClient(t).get('/security/checkup')).statusCode).toBe(303);
  });

  it('the periodic check is due after PERIODIC_CHECK_DAYS (default 90), never with 0', async () => {
    const { token } = await signedUpAccount(t);
    const id = await accountId(token);
    expect(await isPeriodicCheckDue(t.app.deps, id)).toBe(false);
    expect((await t.api('GET', '/api/v1/checkup/periodic', undefined, token)).body).toMatchObject({
      due: false,
      periodDays: 90,
      everConfirmed: false,
    });
    await age(id, 89);
    expect(await isPeriodicCheckDue(t.app.deps, id)).toBe(false);
    await age(id, 90);
    expect(await isPeriodicCheckDue(t.app.deps, id)).toBe(true);
    expect(await pathAfterSignIn(t.app.deps, id, '/security/sessions')).toBe(
      '/security/confirm-info?next=%2Fsecurity%2Fsessions',
    );
    expect((await t.api('GET', '/api/v1/checkup/periodic', undefined, token)).body.due).toBe(true);
    process.env.PERIODIC_CHECK_DAYS = '0';
    expect(await isPeriodicCheckDue(t.app.deps, id)).toBe(false);
    expect(await pathAfterSignIn(t.app.deps, id, '/security')).toBe('/security');
    process.env.PERIODIC_CHECK_DAYS = '30';
    await age(id, 31);
    expect(await isPeriodicCheckDue(t.app.deps, id)).toBe(true);
    process.env.PERIODIC_CHECK_DAYS = 'soon';
    await expect(isPeriodicCheckDue(t.app.deps, id)).rejects.toThrow(/PERIODIC_CHECK_DAYS/);
  });

  it('confirming on the page dates every verified method, records it, and goes where the user was going', async () => {
    const { token } = await signedUpAccount(t, { locale: 'en' });
    const contact = uniqueEmail('still');
    const methodId = await verifiedEmail(t, token, contact);
    const id = await accountId(token);
    await age(id, 120);
    const c = web(token);
    const page = await c.get('/security/confirm-info?next=/security/sessions');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Is this security info still yours?');
    expect(page.body).toContain(contact);
    expect(page.body).toContain('not checked since');
    const done = await c.post('/security/confirm-info?next=/security/sessions', {});
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/security/sessions');
    const [m] = await t.app.deps.db.query<{ confirmed_at: Date }>(
      'SELECT confirmed_at FROM security_methods WHERE id = $1',
      [methodId],
    );
    expect(m?.confirmed_at.getTime()).toBe(t.clock.now().getTime());
    expect(await isPeriodicCheckDue(t.app.deps, id)).toBe(false);
    const activity = (await t.api('GET', '/api/v1/activity', undefined, token)).body as {
      events?: { kind: string }[];
    };
    expect(JSON.stringify(activity)).toContain('periodic.confirmed');
    const again = await c.get('/security/confirm-info');
    expect(again.body).toMatch(/You last confirmed on/);
    expect(again.body).toMatch(/Confirmed as yours on /);
    // A forged next is not followed.
    const off = await c.post('/security/confirm-info?next=//evil.example', {});
    expect(off.headers.location).toBe('/security?done=confirmed');
    // Without the form's CSRF token nothing happens.
    expect((await c.post('/security/confirm-info', {}, false)).statusCode).toBe(403);
  });

  it('API clients confirm with POST /api/v1/checkup/periodic/confirm', async () => {
    const { token } = await signedUpAccount(t);
    await verifiedEmail(t, token);
    const id = await accountId(token);
    await age(id, 200);
    const before = await t.api('GET', '/api/v1/checkup/periodic', undefined, token);
    expect(before.body.due).toBe(true);
    expect((before.body.methods as { confirmedAt: string | null }[])[0]?.confirmedAt).toBeNull();
    const r = await t.api('POST', '/api/v1/checkup/periodic/confirm', undefined, token);
    expect(r.status).toBe(200);
    expect(r.body.confirmedMethods).toBe(1);
    const after = await t.api('GET', '/api/v1/checkup/periodic', undefined, token);
    expect(after.body).toMatchObject({ due: false, everConfirmed: true });
    expect((after.body.methods as { confirmedAt: string }[])[0]?.confirmedAt).toBe(
      t.clock.now().toISOString(),
    );
  });

  it('sends one reminder per account and period, in the account language', async () => {
    const ja = await signedUpAccount(t, { locale: 'ja' });
    const en = await signedUpAccount(t, { locale: 'en' });
    const fresh = await signedUpAccount(t);
    await age(await accountId(ja.token), 95);
    await age(await accountId(en.token), 95);
    await t.drain();
    const mails = (to: string, subject: RegExp) => t.sink.to(to).filter((m) => subject.test(m.subject));
    const JA = /セキュリティ情報が今もご自身のものか/;
    const EN = /Please check that your security info is still yours/;

    expect(await sendPeriodicReminders(t.app.deps)).toBeGreaterThanOrEqual(2);
    await t.drain();
    expect(mails(ja.email, JA)).toHaveLength(1);
    expect(mails(en.email, EN)).toHaveLength(1);
    expect(mails(fresh.email, JA)).toHaveLength(0);
    const mail = mails(en.email, EN)[0]!;
    expect(mail.text).toContain('http://mamori.test/security/confirm-info');
    expect(mail.text).toMatch(/MMR-[A-Z0-9]{4}-[A-Z0-9]{4}/);

    // Once per period: running again (the hourly housekeeping) sends nothing more.
    await sendPeriodicReminders(t.app.deps);
    await t.drain();
    expect(mails(ja.email, JA)).toHaveLength(1);
    expect(mails(en.email, EN)).toHaveLength(1);

    // Confirming starts a new period: nothing until it is over, then one more reminder.
    await t.api('POST', '/api/v1/checkup/periodic/confirm', undefined, en.token);
    await sendPeriodicReminders(t.app.deps);
    t.clock.advance(89 * DAY);
    await sendPeriodicReminders(t.app.deps);
    await t.drain();
    expect(mails(en.email, EN)).toHaveLength(1);
    expect(mails(ja.email, JA)).toHaveLength(1);
    t.clock.advance(2 * DAY);
    await sendPeriodicReminders(t.app.deps);
    await sendPeriodicReminders(t.app.deps);
    await t.drain();
    expect(mails(en.email, EN)).toHaveLength(2);
    // Never confirmed: reminded again once a whole period has passed since the last reminder.
    expect(mails(ja.email, JA)).toHaveLength(2);
    const listed = await t.app.deps.db.query<{ kind: string }>(
      `SELECT kind FROM outbox WHERE recipient = $1 AND kind = 'periodic_reminder'`,
      [en.email],
    );
    expect(listed).toHaveLength(2);
  });
});
