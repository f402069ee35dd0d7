/** Who is asking: taken from the request at the edge, recorded with every activity event. */
export interface RequestContext {
  ip: string;
  userAgent: string;
  locale: Locale;
  /** ISO country of the IP ('LOCAL' on a private network, '??' unknown). */
  country: string;
}

export type Locale = 'ja' | 'en';
export const LOCALES: readonly Locale[] = ['ja', 'en'];

export function isLocale(value: unknown): value is Locale {
  return value === 'ja' || value === 'en';
}
