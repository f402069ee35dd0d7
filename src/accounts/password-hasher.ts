import { hash, verify } from '@node-rs/argon2';

/** argon2id with OWASP's first recommended setting: m = 19 MiB, t = 2, p = 1. */
export const ARGON2_OPTIONS = {
  algorithm: 2 /* Algorithm.Argon2id (a const enum) */,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFKC'), ARGON2_OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password.normalize('NFKC'));
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;
/**
 * A hash of nothing anyone knows, verified when the account does not exist, so unknown accounts and wrong
 * passwords take the same time.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hash(`dummy-${Math.random()}`, ARGON2_OPTIONS);
  return dummy;
}
