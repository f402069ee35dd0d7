import { bumpSecurityStamp } from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import type { Sql } from '../storage/db.ts';

export type MethodKind = 'email' | 'phone' | 'totp' | 'passkey';
export type ContactKind = 'email' | 'phone';

/** Email addresses and phone numbers: the methods a code can be sent to. */
export function isContact<T extends { kind: MethodKind }>(m: T): m is T & { kind: ContactKind } {
  return m.kind === 'email' || m.kind === 'phone';
}

export interface Method {
  id: string;
  accountId: string;
  kind: MethodKind;
  value: string;
  valueKey: string;
  label: string;
  verifiedAt: Date | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

interface Row {
  id: string;
  account_id: string;
  kind: MethodKind;
  value: string;
  value_key: string;
  label: string;
  verified_at: Date | null;
  created_at: Date;
  last_used_at: Date | null;
}

const toMethod = (r: Row): Method => ({
  id: r.id,
  accountId: r.account_id,
  kind: r.kind,
  value: r.value,
  valueKey: r.value_key,
  label: r.label,
  verifiedAt: r.verified_at,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

export async function listMethods(sql: Sql, accountId: string): Promise<Method[]> {
  const rows = await sql.query<Row>(
    'SELECT * FROM security_methods WHERE account_id = $1 ORDER BY kind, created_at, id',
    [accountId],
  );
  return rows.map(toMethod);
}

export async function findMethod(
  sql: Sql,
  accountId: string,
  id: unknown,
  forUpdate = false,
): Promise<Method | null> {
  if (typeof id !== 'string' || id.length > 64) return null;
  const rows = await sql.query<Row>(
    `SELECT * FROM security_methods WHERE account_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [accountId, id],
  );
  return rows[0] ? toMethod(rows[0]) : null;
}

/*
 * Writes that change security info. Each moves the account's security stamp on (bumpSecurityStamp), so
 * no caller can change a method and forget to void the flows issued against the old info. Adding a method
 * that is not verified yet (a contact waiting for its code, an authenticator being set up) is not a change
 * of security info: the change is its verification.
 */

/** A pending method becomes verified security info. */
export async function markMethodVerified(
  deps: Deps,
  tx: Sql,
  accountId: string,
  methodId: string,
  now: Date,
  bySession?: string | null,
): Promise<void> {
  await tx.query(
    `UPDATE security_methods SET verified_at = $3,
       last_used_at = CASE WHEN kind IN ('email', 'phone') THEN $3::timestamptz ELSE last_used_at END
     WHERE id = $1 AND account_id = $2`,
    [methodId, accountId, now],
  );
  await bumpSecurityStamp(deps, tx, accountId, bySession);
}

/** Adds a method that is verified from the start (a passkey, a replacement's new info). */
export async function insertVerifiedMethod(
  deps: Deps,
  tx: Sql,
  m: {
    id: string;
    accountId: string;
    kind: MethodKind;
    value: string;
    valueKey: string;
    label: string;
    credential?: string;
  },
  now: Date,
  bySession?: string | null,
): Promise<void> {
  await tx.query(
    `INSERT INTO security_methods (id, account_id, kind, value, value_key, label, created_at, verified_at, credential)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8::jsonb)`,
    [m.id, m.accountId, m.kind, m.value, m.valueKey, m.label, now, m.credential ?? null],
  );
  await bumpSecurityStamp(deps, tx, m.accountId, bySession);
}

/**
 * Deletes methods of the account (`ids` null: all of them) with their codes. The stamp moves on when a
 * verified one was among them. Returns the deleted methods' kinds.
 */
export async function deleteMethods(
  deps: Deps,
  tx: Sql,
  accountId: string,
  ids: string[] | null,
  bySession?: string | null,
): Promise<{ kind: MethodKind; verified: boolean }[]> {
  const rows = await tx.query<{ id: string; kind: MethodKind; verified: boolean }>(
    `DELETE FROM security_methods WHERE account_id = $1 AND ($2::text[] IS NULL OR id = ANY($2::text[]))
     RETURNING id, kind, verified_at IS NOT NULL AS verified`,
    [accountId, ids],
  );
  if (rows.length > 0)
    await tx.query('DELETE FROM challenges WHERE subject = ANY($1::text[])', [rows.map((r) => r.id)]);
  if (rows.some((r) => r.verified)) await bumpSecurityStamp(deps, tx, accountId, bySession);
  return rows.map((r) => ({ kind: r.kind, verified: r.verified }));
}
