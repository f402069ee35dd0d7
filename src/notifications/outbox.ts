import type { Cipher } from '../kernel/cipher.ts';
import { newId, type Random } from '../kernel/random.ts';
import type { Sql } from '../storage/db.ts';
import type { MessageKind } from './message-kinds.ts';

export type Channel = 'email' | 'sms';

export interface OutboxMessage {
  accountId: string | null;
  channel: Channel;
  kind: MessageKind;
  recipient: string;
  subject: string;
  text: string;
  html: string;
  reference: string;
  /** Extra email headers (e.g. List-Unsubscribe). */
  headers?: Record<string, string>;
}

const REF_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A human-readable message reference shown in every footer, e.g. `MMR-7KQ2-XH9D`. */
export function newReference(random: Random): string {
  const pick = () =>
    Array.from({ length: 4 }, () => REF_ALPHABET[random.int(0, REF_ALPHABET.length)]).join('');
  return `MMR-${pick()}-${pick()}`;
}

/**
 * Writes a message to the outbox. Call it inside the transaction of the change that causes the message,
 * so both commit or neither does. Bodies are encrypted at rest (they may carry a code until sent).
 */
export async function enqueue(
  tx: Sql,
  deps: { random: Random; cipher: Cipher; now: Date },
  m: OutboxMessage,
): Promise<void> {
  await tx.query(
    `INSERT INTO outbox (id, reference, account_id, channel, kind, recipient, subject, body_text, body_html, next_attempt_at,
       created_at, headers)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11)`,
    [
      newId(deps.random, 'msg'),
      m.reference,
      m.accountId,
      m.channel,
      m.kind,
      m.recipient,
      m.subject,
      deps.cipher.encrypt(m.text),
      m.html ? deps.cipher.encrypt(m.html) : '',
      deps.now,
      JSON.stringify(m.headers ?? {}),
    ],
  );
}
