/** What the dispatcher needs from the outside world. Adapters live in src/adapters/. */
export interface EmailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per outbox message: a retried delivery carries the same Message-ID. */
  messageId: string;
  reference: string;
  headers?: Record<string, string>;
}

export interface EmailTransport {
  send(message: EmailMessage): Promise<void>;
  close?(): Promise<void>;
}

export interface SmsMessage {
  to: string;
  body: string;
  reference: string;
}

export interface SmsProvider {
  send(message: SmsMessage): Promise<void>;
}

/** A delivery failure that will not get better by retrying (bad recipient, rejected credentials). */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}
