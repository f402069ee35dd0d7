import { randomBytes, randomInt } from 'node:crypto';

/** Randomness source, injected so tests can make codes predictable. */
export interface Random {
  /** Uniform integer in [min, max). */
  int(min: number, max: number): number;
  bytes(n: number): Buffer;
}

export const cryptoRandom: Random = {
  int: (min, max) => randomInt(min, max),
  bytes: (n) => randomBytes(n),
};

/** URL-safe token with `bytes` bytes of entropy. */
export function token(random: Random, bytes = 32): string {
  return random.bytes(bytes).toString('base64url');
}

/** Zero-padded decimal code of `digits` digits. */
export function numericCode(random: Random, digits = 6): string {
  return String(random.int(0, 10 ** digits)).padStart(digits, '0');
}

/** Short random id, prefixed by kind: `acc_…`, `ses_…`. */
export function newId(random: Random, prefix: string): string {
  return `${prefix}_${random.bytes(12).toString('base64url')}`;
}
