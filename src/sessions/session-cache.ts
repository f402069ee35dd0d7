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
  twoStep: boolean;
}

/**
 * A short-lived in-process cache of session checks, keyed by the token's hash. Revocations made by this
 * process clear it at once; with several instances a revocation elsewhere is seen within the TTL
 * (SESSION_CACHE_SECONDS, default 5 s; 0 turns the cache off).
 */
export class SessionCache {
  private readonly entries = new Map<string, { view: SessionView; until: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {}

  get(id: string, nowMs: number): SessionView | null {
    const e = this.entries.get(id);
    if (!e) return null;
    if (e.until <= nowMs) {
      this.entries.delete(id);
      return null;
    }
    return e.view;
  }

  set(view: SessionView, nowMs: number): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      const first = this.entries.keys().next().value;
      if (first !== undefined) this.entries.delete(first);
    }
    this.entries.set(view.id, { view, until: nowMs + this.ttlMs });
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  deleteAccount(accountId: string): void {
    for (const [id, e] of this.entries) if (e.view.accountId === accountId) this.entries.delete(id);
  }
}
