import { describeDevice, deviceKey, deviceLabel } from '../activity/device.ts';
import { countryName, LOCAL_COUNTRY, UNKNOWN_COUNTRY } from '../activity/geo.ts';
import { signInFamiliarity } from '../activity/store.ts';
import type { Deps } from '../deps.ts';
import { DAY } from '../kernel/clock.ts';
import type { Locale, RequestContext } from '../kernel/context.ts';
import type { Sql } from '../kernel/sql.ts';

export interface SignInRisk {
  unusual: boolean;
  newCountry: boolean;
  newDevice: boolean;
  country: string;
  deviceKey: string;
}

/**
 * A sign-in with the right password is unusual when it comes from a country, or a device (browser, OS and
 * form factor; not its version), that no successful sign-in of the account used in the last 180 days.
 * Private-network and unknown addresses say nothing about the country.
 */
export async function assessSignIn(
  deps: Pick<Deps, 'clock'>,
  sql: Sql,
  accountId: string,
  ctx: RequestContext,
): Promise<SignInRisk> {
  const key = deviceKey(describeDevice(ctx.userAgent));
  const since = new Date(deps.clock.now().getTime() - 180 * DAY);
  // Sign-ins from an origin the owner said was not them ("this wasn't me") do not make it familiar.
  const seen = await signInFamiliarity(sql, accountId, since, ctx.country, key);
  const informative = ctx.country !== LOCAL_COUNTRY && ctx.country !== UNKNOWN_COUNTRY;
  const newCountry = informative && seen.sameCountry !== true;
  const newDevice = seen.sameDevice !== true;
  return { unusual: newCountry || newDevice, newCountry, newDevice, country: ctx.country, deviceKey: key };
}

/** Where and on what, in words, for alerts and the activity page. */
export function describeOrigin(ctx: Pick<RequestContext, 'country' | 'userAgent'>, locale: Locale) {
  return {
    country: countryName(ctx.country, locale),
    device: deviceLabel(describeDevice(ctx.userAgent), locale),
  };
}
