import type { Deps } from '../deps.ts';
import { maskEmail, maskPhone } from '../kernel/mask.ts';

export interface SentMessage {
  reference: string;
  channel: 'email' | 'sms';
  kind: string;
  to: string;
  createdAt: Date;
  status: 'pending' | 'sending' | 'sent' | 'parked';
}

/** "Messages we sent": every email and SMS Mamori sent this account, destination masked. */
export async function listSentMessages(deps: Deps, accountId: string, limit = 100): Promise<SentMessage[]> {
  const rows = await deps.db.query<{
    reference: string;
    channel: 'email' | 'sms';
    kind: string;
    recipient: string;
    created_at: Date;
    status: SentMessage['status'];
  }>(
    `SELECT reference, channel, kind, recipient, created_at, status FROM outbox
     WHERE account_id = $1 ORDER BY created_at DESC, reference LIMIT $2`,
    [accountId, limit],
  );
  return rows.map((r) => ({
    reference: r.reference,
    channel: r.channel,
    kind: r.kind,
    to: r.channel === 'email' ? maskEmail(r.recipient) : maskPhone(r.recipient),
    createdAt: r.created_at,
    status: r.status,
  }));
}

/** Normalises what someone pasted: `mmr-7kq2-xh9d`, full-width, spaces. */
export function normalizeReference(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  const s = input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\u2010-\u2015\u2212ー－]/g, (c) => (/\s/.test(c) ? '' : '-'));
  return /^MMR-[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(s) ? s : null;
}

/**
 * Whether a message with this reference was sent by this Mamori, and when — nothing else (no recipient,
 * no account), so the page can be public.
 */
export async function checkReference(
  deps: Deps,
  input: unknown,
): Promise<{ genuine: boolean; sentAt: Date | null }> {
  const reference = normalizeReference(input);
  if (!reference) return { genuine: false, sentAt: null };
  const rows = await deps.db.query<{ created_at: Date }>(
    'SELECT created_at FROM outbox WHERE reference = $1',
    [reference],
  );
  return { genuine: rows.length === 1, sentAt: rows[0]?.created_at ?? null };
}
