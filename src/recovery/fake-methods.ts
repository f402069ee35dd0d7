import { hmac } from '../kernel/crypto.ts';

export interface MaskedMethod {
  id: string;
  kind: 'email' | 'phone' | 'totp';
  masked: string;
}

const DOMAINS = ['gmail.com', 'yahoo.co.jp', 'icloud.com', 'outlook.jp', 'docomo.ne.jp', 'ezweb.ne.jp'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * Methods shown for an address that has no account, so that forgot-password answers the same either way.
 * Derived from a keyed hash of the address: the same address always shows the same methods.
 */
export function fakeMethods(secret: string, accountKey: string): MaskedMethod[] {
  const h = Buffer.from(hmac(secret, `fake-methods:${accountKey}`), 'base64url');
  const n = h[0]! % 4; // 0: none, 1: email, 2: phone, 3: both — like real accounts
  const id = (i: number) => `mth_${h.subarray(4 + i * 12, 16 + i * 12).toString('base64url')}`;
  const email: MaskedMethod = {
    id: id(0),
    kind: 'email',
    masked: `${LETTERS[h[1]! % 26]}${LETTERS[h[2]! % 26]}*****@${DOMAINS[h[3]! % DOMAINS.length]}`,
  };
  const phone: MaskedMethod = {
    id: id(1),
    kind: 'phone',
    masked: `*******${String(h[30]! % 100).padStart(2, '0')}`,
  };
  return [[], [email], [phone], [email, phone]][n]!;
}
