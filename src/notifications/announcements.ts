import type { Deps } from '../deps.ts';
import type { EventOf } from '../events/catalog.ts';
import type { Sql } from '../kernel/sql.ts';
import { announce } from './notify.ts';

/** The events every contact of the account is told about, each by one security email. */
export const ANNOUNCED_EVENTS = [
  'method.verified',
  'method.removed',
  'password.changed',
  'password.reset',
  'two_step.on',
  'two_step.off',
  'recovery_code.created',
  'recovery_code.used',
  'account.secured',
  'signin.unusual',
] as const;

type Announced = EventOf<(typeof ANNOUNCED_EVENTS)[number]>;

/**
 * Sends the security email for `e` to the account's primary address and every verified contact email
 * (and, for a removed email address, to that address too), through the outbox in `tx`. One email per
 * recipient, in the account's language, with the time in its time zone and the request's IP.
 */
export async function announceEvent(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'random'>,
  tx: Sql,
  e: Announced,
): Promise<void> {
  const { account, ctx } = e;
  switch (e.type) {
    case 'method.verified':
      return announce(deps, tx, account, 'method_added', ctx, { method: e.method });
    case 'method.removed':
      return announce(
        deps,
        tx,
        account,
        'method_removed',
        ctx,
        { method: e.method },
        e.contact?.kind === 'email' ? [e.contact.value] : [],
      );
    case 'recovery_code.created':
      return announce(deps, tx, account, 'recovery_code_created', ctx, { first: e.first });
    case 'signin.unusual':
      return announce(deps, tx, account, 'unusual_signin', ctx, e.origin);
    case 'password.changed':
      return announce(deps, tx, account, 'password_changed', ctx);
    case 'password.reset':
      return announce(deps, tx, account, 'password_reset', ctx);
    case 'two_step.on':
      return announce(deps, tx, account, 'two_step_on', ctx);
    case 'two_step.off':
      return announce(deps, tx, account, 'two_step_off', ctx);
    case 'recovery_code.used':
      return announce(deps, tx, account, 'recovery_code_used', ctx);
    case 'account.secured':
      return announce(deps, tx, account, 'account_secured', ctx);
  }
}
