import { recordActivity } from '../activity/activity.ts';
import type { Deps } from '../deps.ts';
import { formatDateTime } from '../i18n/index.ts';
import type { RequestContext } from '../kernel/context.ts';
import { fail } from '../kernel/errors.ts';
import { cleanFreeText } from '../kernel/free-text.ts';
import { announceCustom } from '../notifications/notify.ts';
import { guardSecurityChange } from '../replacement/restrictions.ts';
import type { SessionView } from '../sessions/session-cache.ts';

/**
 * The optional anti-phishing phrase shown in every email to the owner: kept as typed (no NFKC), ≤ 40 code
 * points, no `<` or `>`, nothing invisible or misleading (kernel/free-text.ts); '' clears it.
 */
export async function setPersonalPhrase(
  deps: Deps,
  session: SessionView,
  input: unknown,
  ctx: RequestContext,
): Promise<void> {
  if (typeof input !== 'string' || input.length > 400) fail('phrase.invalid');
  const phrase = input.trim() === '' ? '' : cleanFreeText(input, { maxLength: 40 });
  if (phrase === null || /[<>]/.test(phrase)) fail('phrase.invalid');
  const changed = await deps.db.tx(async (tx) => {
    // Like a change of security info: account row locked, refused during a replacement, step-up current.
    const account = await guardSecurityChange(deps, tx, session, 'phrase.change');
    if (account.personalPhrase === phrase) return false;
    const now = deps.clock.now();
    await tx.query('UPDATE accounts SET personal_phrase = $2, updated_at = $3 WHERE id = $1', [
      session.accountId,
      phrase,
      now,
    ]);
    await recordActivity(tx, deps.random, now, session.accountId, 'phrase.changed', ctx);
    // Told to every contact under the phrase they knew (`account` was read before the change), so that
    // someone who changed it cannot make the owner's next emails look unfamiliar unannounced.
    await announceCustom(deps, tx, account, {
      kind: 'custom',
      name: 'phrase_changed',
      subject: 'security.mail.phrase_changed.subject',
      lines: ['security.mail.phrase_changed.body', 'mail.when_where'],
      params: { time: formatDateTime(account.locale, now, account.timeZone), ip: ctx.ip },
      action: { label: 'mail.review_action', path: '/security' },
      warn: 'mail.not_you',
    });
    return true;
  });
  if (changed) deps.dispatcher.kick();
}
