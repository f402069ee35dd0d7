import { lockNamed } from '../abuse/ledger.ts';
import type { Deps } from '../deps.ts';
import { DAY } from '../kernel/clock.ts';
import type { RequestContext } from '../kernel/context.ts';
import { sha256 } from '../kernel/crypto.ts';
import { newId, token } from '../kernel/random.ts';
import type { Sql } from '../kernel/sql.ts';
import { forgetKnownDevices } from './known-devices.ts';
import {
  capTrustedDevices,
  deleteTrustedDevices,
  hasLiveTrust,
  insertTrustedDevice,
  listLiveTrustedDevices,
  type TrustedDeviceRow,
} from './store.ts';

/** How many trusted devices an account keeps; the oldest beyond are dropped (asked again next time). */
export const MAX_TRUSTED_DEVICES = 20;

/**
 * "Don't ask again on this device": a token in a cookie, valid 30 days, bound to one account and to its
 * security stamp: after any change of password or security info the device asks for the second proof
 * once more (and may be trusted again). At most MAX_TRUSTED_DEVICES per account, kept under a per-account
 * lock in the caller's transaction, so concurrent trusts cannot overrun it.
 */
export async function trustDevice(
  deps: Pick<Deps, 'random' | 'clock' | 'config'>,
  tx: Sql,
  accountId: string,
  ctx: RequestContext,
): Promise<string> {
  const raw = token(deps.random, 32);
  const now = deps.clock.now();
  await lockNamed(tx, `trusted-devices:${accountId}`);
  await insertTrustedDevice(tx, {
    id: sha256(raw),
    publicId: newId(deps.random, 'dev'),
    accountId,
    now,
    expiresAt: new Date(now.getTime() + deps.config.trustedDeviceDays * DAY),
    ip: ctx.ip,
    userAgent: ctx.userAgent,
  });
  await capTrustedDevices(tx, accountId, MAX_TRUSTED_DEVICES);
  return raw;
}

/**
 * Whether the device token is a live trust of this account (a token of another account never counts),
 * given since the account's last change of password or security info. `sql`: the caller's transaction.
 */
export async function isTrustedDevice(
  deps: Pick<Deps, 'db' | 'clock'>,
  accountId: string,
  raw: string | undefined,
  sql: Sql = deps.db,
): Promise<boolean> {
  if (!raw || raw.length > 100) return false;
  return hasLiveTrust(sql, sha256(raw), accountId, deps.clock.now());
}

export type TrustedDevice = TrustedDeviceRow;

/** The account's trusted devices that have not expired, newest first. */
export async function listTrustedDevices(
  deps: Pick<Deps, 'db' | 'clock'>,
  accountId: string,
): Promise<TrustedDevice[]> {
  return listLiveTrustedDevices(deps.db, accountId, deps.clock.now());
}

/**
 * Revokes one trusted device (by public id) or, with null, all of them. Returns how many. "All" (a reset,
 * "secure my account", a recovery-form reset, "forget all devices") also forgets every known device
 * (src/sessions/known-devices.ts): a browser of someone who knew the old password must not keep the
 * owner's budgets; the owner's devices become known again at their next success.
 */
export async function revokeTrustedDevices(
  tx: Sql,
  accountId: string,
  publicId: string | null,
): Promise<number> {
  if (publicId === null) await forgetKnownDevices(tx, accountId);
  return deleteTrustedDevices(tx, accountId, publicId);
}
