import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { t as tr } from '../../src/i18n/index.ts';
import { DAY } from '../../src/kernel/clock.ts';
import {
  beginReplacement,
  cancelReplacementOnOldMethodUse,
  SYSTEM_CTX,
} from '../../src/replacement/replacement-service.ts';
import { assertNotRestricted } from '../../src/replacement/restrictions.ts';
import { createReplacementScheduler } from '../../src/replacement/scheduler.ts';
import { openPostgres } from '../../src/storage/postgres.ts';
import { PG_ADMIN_URL } from '../support/databases.ts';
import {
  createTestApp,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';

const MINUTE = 60_000;
const STARTED = tr('ja', 'replacement.mail.started.subject');
const COMPLETED = tr('ja', 'replacement.mail.completed.subject');
const CANCELLED = tr('ja', 'replacement.mail.cancelled.subject');
const isReminder = (subject: string) => subject.startsWith('【再通知】');

interface State {
  pending: null | {
    id: string;
    effectiveAt: string;
    items: { kind: string; value: string; verified: boolean }[];
  };
  draft: null | { id: string; items: { id: string; verified: boolean }[] };
}

/** Signs up, adds a verified contact email, enters and verifies one new email, starts the wait. */
async function startedReplacement(t: TestApp, o: { start?: boolean } = {}) {
  const account = await signedUpAccount(t);
  const contact = uniqueEmail('old');
  await verifiedEmail(t, account.token, contact);
  t.clock.advance(61_000);
  const newEmail = uniqueEmail('new');
  const added = await t.api('POST', '/api/v1/replacement/emails', { email: newEmail }, account.token);
  expect(added.status).toBe(202);
  const code = await t.mailedCode(newEmail);
  const ok = await t.api(
    'POST',
    `/api/v1/replacement/items/${added.body.itemId}/verify`,
    { code },
    account.token,
  );
  expect(ok.status).toBe(200);
  let effectiveAt = '';
  if (o.start !== false) {
    const started = await t.api('POST', '/api/v1/replacement/start', {}, account.token);
    expect(started.status).toBe(202);
    effectiveAt = started.body.effectiveAt as string;
  }
  return { ...account, contact, newEmail, effectiveAt };
}

/** The account's verified security info, read from the database (sessions expire during a 30-day wait). */
const methodValues = async (t: TestApp, email: string) =>
  (
    await t.app.deps.db.query<{ value: string }>(
      `SELECT m.value FROM security_methods m JOIN accounts a ON a.id = m.account_id
       WHERE a.email = $1 AND m.verified_at IS NOT NULL ORDER BY m.value`,
      [email],
    )
  ).map((m) => m.value);

const accountIdOf = async (t: TestApp, email: string) =>
  (await t.app.deps.db.query<{ id: string }>('SELECT id FROM accounts WHERE email = $1', [email]))[0]!.id;

/** The cancel token in the newest "started"/reminder mail to `to`. */
async function cancelToken(t: TestApp, to: string): Promise<string> {
  await t.drain();
  const mail = t.sink
    .to(to)
    .filter((m) => m.subject === STARTED || isReminder(m.subject))
    .at(-1);
  const m = mail?.text.match(/\/replacement\/cancel\?token=([A-Za-z0-9_-]+)/);
  if (!m?.[1]) throw new Error(`no cancel link mailed to ${to}`);
  return m[1];
}

describe('replacement of all security info (HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  // Tests share one app and one clock: a replacement left waiting must not take effect in the next test.
  afterEach(async () => {
    await t.app.deps.db.query(
      `UPDATE replacements SET status = 'cancelled' WHERE status IN ('pending', 'draft')`,
    );
  });

  it('holds verified new info for 30 days, tells every old contact at once with a cancel link', async () => {
    const a = await startedReplacement(t);
    const start = t.clock.now().getTime();
    expect(new Date(a.effectiveAt).getTime()).toBe(start + 30 * DAY);
    const state = (await t.api('GET', '/api/v1/replacement', undefined, a.token)).body as unknown as State;
    expect(state.pending?.items).toEqual([expect.objectContaining({ value: a.newEmail, verified: true })]);
    expect(state.draft).toBeNull();
    // Nothing changes meanwhile.
    expect(await methodValues(t, a.email)).toEqual([a.contact]);
    await t.drain();
    for (const to of [a.email, a.contact]) {
      const mails = t.sink.to(to).filter((m) => m.subject === STARTED);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.text).toContain('/replacement/cancel?token=');
      expect(mails[0]!.text).toContain('/replacement/not-me?token=');
      expect(mails[0]!.text).not.toContain(a.newEmail); // masked
    }
    expect(t.sink.to(a.newEmail).filter((m) => m.subject === STARTED)).toHaveLength(0);
    // A second one cannot be started meanwhile.
    const again = await t.api('POST', '/api/v1/replacement/emails', { email: uniqueEmail() }, a.token);
    expect(again.body.error?.code).toBe('replacement.already_pending');
  });

  it('refuses every restricted action during the wait, with the end date', async () => {
    const a = await startedReplacement(t);
    const token = a.token;
    const date = '2026/12/'; // the end of the wait, in the account's locale and time zone
    const expectRestricted = (r: { status: number; body: { error?: { code: string; message: string } } }) => {
      expect(r.status).toBe(423);
      expect(r.body.error?.code).toBe('account.restricted');
      expect(r.body.error?.message).toContain(date);
    };
    const methods = (await t.api('GET', '/api/v1/methods', undefined, token)).body.methods as {
      id: string;
    }[];
    expectRestricted(
      await t.api('POST', '/api/v1/password', { password: 'another fine passphrase 99' }, token),
    );
    expectRestricted(await t.api('POST', '/api/v1/methods/emails', { email: uniqueEmail() }, token));
    expectRestricted(
      await t.api('POST', '/api/v1/methods/phones', { country: 'JP', number: '090-1234-5678' }, token),
    );
    expectRestricted(await t.api('DELETE', `/api/v1/methods/${methods[0]!.id}`, undefined, token));
    expectRestricted(await t.api('PUT', '/api/v1/two-step', { enabled: true }, token));
    expectRestricted(await t.api('POST', '/api/v1/methods/totp', {}, token));
    expectRestricted(await t.api('POST', '/api/v1/methods/passkeys/options', {}, token));
    // The 423 message names the date in the request's language.
    const en = await t.api('POST', '/api/v1/methods/emails?lang=en', { email: uniqueEmail() }, token);
    expect(en.body.error?.message).toMatch(/^Not possible while your security info is being replaced/);
  });

  it('sends the reminders on days 1, 7, 21 and 28, each exactly once, then takes effect exactly once', async () => {
    const a = await startedReplacement(t);
    const sched = t.app.replacementScheduler;
    const reminders = async () => {
      await t.drain();
      return t.sink.to(a.contact).filter((m) => isReminder(m.subject)).length;
    };
    const started = t.clock.now().getTime();
    const at = async (day: number) => {
      t.clock.set(new Date(started + day * DAY));
      expect(await sched.runOnce()).toBe(0);
      await sched.runOnce();
    };
    await at(0.9);
    expect(await reminders()).toBe(0);
    await at(1);
    expect(await reminders()).toBe(1);
    await at(6.5);
    expect(await reminders()).toBe(1);
    await at(7.2);
    expect(await reminders()).toBe(2);
    await at(21);
    expect(await reminders()).toBe(3);
    await at(28.5);
    expect(await reminders()).toBe(4);
    expect(t.sink.to(a.email).filter((m) => isReminder(m.subject))).toHaveLength(4);
    // Each reminder carries its own working cancel link.
    const reminderText = t.sink
      .to(a.contact)
      .filter((m) => isReminder(m.subject))
      .at(-1)!.text;
    expect(reminderText).toContain('/replacement/cancel?token=');
    expect(reminderText).toMatch(/残り2日/);

    t.clock.set(new Date(started + 30 * DAY - 1000));
    expect(await sched.runOnce()).toBe(0);
    expect(await methodValues(t, a.email)).toEqual([a.contact]);
    t.clock.set(new Date(started + 30 * DAY));
    expect(await sched.runOnce()).toBe(1);
    expect(await sched.runOnce()).toBe(0);
    expect(await reminders()).toBe(4);
    expect(await methodValues(t, a.email)).toEqual([a.newEmail]);
    await t.drain();
    for (const to of [a.email, a.contact, a.newEmail])
      expect(
        t.sink.to(to).filter((m) => m.subject === COMPLETED),
        to,
      ).toHaveLength(1);
    // No longer restricted; the old cancel link no longer works.
    await expect(assertNotRestricted(t.app.deps, await accountIdOf(t, a.email))).resolves.toBeUndefined();
    const link = await t.api('POST', '/api/v1/replacement/link', { token: await cancelToken(t, a.contact) });
    expect(link.status).toBe(404);
  });

  it('a missed reminder day sends one message, not several', async () => {
    const a = await startedReplacement(t);
    t.clock.advance(8 * DAY);
    await t.app.replacementScheduler.runOnce();
    await t.app.replacementScheduler.runOnce();
    await t.drain();
    expect(t.sink.to(a.contact).filter((m) => isReminder(m.subject))).toHaveLength(1);
    const days = await t.app.deps.db.query<{ day: number }>(
      `SELECT day FROM replacement_reminders x JOIN replacements r ON r.id = x.replacement_id
       JOIN accounts a ON a.id = r.account_id WHERE a.email = $1 ORDER BY day`,
      [a.email],
    );
    expect(days.map((d) => d.day)).toEqual([0, 1, 7]);
  });

  it('cancels by the mailed link without signing in: GET only shows, POST cancels', async () => {
    const a = await startedReplacement(t);
    const token = await cancelToken(t, a.contact);
    const page = await t.app.http.inject({ method: 'GET', url: `/replacement/cancel?token=${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(tr('ja', 'replacement.cancel.submit'));
    let state = (await t.api('GET', '/api/v1/replacement', undefined, a.token)).body as unknown as State;
    expect(state.pending).not.toBeNull();

    const info = await t.api('POST', '/api/v1/replacement/link', { token });
    expect(info.status).toBe(200);
    expect(info.body.effectiveAt).toBe(a.effectiveAt);
    const r = await t.api('POST', '/api/v1/replacement/link/cancel', { token });
    expect(r.status).toBe(204);
    state = (await t.api('GET', '/api/v1/replacement', undefined, a.token)).body as unknown as State;
    expect(state.pending).toBeNull();
    await t.drain();
    expect(t.sink.to(a.contact).filter((m) => m.subject === CANCELLED)).toHaveLength(1);
    // Used up, and nothing happens when the wait would have ended.
    expect((await t.api('POST', '/api/v1/replacement/link/cancel', { token })).status).toBe(404);
    t.clock.advance(31 * DAY);
    expect(await t.app.replacementScheduler.runOnce()).toBe(0);
    expect(await methodValues(t, a.email)).toEqual([a.contact]);
  });

  it('"this wasn\'t me" cancels and signs every session out', async () => {
    const a = await startedReplacement(t);
    const token = await cancelToken(t, a.email);
    const r = await t.api('POST', '/api/v1/replacement/link/cancel', { token, notMe: true });
    expect(r.status).toBe(204);
    expect((await t.api('GET', '/api/v1/replacement', undefined, a.token)).status).toBe(401);
    const row = await t.app.deps.db.query<{ status: string; ended_how: string }>(
      `SELECT r.status, r.ended_how FROM replacements r JOIN accounts a ON a.id = r.account_id WHERE a.email = $1`,
      [a.email],
    );
    expect(row).toEqual([{ status: 'cancelled', ended_how: 'not_me' }]);
  });

  it('the signed-in owner can cancel; a bad or missing token is refused', async () => {
    const a = await startedReplacement(t);
    expect((await t.api('POST', '/api/v1/replacement/cancel', {}, a.token)).status).toBe(204);
    expect((await t.api('POST', '/api/v1/replacement/cancel', {}, a.token)).status).toBe(404);
    expect((await t.api('POST', '/api/v1/replacement/link/cancel', { token: 'x'.repeat(43) })).status).toBe(
      404,
    );
    const page = await t.app.http.inject({ method: 'GET', url: '/replacement/cancel?token=nope' });
    expect(page.statusCode).toBe(404);
  });

  it('using an old method cancels it (cancelReplacementOnOldMethodUse)', async () => {
    const a = await startedReplacement(t);
    const accountId = (await t.api('GET', '/api/v1/me', undefined, a.token)).body.id as string;
    const cancelled = await t.app.deps.db.tx((tx) =>
      cancelReplacementOnOldMethodUse(t.app.deps, tx, accountId),
    );
    expect(cancelled).toBe(true);
    expect(await t.app.deps.db.tx((tx) => cancelReplacementOnOldMethodUse(t.app.deps, tx, accountId))).toBe(
      false,
    );
    expect(
      (await t.api('POST', '/api/v1/methods/emails', { email: uniqueEmail() }, a.token)).status,
    ).not.toBe(423);
    await t.drain();
    expect(t.sink.to(a.contact).filter((m) => m.subject === CANCELLED)).toHaveLength(1);
  });

  it('a valid recovery code skips the wait; it is spent and a new one is issued', async () => {
    const account = await signedUpAccount(t);
    const made = await t.api('POST', '/api/v1/recovery-code', {}, account.token);
    const oldCode = made.body.recoveryCode as string;
    expect(oldCode).toBeTruthy();
    // Made more than 30 days ago (a younger code does not skip the wait: see the next test).
    await t.app.deps.db.query(
      `UPDATE accounts SET recovery_code_created_at = recovery_code_created_at - interval '31 days' WHERE email = $1`,
      [account.email],
    );
    const newEmail = uniqueEmail('new');
    const added = await t.api('POST', '/api/v1/replacement/emails', { email: newEmail }, account.token);
    const code = await t.mailedCode(newEmail);
    await t.api('POST', `/api/v1/replacement/items/${added.body.itemId}/verify`, { code }, account.token);
    expect((await t.api('POST', '/api/v1/replacement/start', {}, account.token)).status).toBe(202);

    const wrong = await t.api(
      'POST',
      '/api/v1/replacement/recovery-code',
      { recoveryCode: 'A'.repeat(25) },
      account.token,
    );
    expect(wrong.body.error?.code).toBe('code.invalid');
    const r = await t.api(
      'POST',
      '/api/v1/replacement/recovery-code',
      { recoveryCode: oldCode },
      account.token,
    );
    expect(r.status).toBe(200);
    expect(r.body.recoveryCode).toMatch(/\w/);
    expect(r.body.recoveryCode).not.toBe(oldCode);
    expect(await methodValues(t, account.email)).toEqual([newEmail]);
    expect(await t.app.replacementScheduler.runOnce()).toBe(0);
    await t.drain();
    expect(t.sink.to(newEmail).filter((m) => m.subject === COMPLETED)).toHaveLength(1);
    const again = await t.api(
      'POST',
      '/api/v1/replacement/recovery-code',
      { recoveryCode: oldCode },
      account.token,
    );
    expect(again.body.error?.code).toBe('replacement.not_found');
  });

  it('a recovery code younger than the wait is refused and not spent', async () => {
    const a = await startedReplacement(t, { start: false });
    const code = (await t.api('POST', '/api/v1/recovery-code', {}, a.token)).body.recoveryCode as string;
    expect((await t.api('POST', '/api/v1/replacement/start', {}, a.token)).status).toBe(202);
    const r = await t.api('POST', '/api/v1/replacement/recovery-code', { recoveryCode: code }, a.token);
    expect(r.status).toBe(423);
    expect(r.body.error?.code).toBe('account.restricted');
    expect(await methodValues(t, a.email)).toEqual([a.contact]);
  });

  it('needs verified new info and a fresh proof; unverified items are not applied', async () => {
    const account = await signedUpAccount(t);
    expect((await t.api('POST', '/api/v1/replacement/start', {}, account.token)).body.error?.code).toBe(
      'replacement.invalid',
    );
    const added = await t.api('POST', '/api/v1/replacement/emails', { email: uniqueEmail() }, account.token);
    expect(added.status).toBe(202);
    const wrong = await t.api(
      'POST',
      `/api/v1/replacement/items/${added.body.itemId}/verify`,
      { code: '000000' },
      account.token,
    );
    expect(wrong.body.error?.code).toBe('code.wrong');
    expect((await t.api('POST', '/api/v1/replacement/start', {}, account.token)).body.error?.code).toBe(
      'replacement.invalid',
    );
    t.clock.advance(11 * MINUTE);
    const stale = await t.api('POST', '/api/v1/replacement/emails', { email: uniqueEmail() }, account.token);
    expect(stale.body.error?.code).toBe('auth.reauth_required');
  });

  it('beginReplacement starts the wait with info verified elsewhere (the recovery form)', async () => {
    const account = await signedUpAccount(t);
    const accountId = (await t.api('GET', '/api/v1/me', undefined, account.token)).body.id as string;
    const newEmail = uniqueEmail('form');
    const r = await t.app.deps.db.tx((tx) =>
      beginReplacement(
        t.app.deps,
        tx,
        accountId,
        { emails: [newEmail], phones: ['+81 90-1234-5678'] },
        SYSTEM_CTX,
        'recovery_form',
      ),
    );
    expect(r.effectiveAt.getTime()).toBe(t.clock.now().getTime() + 30 * DAY);
    const state = (await t.api('GET', '/api/v1/replacement', undefined, account.token))
      .body as unknown as State;
    expect(state.pending?.items.map((i) => i.value).sort()).toEqual(['+819012345678', newEmail]);
    await t.drain();
    expect(t.sink.to(account.email).filter((m) => m.subject === STARTED)).toHaveLength(1);
    await expect(
      t.app.deps.db.tx((tx) =>
        beginReplacement(t.app.deps, tx, accountId, { emails: [newEmail], phones: [] }, SYSTEM_CTX, 'self'),
      ),
    ).rejects.toMatchObject({ code: 'replacement.already_pending' });
    t.clock.advance(30 * DAY);
    expect(await t.app.replacementScheduler.runOnce()).toBe(1);
    expect(await methodValues(t, account.email)).toEqual(['+819012345678', newEmail]);
  });
});

describe('replacement scheduler on PostgreSQL with two instances', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  it('takes effect exactly once with two schedulers running concurrently and a restart', async () => {
    const accounts = [];
    for (let i = 0; i < 4; i++) accounts.push(await startedReplacement(t));
    // A second instance: its own connection pool on the same database.
    const [{ db }] = (await t.app.deps.db.query<{ db: string }>('SELECT current_database() AS db')) as [
      { db: string },
    ];
    const u = new URL(PG_ADMIN_URL);
    u.pathname = `/${db}`;
    const dbUrl = u.toString();
    const second = await openPostgres(dbUrl);
    try {
      const a = t.app.replacementScheduler;
      const b = createReplacementScheduler({ ...t.app.deps, db: second });
      // Day 7: both send reminders at once, each reminder goes out once.
      t.clock.advance(7 * DAY);
      await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
      await t.drain();
      for (const x of accounts)
        expect(
          t.sink.to(x.contact).filter((m) => isReminder(m.subject)),
          x.contact,
        ).toHaveLength(1);

      // "Restart": new scheduler objects on both instances, then the wait ends.
      const a2 = createReplacementScheduler(t.app.deps);
      const b2 = createReplacementScheduler({ ...t.app.deps, db: second });
      t.clock.advance(23 * DAY);
      const done = await Promise.all([a2.runOnce(), b2.runOnce(), a.runOnce(), b.runOnce()]);
      expect(done.reduce((x, y) => x + y, 0)).toBe(accounts.length);
      expect(await a2.runOnce()).toBe(0);
      expect(await b2.runOnce()).toBe(0);
      await t.drain();
      for (const x of accounts) {
        expect(await methodValues(t, x.email)).toEqual([x.newEmail]);
        expect(t.sink.to(x.newEmail).filter((m) => m.subject === COMPLETED)).toHaveLength(1);
        expect(t.sink.to(x.contact).filter((m) => m.subject === COMPLETED)).toHaveLength(1);
      }
      const completed = await t.app.deps.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM activity WHERE kind = 'replacement.completed'`,
      );
      expect(completed[0]!.n).toBe(accounts.length);
      // Start/stop of the loop is harmless.
      b2.start();
      await b2.stop();
    } finally {
      await second.close();
    }
  });
});
