import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelReplacementOnOldMethodUse } from '../../src/replacement/replacement-service.ts';
import type { Sql } from '../../src/storage/db.ts';
import { createTestApp, type TestApp, uniqueEmail } from '../support/harness.ts';
import { account, secondInstance } from './support.ts';

/**
 * Lock order on PostgreSQL: every transaction that touches a pending replacement locks the account row
 * first, then the replacement. A proof with an old method (which holds the account row and then cancels the
 * replacement) and the scheduler applying the same replacement at the end of its wait therefore queue one
 * behind the other instead of deadlocking (PostgreSQL would abort one of them: a 500 or a failed tick).
 */
const DAY = 86_400_000;

describe('lock order: account row before replacement (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ store: 'postgres' });
  });
  afterAll(() => t.close());

  /** An account whose replacement is pending and due. */
  async function dueReplacement() {
    const a = await account(t);
    t.clock.advance(61_000);
    const newEmail = uniqueEmail('new');
    const added = await t.api('POST', '/api/v1/replacement/emails', { email: newEmail }, a.token);
    const code = await t.mailedCode(newEmail);
    await t.api('POST', `/api/v1/replacement/items/${added.body.itemId}/verify`, { code }, a.token);
    expect((await t.api('POST', '/api/v1/replacement/start', {}, a.token)).status).toBe(202);
    const id = (
      await t.app.deps.db.query<{ id: string }>('SELECT id FROM accounts WHERE email = $1', [a.email])
    )[0]!.id;
    t.clock.advance(31 * DAY);
    return { ...a, id };
  }

  /** Waits until some transaction of this database waits for a row lock held by another. */
  async function someoneWaitsForALock(sql: Sql) {
    for (let i = 0; i < 500; i++) {
      const rows = await sql.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (Number(rows[0]!.n) > 0) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('nobody waited for a lock');
  }

  it('an old-method proof holding the account row, then the scheduler applying the same replacement: no deadlock, the proof cancels it', async () => {
    const a = await dueReplacement();
    const other = await secondInstance(t);
    try {
      let scheduler: Promise<number> | null = null;
      const cancelled = await other.app.deps.db.tx(async (tx) => {
        // The proof path: the account row first (as lockStamp does)...
        await tx.query('SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE', [a.id]);
        // ...meanwhile the wait ends and the scheduler of the first instance runs...
        scheduler = t.app.replacementScheduler.runOnce();
        await someoneWaitsForALock(t.app.deps.db);
        // ...then the proof cancels the pending replacement.
        return cancelReplacementOnOldMethodUse(other.app.deps, tx, a.id);
      });
      await expect(scheduler).resolves.toBeTypeOf('number');
      expect(cancelled).toBe(true);
      const rows = await t.app.deps.db.query<{ status: string; ended_how: string }>(
        'SELECT status, ended_how FROM replacements WHERE account_id = $1',
        [a.id],
      );
      expect(rows).toEqual([{ status: 'cancelled', ended_how: 'old_method' }]);
    } finally {
      await other.close();
    }
  });
});
