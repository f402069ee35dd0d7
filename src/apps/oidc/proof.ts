import type { SessionView } from '../../sessions/session-cache.ts';

/** `acr` values (OpenID Connect Core 1.0 §2), documented in docs/flows/apps-oidc.md. */
export const ACR_PASSWORD = 'urn:mamori:acr:pwd';
/** Two different methods proved this session: a password and a second factor, or a passkey. */
export const ACR_TWO_FACTOR = 'urn:mamori:acr:2fa';

/** The level a Mamori session achieved: 2fa when its methods include `mfa` or a passkey (`hwk`). */
export function acrOf(session: Pick<SessionView, 'amr'>): string {
  return session.amr.includes('mfa') || session.amr.includes('hwk') ? ACR_TWO_FACTOR : ACR_PASSWORD;
}

/** The `amr` claim of a session (RFC 8176 and Mamori's values, sessions/amr.ts); `pwd` for older sessions. */
export function amrOf(session: Pick<SessionView, 'amr'>): string[] {
  return session.amr.length ? session.amr : ['pwd'];
}

/** What an authorization request asks of the proof (max_age in seconds, prompt=login, acr_values). */
export interface ProofRequest {
  maxAgeSeconds?: number;
  promptLogin: boolean;
  acrValues: string[];
  /**
   * When the request reached the provider (ms since the epoch, from its `iat`, whole seconds): a proof for
   * prompt=login must come after the end of that second.
   */
  requestedAtMs: number;
}

/**
 * What the session still has to do to satisfy the request: nothing (`ok`), a fresh proof (`reauth`:
 * prompt=login, or the last proof older than max_age), or a second factor (`second_factor`: acr_values asks
 * urn:mamori:acr:2fa and the session has none). `auth_time` is the session's last proof (`reauthAt`).
 */
export function proofNeeded(
  session: Pick<SessionView, 'amr' | 'reauthAt' | 'createdAt'>,
  req: ProofRequest,
  nowMs: number,
): 'ok' | 'reauth' | 'second_factor' {
  const provedAt = authTimeMs(session);
  if (req.promptLogin && !provedAfter(session, req.requestedAtMs)) return 'reauth';
  if (req.maxAgeSeconds !== undefined && nowMs - provedAt > req.maxAgeSeconds * 1000) return 'reauth';
  if (req.acrValues.includes(ACR_TWO_FACTOR) && acrOf(session) !== ACR_TWO_FACTOR) return 'second_factor';
  return 'ok';
}

/** Whether the session's last proof came after a request made at `requestedAtMs` (whole seconds). */
export function provedAfter(
  session: Pick<SessionView, 'reauthAt' | 'createdAt'>,
  requestedAtMs: number,
): boolean {
  return authTimeMs(session) >= requestedAtMs + 1000;
}

/** When the user last proved themselves in this session (ms since the epoch). */
export function authTimeMs(session: Pick<SessionView, 'reauthAt' | 'createdAt'>): number {
  return (session.reauthAt ?? session.createdAt).getTime();
}
