import type { Locale } from '../kernel/context.ts';

export interface SessionView {
  id: string;
  publicId: string;
  accountId: string;
  email: string;
  displayName: string;
  locale: Locale;
  timeZone: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  reauthAt: Date | null;
  /** Last second-factor proof in this session (sign-in with 2SV, or a code/authenticator step-up). */
  secondFactorAt: Date | null;
  /** How the session was proven, at sign-in and at each step-up since (RFC 8176 values, sessions/amr.ts). */
  amr: string[];
  twoStep: boolean;
  /** The account's security stamp (decimal string): the version of its password and security info. */
  stamp: string;
  /** The stamp the last step-up was made against; a step-up counts only while it equals `stamp`. */
  reauthStamp: string | null;
  /**
   * An organisation admin reset the password to a temporary one: until the owner chooses a new one, the
   * session may do nothing else (web/plumbing.ts, `auth.password_change_required`).
   */
  mustChangePassword?: boolean;
  /**
   * The organisation's registration requirement interrupted the sign-in: until it is met or snoozed the session
   * may only do what complying needs (web/plumbing.ts, `policy.registration_required`).
   */
  registrationHeld?: boolean;
}

/**
 * Reads an account's revocation marker (accounts.sessions_gen) from the shared store, or null where this
 * process is the only one that can change sessions (the embedded store).
 */
export type MarkerReader = ((accountId: string) => Promise<string | null>) | null;

/**
 * A short-lived in-process cache of session checks, keyed by the token's hash (SESSION_CACHE_SECONDS,
 * default 5 s; 0 turns it off).
 *
 * Ending sessions, a step-up and every security-stamp change bump the account's marker (sessions_gen) in
 * the same transaction, and clear this cache after the commit (`invalidateAccount`). Three rules keep an
 * ended session from being served from the cache:
 * - a check that read the database before an invalidation is not cached (the epoch moved on), so a
 *   request racing with a revocation cannot put the old row back;
 * - with a shared store (PostgreSQL), every hit is confirmed against the account's marker, one
 *   primary-key read, so a revocation made by another instance counts at once;
 * - entries expire after the TTL anyway.
 */
export class SessionCache {
  private readonly entries = new Map<string, { view: SessionView; marker: string; until: number }>();
  private epochValue = 0;
  constructor(
    private readonly ttlMs: number,
    private readonly readMarker: MarkerReader = null,
    private readonly maxEntries = 50_000,
  ) {}

  /** Take it before reading a session from the database; pass it to `set`. */
  get epoch(): number {
    return this.epochValue;
  }

  async get(id: string, nowMs: number): Promise<SessionView | null> {
    const e = this.entries.get(id);
    if (!e) return null;
    if (e.until <= nowMs) {
      this.entries.delete(id);
      return null;
    }
    if (this.readMarker) {
      const marker = await this.readMarker(e.view.accountId);
      if (marker !== e.marker) {
        this.entries.delete(id);
        return null;
      }
    }
    return e.view;
  }

  /** Caches a view read from the database with its marker, unless an invalidation happened since `epoch`. */
  set(view: SessionView, marker: string, nowMs: number, epoch: number): void {
    if (this.ttlMs <= 0 || epoch !== this.epochValue) return;
    if (this.entries.size >= this.maxEntries) {
      const first = this.entries.keys().next().value;
      if (first !== undefined) this.entries.delete(first);
    }
    this.entries.set(view.id, { view, marker, until: nowMs + this.ttlMs });
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  /** Drops every entry of the account and refuses to cache checks that were already under way. */
  invalidateAccount(accountId: string): void {
    this.epochValue++;
    for (const [id, e] of this.entries) if (e.view.accountId === accountId) this.entries.delete(id);
  }
}
