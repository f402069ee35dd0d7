/**
 * The Security Event Token event types (RFC 8417 `events` keys) a shared-signals receiver may ask for: the
 * OpenID Continuous Access Evaluation Profile (CAEP 1.0) and Risk Incident Sharing and Coordination (RISC 1.0)
 * event URIs that Mamori sends (src/apps/delivery/).
 */
export const SIGNAL_EVENT_TYPES = [
  'https://schemas.openid.net/secevent/caep/event-type/session-revoked',
  'https://schemas.openid.net/secevent/caep/event-type/credential-change',
  'https://schemas.openid.net/secevent/risc/event-type/account-disabled',
  'https://schemas.openid.net/secevent/risc/event-type/account-enabled',
  'https://schemas.openid.net/secevent/risc/event-type/recovery-activated',
  'https://schemas.openid.net/secevent/risc/event-type/credential-compromise',
] as const;

export type SignalEventType = (typeof SIGNAL_EVENT_TYPES)[number];

/** Whether `v` is one of SIGNAL_EVENT_TYPES. */
export function isSignalEventType(v: unknown): v is SignalEventType {
  return typeof v === 'string' && (SIGNAL_EVENT_TYPES as readonly string[]).includes(v);
}

/** The short name of a signal event URI (its last path segment: `session-revoked`), for labels. */
export function signalEventName(uri: SignalEventType): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}
