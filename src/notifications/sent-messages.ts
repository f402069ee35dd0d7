import type { Deps } from '../deps.ts';
import { fail } from '../kernel/errors.ts';
import { compactCode } from '../kernel/input.ts';
import { maskEmail, maskPhone } from '../kernel/mask.ts';
import { findMessagesByReference, listAccountMessages } from './store.ts';

export interface SentMessage {
  reference: string;
  channel: 'email' | 'sms';
  kind: string;
  to: string;
  createdAt: Date;
  status: 'pending' | 'sending' | 'sent' | 'parked';
}

/** "Messages we sent": every email and SMS Mamori sent this account, destination masked. */
export async function listSentMessages(
  deps: Pick<Deps, 'db'>,
  accountId: string,
  limit = 100,
): Promise<SentMessage[]> {
  const rows = await listAccountMessages(deps.db, accountId, limit);
  return rows.map((r) => ({
    reference: r.reference,
    channel: r.channel,
    kind: r.kind,
    to: r.channel === 'email' ? maskEmail(r.recipient) : maskPhone(r.recipient),
    createdAt: r.created_at,
    status: r.status,
  }));
}

/**
 * Reads a reference the way a person types or pastes it (kernel/input.ts): `MMR-7KQ2-XH9D`,
 * `MMR 7KQ2 XH9D`, `MMR7KQ2XH9D`, lower case, full width, any dash. `null` when the text does not have the
 * shape of a reference at all.
 */
export function normalizeReference(input: unknown): string | null {
  const s = compactCode(input)?.toUpperCase();
  if (!s) return null;
  const m = /^MMR([A-Z0-9]{4})([A-Z0-9]{4})$/.exec(s);
  return m ? `MMR-${m[1]}-${m[2]}` : null;
}

/**
 * Whether a message with this reference was sent by this Mamori, and when — nothing else (no recipient,
 * no account), so the page can be public. Text that is not a reference at all is `reference.invalid`
 * ("that is not a reference"), not "we did not send it".
 */
export async function checkReference(
  deps: Pick<Deps, 'db'>,
  input: unknown,
): Promise<{ genuine: boolean; sentAt: Date | null }> {
  const reference = normalizeReference(input);
  if (!reference) fail('reference.invalid');
  const rows = await findMessagesByReference(deps.db, reference);
  return { genuine: rows.length === 1, sentAt: rows[0]?.created_at ?? null };
}
