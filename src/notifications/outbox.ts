import type { Cipher } from '../kernel/cipher.ts';
import { newId, type Random } from '../kernel/random.ts';
import type { Sql } from '../kernel/sql.ts';
import { signalAfterCommit } from '../kernel/unit-of-work.ts';
import type { MessageKind } from './message-kinds.ts';
import { insertOutboxMessage, raisePendingPriority } from './store.ts';

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

/** Kinds sent to many accounts at once: they wait behind everything else. */
const BULK_KINDS = new Set(['notice', 'periodic_reminder']);

/**
 * Delivery priority of a kind, lower first: 0 one-time codes (someone is waiting for them), 1 security
 * notices, 2 bulk mail (service notices, periodic reminders).
 */
export function priorityOf(kind: string): 0 | 1 | 2 {
  if (kind === 'code') return 0;
  return BULK_KINDS.has(kind) ? 2 : 1;
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
 * One recipient's messages are delivered in the order written, so a message that waits for the same
 * recipient takes on this one's priority when it is more urgent (a code is not held behind bulk mail).
 */
export async function enqueue(
  tx: Sql,
  deps: { random: Random; cipher: Cipher; now: Date },
  m: OutboxMessage,
  write = true,
): Promise<void> {
  const priority = priorityOf(m.kind);
  await insertOutboxMessage(
    tx,
    {
      id: newId(deps.random, 'msg'),
      reference: m.reference,
      accountId: m.accountId,
      channel: m.channel,
      kind: m.kind,
      recipient: m.recipient,
      subject: m.subject,
      bodyText: deps.cipher.encrypt(m.text),
      bodyHtml: m.html ? deps.cipher.encrypt(m.html) : '',
      now: deps.now,
      headers: m.headers ?? {},
      priority,
    },
    write,
  );
  if (priority < 2) await raisePendingPriority(tx, write ? m.recipient : '', priority);
  if (!write) return;
  // The dispatcher wakes once the change that caused this message has committed (app.ts).
  await signalAfterCommit(tx, 'outbox');
}
