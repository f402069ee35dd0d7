import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { sourceNetwork } from '../../abuse/network.ts';
import { findAccountById, lockStamp } from '../../accounts/store.ts';
import { describeDevice } from '../../activity/device.ts';
import type { Deps } from '../../deps.ts';
import { t } from '../../i18n/index.ts';
import { MINUTE } from '../../kernel/clock.ts';
import type { Locale, RequestContext } from '../../kernel/context.ts';
import { sha256 } from '../../kernel/crypto.ts';
import { fail } from '../../kernel/errors.ts';
import { newId, token as randomToken } from '../../kernel/random.ts';
import type { Sql } from '../../kernel/sql.ts';
import { assertMayAdd } from '../../organisations/method-rules.ts';
import type { SessionView } from '../../sessions/session-cache.ts';
import { createSession, markReauth } from '../../sessions/sessions.ts';
import { guardSecurityChange } from '../../sessions/step-up-guard.ts';
import { normalizeLabel } from '../label.ts';
import { describeMethod, requireSensitiveChange } from '../methods-service.ts';
import {
  advancePasskeyCounter,
  insertVerifiedMethod,
  listMethods,
  listPasskeys,
  lockPasskey,
  type PasskeyCredential,
  type PasskeyPurpose,
  type PasskeyRow,
  passkeyRegistered,
  saveWebauthnChallenge,
  spendWebauthnChallenge,
} from '../store.ts';

/**
 * Passkeys (WebAuthn) as security info: registration (needs a fresh proof), passwordless sign-in with a
 * discoverable credential, and a passkey as the second proof of a pending sign-in or a step-up.
 *
 * Every ceremony has a server-side challenge in `webauthn_challenges`, found by the SHA-256 of a random
 * token the client holds (an HttpOnly cookie on the web, returned to API clients). A challenge lives
 * 5 minutes and is single use: it is spent when a response is checked, whether the response is right.
 */
export type { PasskeyCredential, PasskeyPurpose } from '../store.ts';

export const PASSKEY_CHALLENGE_MINUTES = 5;
const CHALLENGE_TIMEOUT_MS = PASSKEY_CHALLENGE_MINUTES * MINUTE;
/** Longest credential id accepted (the spec caps them at 1023 bytes: 1364 base64url characters). */
const MAX_CREDENTIAL_ID = 1400;

/** The relying party: its id is the host name of PUBLIC_URL, its origin PUBLIC_URL's origin. */
export function relyingParty(deps: Pick<Deps, 'config'>): { rpID: string; origin: string; rpName: string } {
  const u = new URL(deps.config.publicUrl);
  return { rpID: u.hostname, origin: u.origin, rpName: deps.config.issuer };
}

const credentialOf = (row: PasskeyRow): PasskeyCredential =>
  typeof row.credential === 'string' ? (JSON.parse(row.credential) as PasskeyCredential) : row.credential;

// ---------------------------------------------------------------------------------------------------
// Challenges

async function saveChallenge(
  deps: Pick<Deps, 'clock' | 'random'>,
  sql: Sql,
  purpose: PasskeyPurpose,
  accountId: string | null,
  challenge: string,
): Promise<string> {
  const raw = randomToken(deps.random, 32);
  const now = deps.clock.now();
  await saveWebauthnChallenge(sql, {
    id: sha256(raw),
    accountId,
    purpose,
    challenge,
    now,
    expiresAt: new Date(now.getTime() + CHALLENGE_TIMEOUT_MS),
  });
  return raw;
}

/**
 * Spends a challenge: returns it if the token names an unused, unexpired challenge of this purpose (and
 * account, when given), and marks it used in the same statement, so two requests cannot both use it.
 */
async function spendChallenge(
  deps: Pick<Deps, 'clock'>,
  sql: Sql,
  purpose: PasskeyPurpose,
  raw: unknown,
  accountId: string | null,
): Promise<{ challenge: string; accountId: string | null } | null> {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 100) return null;
  const now = deps.clock.now();
  return spendWebauthnChallenge(sql, sha256(raw), purpose, accountId, now);
}

// ---------------------------------------------------------------------------------------------------
// Shape checks: what comes from a client is `unknown` until it looks like a WebAuthn response.

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isB64url = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max && /^[A-Za-z0-9_-]+={0,2}$/.test(v);

function credentialEnvelope(v: unknown): v is Record<string, unknown> & {
  id: string;
  rawId: string;
  type: 'public-key';
  response: Record<string, unknown>;
} {
  return (
    isObject(v) &&
    isB64url(v.id, MAX_CREDENTIAL_ID) &&
    v.rawId === v.id &&
    v.type === 'public-key' &&
    isObject(v.response) &&
    isB64url(v.response.clientDataJSON, 4096)
  );
}

/** A registration response (`credential.toJSON()` after `navigator.credentials.create`), or null. */
export function asRegistrationResponse(v: unknown): RegistrationResponseJSON | null {
  if (!credentialEnvelope(v) || !isB64url(v.response.attestationObject, 12_000)) return null;
  const transports = v.response.transports;
  if (
    transports !== undefined &&
    !(Array.isArray(transports) && transports.length <= 10 && transports.every((t) => typeof t === 'string'))
  )
    return null;
  return {
    ...(v as unknown as RegistrationResponseJSON),
    clientExtensionResults: isObject(v.clientExtensionResults) ? v.clientExtensionResults : {},
  };
}

/** An authentication response (`credential.toJSON()` after `navigator.credentials.get`), or null. */
export function asAuthenticationResponse(v: unknown): AuthenticationResponseJSON | null {
  if (
    !credentialEnvelope(v) ||
    !isB64url(v.response.authenticatorData, 4096) ||
    !isB64url(v.response.signature, 4096)
  )
    return null;
  const userHandle = v.response.userHandle;
  if (userHandle !== undefined && userHandle !== null && !isB64url(userHandle, 128)) return null;
  return {
    ...(v as unknown as AuthenticationResponseJSON),
    clientExtensionResults: isObject(v.clientExtensionResults) ? v.clientExtensionResults : {},
  };
}

// ---------------------------------------------------------------------------------------------------
// Registration

export interface PasskeyOptions<T> {
  /** Keep it (web: HttpOnly cookie) and send it back with the response. */
  token: string;
  /** For `PublicKeyCredential.parseCreationOptionsFromJSON` / `parseRequestOptionsFromJSON`. */
  options: T;
}

const descriptor = (r: PasskeyRow) => ({ id: r.value, transports: credentialOf(r).transports });

/** A name to suggest for a new passkey, from the browser that creates it: "Chrome on Linux". */
export function suggestedPasskeyName(userAgent: string, locale: Locale): string {
  const d = describeDevice(userAgent);
  const browser = d.browser.replace(/ [\d.]+$/, '');
  const os = d.os.replace(/ [\d.]+$/, '');
  if (browser && os) return t(locale, 'passkey.default_name', { browser, os });
  return browser || os;
}

/**
 * Starts adding a passkey. Needs a fresh proof. The options ask for a discoverable credential (so it can
 * sign in without a password) and exclude the account's passkeys (the same authenticator twice is refused
 * by the browser).
 */
export async function startPasskeyRegistration(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emit' | 'random'>,
  session: SessionView,
): Promise<PasskeyOptions<PublicKeyCredentialCreationOptionsJSON>> {
  await requireSensitiveChange(deps, session, 'passkey.start');
  const { rpID, rpName } = relyingParty(deps);
  const existing = await listPasskeys(deps.db, session.accountId);
  await assertMayAdd(deps.db, session.accountId, { kind: 'passkey', value: '' }, session.locale);
  const methodCount = (await listMethods(deps.db, session.accountId)).length;
  if (methodCount >= deps.config.maxMethods) fail('contact.limit_reached', { max: deps.config.maxMethods });
  const options = await generateRegistrationOptions({
    rpName,
    rpID,
    userName: session.email,
    // The user handle is the account id: random, not personal, and tells sign-in whose passkey it is.
    userID: new Uint8Array(Buffer.from(session.accountId, 'utf8')),
    userDisplayName: session.displayName,
    timeout: CHALLENGE_TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: existing.map(descriptor),
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
  });
  const token = await saveChallenge(deps, deps.db, 'register', session.accountId, options.challenge);
  return { token, options };
}

/**
 * Finishes adding a passkey: checks the browser's response against the challenge, stores the credential
 * as a verified method, records it and tells every contact, in one transaction. Errors: request.invalid
 * (expired/used challenge, or a response that does not verify), contact.already_added,
 * contact.limit_reached, contact.label_invalid, auth.reauth_required.
 */
export async function finishPasskeyRegistration(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emit' | 'log' | 'random'>,
  session: SessionView,
  token: unknown,
  response: unknown,
  name: unknown,
  ctx: RequestContext,
): Promise<{ methodId: string }> {
  await requireSensitiveChange(deps, session, 'passkey.finish');
  const label = normalizeLabel(name);
  if (label === null) fail('contact.label_invalid');
  const challenge = await spendChallenge(deps, deps.db, 'register', token, session.accountId);
  if (!challenge) fail('request.invalid', { detail: 'passkey challenge expired or used' });
  const parsed = asRegistrationResponse(response);
  if (!parsed) fail('request.invalid', { detail: 'not a passkey registration response' });
  const { rpID, origin } = relyingParty(deps);
  let info: Awaited<ReturnType<typeof verifyRegistrationResponse>>['registrationInfo'];
  try {
    const v = await verifyRegistrationResponse({
      response: parsed,
      expectedChallenge: challenge.challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: false,
    });
    info = v.verified ? v.registrationInfo : undefined;
  } catch (e) {
    deps.log.info({ reason: (e as Error).message }, 'passkey registration refused');
    info = undefined;
  }
  if (!info) fail('request.invalid', { detail: 'passkey registration did not verify' });
  const credentialId = info.credential.id;
  if (credentialId.length > MAX_CREDENTIAL_ID) fail('request.invalid');
  const credential: PasskeyCredential = {
    publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
    counter: info.credential.counter,
    transports: (info.credential.transports ?? []).filter((t) => typeof t === 'string').slice(0, 10),
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
  };

  const methodId = await deps.db.tx(async (tx) => {
    const account = await guardSecurityChange(deps, tx, session, 'passkey.finish');
    await assertMayAdd(tx, account.id, { kind: 'passkey', value: '' }, account.locale);
    if (await passkeyRegistered(tx, credentialId)) fail('contact.already_added');
    const methods = await listMethods(tx, account.id);
    if (methods.length >= deps.config.maxMethods)
      fail('contact.limit_reached', { max: deps.config.maxMethods });
    const id = newId(deps.random, 'mth');
    const now = deps.clock.now();
    await insertVerifiedMethod(
      deps,
      tx,
      {
        id,
        accountId: account.id,
        kind: 'passkey',
        value: credentialId,
        valueKey: credentialId,
        label,
        credential: JSON.stringify(credential),
      },
      now,
      session.id,
    );
    const method = describeMethod({ kind: 'passkey', value: credentialId, label }, account.locale);
    await deps.emit(tx, {
      type: 'method.verified',
      accountId: account.id,
      account,
      ctx,
      at: now,
      detail: { kind: 'passkey', method },
      method,
    });
    return id;
  });
  return { methodId };
}

// ---------------------------------------------------------------------------------------------------
// Checking an assertion

/**
 * Verifies an assertion against one stored passkey and records its new counter and use, atomically: the
 * counter must go up (or stay 0 for authenticators that do not count), so a replay, or two requests with
 * the same assertion, cannot both pass.
 */
async function acceptAssertion(
  deps: Pick<Deps, 'clock' | 'config' | 'log'>,
  tx: Sql,
  row: PasskeyRow,
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  requireUserVerification: boolean,
): Promise<boolean> {
  const { rpID, origin } = relyingParty(deps);
  const stored = credentialOf(row);
  let newCounter: number;
  try {
    const v = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification,
      credential: {
        id: row.value,
        publicKey: new Uint8Array(Buffer.from(stored.publicKey, 'base64url')),
        counter: stored.counter,
        transports: stored.transports,
      },
    });
    if (!v.verified) return false;
    newCounter = v.authenticationInfo.newCounter;
  } catch (e) {
    deps.log.info({ reason: (e as Error).message }, 'passkey assertion refused');
    return false;
  }
  return advancePasskeyCounter(tx, row.id, newCounter, deps.clock.now());
}

/** The user handle, when the authenticator gave one, must be the account the credential belongs to. */
function userHandleMatches(response: AuthenticationResponseJSON, accountId: string): boolean {
  const handle = response.response.userHandle;
  if (handle === undefined || handle === null || handle === '') return true;
  return Buffer.from(handle, 'base64url').toString('utf8') === accountId;
}

// ---------------------------------------------------------------------------------------------------
// Passwordless sign-in

/**
 * Starts a passwordless sign-in: no account is named, no credentials are listed (the authenticator offers
 * its discoverable passkeys for this site). Counted per IP like password sign-ins when `ctx` is given.
 */
export async function startPasskeySignIn(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'limiter' | 'random'>,
  ctx?: Pick<RequestContext, 'ip'>,
): Promise<PasskeyOptions<PublicKeyCredentialRequestOptionsJSON>> {
  if (ctx) {
    const limit = deps.config.signIn.perIpPerQuarterHour;
    const state = await deps.limiter.take(
      `passkey:ip:${sourceNetwork(ctx.ip)}`,
      limit,
      15 * MINUTE,
      deps.clock.now(),
    );
    if (!state.allowed) fail('auth.throttled', { seconds: Math.ceil(state.retryAfterMs / 1000) || 1 });
  }
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(deps).rpID,
    timeout: CHALLENGE_TIMEOUT_MS,
    // Alone, a passkey must be two factors: the device and its unlock (PIN, fingerprint, face).
    userVerification: 'required',
  });
  const token = await saveChallenge(deps, deps.db, 'signin', null, options.challenge);
  return { token, options };
}

export interface PasskeySignIn {
  sessionToken: string;
  accountId: string;
}

/**
 * Finishes a passwordless sign-in: finds the passkey by its credential id, checks the signature, the
 * user verification and the counter, and starts a session that counts as two-step verified (a verified
 * passkey is a strong sign-in on its own). Errors: signin.flow_invalid (expired/used challenge),
 * auth.invalid_credentials (unknown passkey or a response that does not verify).
 */
export async function finishPasskeySignIn(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emit' | 'limiter' | 'log' | 'random'>,
  token: unknown,
  response: unknown,
  ctx: RequestContext,
): Promise<PasskeySignIn> {
  const challenge = await spendChallenge(deps, deps.db, 'signin', token, null);
  if (!challenge) fail('signin.flow_invalid');
  const parsed = asAuthenticationResponse(response);
  if (!parsed) fail('auth.invalid_credentials');
  const out = await deps.db.tx(async (tx) => {
    const row = await lockPasskey(tx, parsed.id, null);
    if (!row || !userHandleMatches(parsed, row.account_id)) fail('auth.invalid_credentials');
    if (!(await acceptAssertion(deps, tx, row, parsed, challenge.challenge, true)))
      fail('auth.invalid_credentials');
    const account = await findAccountById(tx, row.account_id);
    if (!account?.emailConfirmedAt) fail('auth.invalid_credentials');
    const sessionToken = await createSession(deps, tx, account.id, ctx, { secondFactor: true, amr: ['hwk'] });
    await deps.emit(tx, {
      type: 'signin.success',
      accountId: account.id,
      ctx,
      at: deps.clock.now(),
      detail: {
        with: 'passkey',
        method: describeMethod({ kind: 'passkey', value: row.value, label: row.label }, account.locale),
      },
    });
    return { sessionToken, accountId: account.id };
  });
  await deps.limiter.release(`passkey:ip:${sourceNetwork(ctx.ip)}`);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Second factor (pending sign-in) and step-up

/**
 * Starts checking a passkey of one account (the second proof of a pending sign-in, or a step-up). The
 * options list the account's passkeys. Null when the account has no passkey.
 */
export async function startPasskeySecondFactor(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'random'>,
  accountId: string,
): Promise<PasskeyOptions<PublicKeyCredentialRequestOptionsJSON> | null> {
  const rows = await listPasskeys(deps.db, accountId);
  if (rows.length === 0) return null;
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(deps).rpID,
    timeout: CHALLENGE_TIMEOUT_MS,
    allowCredentials: rows.map(descriptor),
    userVerification: 'preferred',
  });
  const token = await saveChallenge(deps, deps.db, 'second_factor', accountId, options.challenge);
  return { token, options };
}

/**
 * Checks a passkey response for one account inside the caller's transaction (the challenge is spent and
 * the counter and last use recorded in `tx`). Presence is enough here (the password was the first
 * factor), user verification is not required. Never throws for a bad response: returns false.
 */
export async function verifyPasskeyForAccount(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'log' | 'random'>,
  tx: Sql,
  accountId: string,
  token: unknown,
  response: unknown,
): Promise<boolean> {
  const challenge = await spendChallenge(deps, tx, 'second_factor', token, accountId);
  const parsed = asAuthenticationResponse(response);
  if (!challenge || !parsed) return false;
  const row = await lockPasskey(tx, parsed.id, accountId);
  if (!row || !userHandleMatches(parsed, accountId)) return false;
  return acceptAssertion(deps, tx, row, parsed, challenge.challenge, false);
}

/**
 * Step-up with a passkey: a fresh second-factor proof for this session. Start with
 * `startPasskeySecondFactor(deps, session.accountId)`. A passkey is part of the OLD security info: using
 * it cancels a pending replacement. The session token is rotated: returns the new one (the old one stops
 * working). Error: auth.invalid_credentials.
 */
export async function reauthWithPasskey(
  deps: Pick<Deps, 'clock' | 'config' | 'db' | 'emit' | 'log' | 'random'>,
  session: SessionView,
  token: unknown,
  response: unknown,
  ctx: RequestContext,
): Promise<{ sessionToken: string }> {
  // The challenge is spent even when the response is wrong (the transaction commits either way).
  const sessionToken = await deps.db.tx(async (tx) => {
    await lockStamp(tx, session.accountId); // no change of security info between the check and the step-up
    if (!(await verifyPasskeyForAccount(deps, tx, session.accountId, token, response))) return null;
    await deps.emit(tx, { type: 'method.used', accountId: session.accountId, ctx });
    const rotated = await markReauth(deps, tx, session, { secondFactor: true, amr: ['hwk'] });
    await deps.emit(tx, {
      type: 'reauth.success',
      accountId: session.accountId,
      ctx,
      at: deps.clock.now(),
      detail: {
        with: 'passkey',
      },
    });
    return rotated;
  });
  if (!sessionToken) fail('auth.invalid_credentials');
  return { sessionToken };
}
