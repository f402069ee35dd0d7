import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimOperatorTotpStep,
  clearOperatorTotp,
  countOperators,
  deleteOperatorSession,
  deleteOperatorSessions,
  endPendingSignIn,
  enrolOperatorTotp,
  findActiveOperatorByNameKey,
  findPendingSignIn,
  insertAuditEntry,
  insertOperator,
  insertOperatorSession,
  keepPendingSecret,
  listAuditEntries,
  operatorNameKeyTaken,
  operatorNamesById,
  reencryptOperatorSecrets,
  touchOperatorSession,
} from '../../src/operator/store.ts';
import type { Db } from '../../src/storage/db.ts';
import { openTestStore, type StoreKind } from '../support/databases.ts';

const t0 = new Date('2026-05-01T00:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);

const session = (id: string, operatorId: string, stage: 'pending' | 'full', expiresAt = at(600)) => ({
  id,
  operatorId,
  now: t0,
  expiresAt,
  ip: '192.0.2.1',
  userAgent: 'UA',
  stage,
});

describe.each<StoreKind>(['pglite', 'postgres'])('operator store on %s', (kind) => {
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openTestStore(kind));
    await insertOperator(db, {
      id: 'opr_1',
      name: 'Alice',
      nameKey: 'alice',
      role: 'admin',
      passwordHash: 'h',
      createdAt: t0,
    });
    await insertOperator(db, {
      id: 'opr_2',
      name: 'bob',
      nameKey: 'bob',
      role: 'reviewer',
      passwordHash: 'h2',
      createdAt: t0,
    });
  });
  afterAll(() => close());

  it('finds operators by name key, counts them, and names them by id', async () => {
    expect(await countOperators(db)).toBe(2);
    expect(await findActiveOperatorByNameKey(db, 'alice')).toEqual({
      id: 'opr_1',
      name: 'Alice',
      role: 'admin',
      password_hash: 'h',
      totp_enrolled_at: null,
    });
    expect(await findActiveOperatorByNameKey(db, 'Alice')).toBeUndefined();
    expect(await operatorNameKeyTaken(db, 'bob')).toBe(true);
    expect(await operatorNameKeyTaken(db, 'carol')).toBe(false);
    expect(await operatorNamesById(db, ['opr_2', 'opr_x'])).toEqual(new Map([['opr_2', 'bob']]));
    expect(await operatorNamesById(db, [])).toEqual(new Map());
    await expect(
      insertOperator(db, {
        id: 'opr_3',
        name: 'ALICE',
        nameKey: 'alice',
        role: 'admin',
        passwordHash: 'h',
        createdAt: t0,
      }),
    ).rejects.toThrow();
  });

  it('keeps the first enrolment secret of a pending sign-in, and ends it exactly once under a race', async () => {
    await insertOperatorSession(db, session('pend_1', 'opr_1', 'pending'));
    expect(await findPendingSignIn(db, 'pend_1', at(1))).toMatchObject({
      operator_id: 'opr_1',
      name: 'Alice',
    });
    expect(await findPendingSignIn(db, 'pend_1', at(601))).toBeUndefined();
    const kept = await Promise.all(['s1', 's2', 's3'].map((s) => keepPendingSecret(db, 'pend_1', s)));
    expect(new Set(kept).size).toBe(1);
    expect(await keepPendingSecret(db, 'nope', 's')).toBeUndefined();
    const n = kind === 'postgres' ? 100 : 20;
    const ended = await Promise.all(Array.from({ length: n }, () => endPendingSignIn(db, 'pend_1')));
    expect(ended.filter(Boolean)).toHaveLength(1);
  });

  it('enrols an authenticator once and accepts each time step once, whatever the concurrency', async () => {
    const enrolled = await Promise.all([
      enrolOperatorTotp(db, 'opr_1', 'sealed-a', 100, t0),
      enrolOperatorTotp(db, 'opr_1', 'sealed-b', 100, t0),
    ]);
    expect(enrolled.filter(Boolean)).toHaveLength(1);
    expect(await claimOperatorTotpStep(db, 'opr_1', 100)).toBe(false);
    const n = kind === 'postgres' ? 100 : 20;
    const claims = await Promise.all(
      Array.from({ length: n }, () => claimOperatorTotpStep(db, 'opr_1', 101)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await claimOperatorTotpStep(db, 'opr_2', 5)).toBe(false); // nothing enrolled
  });

  it('slides a full session’s idle window and refuses idle, expired, pending or disabled ones', async () => {
    await insertOperatorSession(db, session('full_1', 'opr_1', 'full'));
    await insertOperatorSession(db, session('pend_2', 'opr_1', 'pending'));
    expect(await touchOperatorSession(db, 'full_1', at(60), at(-1))).toEqual({
      operator_id: 'opr_1',
      name: 'Alice',
      role: 'admin',
    });
    expect(await touchOperatorSession(db, 'full_1', at(120), at(61))).toBeUndefined(); // idle since 60
    expect(await touchOperatorSession(db, 'full_1', at(700), at(0))).toBeUndefined(); // expired
    expect(await touchOperatorSession(db, 'pend_2', at(60), at(-1))).toBeUndefined();
    await db.query(`UPDATE operators SET disabled_at = $1 WHERE id = 'opr_1'`, [t0]);
    expect(await touchOperatorSession(db, 'full_1', at(61), at(-1))).toBeUndefined();
    expect(await findActiveOperatorByNameKey(db, 'alice')).toBeUndefined();
    await db.query(`UPDATE operators SET disabled_at = NULL WHERE id = 'opr_1'`);
    await deleteOperatorSession(db, 'full_1');
    expect(await touchOperatorSession(db, 'full_1', at(61), at(-1))).toBeUndefined();
  });

  it('re-encrypts enrolled and pending secrets, then clears an authenticator and every session', async () => {
    await keepPendingSecret(db, 'pend_2', 'pending-sealed');
    expect(await reencryptOperatorSecrets(db, (s) => `new:${s}`)).toBe(1);
    expect((await findPendingSignIn(db, 'pend_2', at(1)))?.pending_secret_enc).toBe('new:pending-sealed');
    expect((await findPendingSignIn(db, 'pend_2', at(1)))?.totp_secret_enc).toMatch(/^new:sealed-/);
    expect(await clearOperatorTotp(db, 'alice')).toEqual({ id: 'opr_1', name: 'Alice' });
    expect(await clearOperatorTotp(db, 'nobody')).toBeUndefined();
    await deleteOperatorSessions(db, 'opr_1');
    expect(await findPendingSignIn(db, 'pend_2', at(1))).toBeUndefined();
  });

  it('lists the audit log newest first', async () => {
    for (const [i, action] of ['sign_in', 'sign_out'].entries()) {
      await insertAuditEntry(db, {
        id: `aud_${i}`,
        operatorId: 'opr_1',
        operatorName: 'Alice',
        action,
        target: 'opr_1',
        detail: { i: String(i) },
        createdAt: at(i),
      });
    }
    const log = await listAuditEntries(db, 10);
    expect(log.map((e) => [e.action, e.detail])).toEqual([
      ['sign_out', { i: '1' }],
      ['sign_in', { i: '0' }],
    ]);
    expect(await listAuditEntries(db, 1)).toHaveLength(1);
  });
});
