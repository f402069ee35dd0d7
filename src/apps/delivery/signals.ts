import type { Deps } from '../../deps.ts';
import type { EventOf, MamoriEvent } from '../../events/catalog.ts';
import { newId } from '../../kernel/random.ts';
import type { Sql } from '../../kernel/sql.ts';
import { signalAfterCommit } from '../../kernel/unit-of-work.ts';
import { insertAppDelivery, receiversForAccount } from '../store/delivery-outbox.ts';
import { revokedClientsIn } from './revoked-in-tx.ts';

/** CAEP 1.0 and RISC 1.0 event type URIs Mamori sends as Security Event Tokens (RFC 8417). */
export const SIGNAL_URIS = {
  sessionRevoked: 'https://schemas.openid.net/secevent/caep/event-type/session-revoked',
  credentialChange: 'https://schemas.openid.net/secevent/caep/event-type/credential-change',
  recoveryActivated: 'https://schemas.openid.net/secevent/risc/event-type/recovery-activated',
} as const;

/** The domain events that become Security Event Tokens. */
export const SIGNAL_SOURCE_EVENTS = [
  'account.secured',
  'password.changed',
  'password.reset',
  'method.verified',
  'method.removed',
  'session.ended',
  'admin.action',
  'recovery_code.used',
  'recovery_form.approved',
  'replacement.completed',
] as const satisfies readonly MamoriEvent['type'][];

export type SignalSourceEvent = EventOf<(typeof SIGNAL_SOURCE_EVENTS)[number]>;

/** CAEP `credential_type` of a Mamori method kind; null for a kind CAEP has no name for (contact emails). */
function credentialType(kind: string | undefined): string | null {
  if (kind === 'phone') return 'phone-sms';
  if (kind === 'totp') return 'app';
  if (kind === 'passkey') return 'fido2-platform';
  return null;
}

/**
 * The SET events (`events` claim members, keyed by URI) a domain event maps to, and the account they are
 * about; empty when the event tells applications nothing. Times are NumericDate (seconds). Pure.
 */
export function signalEvents(e: SignalSourceEvent): {
  accountId: string | null;
  events: Record<string, Record<string, unknown>>;
} {
  const ts = Math.floor(e.at.getTime() / 1000);
  const revoked = (initiating: string) => ({
    [SIGNAL_URIS.sessionRevoked]: { event_timestamp: ts, initiating_entity: initiating },
  });
  const credential = (type: string, change: string, initiating = 'user') => ({
    [SIGNAL_URIS.credentialChange]: {
      credential_type: type,
      change_type: change,
      event_timestamp: ts,
      initiating_entity: initiating,
    },
  });
  switch (e.type) {
    case 'account.secured':
      return {
        accountId: e.accountId,
        events: { ...revoked('user'), ...credential('password', 'update') },
      };
    case 'password.changed':
    case 'password.reset':
      return { accountId: e.accountId, events: credential('password', 'update') };
    case 'method.verified':
    case 'method.removed': {
      const type = credentialType(e.detail?.kind);
      if (!type) return { accountId: e.accountId, events: {} };
      return {
        accountId: e.accountId,
        events: credential(type, e.type === 'method.verified' ? 'create' : 'delete'),
      };
    }
    case 'session.ended':
      return { accountId: e.accountId, events: revoked('user') };
    case 'admin.action':
      if (e.action !== 'member.sessions_revoked' || !e.targetAccountId)
        return { accountId: null, events: {} };
      return { accountId: e.targetAccountId, events: revoked('admin') };
    case 'recovery_code.used':
    case 'recovery_form.approved':
    case 'replacement.completed':
      return {
        accountId: e.accountId,
        events: { [SIGNAL_URIS.recoveryActivated]: { event_timestamp: ts } },
      };
  }
}

/**
 * The claims of a Security Event Token as stored in the outbox: everything but `iat`, which is set when it is
 * signed at delivery time (http-delivery.ts). RFC 8417 §2.2 names; `sub_id` per RFC 9493 (`iss_sub`).
 */
export interface StoredSet {
  iss: string;
  aud: string;
  jti: string;
  sub_id: { format: 'iss_sub'; iss: string; sub: string };
  events: Record<string, Record<string, unknown>>;
  /** The transaction that caused it (RFC 8417 §2.2 `txn`): events from one change share it. */
  txn: string;
}

/**
 * Enqueues one Security Event Token per enabled signal receiver subscribed to at least one of the event's
 * URIs, whose client holds a grant for the account (never about a user who never used the app), in `tx`.
 * Each token carries only the URIs that receiver subscribed to. Returns how many were written.
 */
export async function enqueueSignals(
  deps: Pick<Deps, 'clock' | 'random' | 'cipher'>,
  issuer: string,
  tx: Sql,
  e: SignalSourceEvent,
): Promise<number> {
  const { accountId, events } = signalEvents(e);
  const uris = Object.keys(events);
  if (!accountId || uris.length === 0) return 0;
  const receivers = await receiversForAccount(tx, accountId, uris, revokedClientsIn(tx, accountId));
  const txn = newId(deps.random, 'txn');
  const now = deps.clock.now();
  for (const r of receivers) {
    const subscribed = typeof r.events === 'string' ? (JSON.parse(r.events) as string[]) : r.events;
    const own = Object.fromEntries(Object.entries(events).filter(([uri]) => subscribed.includes(uri)));
    const jti = newId(deps.random, 'set');
    const set: StoredSet = {
      iss: issuer,
      aud: r.client_id,
      jti,
      sub_id: { format: 'iss_sub', iss: issuer, sub: accountId },
      events: own,
      txn,
    };
    await insertAppDelivery(tx, {
      id: newId(deps.random, 'dlv'),
      reference: jti,
      accountId,
      orgId: r.org_id,
      kind: 'signal',
      recipient: r.id,
      eventType: Object.keys(own).join(' ').slice(0, 500),
      bodyText: deps.cipher.encrypt(JSON.stringify(set)),
      headers: {},
      now,
    });
  }
  if (receivers.length > 0) await signalAfterCommit(tx, 'app_deliveries');
  return receivers.length;
}
