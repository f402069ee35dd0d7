import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  advancePasskeyCounter,
  confirmVerifiedMethods,
  deleteExpiredWebauthnChallenges,
  deletePendingTotp,
  findMethod,
  findTotp,
  hasVerifiedContact,
  insertPendingContact,
  insertPendingTotp,
  isTotpMethod,
  listMethodFacts,
  listMethods,
  listPasskeys,
  listVerifiedMethodsWithConfirmation,
  lockPasskey,
  markMethodUsed,
  passkeyRegistered,
  reencryptTotpSecrets,
  saveWebauthnChallenge,
  setMethodLabel,
  spendWebauthnChallenge,
  takeTotpStep,
  updatePendingContact,
  verifiedContactEmails,
  verifiedContactValues,
} from '../../src/security-info/store.ts';
import type { Db } from '../../src/storage/db.ts';
import { openTestStore, type StoreKind } from '../support/databases.ts';

const T0 = new Date('2026-11-24T00:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

/** The security-info store's contract (security_methods, webauthn_challenges), on PGlite and PostgreSQL. */
describe.each<StoreKind>(['pglite', 'postgres'])('security-info store on %s', (kind) => {
  let db: Db;
  let close: () => Promise<void>;
  let n = 0;
  const many = () => (kind === 'postgres' ? 100 : 20);

  beforeAll(async () => {
    ({ db, close } = await openTestStore(kind));
  });
  afterAll(() => close());

  /** A new account (fixture: the accounts table belongs to the accounts store). */
  const account = async (): Promise<string> => {
    n += 1;
    const id = `acc_${n}`;
    await db.query(
      `INSERT INTO accounts (id, email, email_key, display_name, locale, password_hash, password_changed_at,
         created_at, updated_at) VALUES ($1, $2, $2, 'A', 'ja', 'x', $3, $3, $3)`,
      [id, `a${n}@example.jp`, T0],
    );
    return id;
  };
  /** Marks a method verified (the store's own verify moves the account stamp through the accounts store). */
  const verify = (id: string) =>
    db.query('UPDATE security_methods SET verified_at = $2 WHERE id = $1', [id, T0]);
  const contact = async (accountId: string, kind: 'email' | 'phone', value: string, verified = true) => {
    n += 1;
    const id = `mth_${n}`;
    await insertPendingContact(
      db,
      { id, accountId, kind, value, valueKey: value.toLowerCase(), label: '' },
      later(n),
    );
    if (verified) await verify(id);
    return id;
  };
  const passkey = async (accountId: string, credentialId: string, counter: number) => {
    n += 1;
    const id = `mth_${n}`;
    await db.query(
      `INSERT INTO security_methods (id, account_id, kind, value, value_key, label, created_at, verified_at, credential)
       VALUES ($1, $2, 'passkey', $3, $3, 'key', $4, $4, $5::jsonb)`,
      [id, accountId, credentialId, later(n), JSON.stringify({ publicKey: 'pk', counter, transports: [] })],
    );
    return id;
  };

  it('adds pending contacts, lists and finds them, relabels and marks use', async () => {
    const acc = await account();
    const id = await contact(acc, 'email', 'Mail@Example.jp', false);
    const [m] = await listMethods(db, acc);
    expect(m).toMatchObject({
      id,
      accountId: acc,
      kind: 'email',
      value: 'Mail@Example.jp',
      verifiedAt: null,
    });
    await updatePendingContact(db, id, 'work', 'mail@example.jp');
    await setMethodLabel(db, id, 'home');
    await markMethodUsed(db, id, later(5));
    expect(await findMethod(db, acc, id)).toMatchObject({
      value: 'mail@example.jp',
      label: 'home',
      lastUsedAt: later(5),
    });
    expect(await findMethod(db, 'acc_other', id)).toBeNull();
    expect(await findMethod(db, acc, 42)).toBeNull();
    expect(await findMethod(db, acc, 'x'.repeat(65))).toBeNull();
  });

  it('answers the reads of other capabilities from verified contacts only', async () => {
    const acc = await account();
    await contact(acc, 'email', 'One@Example.jp');
    await contact(acc, 'email', 'pending@example.jp', false);
    await contact(acc, 'phone', '+819012345678');
    expect(await verifiedContactEmails(db, acc)).toEqual(['One@Example.jp']);
    expect(await verifiedContactValues(db, acc)).toEqual(
      expect.arrayContaining([
        { kind: 'email', value: 'One@Example.jp' },
        { kind: 'phone', value: '+819012345678' },
      ]),
    );
    expect(await verifiedContactValues(db, acc)).toHaveLength(2);
    expect(await hasVerifiedContact(db, acc, 'email', 'one@example.jp')).toBe(true);
    expect(await hasVerifiedContact(db, acc, 'email', 'pending@example.jp')).toBe(false);
    expect(await hasVerifiedContact(db, acc, 'phone', 'one@example.jp')).toBe(false);
    const facts = await listMethodFacts(db, acc);
    expect(facts.filter((f) => f.verified_at !== null)).toHaveLength(2);
    expect(facts).toHaveLength(3);
  });

  it('confirms every verified method at once (periodic check)', async () => {
    const acc = await account();
    const a = await contact(acc, 'email', 'c1@example.jp');
    await contact(acc, 'email', 'c2@example.jp', false);
    expect((await listVerifiedMethodsWithConfirmation(db, acc)).map((m) => m.confirmedAt)).toEqual([null]);
    expect(await confirmVerifiedMethods(db, acc, later(9))).toEqual([a]);
    expect(await listVerifiedMethodsWithConfirmation(db, acc)).toEqual([
      expect.objectContaining({ id: a, verifiedAt: T0, confirmedAt: later(9) }),
    ]);
  });

  it('keeps one pending authenticator, bound to a stamp, whose secret can be rotated', async () => {
    const acc = await account();
    await insertPendingTotp(
      db,
      { id: 'mth_t1', accountId: acc, label: 'a', secretEnc: 's1', stamp: '0' },
      T0,
    );
    expect(await findTotp(db, acc, 'mth_t1')).toMatchObject({
      secret_enc: 's1',
      stamp: '0',
      verified_at: null,
    });
    expect(await isTotpMethod(db, 'mth_t1')).toBe(true);
    expect(await findTotp(db, 'acc_other', 'mth_t1')).toBeNull();
    await deletePendingTotp(db, acc);
    expect(await findTotp(db, acc, 'mth_t1')).toBeNull();
    expect(await isTotpMethod(db, 'mth_t1')).toBe(false);
    expect(await isTotpMethod(db, null)).toBe(false);

    await insertPendingTotp(
      db,
      { id: 'mth_t2', accountId: acc, label: 'b', secretEnc: 's2', stamp: '0' },
      T0,
    );
    await verify('mth_t2');
    await deletePendingTotp(db, acc);
    expect(await findTotp(db, acc, 'mth_t2')).not.toBeNull();
    const sealed: string[] = [];
    const rotated = await db.tx((tx) =>
      reencryptTotpSecrets(tx, (s) => {
        sealed.push(s);
        return `${s}-new`;
      }),
    );
    expect(sealed).toContain('s2');
    expect(rotated).toBe(sealed.length);
    expect((await findTotp(db, acc, 'mth_t2'))?.secret_enc).toBe('s2-new');
  });

  it('accepts each authenticator time step once, only moving forward', async () => {
    const acc = await account();
    await insertPendingTotp(db, { id: 'mth_t3', accountId: acc, label: '', secretEnc: 's', stamp: '0' }, T0);
    expect(await takeTotpStep(db, 'mth_t3', 100, later(1))).toBe(true);
    expect(await takeTotpStep(db, 'mth_t3', 100, later(2))).toBe(false);
    expect(await takeTotpStep(db, 'mth_t3', 99, later(2))).toBe(false);
    expect(await takeTotpStep(db, 'mth_t3', 101, later(3))).toBe(true);
    expect((await findTotp(db, acc, 'mth_t3'))?.last_step).toBe(101);
  });

  it('lets exactly one of many concurrent submissions of the same time step win', async () => {
    const acc = await account();
    await insertPendingTotp(db, { id: 'mth_t4', accountId: acc, label: '', secretEnc: 's', stamp: '0' }, T0);
    const results = await Promise.all(
      Array.from({ length: many() }, () => db.tx((tx) => takeTotpStep(tx, 'mth_t4', 500, later(1)))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('finds passkeys by credential id, one account per credential', async () => {
    const acc = await account();
    const other = await account();
    const id = await passkey(acc, 'cred-1', 0);
    expect(await passkeyRegistered(db, 'cred-1')).toBe(true);
    expect(await passkeyRegistered(db, 'cred-none')).toBe(false);
    expect((await listPasskeys(db, acc)).map((p) => p.id)).toEqual([id]);
    expect(await listPasskeys(db, other)).toEqual([]);
    await db.tx(async (tx) => {
      expect((await lockPasskey(tx, 'cred-1', null))?.account_id).toBe(acc);
      expect((await lockPasskey(tx, 'cred-1', acc))?.id).toBe(id);
      expect(await lockPasskey(tx, 'cred-1', other)).toBeNull();
    });
    await expect(passkey(other, 'cred-1', 0)).rejects.toThrow();
  });

  it('moves a passkey counter only forward (or keeps 0 for authenticators without one)', async () => {
    const acc = await account();
    const zero = await passkey(acc, 'cred-zero', 0);
    expect(await advancePasskeyCounter(db, zero, 0, later(1))).toBe(true);
    expect(await advancePasskeyCounter(db, zero, 0, later(2))).toBe(true);
    const counting = await passkey(acc, 'cred-count', 5);
    expect(await advancePasskeyCounter(db, counting, 5, later(1))).toBe(false);
    expect(await advancePasskeyCounter(db, counting, 4, later(1))).toBe(false);
    expect(await advancePasskeyCounter(db, counting, 6, later(1))).toBe(true);
    expect(await advancePasskeyCounter(db, counting, 0, later(1))).toBe(false);
    const [row] = (await listPasskeys(db, acc)).filter((p) => p.id === counting);
    const credential = typeof row!.credential === 'string' ? JSON.parse(row!.credential) : row!.credential;
    expect(credential.counter).toBe(6);
  });

  it('lets one of many concurrent assertions with the same counter win', async () => {
    const acc = await account();
    const id = await passkey(acc, 'cred-race', 1);
    const results = await Promise.all(
      Array.from({ length: many() }, () => db.tx((tx) => advancePasskeyCounter(tx, id, 2, later(1)))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('spends a ceremony challenge once, for its purpose and account, before it expires', async () => {
    const acc = await account();
    const save = (id: string, purpose: 'register' | 'signin', accountId: string | null) =>
      saveWebauthnChallenge(db, {
        id,
        accountId,
        purpose,
        challenge: `c-${id}`,
        now: T0,
        expiresAt: later(300_000),
      });
    await save('w1', 'register', acc);
    expect(await spendWebauthnChallenge(db, 'w1', 'signin', acc, later(1))).toBeNull();
    expect(await spendWebauthnChallenge(db, 'w1', 'register', 'acc_other', later(1))).toBeNull();
    expect(await spendWebauthnChallenge(db, 'w1', 'register', acc, later(300_001))).toBeNull();
    expect(await spendWebauthnChallenge(db, 'w1', 'register', acc, later(1))).toEqual({
      challenge: 'c-w1',
      accountId: acc,
    });
    expect(await spendWebauthnChallenge(db, 'w1', 'register', acc, later(2))).toBeNull();

    await save('w2', 'signin', null);
    expect(await spendWebauthnChallenge(db, 'w2', 'signin', null, later(1))).toEqual({
      challenge: 'c-w2',
      accountId: null,
    });
  });

  it('voids a ceremony of an account whose stamp moved on', async () => {
    const acc = await account();
    await saveWebauthnChallenge(db, {
      id: 'w3',
      accountId: acc,
      purpose: 'second_factor',
      challenge: 'c',
      now: T0,
      expiresAt: later(300_000),
    });
    await db.query('UPDATE accounts SET security_stamp = security_stamp + 1 WHERE id = $1', [acc]);
    expect(await spendWebauthnChallenge(db, 'w3', 'second_factor', acc, later(1))).toBeNull();
  });

  it('deletes expired ceremonies, also when saving a new one', async () => {
    await saveWebauthnChallenge(db, {
      id: 'w-old',
      accountId: null,
      purpose: 'signin',
      challenge: 'c',
      now: T0,
      expiresAt: later(1000),
    });
    await saveWebauthnChallenge(db, {
      id: 'w-new',
      accountId: null,
      purpose: 'signin',
      challenge: 'c',
      now: later(2000),
      expiresAt: later(302_000),
    });
    expect(await spendWebauthnChallenge(db, 'w-old', 'signin', null, later(500))).toBeNull();
    expect(await deleteExpiredWebauthnChallenges(db, later(400_000))).toBeGreaterThanOrEqual(1);
    expect(await spendWebauthnChallenge(db, 'w-new', 'signin', null, later(3000))).toBeNull();
  });

  it('lets exactly one of many concurrent spends of a ceremony challenge win', async () => {
    await saveWebauthnChallenge(db, {
      id: 'w-race',
      accountId: null,
      purpose: 'signin',
      challenge: 'c',
      now: T0,
      expiresAt: later(300_000),
    });
    const results = await Promise.all(
      Array.from({ length: many() }, () =>
        db.tx((tx) => spendWebauthnChallenge(tx, 'w-race', 'signin', null, later(1))),
      ),
    );
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });
});
