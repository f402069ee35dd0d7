/**
 * Authentication Method Reference values (RFC 8176 §2 and the IANA registry; docs/flows/apps-oidc.md) that a
 * session records for each proof: `pwd` a password, `otp` an authenticator app's code, `sms` a code by text
 * message, `hwk` a passkey (a proof-of-possession key, WebAuthn). Mamori's own values, outside the registry:
 * `mail` a code sent by email, `rc` the recovery code, `tap` an organisation's temporary access pass. `mfa` is
 * added once two different methods proved the same session.
 */
export type AmrValue = 'pwd' | 'otp' | 'sms' | 'hwk' | 'mail' | 'rc' | 'tap' | 'mfa';

/** The method a second factor or step-up used, as an amr value. */
export function amrOfMethod(kind: 'totp' | 'email' | 'phone' | 'passkey' | string): AmrValue {
  if (kind === 'totp') return 'otp';
  if (kind === 'phone') return 'sms';
  if (kind === 'passkey') return 'hwk';
  return 'mail';
}

/** The union of `before` and `added`, with `mfa` when two or more methods (other than `mfa`) proved it. */
export function mergeAmr(before: readonly string[], added: readonly string[]): string[] {
  const methods = [...new Set([...before, ...added])].filter((m) => m !== 'mfa');
  return methods.length >= 2 ? [...methods, 'mfa'] : methods;
}
