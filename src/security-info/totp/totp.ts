/**
 * TOTP authenticator apps (RFC 6238 on top of RFC 4226 HOTP).
 *
 * Fixed parameters, the ones every authenticator app understands: HMAC-SHA-1, 6 digits, 30-second steps,
 * T0 = Unix epoch, and a 160-bit secret (RFC 4226 recommends 160, requires at least 128).
 *
 * Everything here is pure: randomness is injected and the time is passed in, so callers use their `Clock`.
 * Replay protection (RFC 6238 §5.2: "MUST NOT accept the second attempt of the OTP") needs state: the caller
 * stores the step returned by a successful `verifyTotp` and passes it back as `lastUsedStep` next time.
 */
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import QRCode from 'qrcode';
import { safeEqual } from '../../kernel/crypto.ts';
import { readDigitCode } from '../../kernel/input.ts';
import type { Random } from '../../kernel/random.ts';

export const TOTP_SECRET_BYTES = 20;
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
/** Steps accepted on either side of the current one (RFC 6238 §5.2: "at most one time step"). */
export const TOTP_WINDOW_STEPS = 1;

export type TotpResult =
  | { ok: true; step: number }
  | { ok: false; reason: 'malformed' | 'wrong' | 'replayed' };

/** A fresh 160-bit secret. */
export function generateTotpSecret(random: Random): Uint8Array {
  // Copy out of the Buffer so callers get a plain Uint8Array that owns its memory.
  return Uint8Array.from(random.bytes(TOTP_SECRET_BYTES));
}

/**
 * The `otpauth://` key URI shown as a QR code (Google Authenticator "Key Uri Format").
 * Label and parameters are percent-encoded with `encodeURIComponent` (spaces become `%20`, not `+`, which some
 * apps would show literally), so Japanese issuers and account names survive.
 * The issuer may not contain `:` because apps split the label at the first colon.
 */
export function totpKeyUri(o: { issuer: string; accountName: string; secret: Uint8Array }): string {
  if (o.issuer === '' || o.issuer.includes(':')) {
    throw new TypeError('TOTP issuer must be non-empty and must not contain ":"');
  }
  if (o.accountName === '') throw new TypeError('TOTP account name must be non-empty');
  const issuer = encodeURIComponent(o.issuer);
  const label = `${issuer}:${encodeURIComponent(o.accountName)}`;
  const secret = encodeBase32UpperCaseNoPadding(o.secret);
  return (
    `otpauth://totp/${label}?secret=${secret}&issuer=${issuer}` +
    `&algorithm=SHA1&digits=${TOTP_DIGITS}&period=${TOTP_PERIOD_SECONDS}`
  );
}

/** The secret for typing by hand: base32 without padding, in groups of four (`JBSW Y3DP EHPK 3PXP …`). */
export function manualEntryKey(secret: Uint8Array): string {
  return (encodeBase32UpperCaseNoPadding(secret).match(/.{1,4}/g) ?? []).join(' ');
}

/** The key URI as an SVG QR code (error correction M, one-module quiet zone). */
export function qrCodeSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
}

/** The RFC 6238 time step counter T = floor(unix seconds / 30). */
export function totpStep(now: Date): number {
  const ms = now.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('totpStep: invalid date');
  return Math.floor(ms / (TOTP_PERIOD_SECONDS * 1000));
}

/** The code an authenticator app shows at `now`. For tests and diagnostics; verification uses `verifyTotp`. */
export function totpCode(secret: Uint8Array, now: Date): string {
  return codeAtStep(secret, totpStep(now));
}

function codeAtStep(secret: Uint8Array, step: number): string {
  return generateHOTP(secret, BigInt(step), TOTP_DIGITS);
}

/** What a person typed (kernel/input.ts: full-width digits, spaces, hyphens); `null` unless 6 digits. */
function normalizeCode(input: unknown): string | null {
  const r = readDigitCode(input, TOTP_DIGITS);
  return r.ok ? r.code : null;
}

/**
 * Checks a code typed by the user against the steps now-1, now and now+1.
 *
 * - A step at or below `lastUsedStep` is never accepted. If the code matches only such steps the result is
 *   `replayed` (the code was right but has been used, or a newer one has been).
 * - On success, returns the highest matching acceptable step; the caller must store it as the new
 *   `lastUsedStep` (atomically with the sign-in) before reporting success.
 * - All three candidate steps are always computed and compared in constant time.
 */
export function verifyTotp(
  secret: Uint8Array,
  code: string,
  now: Date,
  lastUsedStep: number | null,
): TotpResult {
  const typed = normalizeCode(code);
  if (typed === null) return { ok: false, reason: 'malformed' };
  const current = totpStep(now);
  let accepted: number | null = null;
  let matchedUsed = false;
  for (let step = current - TOTP_WINDOW_STEPS; step <= current + TOTP_WINDOW_STEPS; step++) {
    if (step < 0) continue; // only around the epoch itself
    const match = safeEqual(codeAtStep(secret, step), typed);
    if (!match) continue;
    if (lastUsedStep !== null && !(step > lastUsedStep)) matchedUsed = true;
    else accepted = step; // ascending loop: the last one kept is the highest
  }
  if (accepted !== null) return { ok: true, step: accepted };
  return { ok: false, reason: matchedUsed ? 'replayed' : 'wrong' };
}
