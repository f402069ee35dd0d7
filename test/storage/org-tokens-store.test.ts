import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMember, setMemberRole } from '../../src/organisations/store/members.ts';
import { insertOrganisation } from '../../src/organisations/store/orgs.ts';
import {
  countActiveOrgTokens,
  findActiveOrgToken,
  insertOrgToken,
  listOrgTokens,
  revokeOrgToken,
  revokeOrgTokensMadeBy,
  touchOrgToken,
} from '../../src/organisations/store/tokens.ts';
import type { Db } from '../../src/storage/db.ts';
import { openTestStore, type StoreKind } from '../support/databases.ts';

/** The contract of organisations' `org_api_tokens` statements (store/tokens.ts), on PGlite and PostgreSQL. */

const t0 = new Date('2026-05-01T00:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);

describe.each<StoreKind>(['pglite', 'postgres'])('organisation token store on %s', (kind) => {
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openTestStore(kind));
    for (const id of ['org_a', 'org_b']) {
      await insertOrganisation(db, { id, name: id, contact: '', createdAt: t0 });
      // Each organisation's tokens are made by its organisation admin (a fixture account).
      await db.query(
        `INSERT INTO accounts (id, email, email_key, display_name, locale, password_hash, password_changed_at,
           created_at, updated_at, email_confirmed_at) VALUES ($1, $2, $2, 'T', 'ja', 'x', now(), now(), now(), now())`,
        [`acc_${id}`, `admin@${id}.example`],
      );
      await insertMember(db, { accountId: `acc_${id}`, orgId: id, role: 'org_admin', joinedAt: t0 });
    }
    const token = (id: string, orgId: string, s: number) =>
      insertOrgToken(db, {
        id,
        orgId,
        name: id,
        tokenHash: `hash-${id}`,
        role: 'reader',
        createdBy: `acc_${orgId}`,
        createdAt: at(s),
      });
    await token('otk_1', 'org_a', 0);
    await token('otk_2', 'org_a', 10);
    await token('otk_3', 'org_b', 20);
  });
  afterAll(() => close());

  it('finds an active token by its hash only', async () => {
    expect((await findActiveOrgToken(db, 'hash-otk_1'))?.org_id).toBe('org_a');
    expect(await findActiveOrgToken(db, 'hash-nope')).toBeUndefined();
  });

  it('revokes a token of its organisation once: of 20 concurrent revocations one wins; another org cannot', async () => {
    expect(await revokeOrgToken(db, 'org_b', 'otk_2', at(30))).toBeUndefined();
    expect(await findActiveOrgToken(db, 'hash-otk_2')).toBeDefined();
    const wins = await Promise.all(
      Array.from({ length: 20 }, () => revokeOrgToken(db, 'org_a', 'otk_2', at(30))),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await findActiveOrgToken(db, 'hash-otk_2')).toBeUndefined();
    expect(await countActiveOrgTokens(db, 'org_a')).toBe(1);
  });

  it('lists the organisation’s tokens, active first, newest first', async () => {
    expect((await listOrgTokens(db, 'org_a')).map((r) => r.id)).toEqual(['otk_1', 'otk_2']);
    expect((await listOrgTokens(db, 'org_b')).map((r) => r.id)).toEqual(['otk_3']);
  });

  it('records the last use at most once a minute', async () => {
    const lastUsed = async () => (await findActiveOrgToken(db, 'hash-otk_3'))?.last_used_at?.getTime();
    await touchOrgToken(db, 'otk_3', at(100));
    expect(await lastUsed()).toBe(at(100).getTime());
    await touchOrgToken(db, 'otk_3', at(159));
    expect(await lastUsed()).toBe(at(100).getTime());
    await touchOrgToken(db, 'otk_3', at(160));
    expect(await lastUsed()).toBe(at(160).getTime());
  });

  it("a token works only while its maker is an organisation admin; revoking a maker's tokens takes them all", async () => {
    await insertOrgToken(db, {
      id: 'otk_4',
      orgId: 'org_b',
      name: 'otk_4',
      tokenHash: 'hash-otk_4',
      role: 'reader',
      createdBy: 'acc_org_b',
      createdAt: at(40),
    });
    await setMemberRole(db, 'org_b', 'acc_org_b', 'auth_admin');
    expect(await findActiveOrgToken(db, 'hash-otk_4')).toBeUndefined();
    await setMemberRole(db, 'org_b', 'acc_org_b', 'org_admin');
    expect(await findActiveOrgToken(db, 'hash-otk_4')).toBeDefined();
    expect(await revokeOrgTokensMadeBy(db, 'org_a', 'acc_org_b', at(50))).toBe(0);
    expect(await revokeOrgTokensMadeBy(db, 'org_b', 'acc_org_b', at(50))).toBe(2);
    expect(await findActiveOrgToken(db, 'hash-otk_4')).toBeUndefined();
    expect(await countActiveOrgTokens(db, 'org_b')).toBe(0);
  });
});
