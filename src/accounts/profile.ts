import type { Deps } from '../deps.ts';
import { isLocale, type Locale } from '../kernel/context.ts';
import { fail } from '../kernel/errors.ts';
import type { SessionView } from '../sessions/session-cache.ts';
import { sessionsChanged } from '../sessions/sessions.ts';
import { validTimeZone } from './accounts-service.ts';
import { normalizeDisplayName } from './display-name.ts';

export interface Profile {
  displayName: string;
  locale: Locale;
  timeZone: string;
}

/**
 * Changes the account's display name, language and time zone (any of them; what is absent stays). These are
 * not security info: no step-up, no security-stamp change, nothing restricted during a replacement. Emails,
 * SMS and pages use the new language and time zone from the next one on; every session sees them at once.
 */
export async function updateProfile(
  deps: Deps,
  session: Pick<SessionView, 'accountId' | 'displayName' | 'locale' | 'timeZone'>,
  input: { displayName?: unknown; locale?: unknown; timeZone?: unknown },
): Promise<Profile> {
  const displayName =
    input.displayName === undefined ? session.displayName : normalizeDisplayName(input.displayName);
  if (!displayName) fail('account.display_name_invalid');
  if (input.locale !== undefined && !isLocale(input.locale)) fail('request.invalid');
  const locale: Locale = isLocale(input.locale) ? input.locale : session.locale;
  const timeZone = input.timeZone === undefined ? session.timeZone : validTimeZone(input.timeZone);
  if (!timeZone) fail('account.time_zone_invalid');
  await deps.db.tx(async (tx) => {
    await tx.query(
      'UPDATE accounts SET display_name = $2, locale = $3, time_zone = $4, updated_at = $5 WHERE id = $1',
      [session.accountId, displayName, locale, timeZone, deps.clock.now()],
    );
    // Sessions carry the name, language and time zone: every one of them sees the change now.
    await sessionsChanged(deps, tx, session.accountId);
  });
  return { displayName, locale, timeZone };
}

/** Time zones a person can choose (IANA names), the current one included. */
export function timeZoneChoices(current: string): string[] {
  const all = new Set<string>(Intl.supportedValuesOf('timeZone'));
  all.add('UTC');
  all.add(current);
  return [...all].sort();
}
