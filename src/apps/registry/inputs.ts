import { fail } from '../../kernel/errors.ts';
import { cleanFreeText } from '../../kernel/free-text.ts';
import { isSignalEventType, type SignalEventType } from './signal-events.ts';
import { isWebhookEventType, type WebhookEventType } from './webhook-events.ts';

/* The free-text and list inputs of a registration, from hostile input. */

/** A client's name: people read it on the consent and console pages. */
export const NAME_MAX = 100;
/** A webhook endpoint's description. */
export const DESCRIPTION_MAX = 200;
/** A receiver's bearer token (RFC 6750 §2.1 `b64token`), 16–512 characters. */
const AUTH_TOKEN = /^[A-Za-z0-9\-._~+/]{16,512}=*$/;

/** A name of 1–NAME_MAX characters, tidied as Mamori's free text. Errors: `apps.name_invalid`. */
export function checkName(v: unknown): string {
  const s = cleanFreeText(v, { maxLength: NAME_MAX });
  if (!s) fail('apps.name_invalid');
  return s;
}

/** A description of 0–DESCRIPTION_MAX characters (one line). Errors: `apps.description_invalid`. */
export function checkDescription(v: unknown): string {
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return '';
  const s = cleanFreeText(v, { maxLength: DESCRIPTION_MAX });
  if (s === null) fail('apps.description_invalid');
  return s;
}

/** `confidential` or `public`. Errors: `apps.client_type_invalid`. */
export function checkClientType(v: unknown): 'confidential' | 'public' {
  if (v !== 'confidential' && v !== 'public') fail('apps.client_type_invalid');
  return v;
}

/** At least one known event, each once, in the catalogue's order. Errors: `apps.events_invalid`. */
function checkEvents<E extends string>(
  v: unknown,
  known: readonly E[],
  isKnown: (x: unknown) => x is E,
): E[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > known.length * 2) fail('apps.events_invalid');
  if (!v.every(isKnown)) fail('apps.events_invalid');
  return known.filter((e) => v.includes(e));
}

/** Webhook event types (WEBHOOK_EVENT_TYPES). Errors: `apps.events_invalid`. */
export function checkWebhookEvents(v: unknown, known: readonly WebhookEventType[]): WebhookEventType[] {
  return checkEvents(v, known, isWebhookEventType);
}

/** Signal event URIs (SIGNAL_EVENT_TYPES). Errors: `apps.events_invalid`. */
export function checkSignalEvents(v: unknown, known: readonly SignalEventType[]): SignalEventType[] {
  return checkEvents(v, known, isSignalEventType);
}

/** An optional bearer token a receiver expects; empty means none. Errors: `apps.auth_token_invalid`. */
export function checkAuthToken(v: unknown): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string' || !AUTH_TOKEN.test(v)) fail('apps.auth_token_invalid');
  return v;
}
