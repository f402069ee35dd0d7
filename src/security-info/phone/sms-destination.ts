import type { Deps } from '../../deps.ts';
import { HOUR } from '../../kernel/clock.ts';
import { fail } from '../../kernel/errors.ts';
import { parsePhone } from './parse-phone.ts';

/**
 * A mobile number that may receive an SMS code: parsed to E.164 (mobile only), in an allowed country, and
 * within the per-country hourly cap (SMS pumping is a real cost). Returns the E.164 number.
 */
export async function acceptSmsDestination(
  deps: Deps,
  input: { country: unknown; number: unknown },
): Promise<string> {
  const country = typeof input.country === 'string' ? input.country.toUpperCase().slice(0, 2) : 'JP';
  const parsed = parsePhone(typeof input.number === 'string' ? input.number.slice(0, 100) : '', country);
  if (!parsed.ok) fail(parsed.code);
  const allowed = deps.config.sms.allowedCountries;
  if (allowed.length > 0 && !allowed.includes(parsed.country)) fail('phone.country_unsupported');
  const perCountry = await deps.limiter.hit(
    `sms:country:${parsed.country}`,
    deps.config.sms.perCountryPerHour,
    HOUR,
    deps.clock.now(),
  );
  if (!perCountry.allowed)
    fail('phone.country_limit', { seconds: Math.ceil(perCountry.retryAfterMs / 1000) });
  return parsed.e164;
}
