import type { Locale } from '../kernel/context.ts';
import type { Sql } from '../storage/db.ts';

export interface Account {
  id: string;
  email: string;
  emailKey: string;
  displayName: string;
  locale: Locale;
  timeZone: string;
  passwordHash: string;
  passwordChangedAt: Date;
  emailConfirmedAt: Date | null;
  createdAt: Date;
  twoStepEnabled: boolean;
  personalPhrase: string;
  recoveryCodeCreatedAt: Date | null;
}

interface Row {
  id: string;
  email: string;
  email_key: string;
  display_name: string;
  locale: Locale;
  time_zone: string;
  password_hash: string;
  password_changed_at: Date;
  email_confirmed_at: Date | null;
  created_at: Date;
  two_step_enabled: boolean;
  personal_phrase: string;
  recovery_code_created_at: Date | null;
}

const toAccount = (r: Row): Account => ({
  id: r.id,
  email: r.email,
  emailKey: r.email_key,
  displayName: r.display_name,
  locale: r.locale,
  timeZone: r.time_zone,
  passwordHash: r.password_hash,
  passwordChangedAt: r.password_changed_at,
  emailConfirmedAt: r.email_confirmed_at,
  createdAt: r.created_at,
  twoStepEnabled: r.two_step_enabled,
  personalPhrase: r.personal_phrase,
  recoveryCodeCreatedAt: r.recovery_code_created_at,
});

export async function findAccountByKey(
  sql: Sql,
  emailKey: string,
  forUpdate = false,
): Promise<Account | null> {
  const rows = await sql.query<Row>(
    `SELECT * FROM accounts WHERE email_key = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [emailKey],
  );
  return rows[0] ? toAccount(rows[0]) : null;
}

export async function findAccountById(sql: Sql, id: string, forUpdate = false): Promise<Account | null> {
  const rows = await sql.query<Row>(`SELECT * FROM accounts WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [
    id,
  ]);
  return rows[0] ? toAccount(rows[0]) : null;
}

export async function setPassword(
  sql: Sql,
  accountId: string,
  passwordHash: string,
  now: Date,
): Promise<void> {
  await sql.query(
    'UPDATE accounts SET password_hash = $2, password_changed_at = $3, updated_at = $3 WHERE id = $1',
    [accountId, passwordHash, now],
  );
  await sql.query(
    'INSERT INTO password_history (account_id, password_hash, created_at) VALUES ($1, $2, $3)',
    [accountId, passwordHash, now],
  );
}
