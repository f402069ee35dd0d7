import type { Deps } from '../deps.ts';
import { formatDateTime } from '../i18n/index.ts';
import type { RequestContext } from '../kernel/context.ts';
import { fail } from '../kernel/errors.ts';
import { cleanFreeText } from '../kernel/free-text.ts';
import { announceCustom } from '../notifications/notify.ts';
import { listMethods } from '../security-info/store.ts';
import type { SessionView } from '../sessions/session-cache.ts';
import { guardSecurityChange } from '../sessions/step-up-guard.ts';
import { verifyPassword } from './password-hasher.ts';
import { findAccountById, storePersonalPhrase } from './store.ts';

/**
 * The optional anti-phishing phrase shown in every email to the owner: kept as typed (no NFKC), ≤ 40 code
 * points, no `<` or `>`, nothing invisible or misleading (kernel/free-text.ts); '' clears it. Being printed
 * in every email, it is never a secret of the account (refuseSecrets).
 */
export async function setPersonalPhrase(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'db' | 'emit' | 'random'>,
  session: SessionView,
  input: unknown,
  ctx: RequestContext,
): Promise<void> {
  if (typeof input !== 'string' || input.length > 400) fail('phrase.invalid');
  const phrase = input.trim() === '' ? '' : cleanFreeText(input, { maxLength: 40 });
  if (phrase === null || /[<>]/.test(phrase)) fail('phrase.invalid');
  const checked = phrase === '' ? null : await refuseSecrets(deps, session.accountId, input, phrase);
  await deps.db.tx(async (tx) => {
    // Like a change of security info: account row locked, refused during a replacement, step-up current.
    const account = await guardSecurityChange(deps, tx, session, 'phrase.change');
    // The phrase was checked against the password of that moment: refuse if it changed meanwhile.
    if (checked && account.passwordHash !== checked)
      fail('auth.reauth_required', { minutes: deps.config.stepUpMinutes });
    if (account.personalPhrase === phrase) return;
    const now = deps.clock.now();
    await storePersonalPhrase(tx, session.accountId, phrase, now);
    await deps.emit(tx, { type: 'phrase.changed', accountId: session.accountId, ctx, at: now });
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
  });
}

/** NFKC, trimmed, lower case: how a phrase and an address are compared. */
const fold = (v: string) => v.normalize('NFKC').trim().toLowerCase();

/** The digits of each number written in `text` (NFKC), with the spaces, dashes, dots and brackets dropped. */
function digitRuns(text: string): string[] {
  return (text.normalize('NFKC').match(/\d[\d\s\-‐‑–—.()]*\d|\d/g) ?? []).map((r) => r.replace(/\D/g, ''));
}

/** How many trailing digits of a phone number identify it in a phrase (the subscriber part and more). */
const PHONE_TAIL = 8;

/**
 * Refuses a phrase that would print a secret of the account in every email: the current password
 * (`phrase.is_password`: checked against the stored argon2 hash, as typed, trimmed and NFKC-normalised), the
 * sign-in address (`phrase.contains_email`), or a phone number of the account in any of its usual spellings
 * (`phrase.contains_phone`: its last 8 digits inside one number written in the phrase). Returns the password
 * hash it was checked against.
 */
async function refuseSecrets(
  deps: Pick<Deps, 'db'>,
  accountId: string,
  typed: string,
  phrase: string,
): Promise<string> {
  const account = await findAccountById(deps.db, accountId);
  if (!account) fail('auth.required');
  const candidates = new Set(
    [typed, typed.trim(), typed.normalize('NFKC').trim(), phrase].map((c) => c.normalize('NFKC')),
  );
  for (const candidate of candidates)
    if (candidate !== '' && (await verifyPassword(account.passwordHash, candidate)))
      fail('phrase.is_password');
  const email = fold(account.email);
  if (email !== '' && fold(phrase).includes(email)) fail('phrase.contains_email');
  const runs = digitRuns(phrase);
  const phones = (await listMethods(deps.db, accountId)).filter((m) => m.kind === 'phone');
  for (const p of phones) {
    const tail = p.value.replace(/\D/g, '').slice(-PHONE_TAIL);
    if (tail.length >= 4 && runs.some((r) => r.includes(tail))) fail('phrase.contains_phone');
  }
  return account.passwordHash;
}
