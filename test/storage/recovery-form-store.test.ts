import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceResult } from '../../src/recovery-form/scoring.ts';
import {
  countSubmittedSince,
  decideRequest,
  findApprovedByLink,
  findRequestByFlow,
  hasPastContact,
  insertDraftRequest,
  markContactVerified,
  markLinkUsed,
  requestStamp,
  spendPowSalt,
  submitRequest,
  upsertPastContact,
} from '../../src/recovery-form/store.ts';
import type { Db } from '../../src/storage/db.ts';
import { openTestStore, type StoreKind } from '../support/databases.ts';

const T0 = new Date('2026-11-29T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const EVIDENCE = { passwords: [true], countries: [] } as unknown as EvidenceResult;

/** The recovery-form store's contract, on the embedded store and on PostgreSQL. */
describe.each<StoreKind>(['pglite', 'postgres'])('recovery-form store on %s', (kind) => {
  let db: Db;
  let close: () => Promise<void>;
  let n = 0;
  beforeAll(async () => {
    ({ db, close } = await openTestStore(kind));
  });
  afterAll(() => close());

  /** A fixture account (accounts is not this store's table: written here only as test data). */
  async function account(): Promise<string> {
    const id = `acc-${kind}-${++n}`;
    await db.query(
      `INSERT INTO accounts (id, email, email_key, display_name, locale, password_hash, password_changed_at, created_at, updated_at)
       VALUES ($1, $2, $2, 'T', 'en', 'x', $3, $3, $3)`,
      [id, `${id}@example.com`, T0],
    );
    return id;
  }

  async function draft(o: { accountId?: string | null; accountKey?: string; mailbox?: string } = {}) {
    const id = `rfq-${kind}-${++n}`;
    await insertDraftRequest(db, {
      id,
      flowHash: `flow-${id}`,
      accountId: o.accountId ?? null,
      accountKey: o.accountKey ?? `owner${n}@example.com`,
      contactEmail: `Contact${n}@example.net`,
      contactKey: `contact${n}@example.net`,
      locale: 'ja',
      challengeId: `chl-${id}`,
      createdAt: T0,
      expiresAt: at(3_600_000),
      ip: '192.0.2.1',
      userAgent: 'test',
      country: 'JP',
      stamp: o.accountId ? '12' : null,
      contactMailbox: o.mailbox ?? `contact${n}@example.net`,
    });
    return id;
  }

  async function submitted(id: string, when: Date) {
    await submitRequest(db, id, {
      score: 42,
      evidence: EVIDENCE,
      submittedAt: when,
      dueAt: at(86_400_000),
      country: 'US',
      ip: '198.51.100.1',
      userAgent: 'ua',
    });
  }

  it('keeps a draft by its flow hash; verifies its contact; submits it for review', async () => {
    const accountId = await account();
    const id = await draft({ accountId });
    const row = await findRequestByFlow(db, `flow-${id}`);
    expect(row).toMatchObject({
      id,
      account_id: accountId,
      status: 'draft',
      contact_email: expect.stringMatching(/^Contact/),
      locale: 'ja',
      challenge_id: `chl-${id}`,
      contact_verified_at: null,
    });
    expect(await requestStamp(db, id)).toBe('12');
    expect(await findRequestByFlow(db, 'flow-none')).toBeNull();
    await markContactVerified(db, id, at(5));
    await submitted(id, at(10));
    expect(await db.tx((tx) => findRequestByFlow(tx, `flow-${id}`, true))).toMatchObject({
      status: 'review',
      score: 42,
      evidence: EVIDENCE,
      contact_verified_at: at(5),
      submitted_at: at(10),
      due_at: at(86_400_000),
      country: 'US',
    });
  });

  it('counts submissions per account and per mailbox after a time', async () => {
    const key = `counted-${kind}@example.com`;
    const a = await draft({ accountKey: key, mailbox: `box-${kind}` });
    const b = await draft({ accountKey: key });
    await draft({ accountKey: key }); // never submitted
    await submitted(a, at(1000));
    await submitted(b, at(5000));
    expect(await countSubmittedSince(db, 'account_key', key, T0)).toBe(2);
    expect(await countSubmittedSince(db, 'account_key', key, at(2000))).toBe(1);
    expect(await countSubmittedSince(db, 'contact_mailbox', `box-${kind}`, T0)).toBe(1);
    expect(await countSubmittedSince(db, 'contact_mailbox', 'nobody', T0)).toBe(0);
  });

  it('decides a request under review once, and finds an approval by its link until used', async () => {
    const accountId = await account();
    const id = await draft({ accountId });
    const decision = {
      status: 'approved' as const,
      decidedBy: 'auto',
      reason: '',
      at: at(1),
      linkHash: `link-${id}`,
      linkExpiresAt: at(48 * 3_600_000),
    };
    expect(await decideRequest(db, id, decision)).toBe(false); // still a draft
    await submitted(id, at(1));
    expect(await decideRequest(db, id, decision)).toBe(true);
    expect(await decideRequest(db, id, { ...decision, status: 'denied' })).toBe(false);
    expect(await findApprovedByLink(db, `link-${id}`)).toEqual({
      id,
      account_id: accountId,
      contact_email: expect.stringMatching(/^Contact/),
      reset_expires_at: at(48 * 3_600_000),
      reset_used_at: null,
      stamp: '12',
    });
    await markLinkUsed(db, id, at(2));
    expect(await db.tx((tx) => findApprovedByLink(tx, `link-${id}`, true))).toMatchObject({
      reset_used_at: at(2),
    });
    expect(await findApprovedByLink(db, 'link-none')).toBeNull();

    const denied = await draft();
    await submitted(denied, at(1));
    await decideRequest(db, denied, { ...decision, status: 'denied', linkHash: `link-${denied}` });
    expect(await findApprovedByLink(db, `link-${denied}`)).toBeNull();
  });

  it('has exactly one decision among 100 concurrent deciders', async () => {
    const id = await draft({ accountId: await account() });
    await submitted(id, at(1));
    const won = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        db.tx((tx) =>
          decideRequest(tx, id, {
            status: i % 2 ? 'approved' : 'denied',
            decidedBy: `op${i}`,
            reason: '',
            at: at(i),
            linkHash: i % 2 ? `l-${id}-${i}` : null,
            linkExpiresAt: null,
          }),
        ),
      ),
    );
    expect(won.filter(Boolean)).toHaveLength(1);
  });

  it('remembers past contacts idempotently, per account and kind', async () => {
    const a = await account();
    const b = await account();
    expect(await hasPastContact(db, a, 'email', 'h1')).toBe(false);
    await Promise.all(Array.from({ length: 100 }, (_, i) => upsertPastContact(db, a, 'email', 'h1', at(i))));
    expect(await hasPastContact(db, a, 'email', 'h1')).toBe(true);
    expect(await hasPastContact(db, a, 'phone', 'h1')).toBe(false);
    expect(await hasPastContact(db, b, 'email', 'h1')).toBe(false);
    const rows = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM past_contacts WHERE account_id = $1',
      [a],
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('spends a proof-of-work salt once: one winner among 100 concurrent spends', async () => {
    const salt = `salt-${kind}?expires=1`;
    const results = await Promise.all(Array.from({ length: 100 }, () => spendPowSalt(db, salt, at(600_000))));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await spendPowSalt(db, salt, at(600_000))).toBe(false);
    expect(await spendPowSalt(db, `${salt}-other`, at(600_000))).toBe(true);
  });
});
