import { recordActivity } from '../activity/activity.ts';
import type { Deps } from '../deps.ts';
import type { RequestContext } from '../kernel/context.ts';
import { fail } from '../kernel/errors.ts';
import { cleanFreeText } from '../kernel/free-text.ts';
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
  await deps.db.tx(async (tx) => {
    await tx.query('UPDATE accounts SET personal_phrase = $2, updated_at = $3 WHERE id = $1', [
      session.accountId,
      phrase,
      deps.clock.now(),
    ]);
    await recordActivity(tx, deps.random, deps.clock.now(), session.accountId, 'phrase.changed', ctx);
  });
}
