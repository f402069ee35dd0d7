import {
  findAccountById,
  findInfoConfirmation,
  lockAccountsDueForReminder,
  markInfoConfirmed,
  markReminded,
} from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import { formatDateTime } from '../i18n/index.ts';
import { DAY } from '../kernel/clock.ts';
import type { RequestContext } from '../kernel/context.ts';
import { AppError } from '../kernel/errors.ts';
import type { Sql } from '../kernel/sql.ts';
import { sendEmail } from '../notifications/notify.ts';
import { reconfirmDaysFor, shortestReconfirmDays } from '../organisations/reconfirm.ts';
import { recoveryCodeInfo } from '../security-info/recovery-code-service.ts';
import {
  confirmVerifiedMethods,
  listMethodFacts,
  listVerifiedMethodsWithConfirmation,
} from '../security-info/store.ts';
import type { SessionView } from '../sessions/session-cache.ts';
import { lockWithStepUp } from '../sessions/step-up-guard.ts';
import { type CheckupFacts, checkupOf } from './checkup.ts';

type Env = Record<string, string | undefined>;

/**
 * PERIODIC_CHECK_DAYS: how often a signed-in user is asked whether their security info is still theirs
 * (default 90; 0 = never). Read at each use, so a restart is not needed to change it. An invalid value
 * throws: call it once at start to fail fast.
 */
export function periodicCheckDays(env: Env = process.env): number {
  const raw = env.PERIODIC_CHECK_DAYS;
  if (raw === undefined || raw.trim() === '') return 90;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 3650)
    throw new Error(`PERIODIC_CHECK_DAYS must be an integer between 0 and 3650 (got "${raw}")`);
  return n;
}

/** When the account last confirmed its security info; its creation counts as the first confirmation. */
async function lastConfirmed(sql: Sql, accountId: string): Promise<{ at: Date; ever: boolean } | null> {
  const r = await findInfoConfirmation(sql, accountId);
  if (!r) return null;
  return { at: r.info_confirmed_at ?? r.created_at, ever: r.info_confirmed_at !== null };
}

/** True when the account should be asked "is this security info still yours?" at this sign-in. */
export async function isPeriodicCheckDue(
  deps: Pick<Deps, 'db' | 'clock'>,
  accountId: string,
): Promise<boolean> {
  const days = await reconfirmDaysFor(deps.db, accountId, periodicCheckDays());
  if (days === 0) return false;
  const last = await lastConfirmed(deps.db, accountId);
  if (!last) return false;
  return deps.clock.now().getTime() - last.at.getTime() >= days * DAY;
}

/**
 * Where a web sign-in goes: the periodic check page first when it is due (then on to `next`), else `next`.
 * `next` must already be a safe local path.
 */
export async function pathAfterSignIn(
  deps: Pick<Deps, 'db' | 'clock'>,
  accountId: string,
  next: string,
): Promise<string> {
  if (!(await isPeriodicCheckDue(deps, accountId))) return next;
  return `/security/confirm-info?next=${encodeURIComponent(next)}`;
}

export interface ConfirmableMethod {
  id: string;
  kind: 'email' | 'phone' | 'totp' | 'passkey';
  value: string;
  label: string;
  verifiedAt: Date;
  /** Last time the owner confirmed this method (null: never). */
  confirmedAt: Date | null;
}

export interface PeriodicState {
  due: boolean;
  periodDays: number;
  lastConfirmedAt: Date;
  /** False while the account's creation is the only "confirmation". */
  everConfirmed: boolean;
  primaryEmail: string;
  methods: ConfirmableMethod[];
}

/** The verified methods with their last-confirmed dates, for the "still yours?" page and the API. */
export async function verifiedMethodsWithConfirmation(
  sql: Sql,
  accountId: string,
): Promise<ConfirmableMethod[]> {
  const rows = await listVerifiedMethodsWithConfirmation(sql, accountId);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    value: r.value,
    label: r.label,
    verifiedAt: r.verifiedAt,
    confirmedAt: r.confirmedAt,
  }));
}

export async function periodicState(
  deps: Pick<Deps, 'db' | 'clock'>,
  accountId: string,
): Promise<PeriodicState> {
  const account = await findAccountById(deps.db, accountId);
  const last = await lastConfirmed(deps.db, accountId);
  if (!account || !last) throw new AppError('auth.required');
  const periodDays = await reconfirmDaysFor(deps.db, accountId, periodicCheckDays());
  return {
    due: periodDays > 0 && deps.clock.now().getTime() - last.at.getTime() >= periodDays * DAY,
    periodDays,
    lastConfirmedAt: last.at,
    everConfirmed: last.ever,
    primaryEmail: account.email,
    methods: await verifiedMethodsWithConfirmation(deps.db, accountId),
  };
}

/**
 * The owner confirms that all their security info is still theirs: every verified method and the account
 * get today's date, and the confirmation is recorded in the activity.
 *
 * Bound to the security stamp like every pending flow: the session must have proven itself (signed in,
 * stepped up, or made the change itself) against the account's current stamp, with the account row
 * locked. A session that has not seen the latest change of security info cannot vouch for it
 * (`auth.reauth_required`): otherwise "all of this is still mine" from an old tab or a forgotten session
 * would mark a method someone else just added as confirmed by the owner.
 */
export async function confirmSecurityInfo(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'emit'>,
  session: Pick<SessionView, 'id' | 'accountId'>,
  ctx: Pick<RequestContext, 'ip' | 'userAgent' | 'country'>,
): Promise<number> {
  const now = deps.clock.now();
  const accountId = session.accountId;
  return deps.db.tx(async (tx) => {
    await lockWithStepUp(deps, tx, session, 'current');
    const methods = (await confirmVerifiedMethods(tx, accountId, now)).length;
    if (!(await markInfoConfirmed(tx, accountId, now))) throw new AppError('auth.required');
    await deps.emit(tx, {
      type: 'periodic.confirmed',
      accountId,
      ctx,
      at: now,
      detail: { methods: String(methods) },
    });
    return methods;
  });
}

/** Everything the checkup scores, read in one go. */
export async function checkupFacts(
  deps: Pick<Deps, 'db' | 'clock'>,
  accountId: string,
): Promise<CheckupFacts> {
  const account = await findAccountById(deps.db, accountId);
  const last = await lastConfirmed(deps.db, accountId);
  if (!account || !last) throw new AppError('auth.required');
  const methods = await listMethodFacts(deps.db, accountId);
  return {
    primaryEmail: account.email,
    methods: methods.map((m) => ({ kind: m.kind, value: m.value, verified: m.verified_at !== null })),
    twoStep: account.twoStepEnabled,
    // A code that was used up (a reset left half-way) is no recovery code at all.
    recoveryCodeCreatedAt: (await recoveryCodeInfo(deps.db, accountId)).working
      ? account.recoveryCodeCreatedAt
      : null,
    lastConfirmedAt: last.at,
    periodDays: await reconfirmDaysFor(deps.db, accountId, periodicCheckDays()),
    now: deps.clock.now(),
  };
}

export async function accountCheckup(deps: Pick<Deps, 'db' | 'clock'>, accountId: string) {
  return checkupOf(await checkupFacts(deps, accountId));
}

/**
 * Emails the primary address of every account whose periodic check is due ("is your security info still
 * yours?"), at most once per period: the reminder's date is recorded, and the next one goes out when the
 * owner has confirmed since and is due again, or — never confirming — a whole period later. Returns how
 * many accounts were reminded.
 * Meant for the hourly housekeeping; safe to run on several instances at once (SKIP LOCKED).
 */
export async function sendPeriodicReminders(
  deps: Pick<Deps, 'db' | 'clock' | 'cipher' | 'config' | 'random'>,
  batch = 200,
): Promise<number> {
  const deployment = periodicCheckDays();
  // Members follow their organisation's reconfirmDays: the round looks as far as the shortest period and
  // leaves out each account whose own period is not over (organisations/reconfirm.ts).
  const days = await shortestReconfirmDays(deps.db, deployment);
  if (days === 0) return 0;
  let total = 0;
  let after = '';
  for (;;) {
    const { n, sent, last } = await deps.db.tx(async (tx) => {
      const now = deps.clock.now();
      const rows = await lockAccountsDueForReminder(tx, new Date(now.getTime() - days * DAY), batch, after);
      let sent = 0;
      for (const r of rows) {
        const own = await reconfirmDaysFor(tx, r.id, deployment);
        const dueBefore = now.getTime() - own * DAY;
        const remindedSince =
          r.reminded_at !== null &&
          r.reminded_at.getTime() > r.base.getTime() &&
          r.reminded_at.getTime() > dueBefore;
        if (own === 0 || r.base.getTime() > dueBefore || remindedSince) continue;
        sent++;
        await markReminded(tx, r.id, now);
        await sendEmail(
          deps,
          tx,
          r.email,
          {
            id: r.id,
            email: r.email,
            displayName: r.display_name,
            locale: r.locale,
            timeZone: r.time_zone,
            personalPhrase: r.personal_phrase,
          },
          r.locale,
          {
            kind: 'custom',
            name: 'periodic_reminder',
            subject: 'checkup.mail.subject',
            lines: ['checkup.mail.body', 'checkup.mail.last'],
            params: { date: formatDateTime(r.locale, r.base, r.time_zone) },
            action: { label: 'checkup.mail.action', path: '/security/confirm-info' },
            warn: 'checkup.mail.not_yours',
          },
        );
      }
      return { n: rows.length, sent, last: rows.at(-1)?.id ?? after };
    });
    total += sent;
    after = last;
    if (n < batch) break;
  }
  return total;
}
