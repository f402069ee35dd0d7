import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/storage/db.ts';
import {
  codeWasSent,
  consumeChallenge,
  countWrongEntry,
  deleteChallenges,
  deleteChallengesOfSubjects,
  deleteExpiredChallenges,
  deleteExpiredCodeSends,
  deleteSignupChallenges,
  findChallengeBySubject,
  findChallengeDestination,
  findChallengeForCheck,
  findChallengeId,
  findNewestSignupChallenge,
  insertChallenge,
  lastSendAt,
  lockChallengeForIssue,
  type Purpose,
  recordSends,
  sendLedgerWindow,
  signupDestinationKey,
  storeNewCode,
} from '../../src/verification/store.ts';
import { openTestStore, type StoreKind } from '../support/databases.ts';

const T0 = new Date('2026-11-24T00:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

/** The verification store's contract (challenges, code_sends), on the embedded store and on PostgreSQL. */
describe.each<StoreKind>(['pglite', 'postgres'])('verification store on %s', (kind) => {
  let db: Db;
  let close: () => Promise<void>;
  let n = 0;
  beforeAll(async () => {
    ({ db, close } = await openTestStore(kind));
    await db.query(
      `INSERT INTO accounts (id, email, email_key, display_name, locale, password_hash, password_changed_at,
         created_at, updated_at) VALUES ('acc_v', 'v@example.jp', 'v@example.jp', 'V', 'ja', 'x', $1, $1, $1)`,
      [T0],
    );
  });
  afterAll(() => close());

  const challenge = async (
    o: Partial<Parameters<typeof insertChallenge>[1]> & { purpose?: Purpose } = {},
  ): Promise<{ id: string; subject: string }> => {
    n += 1;
    const c = {
      id: `chl_${n}`,
      purpose: 'add_email' as Purpose,
      subject: `subj_${n}`,
      accountId: null,
      channel: 'email' as const,
      destination: `d${n}@example.jp`,
      destinationKey: `d${n}@example.jp`,
      codeHmac: 'h1',
      sentAt: T0,
      expiresAt: later(600_000),
      stamp: null,
      decoy: false,
      ...o,
    };
    await insertChallenge(db, c);
    return { id: c.id, subject: c.subject };
  };

  it('stores a challenge, finds it by subject and id, and tells whether a code was sent', async () => {
    const c = await challenge({
      purpose: 'reauth',
      destination: 'A@Example.jp',
      destinationKey: 'a@example.jp',
    });
    const bySubject = await findChallengeBySubject(db, 'reauth', c.subject);
    expect(bySubject).toEqual({
      id: c.id,
      channel: 'email',
      destination: 'A@Example.jp',
      destinationKey: 'a@example.jp',
      accountId: null,
      codeSent: true,
    });
    expect(await findChallengeDestination(db, c.id)).toEqual({
      channel: 'email',
      destination: 'A@Example.jp',
      destination_key: 'a@example.jp',
    });
    expect(await findChallengeDestination(db, 'chl_none')).toBeNull();
    expect(await findChallengeId(db, 'reauth', c.subject)).toBe(c.id);
    expect(await findChallengeId(db, 'signin', c.subject)).toBeNull();
    expect(await findChallengeBySubject(db, 'signin', c.subject)).toBeNull();
    expect(await codeWasSent(db, 'reauth', c.subject)).toBe(true);
    expect(await codeWasSent(db, 'reauth', 'nothing')).toBe(false);
  });

  it('consumes the current code once; a wrong, expired or replaced code consumes nothing', async () => {
    const c = await challenge();
    const args = {
      id: c.id,
      purpose: 'add_email' as Purpose,
      subject: c.subject,
      now: later(1000),
      maxAttempts: 5,
    };
    expect(await consumeChallenge(db, { ...args, codeHmac: 'wrong' })).toBeNull();
    expect(await consumeChallenge(db, { ...args, now: later(600_001), codeHmac: 'h1' })).toBeNull();
    await storeNewCode(db, {
      id: c.id,
      codeHmac: 'h2',
      sentAt: later(500),
      expiresAt: later(600_500),
      resetFailures: false,
      channel: 'email',
      destination: 'x@example.jp',
      accountId: null,
      stamp: null,
      decoy: false,
    });
    expect(await consumeChallenge(db, { ...args, codeHmac: 'h1' })).toBeNull();
    expect(await consumeChallenge(db, { ...args, codeHmac: 'h2' })).toEqual({
      id: c.id,
      destination: 'x@example.jp',
    });
    expect(await consumeChallenge(db, { ...args, codeHmac: 'h2' })).toBeNull();
    expect((await findChallengeForCheck(db, c.id, 'add_email', c.subject))?.consumed_at).toEqual(later(1000));
  });

  it('never consumes a decoy, nor a code bound to a stamp that is no longer the account’s', async () => {
    const decoy = await challenge({ decoy: true });
    const args = { purpose: 'add_email' as Purpose, now: later(1), codeHmac: 'h1', maxAttempts: 5 };
    expect(await consumeChallenge(db, { ...args, id: decoy.id, subject: decoy.subject })).toBeNull();
    const bound = await challenge({ accountId: 'acc_v', stamp: '0' });
    expect((await findChallengeForCheck(db, bound.id, 'add_email', bound.subject))?.stale).toBe(false);
    await db.query('UPDATE accounts SET security_stamp = security_stamp + 1 WHERE id = $1', ['acc_v']);
    expect((await findChallengeForCheck(db, bound.id, 'add_email', bound.subject))?.stale).toBe(true);
    expect(await consumeChallenge(db, { ...args, id: bound.id, subject: bound.subject })).toBeNull();
  });

  it('counts wrong entries up to the cap and locks at the last one', async () => {
    const c = await challenge();
    const lock = later(900_000);
    const counts = [];
    for (let i = 0; i < 4; i++) counts.push(await countWrongEntry(db, c.id, 3, lock));
    expect(counts).toEqual([1, 2, 3, null]);
    const row = await findChallengeForCheck(db, c.id, 'add_email', c.subject);
    expect(row?.failures).toBe(3);
    expect(row?.locked_until).toEqual(lock);
    // A locked challenge refuses even the right code.
    const args = {
      id: c.id,
      purpose: 'add_email' as Purpose,
      subject: c.subject,
      codeHmac: 'h1',
      maxAttempts: 3,
    };
    expect(await consumeChallenge(db, { ...args, now: later(1) })).toBeNull();
  });

  it('locks the challenge for an issue: a second issuer waits for the first to commit', async () => {
    const c = await challenge({ destinationKey: 'lock@example.jp' });
    const order: string[] = [];
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const first = db.tx(async (tx) => {
      await lockChallengeForIssue(tx, 'add_email', c.subject, 'lock@example.jp');
      order.push('first locked');
      await held;
      order.push('first done');
    });
    await new Promise((r) => setTimeout(r, 50));
    const second = db.tx(async (tx) => {
      const row = await lockChallengeForIssue(tx, 'add_email', c.subject, 'lock@example.jp');
      order.push('second locked');
      return row;
    });
    await new Promise((r) => setTimeout(r, 50));
    release();
    const [, row] = await Promise.all([first, second]);
    expect(order).toEqual(['first locked', 'first done', 'second locked']);
    expect(row?.id).toBe(c.id);
  });

  it('deletes by purpose and subject, by subjects, and the account-bound sign-ups of an address', async () => {
    const a = await challenge({ purpose: 'replace' });
    const b = await challenge({ purpose: 'add_phone' });
    await deleteChallenges(db, 'add_email', a.subject);
    expect(await findChallengeBySubject(db, 'replace', a.subject)).not.toBeNull();
    await deleteChallenges(db, 'replace', a.subject);
    expect(await findChallengeBySubject(db, 'replace', a.subject)).toBeNull();
    await deleteChallengesOfSubjects(db, [b.subject, 'other']);
    expect(await findChallengeBySubject(db, 'add_phone', b.subject)).toBeNull();

    const real = await challenge({ purpose: 'signup', destinationKey: 'su@example.jp', accountId: 'acc_v' });
    const decoy = await challenge({ purpose: 'signup', destinationKey: 'su@example.jp' });
    await deleteSignupChallenges(db, 'su@example.jp');
    expect(await findChallengeDestination(db, real.id)).toBeNull();
    expect(await findChallengeDestination(db, decoy.id)).not.toBeNull();
  });

  it('finds a sign-up challenge only while it is the newest of its address', async () => {
    const older = await challenge({ purpose: 'signup', destinationKey: 'new@example.jp', sentAt: T0 });
    expect((await findNewestSignupChallenge(db, older.subject))?.id).toBe(older.id);
    const newer = await challenge({
      purpose: 'signup',
      destinationKey: 'new@example.jp',
      sentAt: later(1000),
    });
    expect(await findNewestSignupChallenge(db, older.subject)).toBeNull();
    expect(await signupDestinationKey(db, older.subject)).toBe('new@example.jp');
    expect(await signupDestinationKey(db, 'nothing')).toBeNull();
    expect(await findNewestSignupChallenge(db, newer.subject)).toMatchObject({
      id: newer.id,
      account_id: null,
      destination_key: 'new@example.jp',
    });
  });

  it('deletes expired challenges, but not one still locked', async () => {
    const expired = await challenge({ expiresAt: later(-2000) });
    const locked = await challenge({ expiresAt: later(-2000) });
    await countWrongEntry(db, locked.id, 1, later(60_000));
    expect(await deleteExpiredChallenges(db, later(-1000))).toBeGreaterThanOrEqual(1);
    expect(await findChallengeDestination(db, expired.id)).toBeNull();
    expect(await findChallengeDestination(db, locked.id)).not.toBeNull();
  });

  it('records sends per key and counts them in a window', async () => {
    await recordSends(db, ['k1', 'k2'], T0);
    await recordSends(db, ['k1'], later(1000));
    await recordSends(db, [], later(2000));
    expect(await sendLedgerWindow(db, 'k1', later(-1))).toEqual({ n: 2, last: later(1000), oldest: T0 });
    expect(await sendLedgerWindow(db, 'k1', T0)).toEqual({ n: 1, last: later(1000), oldest: later(1000) });
    expect(await sendLedgerWindow(db, 'none', T0)).toEqual({ n: 0, last: null, oldest: null });
    expect(await lastSendAt(db, 'k2')).toEqual(T0);
    expect(await lastSendAt(db, 'none')).toBeNull();
    expect(await deleteExpiredCodeSends(db, later(1))).toBe(2);
    expect(await lastSendAt(db, 'k1')).toEqual(later(1000));
  });

  it('lets exactly one of many concurrent consumes of the same code win', async () => {
    const c = await challenge();
    const tries = kind === 'postgres' ? 100 : 20;
    const results = await Promise.all(
      Array.from({ length: tries }, () =>
        db.tx((tx) =>
          consumeChallenge(tx, {
            id: c.id,
            purpose: 'add_email',
            subject: c.subject,
            now: later(1),
            codeHmac: 'h1',
            maxAttempts: 5,
          }),
        ),
      ),
    );
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });

  it('never counts more wrong entries than the cap under concurrent guesses', async () => {
    const c = await challenge();
    const tries = kind === 'postgres' ? 100 : 20;
    const results = await Promise.all(
      Array.from({ length: tries }, () => db.tx((tx) => countWrongEntry(tx, c.id, 5, later(60_000)))),
    );
    expect(results.filter((r) => r !== null).sort()).toEqual([1, 2, 3, 4, 5]);
    expect((await findChallengeForCheck(db, c.id, 'add_email', c.subject))?.failures).toBe(5);
  });
});
