import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../src/accounts/password-hasher.ts';

/** Nice value of each thread of this process, by thread id (Linux /proc). */
function threadNice(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // Fields after "(comm) ": state is field 3; nice is field 19.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(Number(tid), Number(f[16]));
  }
  return out;
}

/**
 * A flood of sign-ins (credential stuffing) must not starve the session checks of everyone else
 * (docs/benchmarks.md, goal 9): the argon2id work runs on threads of lower priority (nice 10) than the
 * event loop, so under contention the operating system serves the event loop first, and when the machine
 * is otherwise idle the hashes still use every core.
 */
describe.runIf(process.platform === 'linux')('password hashing yields to the event loop', () => {
  it('hashes and verifies on threads at nice 10 while the main thread stays at its own priority', async () => {
    const mainNice = threadNice().get(process.pid);
    const stored = await hashPassword('correct horse battery staple 42');
    const seen = new Set<number>();
    // Sample the threads while verifications run.
    const running = Promise.all(
      Array.from({ length: 4 }, () => verifyPassword(stored, 'correct horse battery staple 42')),
    );
    for (let i = 0; i < 20; i++) {
      for (const [tid, nice] of threadNice()) if (nice >= 10 && tid !== process.pid) seen.add(tid);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await running).toEqual([true, true, true, true]);
    expect(await verifyPassword(stored, 'wrong password 42')).toBe(false);
    expect(seen.size).toBeGreaterThanOrEqual(1);
    expect(threadNice().get(process.pid)).toBe(mainNice);
  });
});
