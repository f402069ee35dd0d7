import { findAccountLocale } from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import type { RequestContext } from '../kernel/context.ts';
import { hmac, safeEqual } from '../kernel/crypto.ts';
import { AppError } from '../kernel/errors.ts';
import type { Sql } from '../kernel/sql.ts';
import { deleteOptout, insertOptout, listOptouts } from './store.ts';

/** Categories of service notices. Security messages are not notices: they are always sent. */
export const NOTICE_CATEGORIES = ['terms', 'service_end', 'billing', 'other'] as const;
export type NoticeCategory = (typeof NOTICE_CATEGORIES)[number];

export function isNoticeCategory(v: unknown): v is NoticeCategory {
  return typeof v === 'string' && (NOTICE_CATEGORIES as readonly string[]).includes(v);
}

export type NoticePreferences = Record<NoticeCategory, boolean>;

type Ctx = Pick<RequestContext, 'ip' | 'userAgent' | 'country'>;

/** Which categories the account receives (all of them unless switched off). */
export async function noticePreferences(sql: Sql, accountId: string): Promise<NoticePreferences> {
  const offSet = new Set(await listOptouts(sql, accountId));
  return Object.fromEntries(NOTICE_CATEGORIES.map((c) => [c, !offSet.has(c)])) as NoticePreferences;
}

/** Saves the categories the account receives; records the change in the activity when something changed. */
export async function setNoticePreferences(
  deps: Pick<Deps, 'db' | 'clock' | 'emit'>,
  accountId: string,
  wanted: Partial<Record<NoticeCategory, boolean>>,
  ctx: Ctx,
): Promise<NoticePreferences> {
  const now = deps.clock.now();
  return deps.db.tx(async (tx) => {
    const before = await noticePreferences(tx, accountId);
    const after = { ...before };
    for (const c of NOTICE_CATEGORIES) if (typeof wanted[c] === 'boolean') after[c] = wanted[c];
    const changed = NOTICE_CATEGORIES.filter((c) => before[c] !== after[c]);
    if (changed.length === 0) return after;
    for (const c of changed) {
      if (after[c]) await deleteOptout(tx, accountId, c);
      else await insertOptout(tx, accountId, c, now);
    }
    await deps.emit(tx, {
      type: 'notices.preferences',
      accountId,
      ctx,
      at: now,
      detail: {
        on: NOTICE_CATEGORIES.filter((c) => after[c]).join(','),
        off: NOTICE_CATEGORIES.filter((c) => !after[c]).join(','),
      },
    });
    return after;
  });
}

/* ------------------------------------------------------------------------------------------------
 * One-click unsubscribe (RFC 8058): token = account id, category and an HMAC of both.
 * ---------------------------------------------------------------------------------------------- */

const macOf = (secret: string, accountId: string, category: NoticeCategory) =>
  hmac(hmac(secret, 'mamori/notices/unsubscribe/v1'), `${accountId}\n${category}`);

/** The token of the unsubscribe link for one account and one category (never expires; stateless). */
export function unsubscribeToken(secret: string, accountId: string, category: NoticeCategory): string {
  return `${accountId}.${category}.${macOf(secret, accountId, category)}`;
}

/** The account and category a token was made for, or null when it is not one of ours. */
export function readUnsubscribeToken(
  secret: string,
  token: unknown,
): { accountId: string; category: NoticeCategory } | null {
  if (typeof token !== 'string' || token.length > 200) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [accountId, category, mac] = parts as [string, string, string];
  if (!accountId || !isNoticeCategory(category)) return null;
  return safeEqual(mac, macOf(secret, accountId, category)) ? { accountId, category } : null;
}

/** Checks a token and that its account still exists. */
export async function unsubscribeTarget(
  deps: Pick<Deps, 'db' | 'config'>,
  token: unknown,
): Promise<{ accountId: string; category: NoticeCategory; subscribed: boolean; locale: 'ja' | 'en' }> {
  const t = readUnsubscribeToken(deps.config.secret, token);
  if (!t) throw new AppError('unsubscribe.invalid');
  const acc = await findAccountLocale(deps.db, t.accountId);
  if (!acc) throw new AppError('unsubscribe.invalid');
  return {
    ...t,
    subscribed: (await noticePreferences(deps.db, t.accountId))[t.category],
    // The language of the notice that carried the link.
    locale: acc.locale === 'en' ? 'en' : 'ja',
  };
}

/** Unsubscribes the token's account from the token's category, without a session. Idempotent. */
export async function unsubscribe(
  deps: Pick<Deps, 'db' | 'clock' | 'emit' | 'config'>,
  token: unknown,
  ctx: Ctx,
): Promise<{ accountId: string; category: NoticeCategory }> {
  const t = await unsubscribeTarget(deps, token);
  await setNoticePreferences(deps, t.accountId, { [t.category]: false }, ctx);
  return { accountId: t.accountId, category: t.category };
}
