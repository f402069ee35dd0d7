import type { Deps } from '../deps.ts';
import { createCipher } from '../kernel/cipher.ts';
import type { RequestContext } from '../kernel/context.ts';
import { fail } from '../kernel/errors.ts';
import { newId } from '../kernel/random.ts';
import type { Sql } from '../kernel/sql.ts';
import { assertMayAdd } from '../organisations/method-rules.ts';
import type { SessionView } from '../sessions/session-cache.ts';
import { guardSecurityChange } from '../sessions/step-up-guard.ts';
import { withWrongCodeBudget } from '../verification/account-cap.ts';
import { describeMethod, requireSensitiveChange } from './methods-service.ts';
import {
  deletePendingTotp,
  findTotp,
  insertPendingTotp,
  listMethods,
  markMethodVerified,
  type TotpRow,
  takeTotpStep,
} from './store.ts';
import { generateTotpSecret, manualEntryKey, qrCodeSvg, totpKeyUri, verifyTotp } from './totp/totp.ts';

/** One cipher per configuration: deriving the key (HKDF) on every check cost ~4 % of a verification. */
const ciphers = new WeakMap<Deps['config'], ReturnType<typeof createCipher>>();
function secretCipher(deps: Pick<Deps, 'config'>) {
  let c = ciphers.get(deps.config);
  if (!c) {
    c = createCipher(deps.config.secret, 'totp-secret');
    ciphers.set(deps.config, c);
  }
  return c;
}

export interface TotpEnrolment {
  methodId: string;
  uri: string;
  qrSvg: string;
  manualKey: string;
}

/** Starts adding an authenticator app: a new secret, shown as a QR code and a key to type. Needs a fresh proof. */
export async function startTotp(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emit' | 'random'>,
  session: SessionView,
  label: string,
): Promise<TotpEnrolment> {
  await requireSensitiveChange(deps, session, 'totp.start');
  const secret = generateTotpSecret(deps.random);
  const methodId = newId(deps.random, 'mth');
  await deps.db.tx(async (tx) => {
    // Locks the account row, as for every other method added, so concurrent additions are counted one after
    // the other against MAX_SECURITY_METHODS.
    const account = await guardSecurityChange(deps, tx, session, 'totp.start');
    await assertMayAdd(tx, account.id, { kind: 'totp', value: '' }, account.locale);
    await deletePendingTotp(tx, session.accountId);
    const methods = await listMethods(tx, session.accountId);
    if (methods.length >= deps.config.maxMethods)
      fail('contact.limit_reached', { max: deps.config.maxMethods });
    await insertPendingTotp(
      tx,
      {
        id: methodId,
        accountId: session.accountId,
        label,
        secretEnc: secretCipher(deps).encrypt(Buffer.from(secret).toString('base64')),
        // The secret belongs to this state of the account: a change before it is confirmed voids it.
        stamp: account.securityStamp,
      },
      deps.clock.now(),
    );
  });
  return enrolmentView(deps, session, methodId, secret);
}

async function enrolmentView(
  deps: Pick<Deps, 'config'>,
  session: SessionView,
  methodId: string,
  secret: Uint8Array,
) {
  const uri = totpKeyUri({ issuer: deps.config.issuer, accountName: session.email, secret });
  return { methodId, uri, qrSvg: await qrCodeSvg(uri), manualKey: manualEntryKey(secret) };
}

/** The pending enrolment again (to show the QR code after a wrong first code). */
export async function pendingTotp(
  deps: Pick<Deps, 'config' | 'db'>,
  session: SessionView,
  methodId: unknown,
): Promise<TotpEnrolment | null> {
  const row = await findTotp(deps.db, session.accountId, methodId);
  if (!row || row.verified_at || row.stamp !== session.stamp) return null;
  return enrolmentView(deps, session, row.id, secretOf(deps, row));
}

const secretOf = (deps: Pick<Deps, 'config'>, row: { secret_enc: string }) =>
  new Uint8Array(Buffer.from(secretCipher(deps).decrypt(row.secret_enc), 'base64'));

/**
 * What an authenticator code was: `ok` (accepted, its time step recorded), `wrong`, or `used`: right, but
 * its time step (or a later one) was already accepted — a replay, or the second of two concurrent
 * submissions. A used code proves nothing and is refused (`code.used`), but it is no wrong guess: it does
 * not spend the owner's wrong-code budget. It tells nothing to someone without the secret, who cannot
 * produce a right code in the first place.
 */
export type TotpCheck = 'ok' | 'wrong' | 'used';

/**
 * Accepts a code for one authenticator method and records its time step, atomically, so the same step
 * can never be accepted twice (replay), even by two concurrent requests.
 */
async function acceptTotp(
  deps: Pick<Deps, 'clock' | 'config'>,
  tx: Sql,
  row: TotpRow,
  code: unknown,
): Promise<TotpCheck> {
  const result = verifyTotp(
    secretOf(deps, row),
    typeof code === 'string' ? code : '',
    deps.clock.now(),
    row.last_step,
  );
  // Not six digits: nothing was compared, no try is spent ("enter the 6 digits").
  if (!result.ok && result.reason === 'malformed') fail('code.format');
  if (!result.ok) return result.reason === 'replayed' ? 'used' : 'wrong';
  const taken = await takeTotpStep(tx, row.id, result.step, deps.clock.now());
  // False: a concurrent request took this step (or a later one) first.
  return taken ? 'ok' : 'used';
}

/** Refuses a code that was not `ok`: `code.used` for a used one (no wrong guess), else `code.invalid`. */
export function failTotp(check: Exclude<TotpCheck, 'ok'>): never {
  fail(check === 'used' ? 'code.used' : 'code.invalid');
}

/** The first valid code completes enrolment: the app becomes verified security info and every contact is told. */
export async function confirmTotp(
  deps: Pick<Deps, 'cipher' | 'clock' | 'config' | 'db' | 'emit' | 'limiter' | 'log' | 'random'>,
  session: SessionView,
  methodId: unknown,
  code: unknown,
  ctx: RequestContext,
): Promise<void> {
  await withWrongCodeBudget(deps, session.accountId, async () => {
    const ok = await deps.db.tx(async (tx) => {
      const account = await guardSecurityChange(deps, tx, session, 'totp.confirm');
      const row = await findTotp(tx, session.accountId, methodId);
      if (!row || row.verified_at || row.stamp !== account.securityStamp) fail('contact.not_found');
      await assertMayAdd(tx, account.id, { kind: 'totp', value: '' }, account.locale);
      const check = await acceptTotp(deps, tx, row, code);
      if (check === 'used') failTotp(check);
      if (check !== 'ok') return false;
      const now = deps.clock.now();
      await markMethodVerified(deps, tx, account.id, row.id, now, session.id);
      const method = describeMethod({ kind: 'totp', value: row.id, label: row.label }, account.locale);
      await deps.emit(tx, {
        type: 'method.verified',
        accountId: account.id,
        account,
        ctx,
        at: now,
        detail: { kind: 'totp', method },
        method,
      });
      return true;
    });
    if (!ok) fail('code.invalid');
  });
}

/** Checks an authenticator code against one verified authenticator method of the account (second factor). */
export async function checkTotpMethod(
  deps: Pick<Deps, 'clock' | 'config'>,
  tx: Sql,
  accountId: string,
  methodId: string,
  code: unknown,
): Promise<TotpCheck> {
  const row = await findTotp(tx, accountId, methodId);
  if (!row?.verified_at) return 'wrong';
  return acceptTotp(deps, tx, row, code);
}
