/**
 * Masking of contact details for display ("we sent a code to ta*****@gmail.com"). The number of
 * asterisks is fixed so the mask never reveals the length of what it hides.
 */

const STARS = '*****';

/**
 * `taro.yamada@gmail.com` → `ta*****@gmail.com`: the first two characters of the local part (one
 * when the local part has only one or two), five asterisks, then the domain in full.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const local = at < 0 ? email : email.slice(0, at);
  const domain = at < 0 ? '' : email.slice(at);
  const chars = Array.from(local);
  const shown = chars.slice(0, chars.length <= 2 ? 1 : 2).join('');
  return `${shown}${STARS}${domain}`;
}

/** The last `count` digits of a phone number (E.164 or otherwise); fewer if it has fewer digits. */
export function lastDigits(e164: string, count = 4): string {
  const digits = e164.replace(/\D/g, '');
  return count <= 0 ? '' : digits.slice(-count);
}

/** `+819012345678` → `*******78`: seven asterisks and the last two digits. */
export function maskPhone(e164: string): string {
  return `*******${lastDigits(e164, 2)}`;
}
