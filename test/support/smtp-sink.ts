import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SinkMail {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: ParsedMail['headers'];
  /** The message exactly as it arrived (for signature checks). */
  raw: Buffer;
}

/** A real SMTP server on a random local port that parses every message it receives. */
export async function startSmtpSink() {
  const messages: SinkMail[] = [];
  let failNext = 0;
  let ackDelayMs = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      if (failNext > 0) {
        failNext--;
        stream.resume();
        stream.on('end', () =>
          callback(Object.assign(new Error('Temporary failure'), { responseCode: 451 })),
        );
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      new Promise<Buffer>((resolve, reject) => {
        stream.on('end', () => resolve(Buffer.concat(chunks)));
        stream.on('error', reject);
      })
        .then(async (raw) => ({ raw, m: await simpleParser(raw) }))
        .then(({ raw, m }) => {
          const to = Array.isArray(m.to) ? m.to[0]?.text : m.to?.text;
          messages.push({
            to: to ?? '',
            from: m.from?.text ?? '',
            subject: m.subject ?? '',
            text: m.text ?? '',
            html: typeof m.html === 'string' ? m.html : '',
            messageId: m.messageId ?? '',
            headers: m.headers,
            raw,
          });
          // Stored, and acknowledged (250) only after the delay: a sender killed meanwhile never hears it.
          if (ackDelayMs > 0) setTimeout(() => callback(), ackDelayMs);
          else callback();
        })
        .catch(callback);
    },
  });
  // A client that goes away mid-transaction (a killed instance, a timed-out send) resets its connection;
  // the sink only records what arrived, so that is not an error of the test process.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    /** Make the next `n` deliveries fail with a temporary SMTP error. */
    failNextDeliveries(n: number) {
      failNext = n;
    },
    /** Acknowledge each stored message `ms` later (0: at once). */
    setAckDelay(ms: number) {
      ackDelayMs = ms;
    },
    to(address: string): SinkMail[] {
      return messages.filter((m) => m.to.toLowerCase().includes(address.toLowerCase()));
    },
    clear() {
      messages.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type SmtpSink = Awaited<ReturnType<typeof startSmtpSink>>;

/** The 6-digit code in a message. */
export function codeIn(text: string): string {
  const m = text.match(/(?<!\d)(\d{6})(?!\d)/);
  if (!m?.[1]) throw new Error(`no code in: ${text.slice(0, 200)}`);
  return m[1];
}
