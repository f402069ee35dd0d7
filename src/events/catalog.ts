import type { ACCOUNT_BLIND_KINDS, ActivityKind } from '../activity/activity.ts';
import type { Locale, RequestContext } from '../kernel/context.ts';
import type { Sql } from '../kernel/sql.ts';

/**
 * Every domain event Mamori raises, with its payload. A capability raises its events inside the
 * transaction of the change (`emit(tx, event)`); subscribers registered in `src/subscriptions.ts` react in
 * the same transaction: the activity entry, the security emails, the past contacts, the cancellation of a
 * pending replacement, the session-cache invalidation. docs/events.md is generated from this file and the
 * subscriptions (`npm run docs:events`).
 */

/** Where a change came from, as the activity log records it. */
export type EventContext = Pick<RequestContext, 'ip' | 'userAgent' | 'country'>;

/** The account as its emails need it, read in the emitting transaction (before the change, if it matters). */
export interface AccountSnapshot {
  id: string;
  email: string;
  displayName: string;
  locale: Locale;
  timeZone: string;
  personalPhrase?: string;
}

/**
 * What every event about an account carries for the activity log: the account, where from, when, and the
 * entry's detail. An event whose `type` is an activity kind is recorded as one activity entry.
 */
interface AccountEventBase {
  accountId: string;
  ctx: EventContext;
  /** When the change happened (the injected clock). */
  at: Date;
  /** Activity detail, shown in "recent activity" (strings only). */
  detail?: Record<string, string>;
  /** Shown as unusual in recent activity. */
  unusual?: boolean;
  /** The activity entry's id, when the emitter needs it (a recovery request links to its entry). */
  activityId?: string;
}

/** A contact email or phone as it was when the event happened (past contacts, extra recipients). */
export interface ContactValue {
  kind: 'email' | 'phone';
  value: string;
}

/** A change of security info that every contact is told about. */
interface Announced {
  /** Who is told: the account's primary address and every verified contact email. */
  account: AccountSnapshot;
}

/**
 * The activity kinds that are only recorded (the others are announced too, below). The account-blind kinds
 * (`ACCOUNT_BLIND_KINDS`: `reset.started`, `signin.throttled`, `recovery_form.submitted`,
 * `recovery_form.denied`) are not events: they are written with the same statement whether or not an account
 * exists (recovery/, recovery-form/ and sessions/sign-in.ts call the activity store directly), so that the
 * work done never tells a stranger whether the address has an account.
 */
export type QuietKind = Exclude<
  ActivityKind,
  | (typeof ACCOUNT_BLIND_KINDS)[number]
  | 'method.verified'
  | 'method.removed'
  | 'password.changed'
  | 'password.reset'
  | 'two_step.on'
  | 'two_step.off'
  | 'recovery_code.created'
  | 'recovery_code.used'
  | 'account.secured'
  | 'signin.unusual'
>;

export type MamoriEvent =
  // --- recorded in recent activity only (one union member per kind)
  | { [K in QuietKind]: AccountEventBase & { type: K } }[QuietKind]
  // --- recorded and announced to every contact
  | (AccountEventBase &
      Announced & {
        /** A contact, authenticator app or passkey became security info. */
        type: 'method.verified';
        /** The method as the owner reads it ("m***@example.jp", "Authenticator app (work)"). */
        method: string;
        /** A contact email or phone: remembered as a past contact (recovery form evidence). */
        contact?: ContactValue;
      })
  | (AccountEventBase &
      Announced & {
        /** A verified method was removed. */
        type: 'method.removed';
        method: string;
        /** A contact email or phone: remembered as a past contact; a removed email is told too. */
        contact?: ContactValue;
      })
  | (AccountEventBase & Announced & { type: 'password.changed' })
  | (AccountEventBase & Announced & { type: 'account.secured' })
  | (AccountEventBase & Announced & { type: 'two_step.on' })
  | (AccountEventBase & Announced & { type: 'two_step.off' })
  | (AccountEventBase & Announced & { type: 'password.reset' })
  | (AccountEventBase &
      Announced & {
        type: 'recovery_code.created';
        /** The account had no working recovery code before: nothing stops working. */
        first: boolean;
      })
  | (AccountEventBase & Announced & { type: 'recovery_code.used' })
  | (AccountEventBase &
      Announced & {
        /** A sign-in from a new country, or a new device that is not trusted. */
        type: 'signin.unusual';
        origin: { country: string; device: string };
      })
  // --- not recorded: reactions and guards
  | {
      /**
       * The owner proved themselves with a method they already had (a step-up, a second factor, a reset
       * code, a passkey): a pending replacement of the security info is cancelled.
       */
      type: 'method.used';
      accountId: string;
      ctx: EventContext;
      /**
       * `recovery_code`: the account's recovery code, which may have been made by whoever asked for the
       * replacement: one younger than the wait is refused (`account.restricted`, the change rolls back).
       */
      via?: 'recovery_code';
    }
  | {
      /**
       * A change of password or security info is about to be written (inside its transaction, the account
       * row locked). A subscriber may veto it by throwing (a pending replacement: `account.restricted`).
       */
      type: 'security_change.requested';
      accountId: string;
      operation: string;
    }
  | {
      /** The account's sessions were ended or must be re-checked: caches drop them after commit. */
      type: 'sessions.revoked';
      accountId: string;
    }
  // --- account-blind and organisation events: told to applications (webhooks), not recorded
  | {
      /**
       * A request of the account recovery form was submitted. Account-blind: raised whether or not the
       * account exists (`accountId` null), and every subscriber must do the same work either way.
       */
      type: 'recovery_request.submitted';
      accountId: string | null;
      at: Date;
      /** The request's id (recovery-form/). */
      requestId: string;
      /** Where it came from (ISO 3166-1 alpha-2, `??` unknown). */
      country: string;
    }
  | {
      /** A recovery request was decided (by the operator or automatically). `accountId` null: no account. */
      type: 'recovery_request.decided';
      accountId: string | null;
      at: Date;
      requestId: string;
      decision: 'approved' | 'denied';
    }
  | {
      /** An organisation's policy was saved as a new version. */
      type: 'policy.changed';
      orgId: string;
      at: Date;
      /** The new version number. */
      version: number;
    }
  | {
      /** An organisation admin (or its API token) acted on a member or the organisation (org audit log). */
      type: 'admin.action';
      orgId: string;
      at: Date;
      /** The audit action (src/organisations/audit-actions.ts), e.g. `member.sessions_revoked`. */
      action: string;
      /** The member acted on, if any. */
      targetAccountId: string | null;
      /** `admin` (a person) or `token` (the organisation API), as the audit log records. */
      actorKind: string;
    };

export type EventType = MamoriEvent['type'];

/** The events of `type`. */
export type EventOf<T extends EventType> = Extract<MamoriEvent, { type: T }>;

/** A raiser of events: what capabilities receive. */
export type EmitEvent = (tx: Sql, event: MamoriEvent) => Promise<void>;

/** What each event means, for docs/events.md (one line each; the compiler checks every type is here). */
export const EVENT_SUMMARIES: Record<EventType, string> = {
  'account.created': 'A sign-up created an account (its address not yet confirmed).',
  'account.email_confirmed': "The account's sign-in address was confirmed with its code.",
  'signin.success': 'A sign-in started a session.',
  'signin.wrong_password': 'A sign-in was refused: wrong password.',
  signout: 'A session was signed out.',
  'session.ended': 'The owner ended one of their sessions (or all others).',
  'method.added': 'A contact email or phone was added and its code sent (not yet security info).',
  'method.verified': 'A contact, authenticator app or passkey became security info.',
  'method.removed': 'A verified method was removed.',
  'method.relabelled': "A method's label was changed.",
  'password.changed': 'The owner changed the password (step-up proven).',
  'password.reset': 'The password was reset (forgot-password flow or the recovery form).',
  'reauth.success': 'The owner proved themselves again (step-up).',
  'signin.unusual': 'A sign-in from a new country, or from a new device that is not trusted.',
  'signin.challenged': 'A sign-in waits for a second step (two-step, or an unusual sign-in check).',
  'signin.second_factor': 'The second step of a sign-in was completed.',
  'two_step.on': 'Two-step verification was turned on.',
  'two_step.off': 'Two-step verification was turned off.',
  'recovery_code.created': 'A new recovery code was made (the old one stops working).',
  'recovery_code.used': 'The recovery code was used (and replaced).',
  'device.trusted': 'A device was trusted: its sign-ins skip the second step.',
  'device.revoked': 'Trusted devices were forgotten.',
  'account.secured': '"Secure my account": sessions ended, trusted devices forgotten, password replaced.',
  'phrase.changed': 'The personal phrase shown in emails was changed.',
  'replacement.started': 'A 30-day replacement of all security info started.',
  'replacement.cancelled': 'A pending replacement was cancelled.',
  'replacement.completed': 'A replacement took effect.',
  'recovery_form.approved': 'An operator approved a recovery request.',
  'periodic.confirmed': 'The owner confirmed their security info is still theirs (periodic check).',
  'notices.preferences': 'Service notice preferences were changed.',
  'method.used': 'A method the owner already had was used (step-up, second factor, reset code, passkey).',
  'security_change.requested': 'A change of password or security info is about to be written (vetoable).',
  'sessions.revoked': "The account's sessions were ended or must be re-checked.",
  'recovery_request.submitted':
    'A recovery form request was submitted (account-blind: raised with or without an account).',
  'recovery_request.decided': 'A recovery form request was approved or denied.',
  'policy.changed': "An organisation's policy was saved as a new version.",
  'admin.action': 'An organisation admin or API token acted on a member or the organisation.',
};
