import type { Account } from '../accounts/store.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../kernel/errors.ts';
import type { Sql } from '../kernel/sql.ts';
import { type Issued, issueCode } from '../verification/challenges.ts';
import { deliverCode } from '../verification/deliver.ts';

/**
 * The code step of password reset, real or decoy (docs/flows/password-reset.md). Whatever the person typed to
 * confirm the method, and whether or not the account exists, the step answers the same: the same limits,
 * wrong-code answers and lock. Only a matching confirmation on a real account sends a code, and only a sent
 * code can open the step.
 */

/** The reset flow fields a step needs: `id` is the flow's stored id (SHA-256 of its token). */
export interface StepFlow {
  id: string;
  account_id: string | null;
  /** The account's security stamp when the flow started (or last moved on): its codes are bound to it. */
  stamp: string | null;
}

/** The destination of a reset code step that sends nothing (a wrong confirmation, an unknown account). */
export const DECOY = 'decoy';

/**
 * The code step of one method in one flow is one challenge, real or decoy: wrong entries, the lock, the resend
 * wait and the daily cap shown to the person belong to the step, so they are the same whether or not the
 * confirmation matched (and do not reset when someone types the right address after a wrong one).
 */
export const stepKey = (flowId: string, methodId: string) => `reset:${flowId}:${methodId}`;

/**
 * Takes the real destination's own send budget (the `open` budget of its mailbox or number, or its `owner`
 * budget when the reset is asked from a known device of the account, which strangers cannot fill: resend wait,
 * daily cap, and for SMS the per-country cap) through a decoy challenge on that destination, never shown or
 * opened. False when one of them refuses: then nothing is sent and the step answers as a decoy, so the real
 * destination's limits cannot reveal that a confirmation matched. Taken under the destination's lock in the
 * caller's transaction, so concurrent flows to one address cannot send past its budget.
 */
async function realSendAllowed(
  deps: Pick<Deps, 'config' | 'clock' | 'random'>,
  tx: Sql,
  flow: StepFlow,
  channel: 'email' | 'phone',
  destination: string,
  budget: 'owner' | 'open',
  network: string,
): Promise<boolean> {
  try {
    await issueCode(deps, tx, {
      purpose: 'reset',
      subject: flow.id,
      accountId: flow.account_id,
      channel,
      destination,
      destinationKey: destination.toLowerCase(),
      budget,
      // Strangers share the open budget: one network may take only half of it.
      network: budget === 'open' ? network : undefined,
      decoy: true,
      flowStamp: flow.stamp,
    });
    return true;
  } catch (e) {
    if (e instanceof AppError && (e.code.startsWith('code.') || e.code.startsWith('phone.'))) return false;
    throw e;
  }
}

/**
 * Issues the code of a step (its limits answer the caller) and sends it when the destination is real and its
 * own limits allow; otherwise the step's challenge is a decoy that no code opens. `destination` is the real
 * address or number when the confirmation matched, DECOY otherwise.
 */
export async function issueStep(
  deps: Pick<Deps, 'config' | 'clock' | 'random' | 'cipher'>,
  tx: Sql,
  flow: StepFlow,
  account: Account | null,
  step: {
    key: string;
    channel: 'email' | 'phone';
    destination: string;
    ignoreCooldown: boolean;
    /** Asked from a known device of the account (src/sessions/known-devices.ts): the owner's budget. */
    knownDevice: boolean;
    /** The source network that asked (src/abuse/network.ts). */
    network: string;
  },
): Promise<Issued> {
  // A real destination's own budget is taken whether or not the address has an account (an address with
  // none is the one the stranger typed): the same statements, the same limits either way.
  const allowed =
    step.destination !== DECOY &&
    (await realSendAllowed(
      deps,
      tx,
      flow,
      step.channel,
      step.destination,
      step.knownDevice ? 'owner' : 'open',
      step.network,
    ));
  const send = allowed && account !== null;
  return deliverCode(deps, tx, {
    purpose: 'reset',
    subject: flow.id,
    accountId: flow.account_id,
    channel: step.channel,
    destination: step.destination,
    destinationKey: step.key,
    ignoreCooldown: step.ignoreCooldown,
    // The step's own pace on its key, the same whether or not anything is sent.
    budget: 'decoy',
    decoy: !send,
    flowStamp: flow.stamp,
    send,
    // Allowed but no account: the statements of a send that writes nothing, so the answer waits as long.
    rehearse: allowed && !send,
    to: { account, locale: account?.locale ?? 'ja', accountEmail: account?.email ?? '' },
  });
}
