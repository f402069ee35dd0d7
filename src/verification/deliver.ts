import type { Deps } from '../deps.ts';
import { maskEmail } from '../kernel/mask.ts';
import type { Sql } from '../kernel/sql.ts';
import { type AccountForMail, sendCode } from '../notifications/notify.ts';
import { type Issued, type IssueInput, issueCode } from './challenges.ts';

/** Who a code message is for. */
export interface CodeRecipient {
  /** The account it is about (its name and phrase may appear), or null before one exists. */
  account: AccountForMail | null;
  /** The language of the message. */
  locale: AccountForMail['locale'];
  /** The account's sign-in address, shown masked in the message ("for t***@example.jp"). */
  accountEmail: string;
}

export interface DeliverInput extends IssueInput {
  to: CodeRecipient;
  /**
   * Whether the code is sent. False issues and counts it exactly like a sent one (same budgets) and sends
   * nothing: a decoy, or a reset step for an address with no account.
   */
  send?: boolean;
  /**
   * With `send: false`: still draw the message and run its outbox statement, writing nothing, so the answer
   * waits for the same work as a sent code (a step that must cost the same for an address with no account).
   */
  rehearse?: boolean;
}

/**
 * Issues a one-time code and delivers it, in `tx`: the one way Mamori sends a code. The challenge and its
 * send ledger (`challenges`, `code_sends`) are written by `issueCode` under the budget named in `input`;
 * the message goes to the outbox in the same transaction (email or SMS by `input.channel`, to
 * `input.destination`), so a code is sent if and only if it was counted. Returns the issued code's times
 * (`resendAt`, `expiresAt`; the code itself must not leave the server). Errors: those of `issueCode`
 * (`code.resend_wait`, `code.daily_limit`, `code.not_found`, …). NIST SP 800-63B §5.1.3 (out-of-band).
 */
export async function deliverCode(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'random'>,
  tx: Sql,
  input: DeliverInput,
): Promise<Issued> {
  const { to, send = true, rehearse = false, ...issue } = input;
  const issued = await issueCode(deps, tx, issue);
  if (send || rehearse)
    await sendCode(
      deps,
      tx,
      input.channel,
      input.destination,
      to.account,
      to.locale,
      input.purpose,
      issued.code,
      maskEmail(to.accountEmail),
      send,
    );
  return issued;
}
