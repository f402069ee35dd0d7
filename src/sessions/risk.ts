import { describeDevice, deviceKey, deviceLabel } from '../activity/device.ts';
import { countryName, LOCAL_COUNTRY, UNKNOWN_COUNTRY } from '../activity/geo.ts';
import type { Deps } from '../deps.ts';
import { DAY } from '../kernel/clock.ts';
import type { Locale, RequestContext } from '../kernel/context.ts';
import type { Sql } from '../storage/db.ts';

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
  deps: Deps,
  sql: Sql,
  accountId: string,
  ctx: RequestContext,
): Promise<SignInRisk> {
  const key = deviceKey(describeDevice(ctx.userAgent));
  const since = new Date(deps.clock.now().getTime() - 180 * DAY);
  const rows = await sql.query<{ same_country: boolean; same_device: boolean }>(
    // Sign-ins from an origin the owner said was not them ("this wasn't me") do not make it familiar.
    `SELECT bool_or(a.country = $3) AS same_country, bool_or(a.device_key = $4) AS same_device
     FROM activity a WHERE a.account_id = $1 AND a.kind = 'signin.success' AND a.created_at > $2
       AND NOT EXISTS (SELECT 1 FROM activity u WHERE u.account_id = a.account_id AND u.unusual
         AND u.review = 'not_me' AND u.country = a.country AND u.device_key = a.device_key)`,
    [accountId, since, ctx.country, key],
  );
  const informative = ctx.country !== LOCAL_COUNTRY && ctx.country !== UNKNOWN_COUNTRY;
  const newCountry = informative && rows[0]?.same_country !== true;
  const newDevice = rows[0]?.same_device !== true;
  return { unusual: newCountry || newDevice, newCountry, newDevice, country: ctx.country, deviceKey: key };
}

/** Where and on what, in words, for alerts and the activity page. */
export function describeOrigin(ctx: Pick<RequestContext, 'country' | 'userAgent'>, locale: Locale) {
  return {
    country: countryName(ctx.country, locale),
    device: deviceLabel(describeDevice(ctx.userAgent), locale),
  };
}
