import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** How a stored E.164 number is shown to its owner: national format at home (090-1234-5678), else international. */
export function displayPhone(e164: string, homeCountry = 'JP'): string {
  const n = parsePhoneNumberFromString(e164);
  if (!n) return e164;
  return n.country === homeCountry ? n.formatNational() : n.formatInternational();
}
