import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * Threads that run the argon2id hashes at a lower priority (nice 10) than the event loop.
 *
 * argon2id is meant to be expensive (≈ 10 ms of a core each). On libuv's thread pool, as `@node-rs/argon2`'s
 * async functions run it, a flood of sign-ins (credential stuffing) keeps every core busy with hashes at the
 * same priority as the event loop, which then gets a small share of the CPU: every other request — session
 * checks of users already signed in — slows down with it (measured: to 0.14 of its rate, goal ≥ 0.8;
 * docs/benchmarks.md). Here each thread lowers its own priority (on Linux a thread's nice value is its own)
 * and runs the synchronous functions (Linux only; elsewhere the threads keep the normal priority), so under contention the operating system serves the event loop first,
 * and when nothing else runs the hashes still use every core. Threads start on the first hash, one per
 * available core; they keep the process alive only while a hash is under way.
 */
const argon2Path = createRequire(import.meta.url).resolve('@node-rs/argon2');
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { setPriority } = require('node:os');
const { hashSync, verifySync } = require(${JSON.stringify(argon2Path)});
// Linux: a thread's nice value is its own. Elsewhere setpriority(0) would lower the whole process: skip.
if (process.platform === 'linux') { try { setPriority(10); } catch {} }
parentPort.on('message', (m) => {
  try {
    const result = m.op === 'hash' ? hashSync(m.password, m.options) : verifySync(m.stored, m.password);
    parentPort.postMessage({ id: m.id, ok: true, result });
  } catch (e) {
    parentPort.postMessage({ id: m.id, ok: false, error: String(e && e.message || e) });
  }
});
`;

type Job =
  | { op: 'hash'; password: string; options: Record<string, number> }
  | { op: 'verify'; stored: string; password: string };

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve(v: unknown): void; reject(e: Error): void }>;
}

let slots: Slot[] | null = null;
let nextId = 1;
let turn = 0;

function start(): Slot[] {
  const n = Math.max(1, availableParallelism());
  return Array.from({ length: n }, () => {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    const slot: Slot = { worker, pending: new Map() };
    worker.unref();
    worker.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: string }) => {
      const p = slot.pending.get(m.id);
      slot.pending.delete(m.id);
      if (slot.pending.size === 0) worker.unref();
      if (m.ok) p?.resolve(m.result);
      else p?.reject(new Error(m.error));
    });
    // A thread that fails or ends fails what it had, and the next hash starts a fresh set.
    const lost = (e: Error) => {
      for (const p of slot.pending.values()) p.reject(e);
      slot.pending.clear();
      if (slots?.includes(slot)) slots = null;
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`hashing thread ended (${code})`)));
    return slot;
  });
}

/** Runs one job on the least busy thread (ties: in turn). Rejects with the library's error. */
function run<T>(job: Job): Promise<T> {
  slots ??= start();
  const all = slots;
  let best = all[turn++ % all.length]!;
  for (const s of all) if (s.pending.size < best.pending.size) best = s;
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    best.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    best.worker.ref();
    best.worker.postMessage({ id, ...job });
  });
}

/** argon2id hash (PHC string) of `password` with `options` (@node-rs/argon2 Options), on a hashing thread. */
export const hashOnThread = (password: string, options: Record<string, number>) =>
  run<string>({ op: 'hash', password, options });

/** Whether `password` matches the PHC string `stored`, on a hashing thread; rejects on a malformed hash. */
export const verifyOnThread = (stored: string, password: string) =>
  run<boolean>({ op: 'verify', stored, password });
