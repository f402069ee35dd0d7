import { bumpSecurityStamp } from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import type { Sql } from '../kernel/sql.ts';
import { deleteChallengesOfSubjects } from '../verification/store.ts';

/**
 * The security-info store: every statement on `security_methods` (an account's contact emails and phones,
 * authenticator apps and passkeys) and `webauthn_challenges` (passkey ceremonies). Nothing else reads or
 * writes these tables.
 */

// --- the methods: security-info's services (methods-service.ts, totp-service.ts, passkeys/passkey-service.ts),
// and the capabilities that list, check or use them: accounts (personal-phrase.ts, two-step-service.ts),
// sessions (reauth.ts, second-factor.ts, http/reauth-routes.tsx), recovery (reset-service.ts), replacement
// (replacement-service.ts), activity/http/routes.tsx, checkup/checkup.ts, exhaustive-labels.ts;
// storage/housekeeping.ts deletes expired passkey ceremonies

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

/** Every method of the account, pending ones included, by kind then age. */
export async function listMethods(sql: Sql, accountId: string): Promise<Method[]> {
  const rows = await sql.query<Row>(
    'SELECT * FROM security_methods WHERE account_id = $1 ORDER BY kind, created_at, id',
    [accountId],
  );
  return rows.map(toMethod);
}

/** One method of the account by id (anything not a plausible id finds nothing); `forUpdate` locks it. */
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
  deps: Pick<Deps, 'emit'>,
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
  deps: Pick<Deps, 'emit'>,
  tx: Sql,
  m: Pick<Method, 'id' | 'accountId' | 'kind' | 'value' | 'valueKey' | 'label'> & { credential?: string },
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
  deps: Pick<Deps, 'emit'>,
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
    await deleteChallengesOfSubjects(
      tx,
      rows.map((r) => r.id),
    );
  if (rows.some((r) => r.verified)) await bumpSecurityStamp(deps, tx, accountId, bySession);
  return rows.map((r) => ({ kind: r.kind, verified: r.verified }));
}

/*
 * Writes that are no change of security info (no stamp moves): pending contacts, labels, use.
 */

/** Adds a contact that waits for its code (not verified: no security info yet). */
export async function insertPendingContact(
  tx: Sql,
  m: { id: string; accountId: string; kind: ContactKind; value: string; valueKey: string; label: string },
  now: Date,
): Promise<void> {
  await tx.query(
    `INSERT INTO security_methods (id, account_id, kind, value, value_key, label, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [m.id, m.accountId, m.kind, m.value, m.valueKey, m.label, now],
  );
}

/** A pending contact added again: its label and the value as typed this time. */
export async function updatePendingContact(tx: Sql, methodId: string, label: string, value: string) {
  await tx.query('UPDATE security_methods SET label = $2, value = $3 WHERE id = $1', [
    methodId,
    label,
    value,
  ]);
}

/** Renames a method (the label is already normalised). */
export async function setMethodLabel(tx: Sql, methodId: string, label: string): Promise<void> {
  await tx.query('UPDATE security_methods SET label = $2 WHERE id = $1', [methodId, label]);
}

/** The method was just used to prove something (a code, an authenticator): its last use is `now`. */
export async function markMethodUsed(sql: Sql, methodId: string, now: Date): Promise<void> {
  await sql.query('UPDATE security_methods SET last_used_at = $2 WHERE id = $1', [methodId, now]);
}

/*
 * Authenticator apps.
 */

/** An authenticator method with its sealed secret and the last time step accepted. */
export interface TotpRow {
  id: string;
  secret_enc: string;
  last_step: number | null;
  verified_at: Date | null;
  label: string;
  /** The security stamp a pending enrolment belongs to (decimal), or null. */
  stamp: string | null;
}

/** Deletes the account's authenticator enrolments that were never confirmed. */
export async function deletePendingTotp(tx: Sql, accountId: string): Promise<void> {
  await tx.query(
    `DELETE FROM security_methods WHERE account_id = $1 AND kind = 'totp' AND verified_at IS NULL`,
    [accountId],
  );
}

/** Adds a pending authenticator (its id is also its value) bound to the account's stamp `stamp`. */
export async function insertPendingTotp(
  tx: Sql,
  m: { id: string; accountId: string; label: string; secretEnc: string; stamp: string },
  now: Date,
): Promise<void> {
  await tx.query(
    `INSERT INTO security_methods (id, account_id, kind, value, value_key, label, created_at, secret_enc, stamp)
     VALUES ($1, $2, 'totp', $1, $1, $3, $4, $5, $6::bigint)`,
    [m.id, m.accountId, m.label, now, m.secretEnc, m.stamp],
  );
}

/** The account's authenticator method `methodId` (pending or verified); null when none or not an id. */
export async function findTotp(sql: Sql, accountId: string, methodId: unknown): Promise<TotpRow | null> {
  if (typeof methodId !== 'string' || methodId.length > 64) return null;
  const rows = await sql.query<TotpRow>(
    `SELECT id, secret_enc, last_step, verified_at, label, stamp::text AS stamp FROM security_methods
     WHERE account_id = $1 AND id = $2 AND kind = 'totp'`,
    [accountId, methodId],
  );
  return rows[0] ?? null;
}

/**
 * Records that time step `step` was accepted, only if it is later than every step accepted before, in one
 * statement: of concurrent calls with the same step exactly one gets true.
 */
export async function takeTotpStep(sql: Sql, methodId: string, step: number, now: Date): Promise<boolean> {
  const updated = await sql.query(
    `UPDATE security_methods SET last_step = $2, last_used_at = $3
     WHERE id = $1 AND (last_step IS NULL OR last_step < $2) RETURNING id`,
    [methodId, step, now],
  );
  return updated.length === 1;
}

/*
 * Passkeys.
 */

/** What is stored of a passkey credential (`security_methods.credential`). */
export interface PasskeyCredential {
  /** COSE public key, base64url. */
  publicKey: string;
  counter: number;
  transports: string[];
  deviceType?: string;
  backedUp?: boolean;
}

/** A passkey method: `value` is the credential id (base64url). */
export interface PasskeyRow {
  id: string;
  account_id: string;
  value: string;
  label: string;
  credential: PasskeyCredential | string;
}

/** The account's verified passkeys, oldest first. */
export async function listPasskeys(sql: Sql, accountId: string): Promise<PasskeyRow[]> {
  return sql.query<PasskeyRow>(
    `SELECT id, account_id, value, label, credential FROM security_methods
     WHERE account_id = $1 AND kind = 'passkey' AND verified_at IS NOT NULL ORDER BY created_at, id`,
    [accountId],
  );
}

/** Whether a passkey with this credential id is registered to any account. */
export async function passkeyRegistered(sql: Sql, credentialId: string): Promise<boolean> {
  const taken = await sql.query<{ account_id: string }>(
    `SELECT account_id FROM security_methods WHERE kind = 'passkey' AND value_key = $1`,
    [credentialId],
  );
  return taken.length > 0;
}

/** The verified passkey with this credential id (of `accountId` when given), row-locked until `tx` ends. */
export async function lockPasskey(
  tx: Sql,
  credentialId: string,
  accountId: string | null,
): Promise<PasskeyRow | null> {
  const rows = await tx.query<PasskeyRow>(
    `SELECT id, account_id, value, label, credential FROM security_methods
     WHERE kind = 'passkey' AND value_key = $1 AND verified_at IS NOT NULL
       AND ($2::text IS NULL OR account_id = $2) FOR UPDATE`,
    [credentialId, accountId],
  );
  return rows[0] ?? null;
}

/**
 * Records an assertion's signature counter and the use, only when the counter went up (or both are 0, an
 * authenticator without counters), in one statement. False: a cloned authenticator or a replay.
 */
export async function advancePasskeyCounter(
  sql: Sql,
  methodId: string,
  counter: number,
  now: Date,
): Promise<boolean> {
  const updated = await sql.query(
    `UPDATE security_methods
     SET credential = jsonb_set(credential, '{counter}', to_jsonb($2::bigint)), last_used_at = $3
     WHERE id = $1 AND (($2::bigint = 0 AND (credential->>'counter')::bigint = 0)
                        OR (credential->>'counter')::bigint < $2::bigint)
     RETURNING id`,
    [methodId, counter, now],
  );
  return updated.length === 1;
}

/*
 * webauthn_challenges: one per passkey ceremony, found by the SHA-256 of the token the client holds.
 */

/** What a passkey ceremony is for. */
export type PasskeyPurpose = 'register' | 'signin' | 'second_factor';

/**
 * Stores a ceremony's challenge under `id` (the SHA-256 of the client's token) until `expiresAt`, bound to
 * the account's current security stamp when there is an account; expired challenges are deleted first.
 */
export async function saveWebauthnChallenge(
  sql: Sql,
  c: {
    id: string;
    accountId: string | null;
    purpose: PasskeyPurpose;
    challenge: string;
    now: Date;
    expiresAt: Date;
  },
): Promise<void> {
  // Housekeeping: challenges are worthless once expired.
  await sql.query('DELETE FROM webauthn_challenges WHERE expires_at < $1', [c.now]);
  // A challenge of an account is bound to its security stamp: a change of security info voids it.
  await sql.query(
    `INSERT INTO webauthn_challenges (id, account_id, purpose, challenge, created_at, expires_at, stamp)
     VALUES ($1, $2, $3, $4, $5, $6, (SELECT security_stamp FROM accounts WHERE id = $2))`,
    [c.id, c.accountId, c.purpose, c.challenge, c.now, c.expiresAt],
  );
}

/**
 * Spends a ceremony's challenge: returns it if `id` names an unused, unexpired challenge of this purpose
 * (and account, when given) whose stamp is still the account's, and marks it used in the same statement,
 * so of concurrent calls exactly one gets it.
 */
export async function spendWebauthnChallenge(
  sql: Sql,
  id: string,
  purpose: PasskeyPurpose,
  accountId: string | null,
  now: Date,
): Promise<{ challenge: string; accountId: string | null } | null> {
  const rows = await sql.query<{ challenge: string; account_id: string | null }>(
    `UPDATE webauthn_challenges SET used_at = $2
     WHERE id = $1 AND purpose = $3 AND used_at IS NULL AND expires_at > $2
       AND ($4::text IS NULL OR account_id = $4)
       AND (stamp IS NULL OR stamp = (SELECT a.security_stamp FROM accounts a WHERE a.id = webauthn_challenges.account_id))
     RETURNING challenge, account_id`,
    [id, now, purpose, accountId],
  );
  const r = rows[0];
  return r ? { challenge: r.challenge, accountId: r.account_id } : null;
}

/** Deletes the ceremonies that expired before `before` (housekeeping). Returns the number removed. */
export async function deleteExpiredWebauthnChallenges(sql: Sql, before: Date): Promise<number> {
  const rows = await sql.query('DELETE FROM webauthn_challenges WHERE expires_at < $1 RETURNING 1', [before]);
  return rows.length;
}

// --- used by notifications (notify.ts), recovery (reset-service.ts), recovery-form (form-service.ts,
// past-contacts.ts), checkup (periodic.ts)

/** The account's verified contact email addresses, as entered (notifications go to each of them). */
export async function verifiedContactEmails(sql: Sql, accountId: string): Promise<string[]> {
  const rows = await sql.query<{ value: string }>(
    `SELECT value FROM security_methods WHERE account_id = $1 AND kind = 'email' AND verified_at IS NOT NULL`,
    [accountId],
  );
  return rows.map((r) => r.value);
}

/** Whether the account has a verified contact of this kind whose key (lower-case value) is `valueKey`. */
export async function hasVerifiedContact(
  sql: Sql,
  accountId: string,
  kind: ContactKind,
  valueKey: string,
): Promise<boolean> {
  const rows = await sql.query(
    `SELECT 1 FROM security_methods WHERE account_id = $1 AND kind = $2 AND value_key = $3 AND verified_at IS NOT NULL`,
    [accountId, kind, valueKey],
  );
  return rows.length > 0;
}

/** Whether `methodId` names an authenticator-app method (of any account, verified or not). */
export async function isTotpMethod(sql: Sql, methodId: string | null): Promise<boolean> {
  const rows = await sql.query(`SELECT 1 FROM security_methods WHERE id = $1 AND kind = 'totp'`, [methodId]);
  return rows.length > 0;
}

/** A verified method with the date its owner last confirmed it was still theirs (periodic check). */
export interface ConfirmableMethodRow {
  id: string;
  kind: MethodKind;
  value: string;
  label: string;
  verifiedAt: Date;
  confirmedAt: Date | null;
}

/** The account's verified methods with their confirmation dates, by kind then age. */
export async function listVerifiedMethodsWithConfirmation(
  sql: Sql,
  accountId: string,
): Promise<ConfirmableMethodRow[]> {
  const rows = await sql.query<{
    id: string;
    kind: MethodKind;
    value: string;
    label: string;
    verified_at: Date;
    confirmed_at: Date | null;
  }>(
    `SELECT id, kind, value, label, verified_at, confirmed_at FROM security_methods
     WHERE account_id = $1 AND verified_at IS NOT NULL ORDER BY kind, created_at, id`,
    [accountId],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    value: r.value,
    label: r.label,
    verifiedAt: r.verified_at,
    confirmedAt: r.confirmed_at,
  }));
}

/** The owner confirmed every verified method of the account at `now`. Returns their ids. */
export async function confirmVerifiedMethods(sql: Sql, accountId: string, now: Date): Promise<string[]> {
  const rows = await sql.query<{ id: string }>(
    `UPDATE security_methods SET confirmed_at = $2
     WHERE account_id = $1 AND verified_at IS NOT NULL RETURNING id`,
    [accountId, now],
  );
  return rows.map((r) => r.id);
}

/** The account's verified contact emails and phones, as stored (address or E.164), in no particular order. */
export async function verifiedContactValues(
  sql: Sql,
  accountId: string,
): Promise<{ kind: 'email' | 'phone'; value: string }[]> {
  return sql.query<{ kind: 'email' | 'phone'; value: string }>(
    `SELECT kind, value FROM security_methods WHERE account_id = $1 AND kind IN ('email', 'phone') AND verified_at IS NOT NULL`,
    [accountId],
  );
}

/** Kind, value and verification time of every method of the account (verified or not). */
export async function listMethodFacts(
  sql: Sql,
  accountId: string,
): Promise<{ kind: 'email' | 'phone' | 'totp' | 'passkey'; value: string; verified_at: Date | null }[]> {
  return sql.query('SELECT kind, value, verified_at FROM security_methods WHERE account_id = $1', [
    accountId,
  ]);
}

// --- used by storage (rotate-secret.ts)

/**
 * Re-encrypts every authenticator-app secret with `reencrypt`, rows locked, inside the caller's
 * transaction. Returns how many.
 */
export async function reencryptTotpSecrets(sql: Sql, reencrypt: (sealed: string) => string): Promise<number> {
  const methods = await sql.query<{ id: string; secret_enc: string }>(
    `SELECT id, secret_enc FROM security_methods WHERE kind = 'totp' AND secret_enc IS NOT NULL FOR UPDATE`,
  );
  for (const m of methods) {
    await sql.query('UPDATE security_methods SET secret_enc = $2 WHERE id = $1', [
      m.id,
      reencrypt(m.secret_enc),
    ]);
  }
  return methods.length;
}
