import { lockNamed } from '../abuse/ledger.ts';
import type { Deps } from '../deps.ts';
import { DAY } from '../kernel/clock.ts';
import type { RequestContext } from '../kernel/context.ts';
import { sha256 } from '../kernel/crypto.ts';
import { newId, token } from '../kernel/random.ts';
import type { Sql } from '../storage/db.ts';
import { forgetKnownDevices } from './known-devices.ts';

/** How many trusted devices an account keeps; the oldest beyond are dropped (asked again next time). */
export const MAX_TRUSTED_DEVICES = 20;

/**
 * "Don't ask again on this device": a token in a cookie, valid 30 days, bound to one account and to its
 * security stamp: after any change of password or security info the device asks for the second proof
 * once more (and may be trusted again). At most MAX_TRUSTED_DEVICES per account, kept under a per-account
 * lock in the caller's transaction, so concurrent trusts cannot overrun it.
 */
export async function trustDevice(
  deps: Deps,
  tx: Sql,
  accountId: string,
  ctx: RequestContext,
): Promise<string> {
  const raw = token(deps.random, 32);
  const now = deps.clock.now();
  await lockNamed(tx, `trusted-devices:${accountId}`);
  await tx.query(
    `INSERT INTO trusted_devices (id, public_id, account_id, created_at, expires_at, ip, user_agent, stamp)
     VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT security_stamp FROM accounts WHERE id = $3))`,
    [
      sha256(raw),
      newId(deps.random, 'dev'),
      accountId,
      now,
      new Date(now.getTime() + deps.config.trustedDeviceDays * DAY),
      ctx.ip,
      ctx.userAgent,
    ],
  );
  await tx.query(
    `DELETE FROM trusted_devices WHERE account_id = $1 AND id NOT IN (
       SELECT id FROM trusted_devices WHERE account_id = $1 ORDER BY created_at DESC, id LIMIT $2)`,
    [accountId, MAX_TRUSTED_DEVICES],
  );
  return raw;
}

/**
 * Whether the device token is a live trust of this account (a token of another account never counts),
 * given since the account's last change of password or security info. `sql`: the caller's transaction.
 */
export async function isTrustedDevice(
  deps: Deps,
  accountId: string,
  raw: string | undefined,
  sql: Sql = deps.db,
): Promise<boolean> {
  if (!raw || raw.length > 100) return false;
  const rows = await sql.query(
    `SELECT 1 FROM trusted_devices d JOIN accounts a ON a.id = d.account_id
     WHERE d.id = $1 AND d.account_id = $2 AND d.expires_at > $3 AND d.stamp = a.security_stamp`,
    [sha256(raw), accountId, deps.clock.now()],
  );
  return rows.length === 1;
}

export interface TrustedDevice {
  publicId: string;
  createdAt: Date;
  expiresAt: Date;
  ip: string;
  userAgent: string;
}

export async function listTrustedDevices(deps: Deps, accountId: string): Promise<TrustedDevice[]> {
  const rows = await deps.db.query<{
    public_id: string;
    created_at: Date;
    expires_at: Date;
    ip: string;
    user_agent: string;
  }>(
    'SELECT public_id, created_at, expires_at, ip, user_agent FROM trusted_devices WHERE account_id = $1 AND expires_at > $2 ORDER BY created_at DESC',
    [accountId, deps.clock.now()],
  );
  return rows.map((r) => ({
    publicId: r.public_id,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    ip: r.ip,
    userAgent: r.user_agent,
  }));
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
  const rows = await tx.query(
    'DELETE FROM trusted_devices WHERE account_id = $1 AND ($2::text IS NULL OR public_id = $2) RETURNING id',
    [accountId, publicId],
  );
  return rows.length;
}
