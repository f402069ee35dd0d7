import { findAccountById } from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import { formatDateTime } from '../i18n/index.ts';
import { DAY } from '../kernel/clock.ts';
import type { Sql } from '../kernel/sql.ts';
import { announceCustom } from '../notifications/notify.ts';
import type { EmailKind } from '../notifications/templates.tsx';
import { takeLedger } from './ledger.ts';

/**
 * Takes the one message of `key` allowed per `windowMs` (inside `tx`): true when it may be sent now.
 * For messages strangers can cause (a notice to an owner), so they cannot flood anyone's inbox.
 */
export async function onePerWindow(
  deps: Pick<Deps, 'clock'>,
  tx: Sql,
  key: string,
  windowMs = DAY,
): Promise<boolean> {
  return (await takeLedger(tx, [{ key: `once:${key}`, max: 1, windowMs }], deps.clock.now())) === null;
}

/**
 * Why the owner is told that someone is using up a budget of theirs:
 * - `reset_guesses`: wrong codes entered in password resets of the account (whoever started them);
 * - `code_guesses`: the account's budget of wrong codes after the password (sign-in, step-up) is used up.
 */
export type OwnerAlert = 'reset_guesses' | 'code_guesses';

const ALERTS: Record<OwnerAlert, Extract<EmailKind, { kind: 'custom' }>> = {
  reset_guesses: {
    kind: 'custom',
    name: 'reset_guesses',
    subject: 'limits.mail.reset_guesses.subject',
    lines: ['limits.mail.reset_guesses.body', 'limits.mail.reset_guesses.safe'],
    warn: 'limits.mail.reset_guesses.not_you',
    params: {},
  },
  code_guesses: {
    kind: 'custom',
    name: 'code_guesses',
    subject: 'limits.mail.code_guesses.subject',
    lines: ['limits.mail.code_guesses.body', 'limits.mail.code_guesses.paused'],
    warn: 'limits.mail.code_guesses.not_you',
    action: { label: 'limits.mail.code_guesses.action', path: '/security' },
    params: {},
  },
};

/**
 * Tells the owner (primary address and every verified contact email), at most once per kind per 24 hours,
 * that someone is burning through one of the account's budgets. Its own transaction; failures are logged,
 * never thrown (the request that triggered it has its own answer).
 */
export async function alertOwner(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'db' | 'log' | 'random'>,
  accountId: string,
  alert: OwnerAlert,
  vars: { count: number; until?: Date },
): Promise<void> {
  try {
    await deps.db.tx(async (tx) => {
      const account = await findAccountById(tx, accountId);
      if (!account?.emailConfirmedAt) return;
      if (!(await onePerWindow(deps, tx, `alert:${alert}:${accountId}`))) return;
      const params = {
        count: vars.count,
        until: vars.until ? formatDateTime(account.locale, vars.until, account.timeZone) : '',
      };
      await announceCustom(deps, tx, account, { ...ALERTS[alert], params });
    });
  } catch (e) {
    deps.log.error({ err: e, alert }, 'owner alert failed');
  }
}
