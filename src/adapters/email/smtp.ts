import { Readable } from 'node:stream';
import DKIM from 'nodemailer/lib/dkim';
import MailComposer from 'nodemailer/lib/mail-composer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { DeliveryAttempt, EmailTransport } from '../../notifications/ports.ts';
import { PermanentDeliveryError, TemporaryDeliveryError } from '../../notifications/ports.ts';

export interface SmtpOptions {
  /**
   * Time limit (ms) of one message, from connecting to the server's answer to the message: also the
   * connection, greeting and per-reply (socket inactivity) timeouts. Default 30 s (SMTP_TIMEOUT_SECONDS).
   */
  timeoutMs?: number;
  /** The name Mamori gives itself in EHLO (a DNS name: receivers score an IP literal badly). */
  ehloName?: string;
  /** DKIM signing (RFC 6376, rsa-sha256, relaxed/relaxed) with this key, published at `<selector>._domainkey.<domain>`. */
  dkim?: { domainName: string; keySelector: string; privateKey: string };
}

/** Reads a stream to its end. */
async function readAll(s: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
  return Buffer.concat(chunks);
}

/** The message content, released only once `beforeTransmit()` has resolved (after the server's 354). */
function heldContent(raw: Buffer, beforeTransmit: (() => Promise<void>) | undefined): Readable {
  let asked = false;
  return new Readable({
    read() {
      if (asked) return;
      asked = true;
      Promise.resolve(beforeTransmit?.()).then(
        () => {
          this.push(raw);
          this.push(null);
        },
        (e: unknown) => this.destroy(e instanceof Error ? e : new Error(String(e))),
      );
    },
  });
}

/** An SMTP reply code on a nodemailer error, if the server answered. */
const replyCode = (e: unknown): number | undefined => (e as { responseCode?: number }).responseCode;

/**
 * Real SMTP (RFC 5321) through nodemailer's SMTP client: `smtp://user:pass@host:port` (STARTTLS when the
 * server offers it) or `smtps://…` (implicit TLS); query parameters as nodemailer reads them.
 *
 * One connection per message. The message's content is sent only after the server accepted the envelope
 * and answered `354`, and after `attempt.beforeTransmit()` resolved; if it rejects, the connection is
 * closed before the terminating dot, so the server discards the message. Errors: `PermanentDeliveryError`
 * on a 5xx reply, `TemporaryDeliveryError` on a 4xx reply (the message was certainly not accepted), any
 * other error (timeout, lost connection) leaves the outcome unknown if the content was already sent.
 * Settles within `timeoutMs`.
 */
export function smtpTransport(url: string, options: SmtpOptions = {}): EmailTransport {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const server = parseConnectionUrl(url);
  const signer = options.dkim ? new DKIM(options.dkim) : null;
  const open = new Set<SMTPConnection>();

  async function send(m: Parameters<EmailTransport['send']>[0], attempt?: DeliveryAttempt): Promise<void> {
    attempt?.signal.throwIfAborted();
    const mail = new MailComposer({
      from: m.from,
      to: m.to,
      subject: m.subject,
      text: m.text,
      html: m.html || undefined,
      messageId: m.messageId,
      headers: { ...m.headers, 'X-Mamori-Reference': m.reference, 'Auto-Submitted': 'auto-generated' },
    }).compile();
    const envelope = mail.getEnvelope();
    const built = await mail.build();
    // Signed over the exact bytes sent: the receiver checks the headers and body it gets against the key in DNS.
    const raw = signer ? await readAll(signer.sign(built)) : built;
    const connection = new SMTPConnection({
      ...server,
      ...(options.ehloName ? { name: options.ehloName } : {}),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    } as ConstructorParameters<typeof SMTPConnection>[0]);
    open.add(connection);
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (err?: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(limit);
        attempt?.signal.removeEventListener('abort', onAbort);
        open.delete(connection);
        if (err === undefined) {
          connection.quit();
          resolve();
          return;
        }
        connection.close();
        const code = replyCode(err);
        const message = err instanceof Error ? err.message : String(err);
        if (code && code >= 500 && code < 600) reject(new PermanentDeliveryError(`SMTP ${code} ${message}`));
        else if (code && code >= 400 && code < 500)
          reject(new TemporaryDeliveryError(`SMTP ${code} ${message}`));
        else reject(err instanceof Error ? err : new Error(message));
      };
      const onAbort = () => finish(attempt?.signal.reason ?? new Error('aborted'));
      const limit = setTimeout(() => finish(new Error(`SMTP: no answer within ${timeoutMs} ms`)), timeoutMs);
      attempt?.signal.addEventListener('abort', onAbort, { once: true });
      // Errors can come after the outcome (e.g. while quitting): they must not crash the process.
      connection.on('error', (e) => finish(e));
      connection.on('end', () => finish(new Error('SMTP: connection closed')));
      const transmit = () =>
        connection.send(envelope, heldContent(raw, attempt?.beforeTransmit), (err) =>
          finish(err ?? undefined),
        );
      connection.connect((err) => {
        if (err) return finish(err);
        const auth = server.auth as { user?: string; pass?: string } | undefined;
        if (auth?.user && (connection.allowsAuth || server.forceAuth)) {
          connection.login({ credentials: { user: auth.user, pass: auth.pass ?? '' } }, (e) =>
            e ? finish(e) : transmit(),
          );
        } else {
          transmit();
        }
      });
    });
  }

  return {
    timeoutMs,
    send,
    async close() {
      for (const c of open) c.close();
      open.clear();
    },
  };
}
