import type { Clock } from '../../kernel/clock.ts';
import { newId, type Random } from '../../kernel/random.ts';
import type { Sql } from '../../kernel/sql.ts';
import type { EmailTransport, SmsProvider } from '../../notifications/ports.ts';

/** The built-in dev mailbox: messages are kept in the database and shown at /dev/mailbox. Off in production. */
export function devMailbox(db: Sql, clock: Clock, random: Random): EmailTransport {
  return {
    async send(m, attempt) {
      await attempt?.beforeTransmit();
      await db.query(
        `INSERT INTO dev_messages (id, channel, recipient, subject, body_text, body_html, reference, created_at)
         VALUES ($1, 'email', $2, $3, $4, $5, $6, $7)`,
        [newId(random, 'dev'), m.to, m.subject, m.text, m.html, m.reference, clock.now()],
      );
    },
  };
}

/** The built-in dev SMS outbox, shown at /dev/sms. Off in production. */
export function devSmsOutbox(db: Sql, clock: Clock, random: Random): SmsProvider {
  return {
    async send(m, attempt) {
      await attempt?.beforeTransmit();
      await db.query(
        `INSERT INTO dev_messages (id, channel, recipient, subject, body_text, body_html, reference, created_at)
         VALUES ($1, 'sms', $2, '', $3, '', $4, $5)`,
        [newId(random, 'dev'), m.to, m.body, m.reference, clock.now()],
      );
    },
  };
}

export interface DevMessage {
  id: string;
  channel: 'email' | 'sms';
  recipient: string;
  subject: string;
  bodyText: string;
  bodyHtml: string;
  reference: string;
  createdAt: Date;
}

export async function listDevMessages(db: Sql, channel: 'email' | 'sms', limit = 50): Promise<DevMessage[]> {
  const rows = await db.query<{
    id: string;
    channel: 'email' | 'sms';
    recipient: string;
    subject: string;
    body_text: string;
    body_html: string;
    reference: string;
    created_at: Date;
  }>('SELECT * FROM dev_messages WHERE channel = $1 ORDER BY created_at DESC, seq DESC LIMIT $2', [
    channel,
    limit,
  ]);
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    recipient: r.recipient,
    subject: r.subject,
    bodyText: r.body_text,
    bodyHtml: r.body_html,
    reference: r.reference,
    createdAt: r.created_at,
  }));
}
