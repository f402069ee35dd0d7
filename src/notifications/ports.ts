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

/**
 * One delivery attempt, as the dispatcher hands it to a transport.
 *
 * - `beforeTransmit()` must be awaited right before the first byte the provider may act on (for SMTP:
 *   after the server answered `354` to DATA and before the message itself; for an HTTP API: before the
 *   request). It records that the outcome is about to become uncertain. If it rejects (this process no
 *   longer holds the message), the transport must not transmit and must reject with that error.
 * - `signal` aborts the attempt (time limit reached, lease lost, shutdown): close the connection and reject.
 */
export interface DeliveryAttempt {
  signal: AbortSignal;
  beforeTransmit(): Promise<void>;
}

export interface EmailTransport {
  /** Rejects or resolves within `timeoutMs` (ms) of being called; the dispatcher also aborts it then. */
  readonly timeoutMs?: number;
  send(message: EmailMessage, attempt?: DeliveryAttempt): Promise<void>;
  close?(): Promise<void>;
}

export interface SmsMessage {
  to: string;
  body: string;
  reference: string;
}

export interface SmsProvider {
  /** Rejects or resolves within `timeoutMs` (ms) of being called; the dispatcher also aborts it then. */
  readonly timeoutMs?: number;
  send(message: SmsMessage, attempt?: DeliveryAttempt): Promise<void>;
}

/**
 * A delivery to an application (table `app_deliveries`, channel `http`): a webhook, a Security Event Token or a
 * back-channel logout token, written by src/apps/ in the transaction of the change that caused it.
 */
export interface AppDelivery {
  id: string;
  /** Stable across attempts (the webhook-id of a webhook). */
  reference: string;
  /** `webhook` | `signal` | `backchannel_logout`. */
  kind: string;
  /** The endpoint's id (webhook endpoint, signals receiver, or client). */
  recipient: string;
  /** The payload as written (decrypted). */
  body: string;
  headers: Record<string, string>;
  /** 1 on the first attempt. */
  attempts: number;
}

/** Sends app deliveries over HTTP (src/apps/ builds it; app.ts wires it to the second dispatcher). */
export interface HttpDelivery {
  /** Rejects or resolves within `timeoutMs` (ms) of being called; the dispatcher also aborts it then. */
  readonly timeoutMs?: number;
  send(delivery: AppDelivery, attempt: DeliveryAttempt): Promise<void>;
}

/** A delivery failure that will not get better by retrying (bad recipient, rejected credentials). */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}

/**
 * The provider answered and refused the message for now (SMTP 4xx, HTTP 429): it was certainly not
 * accepted, and may be retried. Any other error after `beforeTransmit()` leaves the outcome unknown.
 */
export class TemporaryDeliveryError extends Error {
  override name = 'TemporaryDeliveryError';
}

/** A message the dev mailbox or SMS outbox kept instead of sending it (development only). */
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

/** Reads the dev mailbox (`email`) or SMS outbox (`sms`), newest first; wired in app.ts. */
export type DevMessageReader = (channel: 'email' | 'sms') => Promise<DevMessage[]>;
