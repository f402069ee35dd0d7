import { hashOnThread, verifyOnThread } from './hashing-threads.ts';

/** argon2id with OWASP's first recommended setting: m = 19 MiB, t = 2, p = 1. */
export const ARGON2_OPTIONS = {
  algorithm: 2 /* Algorithm.Argon2id (a const enum) */,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

/** argon2id PHC string of `password` (NFKC), on a hashing thread below the event loop's priority. */
export function hashPassword(password: string): Promise<string> {
  return hashOnThread(password.normalize('NFKC'), ARGON2_OPTIONS);
}

/** Whether `password` (NFKC) matches `stored`; false for a malformed hash too. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verifyOnThread(stored, password.normalize('NFKC'));
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
  dummy ??= hashOnThread(`dummy-${Math.random()}`, ARGON2_OPTIONS);
  return dummy;
}
