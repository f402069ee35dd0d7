import { AsyncLocalStorage } from 'node:async_hooks';
import type { Locale } from '../../kernel/context.ts';

/** What the provider may know of the request it serves: the browser's Mamori session, when it has one. */
export interface ProviderRequestScope {
  /**
   * The Mamori session of the request's cookie (public id and account), null without one. `held`: its
   * organisation holds it (a temporary password to replace, registration required; web/plumbing.ts).
   */
  mamoriSession: { publicId: string; accountId: string; held?: boolean } | null;
  /**
   * The request resumes an authorization after Mamori's interaction (`/oidc/auth/<uid>`): the one request
   * that may bind the provider Session to `mamoriSession` (a login is applied there). Any other request that
   * saves the Session keeps its binding, so a request made with another Mamori session of the same account
   * cannot take over a provider session it did not sign in (and its acr, amr, auth_time).
   */
  resumesLogin?: boolean;
  /**
   * The Mamori session of the code or refresh token this request redeemed (set by the adapter's `consume`):
   * the tokens it issues are bound to it, so they end with the session they descend from.
   */
  redeemedFrom?: string | null;
  /** Mamori's usual language for the request (pages the provider draws, unless `ui_locales` says). */
  locale: Locale;
}

const scope = new AsyncLocalStorage<ProviderRequestScope>();

/** Runs `fn` with `s` as the request's scope: storage and policy checks inside it read it (currentScope). */
export function withProviderScope<T>(s: ProviderRequestScope, fn: () => T): T {
  return scope.run(s, fn);
}

/** The scope of the request being served, or null outside one (e.g. a CLI). */
export function currentScope(): ProviderRequestScope | null {
  return scope.getStore() ?? null;
}
