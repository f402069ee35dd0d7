/** Who is asking: taken from the request at the edge, recorded with every activity event. */
export interface RequestContext {
  ip: string;
  userAgent: string;
  locale: Locale;
  /** ISO country of the IP ('LOCAL' on a private network, '??' unknown). */
  country: string;
  /**
   * The browser's device cookie (src/sessions/known-devices.ts), issued on its first request; absent for
   * work the service does by itself.
   */
  device?: string;
}

export type Locale = 'ja' | 'en';
export const LOCALES: readonly Locale[] = ['ja', 'en'];

export function isLocale(value: unknown): value is Locale {
  return value === 'ja' || value === 'en';
}
