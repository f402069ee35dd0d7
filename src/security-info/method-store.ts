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
