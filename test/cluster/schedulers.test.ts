import { type ChildProcess, fork } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t as tr } from '../../src/i18n/index.ts';
import { ManualClock } from '../../src/kernel/clock.ts';
import { createNotice, sendNotice } from '../../src/notices/notices.ts';
import { createOperator } from '../../src/operator/operator-auth.ts';
import { PG_ADMIN_URL } from '../support/databases.ts';
import {
  createTestApp,
  signedUpAccount,
  type TestApp,
  uniqueEmail,
  verifiedEmail,
} from '../support/harness.ts';
import { REDIS_URL, report } from './cluster.ts';
import type { WorkerReport } from './scheduler-worker.ts';

const COMPLETED = tr('ja', 'replacement.mail.completed.subject');
const isReminder = (subject: string) => subject.startsWith('【再通知】');
const PERIODIC = /セキュリティ情報が今もご自身のものか/;
const NOTICE = '料金改定のお知らせ';
const INSTANCES = 3;
const ROUNDS = 3;

/** Signs up, adds a verified contact email, enters and verifies one new email, starts the 30-day wait. */
async function startedReplacement(t: TestApp) {
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
  expect((await t.api('POST', '/api/v1/replacement/start', {}, account.token)).status).toBe(202);
  return { ...account, contact, newEmail };
}

/**
 * The background jobs of src/app.ts's timers — the replacement scheduler (completions and the reminders
 * of the wait), the hourly housekeeping (expired rows, periodic "still yours?" reminders), the service
 * notice delivery — run by three instances at once (three processes, each with its own connection pool,
 * on one PostgreSQL database and one Redis), three rounds each, then each delivers the outbox. Every job is
 * done exactly once: what a user would notice is the number of emails.
 */
describe('schedulers on three instances: each job done exactly once', () => {
  let t: TestApp;
  const workers: ChildProcess[] = [];
  const due: Awaited<ReturnType<typeof startedReplacement>>[] = [];
  const waiting: Awaited<ReturnType<typeof startedReplacement>>[] = [];
  const aged: string[] = [];
  let expiredSessions = 0;
  let databaseUrl = '';

  beforeAll(async () => {
    // Real time: the worker instances run on the real clock.
    t = await createTestApp({ store: 'postgres', clock: new ManualClock(new Date()) });
    for (let i = 0; i < 3; i++) due.push(await startedReplacement(t));
    for (let i = 0; i < 3; i++) waiting.push(await startedReplacement(t));
    const ids = async (emails: string[]) =>
      (
        await t.app.deps.db.query<{ id: string }>('SELECT id FROM accounts WHERE email = ANY($1::text[])', [
          emails,
        ])
      ).map((r) => r.id);
    // Three waits are over; three others started 8 days ago (the reminders of days 1 and 7 are due: one
    // message, see src/replacement/scheduler.ts).
    await t.app.deps.db.query(
      `UPDATE replacements SET effective_at = now() - interval '1 minute'
       WHERE status = 'pending' AND account_id = ANY($1::text[])`,
      [await ids(due.map((a) => a.email))],
    );
    await t.app.deps.db.query(
      `UPDATE replacements SET started_at = now() - interval '8 days'
       WHERE status = 'pending' AND account_id = ANY($1::text[])`,
      [await ids(waiting.map((a) => a.email))],
    );
    // Twelve accounts whose periodic check is due (created 95 days ago, never confirmed), whose sessions
    // have expired.
    for (let i = 0; i < 12; i++) aged.push((await signedUpAccount(t)).email);
    const agedIds = await ids(aged);
    await t.app.deps.db.query(
      `UPDATE accounts SET created_at = now() - interval '95 days' WHERE id = ANY($1::text[])`,
      [agedIds],
    );
    expiredSessions = (
      await t.app.deps.db.query(
        `UPDATE sessions SET expires_at = now() - interval '1 day' WHERE account_id = ANY($1::text[]) RETURNING id`,
        [agedIds],
      )
    ).length;
    // A service notice to every account.
    const admin = await createOperator(t.app.deps, {
      name: 'sched.admin',
      password: 'operator passphrase 1234',
      role: 'admin',
    });
    const notice = await createNotice(t.app.deps, admin, {
      category: 'billing',
      subjectJa: NOTICE,
      bodyJa: '来月から料金が変わります。',
      subjectEn: 'New prices',
      bodyEn: 'Prices change next month.',
    });
    await sendNotice(t.app.deps, admin, notice.id);
    await t.drain();
    t.sink.clear();

    const [row] = await t.app.deps.db.query<{ db: string }>('SELECT current_database() AS db');
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${row!.db}`;
    databaseUrl = url.toString();
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      REDIS_KEY_PREFIX: `mamori-sched-${process.pid}:`,
      SMTP_URL: t.sink.url,
      MAIL_FROM: 'Mamori <security@mamori.test>',
      MAMORI_SECRET: 'test-secret-test-secret-test-secret-0123',
      PUBLIC_URL: 'http://mamori.test',
      NOTICES_PER_MINUTE: '10000',
    };
    for (let i = 0; i < INSTANCES; i++)
      workers.push(
        fork(new URL('./scheduler-worker.ts', import.meta.url).pathname, [], {
          env,
          execArgv: ['--import', 'tsx'],
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        }),
      );
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('message', () => resolve());
            w.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready`)));
          }),
      ),
    );
  }, 180_000);

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await t?.close();
  });

  it('three instances at once: each due replacement completes once, each reminder, periodic reminder and notice email goes out once, each expired session is removed once', async () => {
    const reports = await Promise.all(
      workers.map(
        (w) =>
          new Promise<WorkerReport>((resolve, reject) => {
            w.once('message', (m: { ok: boolean; report?: WorkerReport; error?: string }) =>
              m.ok ? resolve(m.report!) : reject(new Error(m.error)),
            );
            w.send({ go: ROUNDS });
          }),
      ),
    );
    report('scheduler reports per instance', reports);
    const sum = (k: keyof WorkerReport) => reports.reduce((a, r) => a + r[k], 0);
    // What the jobs say they did, added over the instances.
    expect(sum('completed')).toBe(due.length);
    expect(sum('reminded')).toBe(aged.length);
    expect(sum('sessionsRemoved')).toBe(expiredSessions);
    const mails = (to: string, p: (subject: string) => boolean) =>
      t.sink.to(to).filter((m) => p(m.subject)).length;
    for (const a of due)
      for (const to of [a.email, a.contact, a.newEmail])
        expect(
          mails(to, (s) => s === COMPLETED),
          `completed → ${to}`,
        ).toBe(1);
    for (const a of waiting) {
      expect(mails(a.contact, isReminder), `reminder → ${a.contact}`).toBe(1);
      expect(mails(a.contact, (s) => s === COMPLETED)).toBe(0);
    }
    for (const to of aged)
      expect(
        mails(to, (s) => PERIODIC.test(s)),
        `periodic → ${to}`,
      ).toBe(1);
    // The notice: once per address, and every address of every account.
    const noticeMails = t.sink.messages.filter((m) => m.subject === NOTICE);
    const byAddress = new Map<string, number>();
    for (const m of noticeMails) byAddress.set(m.to, (byAddress.get(m.to) ?? 0) + 1);
    expect([...byAddress.values()].filter((n) => n !== 1)).toEqual([]);
    expect(noticeMails.length).toBe(sum('notices'));
    for (const to of [...aged, ...due.map((a) => a.email), ...waiting.map((a) => a.contact)])
      expect(
        noticeMails.filter((m) => m.to.includes(to)),
        `notice → ${to}`,
      ).toHaveLength(1);
    const [left] = await t.app.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sessions WHERE expires_at < now()`,
    );
    expect(left!.n).toBe(0);
    const statuses = await t.app.deps.db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM replacements GROUP BY status ORDER BY status`,
    );
    expect(statuses).toEqual([
      { status: 'completed', n: due.length },
      { status: 'pending', n: waiting.length },
    ]);
  }, 120_000);
});
