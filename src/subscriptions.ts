import {
  ACCOUNT_BLIND_KINDS,
  ACTIVITY_KINDS,
  type ActivityKind,
  recordActivity,
} from './activity/activity.ts';
import { endAppSessionsOfEndedSessions, revokeAllAppAccess } from './apps/delivery/logout.ts';
import { enqueueSignals, SIGNAL_SOURCE_EVENTS } from './apps/delivery/signals.ts';
import { enqueueWebhooks, WEBHOOK_SOURCE_EVENTS } from './apps/delivery/webhooks.ts';
import type { Deps } from './deps.ts';
import type { MamoriEvent } from './events/catalog.ts';
import type { EventBus } from './kernel/events.ts';
import { ANNOUNCED_EVENTS, announceEvent } from './notifications/announcements.ts';
import { countMemberEvent } from './organisations/daily-counts.ts';
import { joinByDomainOnConfirmation } from './organisations/org-admin.ts';
import { endPassOnOwnerRecovery } from './organisations/tap.ts';
import { rememberContact } from './recovery-form/past-contacts.ts';
import {
  admitRecoveryCodeDuringReplacement,
  cancelReplacementOnOldMethodUse,
} from './replacement/replacement-service.ts';
import { assertNotRestricted } from './replacement/restrictions.ts';
import { invalidateSessionCache } from './sessions/sessions.ts';

/**
 * Who reacts to which domain event (src/events/catalog.ts), in the emitting transaction, in this order.
 * The capabilities that raise events never import the ones that react: this file is the only place that
 * knows both. docs/events.md is generated from these subscriptions (`npm run docs:events`).
 */
export function subscribe(
  bus: EventBus<MamoriEvent>,
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'cipher' | 'sessionCache' | 'emit'>,
): void {
  // Recent activity: one entry per event whose type is an activity kind (the account-blind kinds are written
  // by their callers, they are not events).
  const blind: readonly ActivityKind[] = ACCOUNT_BLIND_KINDS;
  const recorded = ACTIVITY_KINDS.filter(
    (k): k is Exclude<ActivityKind, (typeof ACCOUNT_BLIND_KINDS)[number]> => !blind.includes(k),
  );
  for (const kind of recorded)
    bus.on(kind, 'activity.record', async (tx, e) => {
      await recordActivity(tx, deps.random, e.at, e.accountId, e.type, e.ctx, e.detail ?? {}, {
        unusual: e.unusual,
        id: e.activityId,
      });
    });

  // Past contacts (evidence for the account recovery form): every contact that was security info.
  for (const type of ['method.verified', 'method.removed'] as const)
    bus.on(type, 'recovery-form.remember_contact', async (tx, e) => {
      if (e.contact) await rememberContact(deps, tx, e.accountId, e.contact.kind, e.contact.value);
    });

  // Security emails to every contact.
  for (const type of ANNOUNCED_EVENTS)
    bus.on(type, 'notifications.announce', (tx, e) => announceEvent(deps, tx, e));

  // A method the owner already had was used: a pending replacement of the security info is cancelled.
  bus.on('method.used', 'replacement.cancel_on_old_method', async (tx, e) => {
    if (e.via === 'recovery_code') await admitRecoveryCodeDuringReplacement(deps, tx, e.accountId, e.ctx);
    else await cancelReplacementOnOldMethodUse(deps, tx, e.accountId, e.ctx);
  });

  // No change of password or security info while a replacement is pending.
  bus.on('security_change.requested', 'replacement.refuse_while_pending', (tx, e) =>
    assertNotRestricted(deps, e.accountId, tx),
  );

  // The owner took the account back: a temporary access pass an admin gave ends.
  for (const type of ['password.changed', 'password.reset', 'account.secured'] as const)
    bus.on(type, 'organisations.end_temporary_access_pass', (tx, e) =>
      endPassOnOwnerRecovery(deps, tx, e.accountId, type),
    );

  // Organisations: an account confirming its sign-in address in an attached domain joins that organisation.
  bus.on('account.email_confirmed', 'organisations.join_by_domain', async (tx, e) => {
    await joinByDomainOnConfirmation(deps, tx, e.accountId);
  });

  // Organisations' counts over time: methods added, password resets and recoveries of members.
  bus.on('method.verified', 'organisations.count_method_added', (tx, e) =>
    countMemberEvent(deps, tx, e.accountId, 'methods_added'),
  );
  bus.on('password.reset', 'organisations.count_reset', (tx, e) =>
    countMemberEvent(deps, tx, e.accountId, 'resets'),
  );
  for (const type of ['recovery_code.used', 'recovery_form.approved'] as const)
    bus.on(type, 'organisations.count_recovery', (tx, e) =>
      countMemberEvent(deps, tx, e.accountId, 'recoveries'),
    );

  // Sessions ended or re-checked: every cache drops the account's sessions now and after commit.
  bus.on('sessions.revoked', 'sessions.invalidate_cache', (tx, e) =>
    invalidateSessionCache(deps, tx, e.accountId),
  );

  // Applications (src/apps/delivery/): the provider's sessions and tokens issued under a Mamori session that
  // ended are deleted, with a back-channel logout to the apps that asked for one. A mere step-up ends nothing.
  const issuer = () => deps.config.publicUrl;
  bus.on('sessions.revoked', 'apps.end_app_sessions', async (tx, e) => {
    await endAppSessionsOfEndedSessions(deps, issuer(), tx, e.accountId);
  });
  // Security Event Tokens to the apps the account used (before their grants go, below).
  for (const type of SIGNAL_SOURCE_EVENTS)
    bus.on(type, 'apps.push_security_event', async (tx, e) => {
      await enqueueSignals(deps, issuer(), tx, e);
    });
  // The account was taken back or reset: every grant and token of every app ends, offline ones too.
  for (const type of ['password.changed', 'password.reset', 'account.secured'] as const)
    bus.on(type, 'apps.revoke_all_access', async (tx, e) => {
      await revokeAllAppAccess(deps, issuer(), tx, e.accountId);
    });
  bus.on('admin.action', 'apps.revoke_all_access', async (tx, e) => {
    if (!e.targetAccountId) return;
    if (e.action === 'member.sessions_revoked' || e.action === 'member.password_reset')
      await revokeAllAppAccess(deps, issuer(), tx, e.targetAccountId);
  });
  // Webhooks: one delivery per subscribed endpoint, in the change's transaction.
  for (const type of WEBHOOK_SOURCE_EVENTS)
    bus.on(type, 'apps.enqueue_webhook', async (tx, e) => {
      await enqueueWebhooks(deps, tx, e);
    });
}
