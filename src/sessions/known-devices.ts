import { lockNamed } from '../abuse/ledger.ts';
import type { Deps } from '../deps.ts';
import { DAY } from '../kernel/clock.ts';
import { sha256 } from '../kernel/crypto.ts';
import type { Sql } from '../kernel/sql.ts';
import {
  capKnownDevices,
  deleteKnownDevices,
  hasKnownDevice,
  hasKnownDeviceByEmailKey,
  upsertKnownDevice,
} from './store.ts';

/**
 * Known devices: the browsers the owner has already used successfully for an account (a sign-up confirmed,
 * a sign-in that started a session, a completed password reset), recognised by the `mamori_device` cookie
 * (256 random bits that the browser keeps; only its SHA-256 is stored, bound to the account).
 *
 * A known device draws from the owner's own budgets, which strangers cannot reach: the `owner` send budget
 * for password-reset codes and a sign-in throttle of its own per (account, device). Every other device
 * shares the open budgets, which anyone who knows the address can fill. It grants nothing else: no step is
 * skipped and every answer stays the same (see docs/security.md, "The owner keeps a way in").
 */
export const DEVICE_COOKIE = 'mamori_device';
/** The cookie's format: 32 bytes in base64url. Anything else is no device. */
const DEVICE_TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** How long a known device stays known without being used. */
export const KNOWN_DEVICE_DAYS = 180;
/** How many known devices an account keeps; the least recently used beyond are dropped. */
export const MAX_KNOWN_DEVICES = 20;

/** The stored key of a device cookie, or null when it has not the cookie's format. */
export function deviceHash(raw: string | undefined): string | null {
  return raw && DEVICE_TOKEN.test(raw) ? sha256(`device:${raw}`) : null;
}

/**
 * Records that the device made a successful proof for the account (in the caller's transaction, which holds
 * the account row's lock: the cap cannot be overrun by concurrent sign-ins).
 */
export async function rememberDevice(
  deps: Pick<Deps, 'clock'>,
  tx: Sql,
  accountId: string,
  raw: string | undefined,
): Promise<void> {
  const hash = deviceHash(raw);
  if (!hash) return;
  const now = deps.clock.now();
  await lockNamed(tx, `known-devices:${accountId}`);
  await upsertKnownDevice(tx, accountId, hash, now);
  await capKnownDevices(tx, accountId, MAX_KNOWN_DEVICES);
}

/** Whether the device is a known device of the account with id `accountId`. */
export async function isKnownDevice(
  deps: Pick<Deps, 'clock'>,
  sql: Sql,
  accountId: string | null,
  raw: string | undefined,
): Promise<boolean> {
  const hash = deviceHash(raw);
  if (!hash) return false;
  // The same statement without an account (an unknown address's reset flow): the same work either way.
  return hasKnownDevice(
    sql,
    accountId ?? '',
    hash,
    new Date(deps.clock.now().getTime() - KNOWN_DEVICE_DAYS * DAY),
  );
}

/**
 * Whether the device is a known device of the account whose comparison key is `emailKey`: one statement that
 * runs the same whether or not such an account exists (sign-in answers must not tell them apart).
 */
export async function isKnownDeviceByKey(
  deps: Pick<Deps, 'db' | 'clock'>,
  emailKey: string,
  raw: string | undefined,
): Promise<boolean> {
  return hasKnownDeviceByEmailKey(
    deps.db,
    emailKey,
    deviceHash(raw) ?? '',
    new Date(deps.clock.now().getTime() - KNOWN_DEVICE_DAYS * DAY),
  );
}

/** Forgets every known device of the account (see revokeTrustedDevices). */
export async function forgetKnownDevices(tx: Sql, accountId: string): Promise<void> {
  await deleteKnownDevices(tx, accountId);
}
