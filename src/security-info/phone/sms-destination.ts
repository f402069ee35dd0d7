import type { Deps } from '../../deps.ts';
import { fail } from '../../kernel/errors.ts';
import { parsePhone } from './parse-phone.ts';

/**
 * A mobile number that may receive an SMS code: parsed to E.164 (mobile only) and in an allowed country.
 * Returns the E.164 number. The per-country hourly cap (SMS pumping is a real cost) is not checked here:
 * it is taken when an SMS is actually sent, for every SMS (`issueCode` in verification/challenges.ts), so a
 * refused request uses none of it.
 */
export async function acceptSmsDestination(
  deps: Pick<Deps, 'config'>,
  input: { country: unknown; number: unknown },
): Promise<string> {
  const country = typeof input.country === 'string' ? input.country.toUpperCase().slice(0, 2) : 'JP';
  const parsed = parsePhone(typeof input.number === 'string' ? input.number.slice(0, 100) : '', country);
  if (!parsed.ok) fail(parsed.code);
  const allowed = deps.config.sms.allowedCountries;
  if (allowed.length > 0 && !allowed.includes(parsed.country)) fail('phone.country_unsupported');
  return parsed.e164;
}
