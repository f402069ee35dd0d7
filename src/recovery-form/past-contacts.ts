import { findAccountById } from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import { hmac } from '../kernel/crypto.ts';
import type { Sql } from '../kernel/sql.ts';
import { emailKey, normalizeEmail } from '../security-info/email/normalize-email.ts';
import { verifiedContactValues } from '../security-info/store.ts';
import { hasPastContact, upsertPastContact } from './store.ts';

/**
 * Contact emails and phones an account has had, kept as keyed hashes (HMAC with the server secret) so the
 * recovery form can recognise an old address without the address being kept in the clear.
 *
 * Rows are written by rememberContact(): for every contact that is verified or removed (a subscriber of
 * `method.verified` / `method.removed`, src/subscriptions.ts), for the contacts of an account at each
 * recovery-form decision (snapshotContacts), and for the ones a recovery replaced. The form also checks
 * current methods directly and makes a weak, masked match on activity rows (see scoring.ts).
 */
export function contactHmac(deps: Pick<Deps, 'config'>, kind: 'email' | 'phone', value: string): string {
  const key = kind === 'email' ? emailKey(normalizeEmail(value)) : value.replace(/[^\d+]/g, '');
  return hmac(deps.config.secret, `past-contact:${kind}:${key}`);
}

/** Records that `accountId` has (or had) this email or phone. Idempotent; updates last_seen_at. */
export async function rememberContact(
  deps: Pick<Deps, 'config' | 'clock'>,
  tx: Sql,
  accountId: string,
  kind: 'email' | 'phone',
  value: string,
): Promise<void> {
  const now = deps.clock.now();
  await upsertPastContact(tx, accountId, kind, contactHmac(deps, kind, value), now);
}

/** Records every current email and phone of the account (and its primary address). */
export async function snapshotContacts(deps: Pick<Deps, 'config' | 'clock'>, tx: Sql, accountId: string) {
  const methods = await verifiedContactValues(tx, accountId);
  const account = await findAccountById(tx, accountId);
  const rows = account ? [...methods, { kind: 'email' as const, value: account.email }] : methods;
  for (const r of rows) await rememberContact(deps, tx, accountId, r.kind, r.value);
}

export async function isPastContact(
  deps: Pick<Deps, 'config'>,
  sql: Sql,
  accountId: string,
  kind: 'email' | 'phone',
  value: string,
): Promise<boolean> {
  return hasPastContact(sql, accountId, kind, contactHmac(deps, kind, value));
}
